package monitor

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

func TestSpikeMonitor(t *testing.T) {
	all := NewSpikeMonitor(0.5, nil, 16)
	sel := NewSpikeMonitor(0.5, []int32{2, 0}, 16)
	frames := [][]uint8{{1, 0, 1}, {0, 0, 0}, {0, 1, 1}}
	for s, f := range frames {
		all.Record(s, f)
		sel.Record(s, f)
	}
	var buf bytes.Buffer
	if err := all.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "t_ms,id\n0,0\n0,2\n1,1\n1,2\n"; got != want {
		t.Errorf("CSV %q want %q", got, want)
	}
	if ids := sel.IDs(); len(ids) != 3 || ids[0] != 2 || ids[1] != 0 || ids[2] != 2 {
		t.Errorf("selected ids %v", ids)
	}
	if tm := sel.Times(0.5); tm[2] != 1 {
		t.Errorf("times %v", tm)
	}
	if tr := all.Train(2); len(tr) != 2 || tr[1] != 1 {
		t.Errorf("train %v", tr)
	}
	// no allocation within capacity
	spk := []uint8{1, 1, 1, 1}
	m := NewSpikeMonitor(0.1, nil, 4000)
	step := 0
	if a := testing.AllocsPerRun(500, func() { m.Record(step, spk); step++ }); a != 0 {
		t.Errorf("SpikeMonitor.Record allocates %v", a)
	}
}

func TestStateMonitor(t *testing.T) {
	m := NewStateMonitor("v", 0.1, []int32{3, 1}, 2, 8)
	v := make([]float32, 4)
	for s := 0; s < 5; s++ {
		for i := range v {
			v[i] = float32(10*s + i)
		}
		m.Record(s, v)
	}
	var buf bytes.Buffer
	m.WriteCSV(&buf)
	if got, want := buf.String(), "t_ms,3,1\n0,3,1\n0.2,23,21\n0.4,43,41\n"; got != want {
		t.Errorf("CSV %q want %q", got, want)
	}
	if tr := m.Trace(1); len(tr) != 3 || tr[2] != 41 {
		t.Errorf("trace %v", tr)
	}
	m2 := NewStateMonitor("v", 0.1, []int32{0, 1, 2}, 1, 1000)
	step := 0
	if a := testing.AllocsPerRun(500, func() { m2.Record(step, v); step++ }); a != 0 {
		t.Errorf("StateMonitor.Record allocates %v", a)
	}
}

func TestRateMonitor(t *testing.T) {
	// 10 neurons, dt 0.5 ms, 4-step (2 ms) bins.
	m := NewRateMonitor(10, 0.5, 4, 4)
	spk := make([]uint8, 10)
	for s := 0; s < 8; s++ {
		for i := range spk {
			spk[i] = 0
		}
		if s < 4 {
			spk[0], spk[1] = 1, 1 // 8 spikes in bin 0
		} else if s == 5 {
			spk[9] = 1 // 1 spike in bin 1
		}
		m.Record(s, spk)
	}
	r := m.Rates()
	// bin 0: 8 spikes / (10 neurons · 2 ms) = 400 Hz; bin 1: 50 Hz
	if len(r) != 2 || r[0] != 400 || r[1] != 50 {
		t.Errorf("rates %v want [400 50]", r)
	}
	var buf bytes.Buffer
	m.WriteCSV(&buf)
	if got, want := buf.String(), "t_ms,rate_hz\n0,400\n2,50\n"; got != want {
		t.Errorf("CSV %q want %q", got, want)
	}
	step := 8
	big := NewRateMonitor(10, 0.5, 4, 1000)
	if a := testing.AllocsPerRun(500, func() { big.Record(step, spk); step++ }); a != 0 {
		t.Errorf("RateMonitor.Record allocates %v", a)
	}
}

func TestCVISI(t *testing.T) {
	reg := []float64{0, 10, 20, 30, 40}
	if cv := CVISI(reg); cv != 0 {
		t.Errorf("regular train CV %v want 0", cv)
	}
	// hand computed: ISIs 1, 3 → mean 2, std 1 → CV 0.5
	if cv := CVISI([]float64{0, 1, 4}); math.Abs(cv-0.5) > 1e-12 {
		t.Errorf("CV %v want 0.5", cv)
	}
	r := rand.New(rand.NewPCG(1, 2))
	tr := []float64{0}
	for len(tr) < 20000 {
		tr = append(tr, tr[len(tr)-1]+r.ExpFloat64()*50)
	}
	// CV estimate of n exponential ISIs has s.e. ≈ 1/√n·… ≲ 0.01 here
	if cv := CVISI(tr); math.Abs(cv-1) > 0.05 {
		t.Errorf("Poisson CV %v want ≈1", cv)
	}
	t.Logf("Poisson train CV %.4f (20000 spikes)", CVISI(tr))
}

