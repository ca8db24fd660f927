package plasticity

import (
	"sort"

	"github.com/engram-lab/engram/synapse"
)

func init() {
	Register("stdp-lazy", func() Rule { return NewLazySTDP() })
	Register("stdp-nearest-lazy", func() Rule { r := NewLazySTDP(); r.Nearest = true; return r })
}

var (
	_ Lazy    = (*LazySTDP)(nil)
	_ Flusher = (*LazySTDP)(nil)
)

// Lazy is a rule that needs no column index: it applies the change a
// postsynaptic spike makes to a synapse later, when the synapse's
// presynaptic neuron next spikes (or at a catch-up or Flush), from a history
// of postsynaptic spikes kept per neuron. The engine (package network) then
// builds no column index, and
//
//   - calls Shares once after Init with the bounds of the shares it cuts the
//     postsynaptic neurons into (share w owns neurons bounds[w] to
//     bounds[w+1]−1, one share per worker);
//   - at the start of every step's delivery of share w, before any OnPre,
//     calls CatchUp with the share's sub-range of every row (rowLo[r] to
//     rowHi[r]−1 are the synapses of row r onto the share's neurons);
//   - for each presynaptic spike, calls Sync on the row's synapses onto
//     share w before it reads their weights to deliver the spike, and
//     OnPreShare instead of OnPre after;
//   - calls OnPost(c, post, nil, nil) for each postsynaptic spike, after the
//     step's OnPreShare calls, as for any rule.
//
// Every call touches only state of the share it names (or, for Advance,
// of the neurons it is given), so results stay the same for any number of
// workers. Weights are current only after Flush.
type Lazy interface {
	Rule
	Flusher
	Shares(bounds []int)
	Sync(c *synapse.CSR, pre, lo, hi, w int)
	OnPreShare(c *synapse.CSR, pre, lo, hi, w int)
	CatchUp(c *synapse.CSR, w int, rowLo, rowHi []int32)
}

// LazySTDP is STDP (the same parameters, pairing and weights) without the
// column index that STDP's OnPost walks: 4 bytes per synapse less. NEST
// does the same for its STDP synapses (Morrison, Diesmann & Gerstner 2008,
// "Phenomenological models of synaptic plasticity based on spike timing",
// Biol Cybern 98:459, section 4; NEST's ArchivingNode): each postsynaptic
// neuron keeps the times of its recent spikes, and a synapse applies the
// potentiation those spikes owe it at the next spike of its presynaptic
// neuron, before that spike is delivered (and depresses the synapse).
//
// The weights are bit-identical to STDP's at every step where they are read
// after Flush (tests prove it on random networks, with delays, bounds that
// bind and 1 to 3 workers), because every synapse sees the same float32
// operations in the same order:
//
//   - a postsynaptic spike at step τ potentiates w ← clip(w + A+·xPre(τ))
//     with the presynaptic trace as STDP has it at τ. Between two spikes of
//     a presynaptic neuron its trace only decays, x ← x·k each step, so it is
//     replayed exactly from the value at the neuron's last spike by the same
//     float32 multiplications (a table per presynaptic spike and share,
//     which stops growing at the fixed point of the float32 decay);
//   - potentiations are replayed in time order, the ones of steps before a
//     presynaptic spike ahead of its delivery and depression, the one of the
//     same step after them (STDP runs OnPre before OnPost within a step);
//     depression uses the postsynaptic trace, kept per step as STDP does.
//
// Memory: STDP's per-neuron traces; per postsynaptic neuron a history of
// History spike times (uint16 offsets from the share's last catch-up,
// default 16: 32 bytes), its length and a clock; per presynaptic neuron the
// trace at its last spike, that step, a clock and, per share, the step up
// to which its synapses have taken the history and a checkpoint of its
// trace (see preTrace): about 2·History+10 bytes per postsynaptic and
// 16+12·shares per presynaptic neuron, nothing per synapse. A history holds
// every spike since the last catch-up of its share; when one is full (or
// 2¹⁶−1 steps have passed), the engine's next CatchUp of the share brings
// every synapse onto it up to date (one pass over the share's synapses) and
// empties its histories. So a catch-up costs one pass over the synapses
// per History spikes of the share's fastest neuron (every 0.32 s at 50 Hz).
// Steps are counted in uint32: 2³² steps (5 days at dt = 0.1 ms) at most.
//
// Weights in c.W are stale between events: call Flush (network.Network.Flush)
// before reading or saving them. It is not meant as the Term of a
// ThreeFactor (which walks columns itself). Outside the engine (a single-threaded
// caller of the Rule methods) OnPost flushes by itself when a history is
// full.
type LazySTDP struct {
	STDP        // parameters, pairing mode and the traces, as STDP
	History int `toml:"history"` // postsynaptic spikes kept per neuron between catch-ups (default 16)

	c        *synapse.CSR
	h        int         // History in use
	clock    []uint32    // clock[lo]: steps advanced by the AdvancePost range starting at lo; clock[0] is the stamp of the current step (step+1)
	preClock []uint32    // the same for AdvancePre ranges
	xAt      []float32   // per presynaptic neuron: its trace at its last spike (without that spike)
	tp       []uint32    // per presynaptic neuron: stamp of its last spike (0: none yet)
	from     []uint32    // [share·NPre + pre]: the share's synapses of pre have taken every history entry with a stamp below from
	hist     []uint16    // [post·h + k]: stamps of post's spikes since its share's last catch-up, ascending, minus the share's base
	hlen     []uint16    // per postsynaptic neuron: entries in hist
	base     []uint32    // per share: stamp of its last catch-up (history entries are offsets from it, < 1<<16)
	bounds   []int       // share bounds (Shares)
	full     []bool      // per share: a history is full, catch up before the next spike
	tabs     [][]float32 // per share: replay table (preTrace)
	ckS      []uint32    // [share·NPre + pre]: stamp of the last trace value a replay computed (checkpoint; valid when ≥ tp)
	ckX      []float32   // [share·NPre + pre]: that value
	tabCap   int         // initial capacity of a table (traceSpan)
	catches  []int64     // per share: catch-ups so far
}

