package flagship

import "github.com/engram-lab/engram/internal/f32"

// Grouped delivery of padded (small-world) projections.
//
// The lattice windows of grpRows consecutive presynaptic neurons overlap
// almost entirely (the window moves by nPost/nPre targets per neuron), so
// such a group gets one common window of targets [a, b), and each of its rows
// a copy padded with +0 over the whole window. Spikes arrive in increasing
// neuron order, so the spikes of one group are consecutive in spk and their
// rows are summed by f32.SumRows with the window held in registers, instead
// of each spike loading and storing its targets. A row's synapses outside the
// window (rewired ones) are its extras, added one by one when the spike is
// met.
//
// Bit-identity: every target still receives each spike's weight once, in
// spike order. The pending rows of a group only touch the group's window,
// while the extras of its spikes lie outside it, so scattering the extras
// before the group is flushed reorders no additions to any target; a group
// is flushed before any other row is delivered. The padding adds +0, which
// changes nothing in buffers that never hold −0 (see padded).
type grouped struct {
	gid    []int32   // row j's group, −1 if the row is delivered by deliver
	win    []segment // group g's window: targets p0 … p0+n−1 (off unused)
	off    []int32   // row j's padded copy is w[off[j] : off[j]+win[gid[j]].n]
	w      []float32 // padded rows; holes are +0
	exPtr  []int32   // row j's extras are exPost/exW[exPtr[j]:exPtr[j+1]]
	exPost []int32
	exW    []float32
	at     []int32 // synapse q → its index in w, −1−(index in exW), or noPad (row not grouped)
}

// Group shape: grpRows consecutive rows per group; a group whose padded
// segments span more than grpMaxSpan targets (a window wrapping around the
// ring) is not grouped.
const (
	grpRows    = 32
	grpMaxSpan = 128
)

// buildGroups (re)builds the grouped copy of a padded projection and copies
// the current weights into it.
func (p *proj) buildGroups() {
	d := p.pad
	g := &grouped{gid: make([]int32, p.nPre), off: make([]int32, p.nPre), exPtr: make([]int32, p.nPre+1), at: make([]int32, len(p.w))}
	for q := range g.at {
		g.at[q] = noPad
	}
	for j0 := 0; j0 < p.nPre; j0 += grpRows {
		j1 := min(j0+grpRows, p.nPre)
		a, b := int32(p.nPost), int32(0)
		ok := true
		for j := j0; j < j1; j++ {
			lo, hi := p.rowPtr[j], p.rowPtr[j+1]
			for q := lo + 1; q < hi; q++ {
				ok = ok && p.post[q] > p.post[q-1]
			}
			ok = ok && p.contig[j] < 0
			for _, s := range d.segs[d.segPtr[j]:d.segPtr[j+1]] {
				a, b = min(a, s.p0), max(b, s.p0+s.n)
			}
		}
		if !ok || b <= a || b-a > grpMaxSpan {
			for j := j0; j < j1; j++ {
				g.gid[j] = -1
				g.exPtr[j+1] = int32(len(g.exPost))
			}
			continue
		}
		gi := int32(len(g.win))
		g.win = append(g.win, segment{p0: a, n: b - a})
		for j := j0; j < j1; j++ {
			g.gid[j] = gi
			g.off[j] = int32(len(g.w))
			g.w = append(g.w, make([]float32, b-a)...)
			for q := p.rowPtr[j]; q < p.rowPtr[j+1]; q++ {
				if i := p.post[q]; i >= a && i < b {
					g.at[q] = g.off[j] + i - a
				} else {
					g.at[q] = -1 - int32(len(g.exPost))
					g.exPost = append(g.exPost, i)
					g.exW = append(g.exW, 0)
				}
			}
			g.exPtr[j+1] = int32(len(g.exPost))
		}
	}
	p.grp = g
	p.syncGroups(0, p.nPre)
}

// syncGroups copies the weights of rows [lo, hi) into the grouped copy.
func (p *proj) syncGroups(lo, hi int) {
	g := p.grp
	if g == nil {
		return
	}
	a, b := p.rowPtr[lo], p.rowPtr[hi]
	scatterWeights(g.at[a:b], p.w[a:b], g.w, g.exW)
}

// scatterWeights copies the weights w of synapses into a padded or grouped
// copy: at[q] ≥ 0 is synapse q's index in pw, −1−i its index i in exW, noPad
// a synapse the copy does not hold.
func scatterWeights(at []int32, w, pw, exW []float32) {
	w = w[:len(at)]
	for q, k := range at {
		if k >= 0 {
			pw[k] = w[q]
		} else if k != noPad {
			exW[-1-k] = w[q]
		}
	}
}

// deliverGrouped is deliverAll for a projection with a grouped copy.
func (p *proj) deliverGrouped(spk []int32, buf []float32, offs []int32) {
	g := p.grp
	offs = offs[:0]
	cur := int32(-1) // group of the pending rows
	for _, j := range spk {
		gi := g.gid[j]
		if gi != cur && len(offs) > 0 {
			s := g.win[cur]
			f32.SumRows(buf[s.p0:s.p0+s.n], g.w, offs)
			offs = offs[:0]
		}
		cur = gi
		if gi < 0 {
			p.deliver(j, buf)
			continue
		}
		offs = append(offs, g.off[j])
		a, b := g.exPtr[j], g.exPtr[j+1]
		post, w := g.exPost[a:b], g.exW[a:b]
		w = w[:len(post)]
		for q, i := range post {
			buf[i] += w[q]
		}
	}
	if len(offs) > 0 {
		s := g.win[cur]
		f32.SumRows(buf[s.p0:s.p0+s.n], g.w, offs)
	}
}
