package plasticity

import (
	"encoding/binary"
	"math"

	"github.com/engram-lab/engram/synapse"
)

func init() {
	Register("rstdp", func() Rule { return NewRSTDP() })
}

var (
	_ Modulated = (*ThreeFactor)(nil)
	_ Flusher   = (*ThreeFactor)(nil)
)

// ThreeFactor turns any pairing rule into a three-factor rule (Gerstner et
// al. 2018, §2.7 of RESEARCH.md): the wrapped Term writes its Hebbian
// changes into a per-synapse eligibility trace e instead of the weights, and
// the weights follow the broadcast third factor M:
//
//	de/dt = −e/TauE + Term(pre, post)       (Term's Δw, applied to e)
//	dw/dt = Eta · (Tonic + M(t)) · e(t)
//
// Per step dt: Term's changes are added to e, w ← clip(w + Eta·dt·(Tonic+M)·e),
// then e ← e·exp(−dt/TauE). Term sees a shadow of the projection's matrix whose
// weights are the eligibilities, so its bounds must not bind (NewRSTDP sets
// them to ±MaxFloat32). A ThreeFactor is bound to the matrix given to Init.
//
// The decay is lazy: each synapse remembers the step it was last brought up
// to date (the step clock is advanced by the AdvancePost call whose range
// starts at neuron 0, and read only while synapses are updated), and is
// decayed by exp(−n·dt/TauE) when Term touches it or when M ≠ 0; the Tonic part over n skipped steps is integrated in closed
// form, w += Eta·dt·Tonic·e·(1−kⁿ)/(1−k) with k = exp(−dt/TauE) (the bound
// is applied once at the end instead of every step). With M = 0, a step
// costs only the synapses of spiking neurons. Weights are therefore
// current only for synapses touched this step: call Flush (between steps)
// before reading or saving c.W.
//
// With an *STDP term (NewRSTDP), ThreeFactor applies the pairing itself in
// the same pass as the decay, with the term's parameters and the same
// order of events, but keeps the traces lazily too: a neuron's trace is
// stored at its last spike and decayed by exp(−n·dt/τ) when read, instead
// of every trace being decayed every step. Results equal the term's up to
// float32 rounding.
//
// ModTau > 0 declares that M decays by itself, M(t) = M(t0)·exp(−(t−t0)/ModTau),
// between SetModulator calls (the dopamine of Izhikevich 2007, τd = 200 ms):
// call SetModulator only when M jumps (e.g. SetModulator(Modulator()+0.5)
// at a reward). The M part is then integrated in closed form too, so a
// reward costs one pass over the synapses (in SetModulator, which must be
// called between steps, as the engine's probes are) instead of one per step
// while dopamine lasts; call Flush before reading weights.
type ThreeFactor struct {
	Term   Rule    // pairing term writing to the eligibility (e.g. *STDP)
	TauE   float32 `toml:"tau_e"`   // eligibility time constant, ms
	Eta    float32 `toml:"eta"`     // learning rate, weight units per (unit M · unit e · ms)
	Tonic  float32 `toml:"tonic"`   // constant baseline added to M (Izhikevich 2007 code: 0.002)
	ModTau float32 `toml:"mod_tau"` // if > 0, M decays with this time constant (ms) between SetModulator calls
	W      Bounds  `toml:"w"`       // hard bounds of the real weights

	m      float32 // M, or with ModTau its level at clock t0
	t0     uint32
	lnd    float64 // −dt/ModTau
	c      *synapse.CSR
	dt, ke float32
	shadow synapse.CSR // the projection's structure with W = eligibility
	clock  []uint32    // clock[0]: steps advanced (the post range starting at lo advances clock[lo])
	last   []uint32    // per synapse: clock value its eligibility is current at
	lnk    float64     // ln(ke)
	modCut uint32      // with ModTau: steps after t0 from which M counts as 0 (decayed below modFloor)
	w      []float32   // the projection's weights
	tabs   tables

	pair        *STDP     // the term, when it is an *STDP: pairing with lazy traces
	preClock    []uint32  // like clock, for the presynaptic ranges
	xPre, xPost []float32 // trace values at their stamps
	tPre, tPost []uint32  // stamps: clock value the trace value holds at
	kPre, kPost []float32 // kPre[n] = exp(−n·dt/TauPre) while it is a normal float32 (same for post)
}

