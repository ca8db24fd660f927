package rules

import (
	"fmt"
	"math"

	"github.com/engram-lab/engram/network"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// BalanceConfig is the single-layer setting of Vogels, Sprekeler et al.
// (2011, Fig. 1) in the engine: NPost current-based LIF neurons (Brette
// 2007 CUBA parameters), each receiving NE excitatory Poisson inputs at
// RateE through fixed weights WE and NI inhibitory Poisson inputs at RateI
// through ISTDP synapses starting at WI0. Excitation alone drives the
// neurons far above Rho0.
type BalanceConfig struct {
	NPost, NE, NI int
	RateE, RateI  float32 // Hz
	WE, WI0, WMax float32 // mV (LIF synaptic input units)
	Eta, Rho0     float32 // ISTDP learning rate and target rate (Hz)
	Seconds       int     // learning time, s
	Seed          uint64
}

// DefaultBalance is the configuration of TestISTDPBalance.
func DefaultBalance() BalanceConfig {
	return BalanceConfig{NPost: 20, NE: 800, NI: 200, RateE: 5, RateI: 10, WE: 2.5, WI0: 0.5, WMax: 20,
		Eta: 0.02, Rho0: 5, Seconds: 60, Seed: 1}
}

// BalanceResult is the outcome: postsynaptic rate before and after
// learning (first and last 5 s), and the ratio of mean inhibitory to mean
// excitatory input current after learning.
type BalanceResult struct {
	RateBefore, RateAfter float64 // Hz
	IOverE                float64
	Rho0                  float64
}

func (r BalanceResult) String() string {
	return fmt.Sprintf("rate %.1f → %.2f Hz (target %.0f); mean I/E current %.2f", r.RateBefore, r.RateAfter, r.Rho0, r.IOverE)
}

// Holds: the final rate is within 1 Hz of Rho0 and inhibition cancels at
// least 75 % of the mean excitatory current.
func (r BalanceResult) Holds() bool {
	return math.Abs(r.RateAfter-r.Rho0) < 1 && r.IOverE > 0.75 && r.IOverE < 1.05
}

// Balance runs the experiment.
func Balance(cfg BalanceConfig) (BalanceResult, error) {
	res := BalanceResult{Rho0: float64(cfg.Rho0)}
	full := func(nPre int, w float32) (*synapse.CSR, error) {
		e := make([]synapse.Edge, 0, nPre*cfg.NPost)
		for i := 0; i < nPre; i++ {
			for j := 0; j < cfg.NPost; j++ {
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: w, Delay: 1})
			}
		}
		return synapse.FromEdges(nPre, cfg.NPost, e)
	}
	cE, err := full(cfg.NE, cfg.WE)
	if err != nil {
		return res, err
	}
	cI, err := full(cfg.NI, cfg.WI0)
	if err != nil {
		return res, err
	}
	net := network.New(1, cfg.Seed)
	E, _ := net.AddPopulation("E", neuron.NewPoisson(cfg.NE, cfg.RateE))
	I, _ := net.AddPopulation("I", neuron.NewPoisson(cfg.NI, cfg.RateI))
	P, _ := net.AddPopulation("post", neuron.NewLIF(cfg.NPost, neuron.DefaultLIF()))
	rule := plasticity.NewISTDP()
	rule.Eta, rule.Rho0, rule.W = cfg.Eta, cfg.Rho0, plasticity.Bounds{Min: 0, Max: cfg.WMax}
	if _, err := net.Connect("E→post", E, P, cE, network.Exc, nil); err != nil {
		return res, err
	}
	if _, err := net.Connect("I→post", I, P, cI, network.Inh, rule); err != nil {
		return res, err
	}
	if err := net.Build(1); err != nil {
		return res, err
	}
	defer net.Close()
	var n int64
	count := func(uint64, int) {
		for _, s := range P.Spiked(0) {
			n += int64(s)
		}
	}
	rate := func(steps int) float64 { return float64(n) / float64(cfg.NPost) / (float64(steps) / 1000) }
	const probe = 5000
	if _, err := net.Run(probe, count); err != nil {
		return res, err
	}
	res.RateBefore = rate(probe)
	if _, err := net.Run(cfg.Seconds*1000-2*probe, nil); err != nil {
		return res, err
	}
	n = 0
	if _, err := net.Run(probe, count); err != nil {
		return res, err
	}
	res.RateAfter = rate(probe)
	var sumE, sumI float64
	for _, w := range cE.W {
		sumE += float64(w) * float64(cfg.RateE)
	}
	for _, w := range cI.W {
		sumI += float64(w) * float64(cfg.RateI)
	}
	res.IOverE = sumI / sumE
	return res, nil
}