// NewLazySTDP returns LazySTDP with STDP's defaults (NewSTDP).
func NewLazySTDP() *LazySTDP { return &LazySTDP{STDP: *NewSTDP(), History: 16} }

func (r *LazySTDP) Init(c *synapse.CSR, dt float32) {
	r.STDP.Init(c, dt)
	r.c = c
	r.h = r.History
	if r.h <= 0 {
		r.h = 16
	}
	r.h = min(r.h, 1<<16-1)
	r.clock = make([]uint32, c.NPost+1)
	r.preClock = make([]uint32, c.NPre+1)
	r.xAt = make([]float32, c.NPre)
	r.tp = make([]uint32, c.NPre)
	r.hist = make([]uint16, c.NPost*r.h)
	r.hlen = make([]uint16, c.NPost)
	r.tabCap = traceSpan(r.kPre, r.Nearest)
	r.Shares([]int{0, c.NPost})
}

// traceSpan is the number of steps after a spike until the presynaptic
// trace (at most 1/(1−k)+1 with all-to-all pairing, 1 with nearest)
// reaches the fixed point of its decay (see preTrace), capped at 1<<16:
// the length a replay table can reach (a longer one grows once).
func traceSpan(k float32, nearest bool) int {
	x := float32(1)
	if !nearest && k < 1 {
		x = 1/(1-k) + 1
	}
	n := 2
	for ; n < 1<<16; n++ {
		v := float32(x * k)
		if v == x {
			break
		}
		x = v
	}
	return n + 1
}

// Shares sets the engine's cut of the postsynaptic neurons into shares and
// allocates per-share state (a replay table and the from stamps).
func (r *LazySTDP) Shares(bounds []int) {
	n := len(bounds) - 1
	r.bounds = append(r.bounds[:0], bounds...)
	r.full = make([]bool, n)
	r.catches = make([]int64, n)
	r.base = make([]uint32, n)
	r.from = make([]uint32, n*r.c.NPre)
	r.ckS = make([]uint32, n*r.c.NPre)
	r.ckX = make([]float32, n*r.c.NPre)
	r.tabs = make([][]float32, n)
	for w := range r.tabs {
		r.tabs[w] = make([]float32, 0, r.tabCap)
	}
}