// NewRSTDP returns reward-modulated STDP with eligibility traces
// (Izhikevich 2007, "Solving the distal reward problem"): an STDP term with
// A+ = 1, A− = 1.5, τ± = 20 ms (Izhikevich 2007) writes to the eligibility
// c, which decays with τc = 1 s (Izhikevich 2007); ṡ = Eta·c·d with d the
// dopamine level set through SetModulator (see Dopamine: τd = 200 ms,
// +0.5 per reward in Izhikevich 2007). Eta = 0.01 ms⁻¹ maps Izhikevich's
// weight range [0, 4] to [0, 1] at a quarter of his rate (our choice);
// w ∈ [0, 1].
func NewRSTDP() *ThreeFactor {
	s := NewSTDP()
	s.APlus, s.AMinus = 1, 1.5
	s.W = Bounds{-math.MaxFloat32, math.MaxFloat32}
	return &ThreeFactor{Term: s, TauE: 1000, Eta: 0.01, W: Bounds{0, 1}}
}

func (r *ThreeFactor) Init(c *synapse.CSR, dt float32) {
	r.shadow = *c
	r.shadow.W = make([]float32, len(c.W))
	r.dt, r.ke = dt, decay(dt, r.TauE)
	r.lnk = -float64(dt) / float64(r.TauE)
	if r.ModTau > 0 {
		r.lnd = -float64(dt) / float64(r.ModTau)
		r.modCut = uint32(min(math.Ceil(math.Log(modFloor)/r.lnd), math.MaxUint32))
	}
	r.c = c
	r.tabs.init([4]float64{r.lnk, r.lnk, r.lnd, r.lnk + r.lnd})
	r.clock = make([]uint32, c.NPost+1)
	r.last = make([]uint32, len(c.W))
	r.w = c.W
	r.Term.Init(&r.shadow, dt)
	r.pair, _ = r.Term.(*STDP)
	if r.pair != nil {
		r.preClock = make([]uint32, c.NPre+1)
		r.xPre, r.tPre = make([]float32, c.NPre), make([]uint32, c.NPre)
		r.xPost, r.tPost = make([]float32, c.NPost), make([]uint32, c.NPost)
		r.kPre, r.kPost = powers(dt, r.pair.TauPre), powers(dt, r.pair.TauPost)
	}
}

// powers returns exp(−n·dt/tau) as float32 for n = 0, 1, … until it
// underflows to 0 (at most 1<<16 entries; later n are computed).
func powers(dt, tau float32) []float32 {
	if tau <= 0 {
		return []float32{1}
	}
	a := -float64(dt) / float64(tau)
	var k []float32
	for n := 0; n < 1<<16; n++ {
		v := float32(math.Exp(a * float64(n)))
		if v == 0 {
			break
		}
		k = append(k, v)
	}
	return k
}

// kpow returns k[n], from the table k of powers (or 0 past its end when it
// ended by underflow; computed otherwise).
func kpow(k []float32, dt, tau float32, n uint32) float32 {
	if int(n) < len(k) {
		return k[n]
	}
	if len(k) < 1<<16 {
		return 0
	}
	return float32(math.Exp(-float64(dt) / float64(tau) * float64(n)))
}

// now is the clock value of the current step.
func (r *ThreeFactor) now() uint32 { return r.clock[0] }

// Eligibility returns the eligibility of synapse s at the end of the last
// step (it does not change any state).
func (r *ThreeFactor) Eligibility(c *synapse.CSR, s int) float32 {
	n := int64(r.now()) + 1 - int64(r.last[s])
	return r.shadow.W[s] * float32(math.Exp(r.lnk*float64(n)))
}

// modFloor: with ModTau > 0, once M has decayed below modFloor times its
// value at the last SetModulator (after ln(1/modFloor)·ModTau ≈ 28 ModTau)
// it counts as 0, so synapses synced long after a reward skip the M part
// (and its exp). The part of M's integral left out is modFloor·M·ModTau
// in total, below float32 resolution of any weight it could change.
const modFloor = 1.0 / (1 << 40)

