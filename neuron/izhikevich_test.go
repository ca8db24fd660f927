package neuron

import "testing"

// izhRun drives one neuron with constant I from rest (v = −65, u = b·v) and
// returns its spike times in ms.
func izhRun(p IzhikevichParams, dt, I float32, T float64) []float64 {
	m := NewIzhikevich(1, p)
	m.Init(dt, 0)
	return spikeTimes(m, dt, int(T/float64(dt)+0.5), zeroInput(1, []float32{I}))[0]
}

func countIn(t []float64, from, to float64) int {
	c := 0
	for _, x := range t {
		if x > from && x <= to {
			c++
		}
	}
	return c
}

// TestIzhikevichFiringPatterns checks the Fig. 2 behaviours of Izhikevich
// (2003) under a step of I = 10 with measurable properties of the spike
// trains, at the paper's 0.5 ms step and at 0.1 ms.
func TestIzhikevichFiringPatterns(t *testing.T) {
	for _, dt := range []float32{0.5, 0.1} {
		rsT := izhRun(IzhikevichRS(), dt, 10, 1000)
		fsT := izhRun(IzhikevichFS(), dt, 10, 1000)
		rs, fs := isis(rsT), isis(fsT)
		// steady rates over the last 500 ms
		rsRate := float64(countIn(rsT, 500, 1000)) * 2
		fsRate := float64(countIn(fsT, 500, 1000)) * 2

		// RS: spike-frequency adaptation — the ISI lengthens after onset.
		if r := rs[1] / rs[0]; r < 1.5 {
			t.Errorf("dt=%v RS: ISI2/ISI1 = %.2f, want ≥ 1.5 (adaptation)", dt, r)
		}
		if rsRate < 15 || rsRate > 30 {
			t.Errorf("dt=%v RS steady rate %.0f Hz, want 15–30", dt, rsRate)
		}
		// FS: high rate and a flat ISI sequence after onset.
		lo, hi := 1e9, 0.0
		for _, d := range fs[len(fs)/2:] {
			lo, hi = min(lo, d), max(hi, d)
		}
		if fsRate < 80 || fsRate < 4*rsRate || hi/lo > 1.4 {
			t.Errorf("dt=%v FS: rate %.0f Hz (RS %.0f), steady ISI max/min %.2f", dt, fsRate, rsRate, hi/lo)
		}
		// CH: bursts — runs of ≥ 3 short ISIs (< 8 ms) separated by long ones (> 30 ms).
		ch := isis(izhRun(IzhikevichCH(), dt, 10, 1000))
		bursts, run, minRun := 0, 0, 1000
		for _, d := range ch {
			switch {
			case d < 8:
				run++
			case d > 30:
				bursts++
				minRun = min(minRun, run)
				run = 0
			default:
				t.Errorf("dt=%v CH: ISI %.1f ms neither intra- nor inter-burst", dt, d)
			}
		}
		if bursts < 15 || minRun < 3 {
			t.Errorf("dt=%v CH: %d bursts, min %d short ISIs per burst", dt, bursts, minRun)
		}
		// IB: an initial burst then tonic spiking.
		ib := isis(izhRun(IzhikevichIB(), dt, 10, 1000))
		if ib[0] > 8 || ib[1] > 8 || ib[len(ib)-1] < 25 {
			t.Errorf("dt=%v IB ISIs %v…%v: want initial burst then tonic", dt, ib[:3], ib[len(ib)-1])
		}
		t.Logf("dt=%v RS ISI1 %.1f ISI2 %.1f rate %.0f Hz | FS rate %.0f Hz ISI max/min %.2f | CH %d bursts ≥%d spikes | IB ISIs %.1f %.1f then %.1f",
			dt, rs[0], rs[1], rsRate, fsRate, hi/lo, bursts, minRun+1, ib[0], ib[1], ib[len(ib)-1])
	}
}

// TestIzhikevichSubsteps checks the sub-step count and that dt = 1 ms (two
// 0.5 ms sub-steps) reproduces dt = 0.5 ms exactly.
func TestIzhikevichSubsteps(t *testing.T) {
	m := NewIzhikevich(1, IzhikevichRS())
	m.Init(1, 0)
	if m.nsub != 2 || m.h != 0.5 {
		t.Fatalf("dt=1: nsub=%d h=%v", m.nsub, m.h)
	}
	a := izhRun(IzhikevichRS(), 0.5, 10, 300)
	b := izhRun(IzhikevichRS(), 1, 10, 300)
	if len(a) != len(b) {
		t.Fatalf("spike counts %d vs %d", len(a), len(b))
	}
	for i := range a {
		if b[i]-a[i] < 0 || b[i]-a[i] > 0.5 {
			t.Errorf("spike %d at %.1f (dt .5) vs %.1f (dt 1)", i, a[i], b[i])
		}
	}
}
