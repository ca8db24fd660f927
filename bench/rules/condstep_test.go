package rules

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCondStepAVX2: the vector conductance update (where the CPU has AVX2)
// leaves every array of the layer and the spike flags bit-identical to the
// scalar loops of layer.step and haoStep, for layer sizes around the
// vector width and states with refractory neurons, spikes, thresholds hit
// exactly and strong inhibition.
func TestCondStepAVX2(t *testing.T) {
	if !condAVX2 {
		t.Skip("no AVX2 on this machine (the scalar loop is the only path)")
	}
	r := rand.New(rand.NewPCG(9, 10))
	hp := DefaultHao("mnist", 400)
	spikes := 0
	for _, n := range []int{1, 7, 8, 9, 16, 31, 64, 203} {
		for trial := 0; trial < 20; trial++ {
			l := newLayer(n)
			self := make([]float32, n)
			for j := range l.v {
				l.v[j] = -75 + 30*r.Float32()
				l.ge[j] = float32(r.ExpFloat64()) * float32(r.IntN(3))
				l.gi[j] = float32(r.ExpFloat64()) * float32(r.IntN(2))
				l.theta[j] = 3 * r.Float32()
				self[j] = 17 * float32(r.IntN(3)) * r.Float32()
				if r.IntN(4) == 0 {
					l.refrac[j] = int32(r.IntN(6))
				}
				if r.IntN(10) == 0 {
					l.v[j] = float32(math.Copysign(0, -1))
				}
			}
			gAll := 17 * float32(r.IntN(4)) * r.Float32()
			for _, hao := range []bool{false, true} {
				vec, sca := clone(l), clone(l)
				sv, ss := make([]uint8, n), make([]uint8, n)
				run := func(x *layer, spk []uint8) int {
					if hao {
						return haoStep(x, hp, gAll, self, spk)
					}
					return x.step(nil, gAll, self, spk)
				}
				nv := run(vec, sv)
				condAVX2 = false
				ns := run(sca, ss)
				spikes += ns
				condAVX2 = true
				if nv != ns || !slices.Equal(sv, ss) || !sameF32(vec.v, sca.v) || !sameF32(vec.ge, sca.ge) ||
					!sameF32(vec.gi, sca.gi) || !slices.Equal(vec.refrac, sca.refrac) {
					t.Fatalf("n=%d hao=%v: vector and scalar steps differ (spikes %d vs %d)", n, hao, nv, ns)
				}
			}
		}
	}
	if spikes < 100 {
		t.Errorf("only %d spikes in all trials: the test hardly exercises the spike path", spikes)
	}
	t.Logf("%d spikes", spikes)
}

func clone(l *layer) *layer {
	c := *l
	c.v, c.ge, c.gi = slices.Clone(l.v), slices.Clone(l.ge), slices.Clone(l.gi)
	c.theta, c.refrac = slices.Clone(l.theta), slices.Clone(l.refrac)
	return &c
}

func sameF32(a, b []float32) bool {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}