// sync brings synapse s to the start of step now: for each of the
// now − last skipped steps, w += Eta·dt·Tonic·e and e ← k·e.
func (r *ThreeFactor) sync(s int, now uint32) {
	n := now - r.last[s]
	if n == 0 {
		return
	}
	l := r.last[s]
	r.last[s] = now
	e := r.shadow.W[s]
	if e == 0 {
		return
	}
	kn := float32(r.tabs.at(0, r.lnk, n))
	var inc float64
	if r.Tonic != 0 {
		inc = float64(r.Tonic) * r.tabs.at(1, r.lnk, n)
	}
	if r.ModTau > 0 && r.m != 0 && l-r.t0 < r.modCut {
		ml := float64(r.m) * r.tabs.at(2, r.lnd, l-r.t0) // M at step l
		inc += ml * r.tabs.at(3, r.lnk+r.lnd, n)
	}
	if inc != 0 {
		r.w[s] = r.W.Clip(r.w[s] + r.Eta*r.dt*e*float32(inc))
	}
	r.shadow.W[s] = e * kn
}

// SetModulator sets M. With ModTau > 0 it first brings every synapse up to
// date, then restarts the decay of M from m.
func (r *ThreeFactor) SetModulator(m float32) {
	if r.ModTau > 0 {
		r.Flush()
		r.t0 = r.now() + 1 // the next step's clock value
	}
	r.m = m
}

// Modulator returns the current M (with ModTau > 0, decayed to now).
func (r *ThreeFactor) Modulator() float32 {
	if r.ModTau > 0 && r.clock != nil {
		return r.m * float32(math.Exp(r.lnd*float64(r.now()+1-r.t0)))
	}
	return r.m
}

// Flush brings every synapse's weight and eligibility up to date through
// the last finished step (needed before reading weights). Call it between
// steps only.
func (r *ThreeFactor) Flush() {
	now := r.now() + 1 // through the step just finished
	for s := range r.c.Post {
		r.sync(s, now)
	}
}

func (r *ThreeFactor) AdvancePre(lo, hi int, spk []uint8) {
	if r.pair == nil {
		r.Term.AdvancePre(lo, hi, spk)
		return
	}
	if lo < hi {
		r.preClock[lo]++
		r.stamp(r.xPre, r.tPre, r.kPre, r.pair.TauPre, r.preClock[lo], lo, hi, spk)
	}
}

func (r *ThreeFactor) AdvancePost(lo, hi int, spk []uint8) {
	if lo < hi {
		r.clock[lo]++
	}
	if r.pair == nil {
		r.Term.AdvancePost(lo, hi, spk)
		return
	}
	if lo < hi {
		r.stamp(r.xPost, r.tPost, r.kPost, r.pair.TauPost, r.clock[lo], lo, hi, spk)
	}
}

// stamp adds the spikes spk[lo:hi] of the previous step to the lazy traces
// x (held at stamps t) at clock value now: x ← x·kⁿ + 1 (nearest: 1).
func (r *ThreeFactor) stamp(x []float32, t []uint32, k []float32, tau float32, now uint32, lo, hi int, spk []uint8) {
	i := lo
	for ; i < hi; i++ {
		if i&7 == 0 && i+8 <= hi && binary.LittleEndian.Uint64(spk[i:i+8]) == 0 {
			i += 7
			continue
		}
		if spk[i] == 0 {
			continue
		}
		v := float32(1)
		if !r.pair.Nearest {
			v += x[i] * kpow(k, r.dt, tau, now-t[i])
		}
		x[i], t[i] = v, now
	}
}

func (r *ThreeFactor) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	now := r.now()
	if r.pair == nil {
		for s := lo; s < hi; s++ {
			r.sync(s, now)
		}
		r.Term.OnPre(&r.shadow, pre, lo, hi)
		return
	}
	p := r.pair
	e, post := r.shadow.W[lo:hi], c.Post[lo:hi]
	post = post[:len(e)]
	for i, j := range post {
		r.sync(lo+i, now)
		e[i] = p.W.Clip(e[i] - p.AMinus*r.xPost[j]*kpow(r.kPost, r.dt, p.TauPost, now-r.tPost[j]))
	}
}

func (r *ThreeFactor) OnPost(_ *synapse.CSR, post int, syn, pre []int32) {
	now := r.now()
	if r.pair == nil {
		for _, s := range syn {
			r.sync(int(s), now)
		}
		r.Term.OnPost(&r.shadow, post, syn, pre)
		return
	}
	p := r.pair
	e := r.shadow.W
	pre = pre[:len(syn)]
	for k, s := range syn {
		r.sync(int(s), now)
		i := pre[k]
		e[s] = p.W.Clip(e[s] + p.APlus*r.xPre[i]*kpow(r.kPre, r.dt, p.TauPre, now-r.tPre[i]))
	}
}

