package flagship

import (
	"math"

	"github.com/engram-lab/engram/internal/f32"
)

// Padded delivery of scattered (small-world) projections.
//
// A small-world row's targets are mostly a lattice window around the
// presynaptic neuron's ring position, with about Rewire of them moved
// elsewhere, so the row is "almost contiguous": delivering it synapse by
// synapse is a scalar scatter, the largest single cost of the default
// network. padded keeps a copy of such rows as a few dense segments whose
// holes hold +0, plus the leftover synapses ("extras") scattered as before.
//
// Segments may overlap each other's padding; holes are +0 wherever they are.
//
// Bit-identity: every target still receives its synapse's weight exactly
// once per presynaptic spike, spikes in the same order. The only extra
// operations add +0 to targets without a synapse in that row, and x + (+0)
// equals x bit for bit for every x except −0. The buffers delivered into are
// cleared to +0 before each step and receive only additions; in
// round-to-nearest a sum is −0 only if both addends are −0, so starting from
// +0 a buffer can never hold −0 and the padding changes nothing.
type padded struct {
	segPtr []int32   // row j's segments are segs[segPtr[j]:segPtr[j+1]]
	segs   []segment // dense stretches of targets
	exPtr  []int32   // row j's extras are exPost/exW[exPtr[j]:exPtr[j+1]]
	exPost []int32   // targets of the synapses delivered one by one
	exW    []float32 // their weights (copies, kept next to each other)
	w      []float32 // segment weights; holes are +0
	at     []int32   // synapse q → its index in w, −1−(index in exW), or noPad (contiguous row)
	// row j's holes (positions of w without a synapse) are holes[holePtr[j]:holePtr[j+1]]
	holePtr, holes []int32
}

// noPad marks the synapses of contiguous rows, which deliver is given directly.
const noPad = math.MinInt32

// segment covers targets p0 … p0+n−1 with weights w[off : off+n].
type segment struct{ p0, n, off int32 }

// Segment shape: at least padMinSyn synapses, holes of at most padMaxGap
// consecutive targets, and at least half of the span filled.
const (
	padMinSyn = 12
	padMaxGap = 3
	padAlign  = 8 // targets per AVX register
)

// buildPad (re)builds the padded copy of p's rows that are not contiguous
// and copies the current weights into it. Rows whose targets are not strictly
// increasing are delivered entirely as extras.
func (p *proj) buildPad() {
	d := &padded{segPtr: make([]int32, p.nPre+1), exPtr: make([]int32, p.nPre+1), at: make([]int32, len(p.w))}
	for q := range d.at {
		d.at[q] = noPad
	}
	for j := 0; j < p.nPre; j++ {
		lo, hi := p.rowPtr[j], p.rowPtr[j+1]
		sorted := true
		for q := lo + 1; q < hi; q++ {
			sorted = sorted && p.post[q] > p.post[q-1]
		}
		if p.contig[j] >= 0 {
			lo = hi // delivered as one contiguous row; nothing to pad
		}
		for q := lo; q < hi; {
			e := q + 1
			for sorted && e < hi && p.post[e]-p.post[e-1] <= padMaxGap+1 {
				e++
			}
			span := p.post[e-1] - p.post[q] + 1
			if sorted && e-q >= padMinSyn && span <= 2*(e-q) {
				// Widen to multiples of padAlign targets: successive spikes
				// then read and write buf in identical vector-sized chunks, so
				// each load is forwarded from the previous spike's store
				// instead of stalling on a partial overlap.
				a := p.post[q] &^ (padAlign - 1)
				b := min((p.post[e-1]+padAlign)&^(padAlign-1), int32(p.nPost))
				off := int32(len(d.w))
				d.segs = append(d.segs, segment{p0: a, n: b - a, off: off})
				d.w = append(d.w, make([]float32, b-a)...)
				for s := q; s < e; s++ {
					d.at[s] = off + p.post[s] - a
				}
			} else {
				for s := q; s < e; s++ {
					d.at[s] = -1 - int32(len(d.exPost))
					d.exPost = append(d.exPost, p.post[s])
					d.exW = append(d.exW, 0)
				}
			}
			q = e
		}
		d.segPtr[j+1] = int32(len(d.segs))
		d.exPtr[j+1] = int32(len(d.exPost))
	}
	p.pad = d
	p.buildHoles()
	p.syncPad(0, p.nPre)
	p.buildGroups()
}

// syncPad copies the weights of rows [lo, hi) into the padded copy; call it
// after changing them.
func (p *proj) syncPad(lo, hi int) {
	p.syncGroups(lo, hi)
	d := p.pad
	if d == nil {
		return
	}
	a, b := p.rowPtr[lo], p.rowPtr[hi]
	scatterWeights(d.at[a:b], p.w[a:b], d.w, d.exW)
}

// deliverPadded adds row j of a padded projection to buf: dense segments by
// vector adds, extras one by one (see padded for why this is bit-identical).
func (p *proj) deliverPadded(j int32, buf []float32) {
	d := p.pad
	for _, s := range d.segs[d.segPtr[j]:d.segPtr[j+1]] {
		f32.Add(buf[s.p0:s.p0+s.n], d.w[s.off:s.off+s.n])
	}
	a, b := d.exPtr[j], d.exPtr[j+1]
	post, w := d.exPost[a:b], d.exW[a:b]
	w = w[:len(post)]
	for q, i := range post {
		buf[i] += w[q]
	}
}
