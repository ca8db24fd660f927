package flagship

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGroupedPaddedBitIdentical checks the feed-forward delivery
// (deliverAll: grouped, padded and contiguous rows) against a plain
// synapse-by-synapse loop, and updatePadded against updateRows once per
// slot, bit for bit, for the small and the default network.
func TestGroupedPaddedBitIdentical(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"small", smallConfig()},
		{"default", DefaultConfig()},
	}
	for _, tc := range cases {
		m, err := New(tc.cfg, 784, 10)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(11, 12))
		for k, l := range m.layers {
			p := l.ff
			if p == nil {
				continue
			}
			if tc.name == "default" && len(p.grp.win) == 0 {
				t.Errorf("%s layer %d: no grouped rows", tc.name, k)
			}
			// delivery: a sorted random spike list (about 1 in 5 neurons)
			var spk []int32
			for j := 0; j < p.nPre; j++ {
				if r.IntN(5) == 0 {
					spk = append(spk, int32(j))
				}
			}
			got := make([]float32, p.nPost)
			want := make([]float32, p.nPost)
			p.deliverAll(spk, got, make([]int32, 0, p.nPre))
			for _, j := range spk {
				for q := p.rowPtr[j]; q < p.rowPtr[j+1]; q++ {
					want[p.post[q]] += p.w[q]
				}
			}
			sameF32(t, tc.name+" deliverAll", got, want)

			// update: 5 slots, some presynaptic factors zero
			B := 5
			pres := make([][]float32, B)
			dAll := make([]float32, B*p.nPost)
			for s := range pres {
				pres[s] = make([]float32, p.nPre)
				for j := range pres[s] {
					if r.IntN(4) != 0 {
						pres[s][j] = r.Float32()
					}
				}
			}
			for i := range dAll {
				dAll[i] = float32(r.NormFloat64())
			}
			ref := append([]float32(nil), p.w...)
			refP := &proj{nPre: p.nPre, nPost: p.nPost, rowPtr: p.rowPtr, post: p.post, w: ref, contig: p.contig}
			for s := range pres {
				updateRows(refP, 0, p.nPre, pres[s], dAll[s*p.nPost:(s+1)*p.nPost], 0.01)
			}
			st := m.newState()
			p.updatePadded(pres, dAll, 0, p.nPre/2, 0.01, st)
			p.updatePadded(pres, dAll, p.nPre/2, p.nPre, 0.01, st)
			sameF32(t, tc.name+" updatePadded", p.w, ref)
			// the delivery copies follow the update
			clear(got)
			clear(want)
			p.deliverAll(spk, got, make([]int32, 0, p.nPre))
			for _, j := range spk {
				for q := p.rowPtr[j]; q < p.rowPtr[j+1]; q++ {
					want[p.post[q]] += p.w[q]
				}
			}
			sameF32(t, tc.name+" deliverAll after update", got, want)
		}
	}
}

func sameF32(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %g, want %g", what, i, got[i], want[i])
		}
	}
}
