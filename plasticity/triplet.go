package plasticity

import "github.com/engram-lab/engram/synapse"

func init() {
	Register("stdp-triplet", func() Rule { return NewTriplet() })
}

var _ Rule = (*Triplet)(nil)

// Triplet is the all-to-all triplet STDP rule of Pfister & Gerstner (2006):
//
//	at a pre spike:  Δw = −o1·(A2Minus + A3Minus·r2)
//	at a post spike: Δw = +r1·(A2Plus + A3Plus·o2)
//
// where r1, r2 are presynaptic traces (τ+, τx) and o1, o2 postsynaptic
// traces (τ−, τy), each adding 1 per spike. r2 and o2 are read before the
// current spike is added, which the engine guarantees (traces hold spikes
// strictly before the current step). The triplet term makes potentiation
// grow with the postsynaptic rate, so Δt = +10 ms pairings depress at low
// pairing frequency and potentiate at high frequency (Sjöström et al. 2001).
//
// Defaults: the minimal all-to-all model fitted to visual-cortex data
// (Pfister & Gerstner 2006, Table 4): τ+ = 16.8 ms, τ− = 33.7 ms,
// τx = 101 ms, τy = 114 ms, A2+ = 5·10⁻¹⁰, A3+ = 6.5·10⁻³, A2− = 7.1·10⁻³,
// A3− = 0; w ∈ [0, 1] (amplitudes are fractions of the initial weight).
// τ± and τx match NEST/NESTML's triplet models; τy and the minimal
// amplitudes are as recalled from Table 4 and were not re-checked against
// the paper (NEST's all-to-all defaults: τy = 125 ms, A2+ = 7.5·10⁻¹⁰,
// A3+ = 9.3·10⁻³, A2− = 7·10⁻³, A3− = 2.3·10⁻⁴).
type Triplet struct {
	TauPlus  float32 `toml:"tau_plus"`  // r1 time constant, ms (Pfister 2006: 16.8)
	TauX     float32 `toml:"tau_x"`     // r2 time constant, ms (Pfister 2006: 101)
	TauMinus float32 `toml:"tau_minus"` // o1 time constant, ms (Pfister 2006: 33.7)
	TauY     float32 `toml:"tau_y"`     // o2 time constant, ms (Pfister 2006 minimal visual cortex, recalled: 114)
	A2Plus   float32 `toml:"a2_plus"`   // pair potentiation, weight units (Pfister 2006: 5e-10)
	A3Plus   float32 `toml:"a3_plus"`   // triplet potentiation, weight units (Pfister 2006: 6.5e-3)
	A2Minus  float32 `toml:"a2_minus"`  // pair depression, weight units (Pfister 2006: 7.1e-3)
	A3Minus  float32 `toml:"a3_minus"`  // triplet depression, weight units (Pfister 2006 minimal: 0)
	W        Bounds  `toml:"w"`         // hard weight bounds ([0, 1])

	r1, r2, o1, o2     []float32
	kr1, kr2, ko1, ko2 float32
}

// NewTriplet returns the minimal all-to-all visual-cortex triplet rule.
func NewTriplet() *Triplet {
	return &Triplet{TauPlus: 16.8, TauX: 101, TauMinus: 33.7, TauY: 114,
		A2Plus: 5e-10, A3Plus: 6.5e-3, A2Minus: 7.1e-3, A3Minus: 0, W: Bounds{0, 1}}
}

func (r *Triplet) Init(c *synapse.CSR, dt float32) {
	r.r1, r.r2 = make([]float32, c.NPre), make([]float32, c.NPre)
	r.o1, r.o2 = make([]float32, c.NPost), make([]float32, c.NPost)
	r.kr1, r.kr2 = decay(dt, r.TauPlus), decay(dt, r.TauX)
	r.ko1, r.ko2 = decay(dt, r.TauMinus), decay(dt, r.TauY)
}

func (r *Triplet) AdvancePre(lo, hi int, spk []uint8) {
	advance(r.r1, r.kr1, lo, hi, spk, false)
	advance(r.r2, r.kr2, lo, hi, spk, false)
}

func (r *Triplet) AdvancePost(lo, hi int, spk []uint8) {
	advance(r.o1, r.ko1, lo, hi, spk, false)
	advance(r.o2, r.ko2, lo, hi, spk, false)
}

func (r *Triplet) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	w, post := c.W[lo:hi], c.Post[lo:hi]
	a := r.A2Minus + r.A3Minus*r.r2[pre]
	for s := range w {
		w[s] = r.W.Clip(w[s] - a*r.o1[post[s]])
	}
}

func (r *Triplet) OnPost(c *synapse.CSR, post int, syn, pre []int32) {
	a := r.A2Plus + r.A3Plus*r.o2[post]
	for k, s := range syn {
		c.W[s] = r.W.Clip(c.W[s] + a*r.r1[pre[k]])
	}
}
