package encode

import (
	"math"
	"slices"
	"testing"
)

// TestPoissonStatistics checks the rate and the Fano factor of the spike
// counts against the closed form of a Bernoulli process: with p =
// x·MaxHz·Dt/1000 per step over T steps, mean count = T·p and Fano factor
// var/mean = 1 − p. Bounds are 5 standard errors (mean: sqrt(T·p(1−p)/n);
// sample variance: σ²·sqrt(2/(n−1))).
func TestPoissonStatistics(t *testing.T) {
	tests := []struct {
		x, maxHz, dt float32
	}{
		{0.5, 100, 1},   // p = 0.05, Fano ≈ 0.95
		{1, 250, 2},     // p = 0.5, Fano = 0.5
		{0.2, 200, 0.5}, // p = 0.02
	}
	const n, T = 1000, 1000
	for _, tc := range tests {
		enc := Poisson{MaxHz: tc.maxHz, Dt: tc.dt, Key: 42}
		x := make([]float32, n)
		for i := range x {
			x[i] = tc.x
		}
		out := make([]uint8, n)
		counts := make([]float64, n)
		for step := range T {
			enc.Encode(out, x, 0, step)
			for i, s := range out {
				counts[i] += float64(s)
			}
		}
		var mean, m2 float64
		for _, c := range counts {
			mean += c
		}
		mean /= n
		for _, c := range counts {
			m2 += (c - mean) * (c - mean)
		}
		variance := m2 / (n - 1)
		p := float64(tc.x * tc.maxHz * tc.dt / 1000)
		wantMean, wantVar := T*p, T*p*(1-p)
		if se := math.Sqrt(wantVar / n); math.Abs(mean-wantMean) > 5*se {
			t.Errorf("%+v: mean count %.2f, want %.2f ± %.2f", tc, mean, wantMean, 5*se)
		}
		fano, wantFano := variance/mean, 1-p
		if se := wantFano * math.Sqrt(2.0/(n-1)); math.Abs(fano-wantFano) > 5*se {
			t.Errorf("%+v: Fano %.3f, want %.3f ± %.3f", tc, fano, wantFano, 5*se)
		}
	}
}

func TestPoissonEdgesAndReproducibility(t *testing.T) {
	enc := Poisson{MaxHz: 1000, Dt: 1, Key: 7}
	x := []float32{0, 1, 0.5, 0.3, 0.9, 0.1}
	whole := make([]uint8, len(x))
	a, b := make([]uint8, 2), make([]uint8, 4)
	for step := range 200 {
		enc.Encode(whole, x, 600, step)
		if whole[0] != 0 || whole[1] != 1 {
			t.Fatalf("x=0 / x=1 at p=1: got %v", whole[:2])
		}
		// Two workers encoding halves with shifted offsets see the same spikes.
		enc.Encode(a, x[:2], 600, step)
		enc.Encode(b, x[2:], 602, step)
		if !slices.Equal(whole, append(slices.Clone(a), b...)) {
			t.Fatalf("step %d: split encoding %v %v differs from %v", step, a, b, whole)
		}
	}
	other := make([]uint8, len(x))
	differ := false
	for step := range 200 {
		enc.Encode(whole, x, 0, step)
		enc.Encode(other, x, 6, step)
		differ = differ || !slices.Equal(whole, other)
	}
	if !differ {
		t.Fatal("different sample offsets gave identical spike trains")
	}
}

func TestLatency(t *testing.T) {
	enc := Latency{TMax: 100, Dt: 1, Threshold: 0.1}
	tests := []struct {
		x    float32
		step int
		ok   bool
	}{
		{1, 0, true},
		{0.5, 50, true},
		{0.25, 75, true},
		{0.3, 70, true},
		{0.1, 90, true},
		{0.09, 0, false},
		{0, 0, false},
		{float32(math.NaN()), 0, false},
		{1.5, 0, true}, // above 1: clamped, fires first
	}
	x := make([]float32, len(tests))
	for i, tc := range tests {
		x[i] = tc.x
		k, ok := enc.SpikeStep(tc.x)
		if ok != tc.ok || (ok && k != tc.step) {
			t.Errorf("SpikeStep(%v) = %d, %v; want %d, %v", tc.x, k, ok, tc.step, tc.ok)
		}
	}
	// Over a whole sample every feature fires once, at its step, or never.
	out := make([]uint8, len(x))
	fired := make([][]int, len(x))
	for step := range 120 {
		enc.Encode(out, x, 0, step)
		for i, s := range out {
			if s == 1 {
				fired[i] = append(fired[i], step)
			}
		}
	}
	for i, tc := range tests {
		want := []int(nil)
		if tc.ok {
			want = []int{tc.step}
		}
		if !slices.Equal(fired[i], want) {
			t.Errorf("x=%v fired at %v, want %v", tc.x, fired[i], want)
		}
	}
	half := Latency{TMax: 10, Dt: 0.5}
	if k, _ := half.SpikeStep(0.5); k != 10 {
		t.Errorf("TMax 10 ms, Dt 0.5 ms, x=0.5: step %d, want 10 (5 ms)", k)
	}
}

