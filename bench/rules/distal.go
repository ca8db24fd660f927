package rules

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/network"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// DistalConfig sets up the distal-reward experiment of Izhikevich (2007,
// Fig. 1; his code daspnet.m): 800 regular-spiking excitatory and 200
// fast-spiking inhibitory Izhikevich neurons, each projecting to M random
// targets (excitatory to any neuron, inhibitory to excitatory neurons only;
// all delays 1 ms), driven by a thalamic input drawn uniformly in
// [−6.5, 6.5] for every neuron and 1 ms step. Excitatory→excitatory synapses
// follow R-STDP (NewRSTDP: Izhikevich's amplitudes, τc = 1 s, tonic
// dopamine 0.002); excitatory→inhibitory synapses are static here (plastic
// in daspnet.m). One E→E synapse n1→n2 is set to 0 after a warm-up of
// Warmup s; from then on, every time n2 fires within 20 ms after n1, a
// reward (dopamine +0.5, τd = 200 ms) is scheduled after a delay drawn
// uniformly in [DelayMin, DelayMax] ms. Izhikevich rewards an arbitrary
// synapse and needs about an hour of simulated time; to fit the time
// budget we reward the synapse whose two neurons fired most (largest
// product of warm-up spike counts), which raises the number of rewards per
// second without changing the noise on the other synapses.
type DistalConfig struct {
	NE, NI, M          int     // population sizes and out-degree (Izhikevich 2007: 800, 200, 100)
	Seconds            int     // simulated time including the warm-up, s
	WInit, WMax, WInh  float32 // initial/max excitatory and inhibitory weights (daspnet.m: 1, 4, 1)
	Eta                float32 // R-STDP learning rate, weight per unit c·d per ms (daspnet.m: 0.01)
	DelayMin, DelayMax float64 // reward delay, ms (daspnet.m: 1000–3000)
	Noise              float32 // thalamic input amplitude (daspnet.m: 13, uniform in ±Noise/2)
	Warmup             int     // s before the rewarded synapse is chosen
	Seed               uint64
	Workers            int
}

// DefaultDistal returns the configuration used by TestRSTDPDistalReward.
func DefaultDistal() DistalConfig {
	return DistalConfig{NE: 800, NI: 200, M: 100, Seconds: 1000, WInit: 1, WMax: 4, WInh: 1,
		Eta: 0.01, DelayMin: 1000, DelayMax: 3000, Noise: 13, Warmup: 10, Seed: 1, Workers: 1}
}

// DistalResult is the outcome of a distal-reward run.
type DistalResult struct {
	Rewards        int     // rewards delivered
	W0, W          float32 // rewarded synapse weight before and after
	Mean, P99, Max float32 // mean, 99th percentile and maximum of the other E→E weights
	Rank           float64 // fraction of other E→E synapses below the rewarded one
	RateE          float64 // mean excitatory rate, Hz
}

func (r DistalResult) String() string {
	return fmt.Sprintf("rewarded w %.2f→%.2f (rank %.4f) vs others mean %.2f p99 %.2f max %.2f; %d rewards; E rate %.1f Hz",
		r.W0, r.W, r.Rank, r.Mean, r.P99, r.Max, r.Rewards, r.RateE)
}

// Holds: the rewarded synapse ends above 95 % of the other E→E synapses
// and at least twice their mean. (Izhikevich 2007 reports it at the
// maximum after about an hour; within our budget it is singled out but not
// yet above every other synapse.)
func (r DistalResult) Holds() bool { return r.Rank >= 0.95 && r.W >= 2*r.Mean }