func TestFano(t *testing.T) {
	if f := Fano([]int32{3, 3, 3}); f != 0 {
		t.Errorf("constant Fano %v", f)
	}
	// counts 1,3: mean 2, var 1 → 0.5
	if f := Fano([]int32{1, 3}); f != 0.5 {
		t.Errorf("Fano %v want 0.5", f)
	}
	r := rand.New(rand.NewPCG(3, 4))
	c := make([]int32, 20000)
	for i := range c { // Poisson(4) by counting exponential arrivals in unit time
		for s := r.ExpFloat64() / 4; s < 1; s += r.ExpFloat64() / 4 {
			c[i]++
		}
	}
	if f := Fano(c); math.Abs(f-1) > 5*math.Sqrt(2.0/20000) {
		t.Errorf("Poisson Fano %v", f)
	}
}

func TestVanRossum(t *testing.T) {
	const tau = 10
	a := []float64{5, 17, 40}
	if d := VanRossum(a, a, tau); d != 0 {
		t.Errorf("identical trains: %v", d)
	}
	// one extra isolated spike: D = 1/√2
	if d := VanRossum(a, []float64{5, 17, 40, 1e6}, tau); math.Abs(d-1/math.Sqrt2) > 1e-12 {
		t.Errorf("extra spike: %v want %v", d, 1/math.Sqrt2)
	}
	if d := VanRossum(nil, []float64{3}, tau); math.Abs(d-1/math.Sqrt2) > 1e-12 {
		t.Errorf("empty vs one: %v", d)
	}
	// shift by δ: √(1 − e^{−δ/τ})
	if d := VanRossum([]float64{0}, []float64{4}, tau); math.Abs(d-math.Sqrt(1-math.Exp(-0.4))) > 1e-12 {
		t.Errorf("shift: %v", d)
	}
	// numerical integral check of the closed form for a generic pair
	b := []float64{7, 30, 33}
	const h = 1e-3
	s := 0.0
	for x := 0.0; x < 300; x += h {
		var fa, fb float64
		for _, u := range a {
			if x >= u {
				fa += math.Exp(-(x - u) / tau)
			}
		}
		for _, u := range b {
			if x >= u {
				fb += math.Exp(-(x - u) / tau)
			}
		}
		s += (fa - fb) * (fa - fb) * h
	}
	num := math.Sqrt(s / tau)
	if d := VanRossum(a, b, tau); math.Abs(d-num) > 1e-3 {
		t.Errorf("closed form %v vs numerical %v", d, num)
	}
}

func TestAvalanchesAndMeanRate(t *testing.T) {
	got := Avalanches([]int32{0, 2, 3, 0, 0, 1, 0, 4, 4})
	want := []int{5, 1, 8}
	if len(got) != len(want) {
		t.Fatalf("%v want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v want %v", got, want)
		}
	}
	if r := MeanRate(50, 10, 500); r != 10 {
		t.Errorf("MeanRate %v want 10", r)
	}
}

func TestKS2(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []float64
		want float64
	}{
		{"same values, other order and multiplicity", []float64{3, 1, 2, 2}, []float64{2, 1, 3, 2}, 0},
		{"disjoint", []float64{1, 2, 3}, []float64{4, 5}, 1},
		// F_a − F_b after 1: 1/2 − 0; after 2: 1 − 1/3; after 3 and 4: 1 − 2/3, 1 − 1.
		{"interleaved", []float64{1, 2}, []float64{2, 3, 4}, 2.0 / 3},
		{"ties across samples", []float64{0, 0, 1, 1}, []float64{0, 1, 1, 1}, 0.25},
		{"one shifted value", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 5}, 0.25},
	} {
		got := KS2(tc.a, tc.b)
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: KS2 = %v, want %v", tc.name, got, tc.want)
		}
		if back := KS2(tc.b, tc.a); back != got {
			t.Errorf("%s: not symmetric (%v vs %v)", tc.name, got, back)
		}
	}
	if !math.IsNaN(KS2(nil, []float64{1})) {
		t.Error("empty sample: want NaN")
	}
	a := []float64{3, 1, 2}
	KS2(a, []float64{0})
	if a[0] != 3 || a[1] != 1 {
		t.Error("KS2 reordered its argument")
	}
}
