package plasticity

import (
	"math"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/synapse"
)

// TestIdentityRows: only an all-to-all matrix whose rows list targets
// 0…NPost−1 in order qualifies; a missing synapse or a multapse does not.
func TestIdentityRows(t *testing.T) {
	build := func(skip, twice bool) *synapse.CSR {
		var e []synapse.Edge
		for i := 0; i < 3; i++ {
			for j := 0; j < 4; j++ {
				if skip && i == 1 && j == 2 {
					continue
				}
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: 0.5, Delay: 1})
				if twice && i == 2 && j == 0 {
					e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: 0.5, Delay: 1})
				}
			}
		}
		c, err := synapse.FromEdges(3, 4, e)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name        string
		skip, twice bool
		want        bool
	}{{"all-to-all", false, false, true}, {"one synapse missing", true, false, false}, {"multapse", false, true, false}} {
		if got := identityRows(build(tc.skip, tc.twice)); got != tc.want {
			t.Errorf("%s: identityRows = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAllToAllPath: OnPre without the target index (all-to-all matrices,
// AVX kernel) gives the general path's weights bit for bit for the rules
// that have it, also when a row is handled in two parts as the engine's
// workers do.
func TestAllToAllPath(t *testing.T) {
	const nPre, nPost = 30, 50
	flag := func(r Rule) *bool {
		switch r := r.(type) {
		case *DiehlCook:
			return &r.allToAll
		case *SymSTDP:
			return &r.allToAll
		}
		panic("no all-to-all path")
	}
	for _, tc := range []struct {
		name string
		mk   func() Rule
	}{
		{"DiehlCook", func() Rule { return NewDiehlCook() }},
		{"SymSTDP", func() Rule { r := NewSymSTDP(); r.APlus = 0.002; return r }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, cols := allToAll(t, nPre, nPost)
			c2, _ := allToAll(t, nPre, nPost)
			fast, slow := tc.mk(), tc.mk()
			fast.Init(c, 1)
			slow.Init(c2, 1)
			if !*flag(fast) {
				t.Fatal("all-to-all matrix not detected")
			}
			*flag(slow) = false
			r := rng.Named(1, "test/dc-rows")
			pre, post := make([]uint8, nPre), make([]uint8, nPost)
			for step := 0; step < 300; step++ {
				for _, rule := range []Rule{fast, slow} {
					rule.AdvancePre(0, nPre, pre)
					rule.AdvancePost(0, nPost, post)
				}
				for i := range pre {
					pre[i] = b2u(r.Float64() < 0.2)
				}
				for j := range post {
					post[j] = b2u(r.Float64() < 0.1)
				}
				for i, s := range pre {
					if s == 0 {
						continue
					}
					lo, hi := c.Row(i)
					mid := lo + (i*7)%(hi-lo) // split each row at a different place
					for _, p := range []struct {
						rule Rule
						c    *synapse.CSR
					}{{fast, c}, {slow, c2}} {
						p.rule.OnPre(p.c, i, lo, mid)
						p.rule.OnPre(p.c, i, mid, hi)
					}
				}
				for j, s := range post {
					if s != 0 {
						p0, p1 := cols.Ptr[j], cols.Ptr[j+1]
						fast.OnPost(c, j, cols.Syn[p0:p1], cols.Pre[p0:p1])
						slow.OnPost(c2, j, cols.Syn[p0:p1], cols.Pre[p0:p1])
					}
				}
			}
			changed, bound := 0, 0
			for k := range c.W {
				if math.Float32bits(c.W[k]) != math.Float32bits(c2.W[k]) {
					t.Fatalf("synapse %d: %v (all-to-all path) ≠ %v (general path)", k, c.W[k], c2.W[k])
				}
				if c.W[k] != 0.5 {
					changed++
				}
				if c.W[k] == 0 || c.W[k] == 1 {
					bound++
				}
			}
			if changed < len(c.W)/2 {
				t.Fatalf("only %d of %d weights changed: the test does not exercise the rule", changed, len(c.W))
			}
			t.Logf("%d of %d weights changed, %d at a bound", changed, len(c.W), bound)
		})
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
