package rate

import (
	"testing"

	"github.com/engram-lab/engram/internal/rng"
)

// TestOptimizerState: stepping on from a saved state, restored into a fresh
// optimizer and fresh copies of the weights, gives bit-identical weights.
func TestOptimizerState(t *testing.T) {
	cases := []struct {
		name string
		mk   func() Stateful
	}{
		{"sgd", func() Stateful { return &SGD{LR: 0.1} }},
		{"momentum", func() Stateful { return &Momentum{LR: 0.05, Mu: 0.9} }},
		{"adam", func() Stateful { return &Adam{LR: 0.01} }},
		{"adagrad", func() Stateful { return &AdaGrad{LR: 0.1} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rng.Named(1, "optim-state")
			ps := []*Param{newParam("a", 7), newParam("b", 3)}
			for _, p := range ps {
				Uniform(p.W, 1, r)
			}
			// gradient of ½‖w − w0‖² with a fixed target
			target := [][]float32{make([]float32, 7), make([]float32, 3)}
			for _, x := range target {
				Uniform(x, 1, r)
			}
			grad := func(ps []*Param) {
				for i, p := range ps {
					for j := range p.W {
						p.G[j] = p.W[j] - target[i][j]
					}
				}
			}
			o := c.mk()
			for range 3 {
				grad(ps)
				o.Step(ps)
			}
			st := o.State(ps)
			ps2 := []*Param{newParam("a", 7), newParam("b", 3)}
			for i := range ps {
				copy(ps2[i].W, ps[i].W)
			}
			o2 := c.mk()
			if err := o2.SetState(ps2, st); err != nil {
				t.Fatal(err)
			}
			for range 4 {
				grad(ps)
				o.Step(ps)
				grad(ps2)
				o2.Step(ps2)
			}
			for i := range ps {
				for j := range ps[i].W {
					if ps[i].W[j] != ps2[i].W[j] {
						t.Fatalf("param %d[%d]: %v vs %v after restoring the state", i, j, ps[i].W[j], ps2[i].W[j])
					}
				}
			}
			if c.name != "sgd" {
				if err := o2.SetState(ps2[:1], st); err == nil {
					t.Error("state for two parameters accepted for one")
				}
			}
		})
	}
}