// AdvancePre records the trace and step of each spiking presynaptic neuron
// before STDP's update adds the spike.
func (r *LazySTDP) AdvancePre(lo, hi int, spk []uint8) {
	if lo == hi {
		return
	}
	r.preClock[lo]++
	stamp := r.preClock[lo] - 1 // spk holds the previous step's spikes: stamp = that step + 1
	for i := lo; i < hi; i++ {
		if spk[i] != 0 {
			r.xAt[i], r.tp[i] = r.xPre[i], stamp
		}
	}
	r.STDP.AdvancePre(lo, hi, spk)
}

// AdvancePost decays the postsynaptic traces as STDP and advances the clock.
func (r *LazySTDP) AdvancePost(lo, hi int, spk []uint8) {
	if lo == hi {
		return
	}
	r.clock[lo]++
	r.STDP.AdvancePost(lo, hi, spk)
}

// OnPre is Sync and OnPreShare for share 0 (callers outside the engine).
func (r *LazySTDP) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	r.Sync(c, pre, lo, hi, 0)
	r.OnPreShare(c, pre, lo, hi, 0)
}

// Sync applies to synapses lo..hi-1 of pre (onto share w's neurons) the
// potentiations their postsynaptic neurons' spikes since pre's last spike
// owe them. The engine calls it at a spike of pre, before delivering it.
func (r *LazySTDP) Sync(c *synapse.CSR, pre, lo, hi, w int) {
	f := &r.from[w*c.NPre+pre]
	r.replay(c, pre, lo, hi, w, *f)
	*f = r.clock[0] // the entries so far (stamps ≤ this step's) are taken
}

// OnPreShare depresses synapses lo..hi-1 of a spiking presynaptic neuron
// by the postsynaptic traces, as STDP.OnPre (after Sync).
func (r *LazySTDP) OnPreShare(c *synapse.CSR, pre, lo, hi, w int) { r.STDP.OnPre(c, pre, lo, hi) }

// OnPost records a spike of postsynaptic neuron post (syn and pre are not
// used). When the history is full, which the engine's CatchUp prevents,
// it flushes the whole matrix first.
func (r *LazySTDP) OnPost(c *synapse.CSR, post int, _, _ []int32) {
	w := r.shareOf(post)
	if int(r.hlen[post]) == r.h || r.clock[0]-r.base[w] > maxOffset {
		r.Flush()
	}
	n := int(r.hlen[post])
	r.hist[post*r.h+n] = uint16(r.clock[0] - r.base[w])
	r.hlen[post] = uint16(n + 1)
	if n+1 == r.h {
		r.full[w] = true
	}
}

// maxOffset is the largest history entry: a share catches up at least every
// maxOffset steps (negligible: one pass over its synapses per 6.5 s at
// dt = 0.1 ms).
const maxOffset = 1<<16 - 1

// shareOf returns the share owning postsynaptic neuron j.
func (r *LazySTDP) shareOf(j int) int {
	return sort.Search(len(r.bounds)-1, func(w int) bool { return r.bounds[w+1] > j })
}

// CatchUp brings share w's synapses up to date and empties its histories
// when one of them is full or the share's entries would overflow their 16
// bits; otherwise it does nothing.
func (r *LazySTDP) CatchUp(c *synapse.CSR, w int, rowLo, rowHi []int32) {
	if !r.full[w] && r.clock[0]-r.base[w] < maxOffset {
		return
	}
	r.catchUp(c, w, rowLo, rowHi)
}

func (r *LazySTDP) catchUp(c *synapse.CSR, w int, rowLo, rowHi []int32) {
	from := r.from[w*c.NPre : (w+1)*c.NPre]
	for i := range from {
		if a, b := int(rowLo[i]), int(rowHi[i]); a < b {
			r.replay(c, i, a, b, w, from[i])
		}
	}
	clear(r.hlen[r.bounds[w]:r.bounds[w+1]])
	r.full[w], r.base[w] = false, r.clock[0]
	r.catches[w]++
}

// CatchUps is the number of catch-ups of all shares so far (each one pass
// over a share's synapses; Flush not counted). Call it between steps.
func (r *LazySTDP) CatchUps() int64 {
	var n int64
	for _, c := range r.catches {
		n += c
	}
	return n
}

