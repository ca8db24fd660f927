package plasticity

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A rule rebuilt mid-run from a copy of its State continues exactly as the
// original; without the copy (traces lost) the weights come out different,
// so the state is really needed.
func TestStatefulRestore(t *testing.T) {
	rules := map[string]func() Rule{
		"DiehlCook": func() Rule { return NewDiehlCook() },
		"SymSTDP":   func() Rule { return NewSymSTDP() },
	}
	const nPre, nPost, steps, cut = 12, 5, 400, 200
	for name, mk := range rules {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, 8))
			pre := poissonTrains(r, nPre, steps, 0.1)
			post := poissonTrains(r, nPost, steps, 0.05)
			// silent step before the cut: the harness starts each run with
			// no previous spikes, as the uninterrupted run then has too
			clear(pre[cut-1])
			clear(post[cut-1])

			whole := newHarness(t, nPre, nPost, 0.5)
			a := mk()
			a.Init(whole.c, 1)
			whole.run(a, pre, post)

			run := func(restore bool) []float32 {
				h := newHarness(t, nPre, nPost, 0.5)
				first := mk()
				first.Init(h.c, 1)
				h.run(first, pre[:cut], post[:cut])
				second := mk()
				second.Init(h.c, 1)
				if restore {
					dst := second.(Stateful).State()
					for i, s := range first.(Stateful).State() {
						copy(dst[i], s)
					}
				}
				h.run(second, pre[cut:], post[cut:])
				return h.c.W
			}
			if got := run(true); !slices.Equal(got, whole.c.W) {
				t.Error("restored rule diverged from the uninterrupted run")
			}
			if got := run(false); slices.Equal(got, whole.c.W) {
				t.Error("losing the state changed nothing: the test does not exercise it")
			}
		})
	}
}