// Distal runs the experiment.
func Distal(cfg DistalConfig) (DistalResult, error) {
	var res DistalResult
	rnd := rng.Named(cfg.Seed, "distal/wiring")
	N := cfg.NE + cfg.NI
	var ee, ei, ie []synapse.Edge
	for i := 0; i < cfg.NE; i++ {
		for _, j := range distinct(rnd, N, cfg.M, i) {
			const d = 1
			if j < cfg.NE {
				ee = append(ee, synapse.Edge{Pre: int32(i), Post: int32(j), W: cfg.WInit, Delay: d})
			} else {
				ei = append(ei, synapse.Edge{Pre: int32(i), Post: int32(j - cfg.NE), W: cfg.WInit, Delay: d})
			}
		}
	}
	for i := 0; i < cfg.NI; i++ {
		for _, j := range distinct(rnd, cfg.NE, cfg.M, -1) {
			ie = append(ie, synapse.Edge{Pre: int32(i), Post: int32(j), W: cfg.WInh, Delay: 1})
		}
	}
	cEE, err := synapse.FromEdges(cfg.NE, cfg.NE, ee)
	if err != nil {
		return res, err
	}
	cEI, err := synapse.FromEdges(cfg.NE, cfg.NI, ei)
	if err != nil {
		return res, err
	}
	cIE, err := synapse.FromEdges(cfg.NI, cfg.NE, ie)
	if err != nil {
		return res, err
	}
	net := network.New(1, cfg.Seed)
	E, _ := net.AddPopulation("E", neuron.NewIzhikevich(cfg.NE, neuron.IzhikevichRS()))
	I, _ := net.AddPopulation("I", neuron.NewIzhikevich(cfg.NI, neuron.IzhikevichFS()))
	E.Ext, I.Ext = make([]float32, cfg.NE), make([]float32, cfg.NI)
	rule := plasticity.NewRSTDP()
	rule.Eta, rule.W = cfg.Eta, plasticity.Bounds{Min: 0, Max: cfg.WMax}
	rule.ModTau = 200 // dopamine τd (Izhikevich 2007), integrated in closed form
	if _, err := net.Connect("EE", E, E, cEE, network.Exc, rule); err != nil {
		return res, err
	}
	if _, err := net.Connect("EI", E, I, cEI, network.Exc, nil); err != nil {
		return res, err
	}
	if _, err := net.Connect("IE", I, E, cIE, network.Inh, nil); err != nil {
		return res, err
	}
	if err := net.Build(max(1, cfg.Workers)); err != nil {
		return res, err
	}
	defer net.Close()

	n1, n2, syn := -1, -1, -1
	count := make([]int64, cfg.NE)
	choose := func() {
		best := int64(-1)
		for r := 0; r < cEE.NPre; r++ {
			lo, hi := cEE.Row(r)
			for s := lo; s < hi; s++ {
				if p := count[r] * count[cEE.Post[s]]; p > best {
					best, n1, n2, syn = p, r, int(cEE.Post[s]), s
				}
			}
		}
		rule.Flush()
		cEE.W[syn] = 0
	}

	thal := rng.Key(cfg.Seed, "distal/thalamus") | 1 // xorshift64* state (never 0)
	uniform := func() float32 {
		thal ^= thal >> 12
		thal ^= thal << 25
		thal ^= thal >> 27
		return float32((thal*2685821657736338717)>>40) / (1 << 24)
	}
	setKick := func() {
		for i := range E.Ext {
			E.Ext[i] = cfg.Noise * (uniform() - 0.5)
		}
		for i := range I.Ext {
			I.Ext[i] = cfg.Noise * (uniform() - 0.5)
		}
	}
	setKick()
	rew := rng.Named(cfg.Seed, "distal/reward")
	lastN1 := int64(-1 << 40)
	var pending []int64
	var spikesE int64
	probe := func(step uint64, k int) {
		t := int64(step)
		spk := E.Spiked(k)
		if syn < 0 {
			for i, s := range spk {
				count[i] += int64(s)
			}
			if t+1 == int64(cfg.Warmup)*1000 {
				choose()
			}
			setKick()
			return
		}
		if spk[n1] != 0 {
			lastN1 = t
		}
		if spk[n2] != 0 && t-lastN1 >= 1 && t-lastN1 < 20 {
			pending = append(pending, t+int64(cfg.DelayMin+rew.Float64()*(cfg.DelayMax-cfg.DelayMin)))
		}
		for i := 0; i < len(pending); i++ {
			if pending[i] == t {
				rule.SetModulator(rule.Modulator() + 0.5)
				res.Rewards++
				pending = slices.Delete(pending, i, i+1)
				i--
			}
		}
		for _, s := range spk {
			spikesE += int64(s)
		}
		setKick()
	}
	if _, err := net.Run(cfg.Seconds*1000, probe); err != nil {
		return res, err
	}
	rule.Flush()
	res.W = cEE.W[syn]
	others := slices.Clone(cEE.W)
	others = slices.Delete(others, syn, syn+1)
	slices.Sort(others)
	var sum float64
	below := 0
	for _, w := range others {
		sum += float64(w)
		if w < res.W {
			below++
		}
	}
	res.Mean = float32(sum / float64(len(others)))
	res.P99 = others[len(others)*99/100]
	res.Max = others[len(others)-1]
	res.Rank = float64(below) / float64(len(others))
	res.RateE = float64(spikesE) / float64(cfg.NE) / float64(cfg.Seconds-cfg.Warmup)
	return res, nil
}

// distinct draws k distinct indices in [0, n) other than self.
func distinct(r *rand.Rand, n, k, self int) []int {
	out := make([]int, 0, k)
	seen := make(map[int]bool, k)
	for len(out) < k {
		j := r.IntN(n)
		if j == self || seen[j] {
			continue
		}
		seen[j] = true
		out = append(out, j)
	}
	slices.Sort(out)
	return out
}
