package neuron

import (
	"math"
	"testing"
)

// TestCUBAPSPClosedForm: one spike of weight w on either channel gives the
// exact PSP ±w·τs/(τs−τm)·(e^{−t/τs} − e^{−t/τm}) (t from the start of the
// step the spike arrives in), and the two channels superpose.
func TestCUBAPSPClosedForm(t *testing.T) {
	const dt = 0.1
	psp := func(tt, tm, ts float64) float64 { return ts / (ts - tm) * (math.Exp(-tt/ts) - math.Exp(-tt/tm)) }
	for _, c := range []struct {
		name   string
		we, wi float32
	}{{"exc", 1.62, 0}, {"inh", 0, 9}, {"both", 1.62, 9}} {
		p := DefaultCUBA()
		p.EL, p.VInit, p.VTh = -60, -60, 1e9
		m := NewCUBA(1, p)
		m.Init(dt, 0)
		in := zeroInput(1, nil)
		spk := make([]uint8, 1)
		maxErr := 0.0
		for s := 0; s < 1000; s++ {
			in.Exc[0], in.Inh[0] = 0, 0
			if s == 0 {
				in.Exc[0], in.Inh[0] = c.we, c.wi
			}
			m.Step(0, 1, uint64(s), in, spk)
			tt := float64(s+1) * dt
			want := -60 + float64(c.we)*psp(tt, 20, 5) - float64(c.wi)*psp(tt, 20, 10)
			maxErr = max(maxErr, math.Abs(float64(m.V[0])-want))
			if spk[0] != 0 {
				t.Fatal("spike below threshold")
			}
		}
		// float32 rounding of v (½ ulp at 60 mV = 1.9e-6 mV per step), contracted by e^{−dt/τm}.
		if maxErr > 1e-4 {
			t.Errorf("%s: max |v − closed form| = %.2g mV", c.name, maxErr)
		}
		t.Logf("%s: max error %.2g mV", c.name, maxErr)
	}
}

// TestCUBARefractory: a neuron driven above threshold fires, is held at
// VReset for exactly round(TRef/dt) steps and then integrates again.
func TestCUBARefractory(t *testing.T) {
	const dt = 0.1
	p := DefaultCUBA()
	p.EL = -40 // rest above threshold: fires as soon as it can
	m := NewCUBA(1, p)
	m.Init(dt, 0)
	m.V[0] = -49.99
	in := zeroInput(1, nil)
	spk := make([]uint8, 1)
	var fired []int
	for s := 0; s < 200; s++ {
		m.Step(0, 1, uint64(s), in, spk)
		if spk[0] != 0 {
			fired = append(fired, s)
		} else if len(fired) > 0 && s-fired[len(fired)-1] <= 50 && m.V[0] != p.VReset {
			t.Fatalf("step %d: v = %v during refractory period", s, m.V[0])
		}
	}
	if len(fired) < 2 {
		t.Fatalf("fired at %v", fired)
	}
	// from VReset = −60 towards −40 with τm = 20 ms crosses −50 after
	// 20·ln 2 = 13.86 ms, i.e. 139 steps after the refractory period
	// ends; the period itself is 50 steps.
	for i := 1; i < len(fired); i++ {
		d := fired[i] - fired[i-1]
		if want := 50 + int(math.Ceil(20*math.Log(2)/dt)); d != want {
			t.Errorf("inter-spike interval %d steps, want %d", d, want)
		}
	}
}

// TestCUBAPartitionInvariance: stepping in two halves equals one call.
func TestCUBAPartitionInvariance(t *testing.T) {
	const n, dt = 37, 0.1
	a, b := NewCUBA(n, DefaultCUBA()), NewCUBA(n, DefaultCUBA())
	a.Init(dt, 1)
	b.Init(dt, 1)
	in := zeroInput(n, nil)
	sa, sb := make([]uint8, n), make([]uint8, n)
	spikes := 0
	for s := uint64(0); s < 3000; s++ {
		randomInput(in, s, 6, 4)
		a.Step(0, n, s, in, sa)
		b.Step(0, 13, s, in, sb)
		b.Step(13, n, s, in, sb)
		for i := range sa {
			if sa[i] != sb[i] || a.V[i] != b.V[i] {
				t.Fatalf("step %d neuron %d differs", s, i)
			}
			spikes += int(sa[i])
		}
	}
	if spikes == 0 {
		t.Fatal("no spikes")
	}
}