// tables caches, for n < len, exp(a·n) (kinds 0 and 2) and Σ_{i<n} exp(a·i)
// (kinds 1 and 3) for the rule's decay rates a.
type tables [4][]float64

const tableLen = 8192

func (t *tables) init(a [4]float64) {
	for k := range t {
		t[k] = make([]float64, tableLen)
		for n := range t[k] {
			if k%2 == 0 {
				t[k][n] = math.Exp(a[k] * float64(n))
			} else {
				t[k][n] = geom(a[k], uint32(n))
			}
		}
	}
}

// at returns kind k's value for rate a at n.
func (t *tables) at(k int, a float64, n uint32) float64 {
	if int(n) < tableLen {
		return t[k][n]
	}
	if k%2 == 0 {
		return math.Exp(a * float64(n))
	}
	return geom(a, n)
}

// geom returns Σ_{i<n} exp(a·i) for a ≤ 0.
func geom(a float64, n uint32) float64 {
	if a == 0 {
		return float64(n)
	}
	return math.Expm1(a*float64(n)) / math.Expm1(a)
}

// SynapseStep applies the third factor on the synapses onto post neurons
// lo..hi-1 (nothing to do when M = 0 or ModTau > 0: the decay is lazy).
func (r *ThreeFactor) SynapseStep(c *synapse.CSR, cols *synapse.Columns, lo, hi int) {
	g := r.Eta * r.dt * r.m
	if g == 0 || r.ModTau > 0 {
		return
	}
	e, w := r.shadow.W, c.W
	now := r.now()
	if lo == 0 && hi == c.NPost {
		// All columns: visit the synapses in storage order (each synapse
		// is updated independently, so the order does not change the
		// result; sequential access is ≈3× faster at 1e6 synapses than
		// the column index's scattered one).
		if r.Tonic == 0 {
			// sync without a tonic part (and ModTau = 0 here) only
			// decays e; inlined, with the one-step factor hoisted.
			k1 := float32(r.tabs.at(0, r.lnk, 1))
			last := r.last[:len(w)]
			e := e[:len(w)]
			for s := range w {
				if n := now - last[s]; n != 0 {
					last[s] = now
					if n == 1 {
						e[s] *= k1
					} else {
						e[s] *= float32(r.tabs.at(0, r.lnk, n))
					}
				}
				w[s] = r.W.Clip(w[s] + g*e[s])
			}
			return
		}
		for s := range w {
			r.sync(s, now)
			w[s] = r.W.Clip(w[s] + g*e[s])
		}
		return
	}
	for j := lo; j < hi; j++ {
		for _, s := range cols.Syn[cols.Ptr[j]:cols.Ptr[j+1]] {
			r.sync(int(s), now)
			w[s] = r.W.Clip(w[s] + g*e[s])
		}
	}
}

// Dopamine is a neuromodulator concentration with first-order decay,
// ḋ = −d/Tau + Σ releases (Izhikevich 2007: τd = 200 ms, release 0.5 per
// reward). Call Step once per time step and pass the result to
// Modulated.SetModulator. Levels below Floor read as 0, which lets lazy
// rules skip their per-synapse pass between rewards.
type Dopamine struct {
	Tau   float32 // decay time constant, ms (Izhikevich 2007: 200)
	Level float32 // current concentration (Izhikevich 2007: μM)
	Floor float32 // levels below this read as 0 (default 1e-3, our choice: < 0.2 % of one release)
	k     float32
}

// NewDopamine returns a level decaying with tau (ms) at step dt (ms).
func NewDopamine(tau, dt float32) *Dopamine {
	return &Dopamine{Tau: tau, Floor: 1e-3, k: decay(dt, tau)}
}

// Release adds amount to the level.
func (d *Dopamine) Release(amount float32) { d.Level += amount }

// Step returns the level for this step and decays it for the next.
func (d *Dopamine) Step() float32 {
	l := d.Level
	d.Level *= d.k
	if l < d.Floor {
		d.Level = 0
		return 0
	}
	return l
}
