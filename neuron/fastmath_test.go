package neuron

import (
	"math"
	"testing"
)

// TestExpf32 checks expf32 against math.Exp over its whole range and densely
// over [−10, 0] (COBA's −dt·gT/C is in (−1, 0) for any realistic conductance).
func TestExpf32(t *testing.T) {
	check := func(lo, hi float32, steps int) float64 {
		worst := 0.0
		for i := 0; i <= steps; i++ {
			x := lo + (hi-lo)*float32(i)/float32(steps)
			want := math.Exp(float64(x))
			got := float64(expf32(x))
			if e := math.Abs(got-want) / want; e > worst {
				worst = e
			}
		}
		return worst
	}
	for _, c := range []struct {
		lo, hi float32
		steps  int
	}{{-10, 0, 10 << 14}, {-1, 0, 1 << 20}, {-87.33, 0, 1 << 20}} {
		e := check(c.lo, c.hi, c.steps)
		t.Logf("[%g, %g]: max relative error %.3g", c.lo, c.hi, e)
		if e > 2.5e-7 {
			t.Errorf("[%g, %g]: max relative error %.3g > 2.5e-7", c.lo, c.hi, e)
		}
	}
	if got := expf32(0); got != 1 {
		t.Errorf("expf32(0) = %v", got)
	}
	if got := expf32(-1000); got <= 0 || got > 1.2e-38 {
		t.Errorf("expf32(-1000) = %v, want the clamp e^-87.34", got)
	}
}

// TestSIMDMatchesScalar: the COBA and CUBA kernels used by Step (on amd64
// the AVX2 assembly of the default build or the simd/archsimd kernels with
// GOEXPERIMENT=simd, else the scalar ones; see VectorKernels) give
// bit-identical state and spikes to the scalar kernels, for lengths that
// leave scalar tails and for offsets that split vector blocks.
func TestSIMDMatchesScalar(t *testing.T) {
	const n, dt = 203, 0.1
	type pair struct {
		name string
		a, b Model
		we   float32
		ext  []float32
	}
	for _, c := range []pair{
		{"coba", NewCOBA(n, DefaultCOBA()), NewCOBA(n, DefaultCOBA()), 40, nil},
		{"coba+ext", NewCOBA(n, DefaultCOBA()), NewCOBA(n, DefaultCOBA()), 20, constSlice(n, 150)},
		{"cuba", NewCUBA(n, DefaultCUBA()), NewCUBA(n, DefaultCUBA()), 6, nil},
	} {
		c.a.Init(dt, 1)
		c.b.Init(dt, 1)
		in := zeroInput(n, c.ext)
		sa, sb := make([]uint8, n), make([]uint8, n)
		spikes := 0
		for s := uint64(0); s < 2000; s++ {
			randomInput(in, s, c.we, c.we)
			c.a.Step(0, n, s, in, sa) // Step: the build's kernel
			c.a.Step(n, n, s, in, sa) // empty range
			switch b := c.b.(type) {
			case *COBA:
				k := cobaConst(b)
				for _, r := range [][2]int{{0, 5}, {5, 77}, {77, n}} {
					lo, hi := r[0], r[1]
					cobaScalar(&k, b.V[lo:hi], b.Ge[lo:hi], b.Gi[lo:hi], b.R[lo:hi], in.Exc[lo:hi], in.Inh[lo:hi], sub32(in.Ext, lo, hi), sb[lo:hi], false, nil, 0)
				}
			case *CUBA:
				k := b.consts()
				cubaScalar(&k, b.V, b.Ge, b.Gi, b.R, in.Exc, in.Inh, sb, false, nil, 0)
			}
			for i := 0; i < n; i++ {
				if sa[i] != sb[i] || math.Float32bits(c.a.State("v")[i]) != math.Float32bits(c.b.State("v")[i]) ||
					math.Float32bits(c.a.State("ge")[i]) != math.Float32bits(c.b.State("ge")[i]) ||
					math.Float32bits(c.a.State("gi")[i]) != math.Float32bits(c.b.State("gi")[i]) {
					t.Fatalf("%s: step %d neuron %d: kernels differ", c.name, s, i)
				}
				spikes += int(sa[i])
			}
		}
		if spikes < 100 {
			t.Fatalf("%s: only %d spikes", c.name, spikes)
		}
		t.Logf("%s: %d spikes, identical", c.name, spikes)
	}
}

func sub32(x []float32, lo, hi int) []float32 {
	if x == nil {
		return nil
	}
	return x[lo:hi]
}

// TestStepFused: StepFused equals Step followed by clearing the input slots
// and listing the spiking neurons, on sub-ranges that split vector blocks.
func TestStepFused(t *testing.T) {
	const n, dt = 203, 0.1
	type fused interface {
		Model
		StepFused(lo, hi int, step uint64, in Input, spk []uint8, list []int32) []int32
	}
	for _, c := range []struct {
		name string
		a, b fused
		we   float32
	}{
		{"coba", NewCOBA(n, DefaultCOBA()), NewCOBA(n, DefaultCOBA()), 40},
		{"cuba", NewCUBA(n, DefaultCUBA()), NewCUBA(n, DefaultCUBA()), 6},
	} {
		c.a.Init(dt, 1)
		c.b.Init(dt, 1)
		ina, inb := zeroInput(n, nil), zeroInput(n, nil)
		sa, sb := make([]uint8, n), make([]uint8, n)
		list := make([]int32, 0, n)
		spikes := 0
		for s := uint64(0); s < 2000; s++ {
			randomInput(ina, s, c.we, c.we)
			randomInput(inb, s, c.we, c.we)
			c.a.Step(0, n, s, ina, sa)
			list = list[:0]
			if s%10 == 0 {
				list = nil // StepFused must grow it
			}
			for _, r := range [][2]int{{0, 3}, {3, 100}, {100, n}} {
				list = c.b.StepFused(r[0], r[1], s, inb, sb, list)
			}
			var want []int32
			for i := range sa {
				if sa[i] != 0 {
					want = append(want, int32(i))
				}
				if sa[i] != sb[i] || c.a.State("v")[i] != c.b.State("v")[i] || inb.Exc[i] != 0 || inb.Inh[i] != 0 {
					t.Fatalf("%s: step %d neuron %d differs", c.name, s, i)
				}
			}
			if len(want) != len(list) {
				t.Fatalf("%s: step %d: list %v, want %v", c.name, s, list, want)
			}
			for i := range want {
				if want[i] != list[i] {
					t.Fatalf("%s: step %d: list %v, want %v", c.name, s, list, want)
				}
			}
			spikes += len(list)
		}
		if spikes < 100 {
			t.Fatalf("%s: %d spikes", c.name, spikes)
		}
	}
}