// Flush brings every weight up to date (between steps).
func (r *LazySTDP) Flush() {
	c := r.c
	for w := 0; w+1 < len(r.bounds); w++ {
		a, b := r.bounds[w], r.bounds[w+1]
		if a == b {
			continue
		}
		from := r.from[w*c.NPre : (w+1)*c.NPre]
		for i := range from {
			s0, s1 := c.Row(i)
			row := c.Post[s0:s1]
			l := s0 + sort.Search(len(row), func(k int) bool { return int(row[k]) >= a })
			h := s0 + sort.Search(len(row), func(k int) bool { return int(row[k]) >= b })
			if l < h {
				r.replay(c, i, l, h, w, from[i])
			}
		}
		clear(r.hlen[a:b])
		r.full[w], r.base[w] = false, r.clock[0]
	}
}

// replay applies to synapses lo..hi-1 of pre, in time order, the
// potentiation of every history entry of their target stamped from on.
// Scratch: share w's table.
func (r *LazySTDP) replay(c *synapse.CSR, pre, lo, hi, w int, from uint32) {
	tr := preTrace{tab: r.tabs[w][:0], k: r.kPre, nearest: r.Nearest, tp: r.tp[pre], xAt: r.xAt[pre]}
	ck, base := w*c.NPre+pre, r.base[w]
	if tr.tp != 0 {
		if r.ckS[ck] >= tr.tp { // resume the chain where the last replay left it
			tr.tab, tr.s0 = append(tr.tab, r.ckX[ck]), r.ckS[ck]
		} else {
			tr.reset()
		}
	}
	ws, post := c.W[lo:hi], c.Post[lo:hi]
	post = post[:len(ws)]
	for s, j := range post {
		h := r.hist[int(j)*r.h : int(j)*r.h+int(r.hlen[j])]
		k := len(h)
		for k > 0 && base+uint32(h[k-1]) >= from {
			k--
		}
		if k == len(h) {
			continue
		}
		v := ws[s]
		for _, off := range h[k:] {
			v = r.potentiate(v, tr.at(base+uint32(off)))
		}
		ws[s] = v
	}
	if n := len(tr.tab); n > 1 {
		r.ckS[ck], r.ckX[ck] = tr.s0+uint32(n-1), tr.tab[n-1]
	}
	r.tabs[w] = tr.tab[:0]
}

// preTrace replays a presynaptic trace from its value xAt at the neuron's
// last spike (stamp tp): tab[m] is the trace at stamp s0+m (s0 ≥ tp: tp, or a
// checkpoint a previous replay of the same chain left), extended on demand
// with the float32 operations of STDP's advance (x·k rounded, +1 or reset
// to 1 for the spike at tp, then x·k each step). The decay ends at a fixed
// point: 0, or a subnormal x that x·k rounds back to (about 1e-43 for
// k = 0.995), after which every value equals the last entry (end). tp = 0:
// the neuron has not spiked, the trace is 0. A checkpoint makes the chain
// work of a presynaptic neuron at most one multiplication per step and
// share, however often its synapses are replayed.
type preTrace struct {
	tab     []float32
	s0, tp  uint32
	xAt     float32
	k       float32
	nearest bool
	end     bool
}

// reset restarts the table at the spike.
func (p *preTrace) reset() {
	p.tab, p.s0, p.end = append(p.tab[:0], p.xAt), p.tp, false
}

func (p *preTrace) at(stamp uint32) float32 {
	if p.tp == 0 {
		return 0
	}
	if stamp < p.s0 { // before the checkpoint (not expected): from the spike
		p.reset()
	}
	m := int(stamp - p.s0)
	for m >= len(p.tab) {
		last := p.tab[len(p.tab)-1]
		if p.end {
			return last
		}
		v := float32(last * p.k)
		if p.s0+uint32(len(p.tab))-1 == p.tp { // the step after the spike: the spike is added
			if p.nearest {
				v = 1
			} else {
				v++
			}
		} else if v == last {
			p.end = true
			return v
		}
		p.tab = append(p.tab, v)
	}
	return p.tab[m]
}

// Bytes is the memory of the rule's state, bytes: STDP's traces, the
// postsynaptic histories and clocks, the presynaptic spike records, the
// per-share from stamps and replay tables.
func (r *LazySTDP) Bytes() int64 {
	b := r.STDP.Bytes()
	b += 4 * int64(cap(r.clock)+cap(r.preClock)+cap(r.xAt)+cap(r.tp)+cap(r.from)+cap(r.ckS)+cap(r.ckX)+cap(r.base))
	b += 2 * int64(cap(r.hist)+cap(r.hlen))
	for _, t := range r.tabs {
		b += 4 * int64(cap(t))
	}
	return b
}
