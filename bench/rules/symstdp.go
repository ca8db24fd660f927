package rules

import (
	"fmt"

	"github.com/engram-lab/engram/homeostasis"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
)

// SymResult is the outcome of the supervised sym-STDP task.
type SymResult struct {
	Before, After float64 // test accuracy
	Classes       int
}

func (r SymResult) String() string {
	return fmt.Sprintf("test accuracy %.1f %% → %.1f %% (%d classes, chance %.0f %%)",
		100*r.Before, 100*r.After, r.Classes, 100/float64(r.Classes))
}

// Holds: accuracy after training ≥ 90 %.
func (r SymResult) Holds() bool { return r.After >= 0.9 }

// SymSTDPTask is a small version of the supervised scheme of Hao et al.
// (2020): 10 classes of noisy binary patterns over 100 Poisson inputs
// (20 "on" inputs at 50 Hz, others 2 Hz; each sample moves 20 % of the on
// inputs elsewhere) project to 10 LIF output neurons (Brette 2007 CUBA)
// through SymSTDP synapses; during training the label neuron is driven by a
// teacher current (20 mV), incoming weights are normalised to sum 60 after
// each sample (homeostasis.Normalize). Hao's dynamic threshold is not
// used: a rate-homeostatic threshold (homeostasis.Threshold, 10 Hz) learnt
// under the teacher's drive silences the outputs at test time (29.5 %
// accuracy instead of 98.5 % with seed 1). At test time there is no teacher
// and no plasticity; the output with most spikes in 200 ms is the answer.
func SymSTDPTask(trainSamples int, seed uint64) SymResult {
	const nIn, nOut, on, dt, T = 100, 10, 20, 1, 200
	r := rng.Named(seed, "symstdp/data")
	protos := make([][]int, nOut)
	for c := range protos {
		protos[c] = r.Perm(nIn)[:on]
	}
	sample := func(c int) []float32 {
		rate := make([]float32, nIn)
		for i := range rate {
			rate[i] = 2
		}
		for k, i := range protos[c] {
			if k < on/5 {
				i = r.IntN(nIn)
			}
			rate[i] = 50
		}
		return rate
	}
	rule := plasticity.NewSymSTDP()
	rule.W = plasticity.Bounds{Min: 0, Max: 20}
	rule.APlus = 0.05
	h := newHarness(rule, nIn, nOut, 0.6, dt)
	for s := range h.c.W {
		h.c.W[s] = 0.3 + 0.6*r.Float32()
	}
	homeostasis.Normalize(h.c, h.cols, 0, nOut, 60)
	lif := neuron.NewLIF(nOut, neuron.DefaultLIF())
	lif.Init(dt, 0)
	ext, exc, inh := make([]float32, nOut), make([]float32, nOut), make([]float32, nOut)
	pre, post := make([]uint8, nIn), make([]uint8, nOut)
	key := rng.Key(seed, "symstdp/spikes")
	var step uint64
	present := func(rate []float32, label int, learn bool) []int {
		counts := make([]int, nOut)
		for j := range ext {
			ext[j] = 0
			if j == label {
				ext[j] = 20 // teacher
			}
		}
		lif.Reset()
		for t := 0; t < T; t++ {
			clear(exc)
			for i := range pre {
				pre[i] = 0
				if rng.Uniform(key, uint64(i), step) < rate[i]*dt/1000 {
					pre[i] = 1
					lo, hi := h.c.Row(i)
					for s := lo; s < hi; s++ {
						exc[h.c.Post[s]] += h.c.W[s]
					}
				}
			}
			if learn {
				h.advance()
			}
			lif.Step(0, nOut, step, neuron.Input{Exc: exc, Inh: inh, Ext: ext}, post)
			for j, s := range post {
				counts[j] += int(s)
			}
			if learn {
				h.deliver(pre, post)
			}
			step++
		}
		if learn {
			homeostasis.Normalize(h.c, h.cols, 0, nOut, 60)
		}
		return counts
	}
	test := func() float64 {
		right := 0
		const n = 200
		for k := 0; k < n; k++ {
			c := k % nOut
			counts := present(sample(c), -1, false)
			best, arg, tie := -1, -1, false
			for j, v := range counts {
				if v > best {
					best, arg, tie = v, j, false
				} else if v == best {
					tie = true
				}
			}
			if arg == c && !tie {
				right++
			}
		}
		return float64(right) / n
	}
	res := SymResult{Classes: nOut}
	res.Before = test()
	for k := 0; k < trainSamples; k++ {
		c := r.IntN(nOut)
		present(sample(c), c, true)
	}
	res.After = test()
	return res
}
