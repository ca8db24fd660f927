package rules

import (
	"fmt"
	"math"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
)

// RateTask is the target-rate task for factorized three-factor learning:
// one LIF neuron (Brette 2007 CUBA parameters) receives NIn Poisson inputs;
// input pattern p raises inputs [p·NIn/P, (p+1)·NIn/P) to HiHz (others at
// LoHz) for Block ms, cycling. The neuron should fire at Targets[p] while
// pattern p is shown. The only teaching signal is the scalar
// M = Targets[p] − r̂ (Hz), r̂ the neuron's rate low-passed with TauRate,
// broadcast to every synapse of an EProp rule that reads the membrane
// potential.
type RateTask struct {
	NIn        int
	HiHz, LoHz float32
	Targets    []float32 // Hz per pattern
	Block      int       // ms per presentation
	TrainS     int       // training time, s
	TestS      int       // test time per pattern, s
	Eta        float32
	WMax       float32
	TauRate    float32 // ms
	Seed       uint64
}

// DefaultRateTask is the configuration of TestEPropLearnsRates.
func DefaultRateTask() RateTask {
	return RateTask{NIn: 200, HiHz: 40, LoHz: 5, Targets: []float32{5, 30, 15, 45}, Block: 500,
		TrainS: 300, TestS: 10, Eta: 1e-5, WMax: 3, TauRate: 100, Seed: 1}
}

// RateResult holds the rates per pattern before and after training.
type RateResult struct {
	Before, After []float64 // Hz per pattern
	ErrBefore     float64   // mean |rate − target|, Hz
	ErrAfter      float64
}

func (r RateResult) String() string {
	return fmt.Sprintf("mean |rate−target| %.1f Hz → %.1f Hz; rates after %v", r.ErrBefore, r.ErrAfter, fmtRates(r.After))
}

func fmtRates(x []float64) string {
	s := "["
	for i, v := range x {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.1f", v)
	}
	return s + "]"
}

// Holds: the error falls below 3 Hz and to less than a third of its
// initial value.
func (r RateResult) Holds() bool { return r.ErrAfter < 3 && r.ErrAfter < r.ErrBefore/3 }

// LearnRates runs the task.
func LearnRates(cfg RateTask) RateResult {
	const dt = 1
	P := len(cfg.Targets)
	rule := plasticity.NewEProp()
	rule.Eta, rule.W = cfg.Eta, plasticity.Bounds{Min: 0, Max: cfg.WMax}
	lif := neuron.NewLIF(1, neuron.DefaultLIF())
	lif.Init(dt, 0)
	rule.V = lif.State("v")
	h := newHarness(rule, cfg.NIn, 1, 1, dt)
	key := rng.Key(cfg.Seed, "eprop/input")
	pre, post := make([]uint8, cfg.NIn), []uint8{0}
	exc, inh := []float32{0}, []float32{0}
	kr := float32(math.Exp(-dt / float64(cfg.TauRate)))
	var rhat float32
	var step uint64
	run := func(p int, steps int, learn bool) int {
		n := 0
		lo, hi := p*cfg.NIn/P, (p+1)*cfg.NIn/P
		for k := 0; k < steps; k++ {
			exc[0] = 0
			for i := range pre {
				rate := cfg.LoHz
				if i >= lo && i < hi {
					rate = cfg.HiHz
				}
				pre[i] = 0
				if rng.Uniform(key, uint64(i), step) < rate*dt/1000 {
					pre[i] = 1
					exc[0] += h.c.W[i]
				}
			}
			h.advance() // reads v and spikes of the previous step, as the engine does
			lif.Step(0, 1, step, neuron.Input{Exc: exc, Inh: inh}, post)
			n += int(post[0])
			rhat = rhat*kr + float32(post[0])*1000/cfg.TauRate // Hz
			m := float32(0)
			if learn {
				m = cfg.Targets[p] - rhat
			}
			rule.SetModulator(m)
			h.deliver(pre, post)
			step++
		}
		return n
	}
	test := func() []float64 {
		out := make([]float64, P)
		for p := range out {
			out[p] = float64(run(p, cfg.TestS*1000, false)) / float64(cfg.TestS)
		}
		return out
	}
	errOf := func(r []float64) float64 {
		e := 0.0
		for p, x := range r {
			e += math.Abs(x-float64(cfg.Targets[p])) / float64(P)
		}
		return e
	}
	var res RateResult
	res.Before = test()
	for b := 0; b < cfg.TrainS*1000/cfg.Block; b++ {
		run(b%P, cfg.Block, true)
	}
	res.After = test()
	res.ErrBefore, res.ErrAfter = errOf(res.Before), errOf(res.After)
	return res
}
