package neuron

import (
	"math"
	"testing"
)

// TestALIFThreshold: each spike raises the threshold by β and the increment
// decays as e^{−t/τa}: Th = VTh + β Σ_k e^{−(t−t_k)/τa}.
func TestALIFThreshold(t *testing.T) {
	const dt = 0.1
	p := DefaultALIF()
	m := NewALIF(1, p)
	m.Init(dt, 0)
	in := zeroInput(1, nil)
	spk := make([]uint8, 1)
	var spikes []int
	maxErr := 0.0
	for s := 0; s < 5000; s++ {
		in.Exc[0] = 0
		if s == 0 || s == 1000 {
			in.Exc[0] = 100 // forces a spike
		}
		m.Step(0, 1, uint64(s), in, spk)
		if spk[0] == 1 {
			spikes = append(spikes, s)
		}
		want := float64(p.VTh)
		for _, k := range spikes {
			want += float64(p.Beta) * math.Exp(-float64(s-k)*dt/float64(p.TauA))
		}
		maxErr = max(maxErr, math.Abs(float64(m.Th[0])-want))
		if s == 0 && math.Abs(float64(m.Th[0]-p.VTh-p.Beta)) > 1e-6 {
			t.Errorf("threshold after one spike %v, want VTh+β = %v", m.Th[0], p.VTh+p.Beta)
		}
	}
	if len(spikes) != 2 || spikes[0] != 0 || spikes[1] != 1000 {
		t.Fatalf("spikes at %v, want [0 1000]", spikes)
	}
	if maxErr > 2e-4 { // float32 ρ = e^{−dt/τa} rounding compounds over 5000 steps
		t.Errorf("max |Th − closed form| = %.2g mV", maxErr)
	}
	t.Logf("threshold vs VTh + β Σ e^{−(t−tk)/τa}: max error %.2g mV over 500 ms", maxErr)
}

// TestALIFAdaptation: under constant drive the ISIs lengthen (hard and soft
// reset), while the same neuron with β = 0 fires regularly.
func TestALIFAdaptation(t *testing.T) {
	const dt = 0.1
	for _, soft := range []bool{false, true} {
		p := DefaultALIF()
		p.SoftReset = soft
		m := NewALIF(1, p)
		m.Init(dt, 0)
		d := isis(spikeTimes(m, dt, 10000, zeroInput(1, []float32{20}))[0])
		for i := 1; i < len(d); i++ {
			if d[i] < d[i-1]-dt-1e-6 {
				t.Errorf("soft=%v: ISI %d shorter than previous: %v", soft, i, d[:i+1])
				break
			}
		}
		if r := d[len(d)-1] / d[0]; r < 1.5 {
			t.Errorf("soft=%v: last/first ISI %.2f, want ≥ 1.5", soft, r)
		}
		p.Beta = 0
		m0 := NewALIF(1, p)
		m0.Init(dt, 0)
		d0 := isis(spikeTimes(m0, dt, 10000, zeroInput(1, []float32{20}))[0])
		if r := d0[len(d0)-1] / d0[0]; math.Abs(r-1) > 0.01 {
			t.Errorf("soft=%v β=0: ISI ratio %.3f, want 1", soft, r)
		}
		t.Logf("soft=%v: first ISI %.1f ms, last %.1f ms (%d spikes in 1 s); β=0: %.1f → %.1f ms",
			soft, d[0], d[len(d)-1], len(d)+1, d0[0], d0[len(d0)-1])
	}
}

// TestALIFSoftReset: a soft reset subtracts VTh − EL from v.
func TestALIFSoftReset(t *testing.T) {
	p := DefaultALIF()
	p.SoftReset, p.TRef = true, 0
	m := NewALIF(1, p)
	m.Init(0.1, 0)
	in := zeroInput(1, nil)
	in.Exc[0] = 13 // v jumps to −47 then decays one step, crosses −50
	spk := make([]uint8, 1)
	m.Step(0, 1, 0, in, spk)
	want := float32(-60+13*math.Exp(-0.1/20)) - 10
	if spk[0] != 1 || math.Abs(float64(m.V[0]-want)) > 1e-5 {
		t.Errorf("spike %d, v = %v, want %v", spk[0], m.V[0], want)
	}
}
