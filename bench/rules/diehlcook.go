package rules

import (
	"fmt"

	"github.com/engram-lab/engram/homeostasis"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
)

// DCResult is the outcome of the unsupervised Diehl & Cook task.
type DCResult struct {
	Accuracy float64 // test accuracy with labels assigned after training
	Before   float64 // same procedure with the initial random weights
	Classes  int
}

func (r DCResult) String() string {
	return fmt.Sprintf("label-assigned test accuracy %.1f %% (random weights: %.1f %%; %d classes, chance %.0f %%)",
		100*r.Accuracy, 100*r.Before, r.Classes, 100/float64(r.Classes))
}

// Holds: accuracy ≥ 80 % and well above the random-weight network.
func (r DCResult) Holds() bool { return r.Accuracy >= 0.8 && r.Accuracy > r.Before+0.2 }

// DiehlCookTask is a small version of Diehl & Cook (2015): 100 Poisson
// inputs (10 classes of noisy binary patterns as in SymSTDPTask but with
// 8 of the 20 on inputs moved per sample; on inputs at 60 Hz, others at
// 1 Hz) drive 40 current-based LIF neurons (Brette 2007 CUBA) through
// DiehlCook STDP synapses (input to the membrane = 30·w mV); each spike
// inhibits all other neurons by 20 mV (lateral inhibition, a
// winner-take-all in place of D&C's inhibitory population) and raises the
// neuron's own threshold by 0.5 mV, decaying with τθ = 20 s during
// training (D&C: 0.05 mV and 10⁷ ms, for 60000 samples instead of a few
// hundred); incoming weights are normalised to sum 10 after each sample. Samples last 350 ms,
// state is reset between them. Labels are assigned after training from 200
// labelled samples (each neuron to the class it fires most for) and the
// class whose neurons fire most is the answer on 200 test samples.
func DiehlCookTask(trainSamples int, seed uint64) DCResult {
	const noisy = 8 // on inputs moved elsewhere in each sample (40 %)
	const nIn, nOut, classes, on, dt, T = 100, 40, 10, 20, 1, 350
	const gain, inhib, dTheta, wsum, kTheta = 30, 20, 0.5, 10, 0.99995 // θ decays with τθ = 20 s
	r := rng.Named(seed, "diehlcook/data")
	protos := make([][]int, classes)
	for c := range protos {
		protos[c] = r.Perm(nIn)[:on]
	}
	sample := func(c int) []float32 {
		rate := make([]float32, nIn)
		for i := range rate {
			rate[i] = 1
		}
		for k, i := range protos[c] {
			if k < noisy {
				i = r.IntN(nIn)
			}
			rate[i] = 60
		}
		return rate
	}
	rule := plasticity.NewDiehlCook()
	h := newHarness(rule, nIn, nOut, 0, dt)
	for s := range h.c.W {
		h.c.W[s] = 0.3 * r.Float32()
	}
	homeostasis.Normalize(h.c, h.cols, 0, nOut, wsum)
	lif := neuron.NewLIF(nOut, neuron.DefaultLIF())
	lif.Init(dt, 0)
	theta := make([]float32, nOut)
	exc, inh, ext := make([]float32, nOut), make([]float32, nOut), make([]float32, nOut)
	pre, post := make([]uint8, nIn), make([]uint8, nOut)
	key := rng.Key(seed, "diehlcook/spikes")
	var step uint64
	present := func(rate []float32, learn bool) []int {
		counts := make([]int, nOut)
		lif.Reset()
		clear(exc)
		clear(inh)
		for t := 0; t < T; t++ {
			for j := range ext {
				if learn {
					theta[j] *= kTheta
				}
				ext[j] = -theta[j]
			}
			if learn {
				h.advance()
			}
			lif.Step(0, nOut, step, neuron.Input{Exc: exc, Inh: inh, Ext: ext}, post)
			clear(exc)
			clear(inh)
			for i := range pre {
				pre[i] = 0
				if rng.Uniform(key, uint64(i), step) < rate[i]*dt/1000 {
					pre[i] = 1
					lo, hi := h.c.Row(i)
					for s := lo; s < hi; s++ {
						exc[h.c.Post[s]] += gain * h.c.W[s]
					}
				}
			}
			for j, s := range post {
				if s == 0 {
					continue
				}
				counts[j]++
				for k := range inh {
					if k != j {
						inh[k] += inhib
					}
				}
				if learn {
					theta[j] += dTheta
				}
			}
			if learn {
				h.deliver(pre, post)
			}
			step++
		}
		if learn {
			homeostasis.Normalize(h.c, h.cols, 0, nOut, wsum)
		}
		return counts
	}
	evaluate := func() float64 {
		resp := make([][]float64, nOut)
		for j := range resp {
			resp[j] = make([]float64, classes)
		}
		for k := 0; k < 200; k++ {
			c := k % classes
			for j, n := range present(sample(c), false) {
				resp[j][c] += float64(n)
			}
		}
		assign := make([]int, nOut)
		for j := range assign {
			for c := range resp[j] {
				if resp[j][c] > resp[j][assign[j]] {
					assign[j] = c
				}
			}
		}
		right := 0
		for k := 0; k < 200; k++ {
			c := k % classes
			votes, members := make([]float64, classes), make([]float64, classes)
			for j, n := range present(sample(c), false) {
				votes[assign[j]] += float64(n)
				members[assign[j]]++
			}
			best := -1
			for q := range votes {
				if members[q] > 0 {
					votes[q] /= members[q]
				}
				if best < 0 || votes[q] > votes[best] {
					best = q
				}
			}
			if best == c && votes[best] > 0 {
				right++
			}
		}
		return float64(right) / 200
	}
	res := DCResult{Classes: classes}
	res.Before = evaluate()
	for k := 0; k < trainSamples; k++ {
		present(sample(r.IntN(classes)), true)
	}
	res.Accuracy = evaluate()
	return res
}