func TestDirect(t *testing.T) {
	out := make([]float32, 3)
	Direct{Gain: 4}.Current(out, []float32{0, 0.25, 1})
	if !slices.Equal(out, []float32{0, 1, 4}) {
		t.Fatalf("Current = %v", out)
	}
}

func TestDelta(t *testing.T) {
	// One feature, threshold 0.25. Steps: value → expected ON/OFF.
	signal := []float32{0.5, 0.5, 0.625, 0.75, 0.75, 0.5, 0.375, 0.25, 1, 0}
	wantOn := []uint8{0, 0, 0, 1, 0, 0, 0, 0, 1, 0}
	wantOff := []uint8{0, 0, 0, 0, 0, 1, 0, 1, 0, 1}
	// step 0 primes ref=0.5; 0.625 (+0.125) no event; 0.75 (+0.25) ON, ref 0.75;
	// 0.5 (−0.25) OFF, ref 0.5; 0.375 no; 0.25 (−0.25 from 0.5) OFF; 1 ON; 0 OFF.
	d := &Delta{Threshold: 0.25}
	if d.Channels(1) != 2 {
		t.Fatal("Channels(1) != 2")
	}
	// Threshold 0: any change is an event, no change never is.
	z := &Delta{}
	zout := make([]uint8, 2)
	for k, v := range []float32{0.5, 0.5, 0.5001, 0.5001, 0.5} {
		z.Encode(zout, []float32{v}, 0, k)
		want := [][2]uint8{{0, 0}, {0, 0}, {1, 0}, {0, 0}, {0, 1}}[k]
		if zout[0] != want[0] || zout[1] != want[1] {
			t.Fatalf("threshold 0, step %d: %v, want %v", k, zout, want)
		}
	}
	out := make([]uint8, 2)
	for round := range 2 { // the second round checks that Reset re-primes
		d.Reset()
		for k, v := range signal {
			d.Encode(out, []float32{v}, 0, k)
			if out[0] != wantOn[k] || out[1] != wantOff[k] {
				t.Fatalf("round %d step %d (x=%v): ON %d OFF %d, want %d %d", round, k, v, out[0], out[1], wantOn[k], wantOff[k])
			}
		}
	}
}

func TestEncoderAllocs(t *testing.T) {
	x := make([]float32, 784)
	for i := range x {
		x[i] = float32(i%256) / 255
	}
	out := make([]uint8, 2*len(x))
	cur := make([]float32, len(x))
	delta := &Delta{Threshold: 0.1}
	delta.Encode(out, x, 0, 0)
	step := 0
	tests := []struct {
		name string
		f    func()
	}{
		{"poisson", func() { Poisson{MaxHz: 100, Dt: 1, Key: 1}.Encode(out, x, 0, step) }},
		{"latency", func() { Latency{TMax: 50, Dt: 1}.Encode(out, x, 0, step) }},
		{"direct", func() { Direct{Gain: 2}.Current(cur, x) }},
		{"delta", func() { x[step%len(x)] = 1 - x[step%len(x)]; delta.Encode(out, x, 0, step) }},
	}
	for _, tc := range tests {
		if a := testing.AllocsPerRun(100, func() { tc.f(); step++ }); a != 0 {
			t.Errorf("%s: %v allocs per step", tc.name, a)
		}
	}
}

func BenchmarkPoisson(b *testing.B) {
	x, out := benchInput()
	enc := Poisson{MaxHz: 100, Dt: 1, Key: 1}
	b.ReportAllocs()
	step := 0
	for b.Loop() {
		enc.Encode(out, x, 0, step)
		step++
	}
}

func BenchmarkLatency(b *testing.B) {
	x, out := benchInput()
	enc := Latency{TMax: 50, Dt: 1, Threshold: 0.05}
	b.ReportAllocs()
	step := 0
	for b.Loop() {
		enc.Encode(out, x, 0, step%50)
		step++
	}
}

func BenchmarkDirect(b *testing.B) {
	x, _ := benchInput()
	cur := make([]float32, len(x))
	b.ReportAllocs()
	for b.Loop() {
		Direct{Gain: 2}.Current(cur, x)
	}
}

func BenchmarkDelta(b *testing.B) {
	x, out := benchInput()
	d := &Delta{Threshold: 0.1}
	d.Encode(out, x, 0, 0) // set the references outside the timed loop
	b.ReportAllocs()
	step := 0
	for b.Loop() {
		x[step%len(x)] = 1 - x[step%len(x)]
		d.Encode(out, x, 0, step)
		step++
	}
}

// benchInput returns an MNIST-sized feature vector and an output buffer
// large enough for Delta.
func benchInput() ([]float32, []uint8) {
	x := make([]float32, 784)
	for i := range x {
		x[i] = float32(i%256) / 255
	}
	return x, make([]uint8, 2*len(x))
}
