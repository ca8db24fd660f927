package rules

import (
	"encoding/binary"
	"fmt"
	"math/bits"
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
// [−Noise/2, Noise/2] for every neuron and 1 ms step. Every excitatory
// synapse (E→E and E→I, as in daspnet.m) follows R-STDP (NewRSTDP:
// Izhikevich's amplitudes, τc = 1 s) with his tonic dopamine and rate, and
// is bounded in [0, WMax]; inhibitory weights are fixed at −WInh. One E→E
// synapse n1→n2, drawn at random (daspnet.m takes the first synapse of
// neuron 1, an arbitrary one), starts at 0; every time n2 fires within
// Window ms after n1, a reward (dopamine +Reward, τd = TauD) is scheduled
// after a delay drawn uniformly in [DelayMin, DelayMax] ms. Izhikevich
// reports the rewarded synapse at the maximum after about an hour of
// simulated time, while tonic dopamine and depression-dominated STDP
// (A− > A+) depress the other excitatory weights on average.
//
// Units follow daspnet.m: his weights change every 10 ms by (0.002 + DA)·sd,
// with STDP amplitudes 0.1 (LTP) and 0.15 (LTD) written to sd; NewRSTDP's
// amplitudes are 10 times larger, so Eta = 0.01 per ms and Tonic = 0.002 give
// his rate exactly.
type DistalConfig struct {
	NE, NI, M          int     // population sizes and out-degree (Izhikevich 2007: 800, 200, 100)
	Seconds            int     // simulated time, s (daspnet.m: 3600)
	WInit, WMax, WInh  float32 // initial/max excitatory and inhibitory weights (daspnet.m: 1, 4, 1)
	Eta                float32 // R-STDP learning rate, weight per unit c·d per ms (daspnet.m: 0.01)
	Tonic              float32 // tonic dopamine added to d (daspnet.m: 0.002 in these units)
	Reward             float32 // dopamine released per reward (daspnet.m: 0.5)
	TauD               float32 // dopamine time constant, ms (daspnet.m: 200, DA ← 0.995·DA per ms)
	Window             int     // n2 must fire 1..Window−1 ms after n1 (daspnet.m: interval = 20)
	DelayMin, DelayMax float64 // reward delay, ms (daspnet.m: 1000–3000)
	Noise              float32 // thalamic input amplitude (daspnet.m: 13, uniform in ±Noise/2)
	PlasticEI          bool    // E→I synapses follow R-STDP too (daspnet.m: yes)
	Warmup             int     // s before the rewarded synapse is set to 0 and rewards start (daspnet.m: 0)
	Seed               uint64
	Workers            int
	// Trace, if not nil, is called every 10 s of simulated time with the
	// rewarded synapse's weight and the mean and 99th percentile of the
	// other E→E weights (for the figure; costs a Flush and a sort).
	Trace func(second int, w, mean, p99 float32)
}

// DefaultDistal returns the configuration of daspnet.m, used by
// TestRSTDPDistalReward: one hour of simulated time.
func DefaultDistal() DistalConfig {
	return DistalConfig{NE: 800, NI: 200, M: 100, Seconds: 3600, WInit: 1, WMax: 4, WInh: 1,
		Eta: 0.01, Tonic: 0.002, Reward: 0.5, TauD: 200, Window: 20, DelayMin: 1000, DelayMax: 3000,
		Noise: 13, PlasticEI: true, Seed: 1, Workers: 1}
}

// DistalResult is the outcome of a distal-reward run. The comparison set
// is every other plastic excitatory synapse.
type DistalResult struct {
	Rewards        int     // rewards delivered
	W0, W          float32 // rewarded synapse weight before and after
	Mean, P99, Max float32 // mean, 99th percentile and maximum of the other plastic weights
	Rank           float64 // fraction of the other plastic synapses not above the rewarded one
	AtMax          float64 // fraction of the other plastic synapses at the upper bound
	RateE          float64 // mean excitatory rate, Hz
}

func (r DistalResult) String() string {
	return fmt.Sprintf("rewarded w %.2f→%.2f (rank %.4f, %.1f× mean) vs others mean %.2f p99 %.2f max %.2f, %.2f %% at max; %d rewards; E rate %.1f Hz",
		r.W0, r.W, r.Rank, r.W/max(r.Mean, 1e-9), r.Mean, r.P99, r.Max, 100*r.AtMax, r.Rewards, r.RateE)
}

// Holds is Izhikevich's Fig. 1 claim in testable form: after an hour the
// rewarded synapse, which started at 0, is singled out among all the other
// excitatory synapses, which started at 1: no more than 5 % of them end
// above it, and it is at least 3 times their mean (the bulk has been
// depressed by tonic dopamine and depression-dominated STDP). Izhikevich
// shows one run with the synapse at the maximum; the time to get there
// varies between runs (ours end at 3.3–4.0 of 4 within the hour), and
// 0.1–0.4 % of the other synapses (strongly causal pairs, potentiated under
// tonic dopamine alone) also end at the bound with p99 ≈ 3.9, so the top
// 1 % is reached only when the rewarded synapse is within a few percent of
// the maximum. Rank and AtMax are reported.
func (r DistalResult) Holds() bool { return r.Rank >= 0.95 && r.W >= 3*r.Mean }

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
	// The rewarded synapse: an arbitrary E→E synapse.
	syn := rnd.IntN(cEE.Len())
	n1 := rowOf(cEE.RowPtr, syn)
	n2 := int(cEE.Post[syn])

	net := network.New(1, cfg.Seed)
	E, _ := net.AddPopulation("E", neuron.NewIzhikevich(cfg.NE, neuron.IzhikevichRS()))
	I, _ := net.AddPopulation("I", neuron.NewIzhikevich(cfg.NI, neuron.IzhikevichFS()))
	E.Ext, I.Ext = make([]float32, cfg.NE), make([]float32, cfg.NI)
	newRule := func() *plasticity.ThreeFactor {
		r := plasticity.NewRSTDP()
		r.Eta, r.Tonic, r.W = cfg.Eta, cfg.Tonic, plasticity.Bounds{Min: 0, Max: cfg.WMax}
		r.ModTau = cfg.TauD // dopamine decay, integrated in closed form
		return r
	}
	rules := []*plasticity.ThreeFactor{newRule()}
	conns := []*synapse.CSR{cEE}
	if _, err := net.Connect("EE", E, E, cEE, network.Exc, rules[0]); err != nil {
		return res, err
	}
	var eiRule plasticity.Rule
	if cfg.PlasticEI {
		r := newRule()
		rules, conns, eiRule = append(rules, r), append(conns, cEI), r
	}
	if _, err := net.Connect("EI", E, I, cEI, network.Exc, eiRule); err != nil {
		return res, err
	}
	if _, err := net.Connect("IE", I, E, cIE, network.Inh, nil); err != nil {
		return res, err
	}
	if err := net.Build(max(1, cfg.Workers)); err != nil {
		return res, err
	}
	defer net.Close()

	chosen := false
	choose := func() {
		rules[0].Flush()
		res.W0 = 0
		cEE.W[syn] = res.W0
		chosen = true
	}
	if cfg.Warmup <= 0 {
		choose()
	}

	// Thalamic input: splitmix64 (Steele, Lea & Flood 2014), two 24-bit
	// uniforms per draw.
	thal := rng.Key(cfg.Seed, "distal/thalamus")
	fill := func(dst []float32) {
		s, a := thal, cfg.Noise
		const g, sc = 0x9e3779b97f4a7c15, 1.0 / (1 << 24)
		i := 0
		for ; i+1 < len(dst); i += 2 {
			s += g
			z := splitmix(s)
			dst[i] = a * (float32(z>>40)*sc - 0.5)
			dst[i+1] = a * (float32(z&(1<<24-1))*sc - 0.5)
		}
		if i < len(dst) {
			s += g
			dst[i] = a * (float32(splitmix(s)>>40)*sc - 0.5)
		}
		thal = s
	}
	setKick := func() {
		fill(E.Ext)
		fill(I.Ext)
	}
	setKick()
	rew := rng.Named(cfg.Seed, "distal/reward")
	lastN1 := int64(-1 << 40)
	var pending []int64
	var spikesE int64
	warm := int64(cfg.Warmup) * 1000
	probe := func(step uint64, k int) {
		t := int64(step)
		if !chosen {
			if t+1 == warm {
				choose()
			}
			setKick()
			return
		}
		spk := E.Spiked(k)
		if spk[n1] != 0 {
			lastN1 = t
		}
		if spk[n2] != 0 && t-lastN1 >= 1 && t-lastN1 < int64(cfg.Window) {
			pending = append(pending, t+int64(cfg.DelayMin+rew.Float64()*(cfg.DelayMax-cfg.DelayMin)))
		}
		for i := 0; i < len(pending); i++ {
			if pending[i] == t {
				for _, r := range rules {
					r.SetModulator(r.Modulator() + cfg.Reward)
				}
				res.Rewards++
				pending = slices.Delete(pending, i, i+1)
				i--
			}
		}
		spikesE += countFlags(spk)
		setKick()
		if cfg.Trace != nil && (t+1)%10000 == 0 {
			rules[0].Flush()
			others := slices.Clone(cEE.W)
			others = slices.Delete(others, syn, syn+1)
			var sum float64
			for _, w := range others {
				sum += float64(w)
			}
			slices.Sort(others)
			cfg.Trace(int((t+1)/1000), cEE.W[syn], float32(sum/float64(len(others))), others[len(others)*99/100])
		}
	}
	if _, err := net.Run(cfg.Seconds*1000, probe); err != nil {
		return res, err
	}
	var others []float32
	for i, r := range rules {
		r.Flush()
		others = append(others, conns[i].W...)
	}
	res.W = cEE.W[syn]
	others = slices.Delete(others, syn, syn+1) // cEE comes first
	slices.Sort(others)
	var sum float64
	notAbove, atMax := 0, 0
	for _, w := range others {
		sum += float64(w)
		if w <= res.W {
			notAbove++
		}
		if w >= cfg.WMax {
			atMax++
		}
	}
	res.Mean = float32(sum / float64(len(others)))
	res.P99 = others[len(others)*99/100]
	res.Max = others[len(others)-1]
	res.Rank = float64(notAbove) / float64(len(others))
	res.AtMax = float64(atMax) / float64(len(others))
	res.RateE = float64(spikesE) / float64(cfg.NE) / float64(cfg.Seconds-max(cfg.Warmup, 0))
	return res, nil
}

// splitmix is the splitmix64 output function.
func splitmix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// countFlags returns the number of nonzero 0/1 flags in spk.
func countFlags(spk []uint8) int64 {
	n, i := 0, 0
	for ; i+8 <= len(spk); i += 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(spk[i:]))
	}
	for ; i < len(spk); i++ {
		n += int(spk[i])
	}
	return int64(n)
}

// rowOf returns the row r of a CSR with row pointers ptr holding synapse s.
func rowOf(ptr []int32, s int) int {
	r, _ := slices.BinarySearchFunc(ptr, int32(s), func(p, t int32) int {
		if p <= t {
			return -1
		}
		return 1
	})
	return r - 1
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
