package flagship

import "github.com/engram-lab/engram/internal/f32"

// index records, for every row of p, whether its targets are one stretch of
// consecutive neurons (dense blocks, the dense readout) and where it starts,
// so delivery and row updates need not read the targets of such rows.
// Small-world rows are mostly broken into stretches of 1–3 targets and keep
// the scatter loop.
func (p *proj) index() {
	p.contig = make([]int32, p.nPre)
	for j := range p.contig {
		lo, hi := p.rowPtr[j], p.rowPtr[j+1]
		p.contig[j] = -1
		if lo < hi && p.post[hi-1]-p.post[lo] == hi-1-lo {
			ok := true
			for q := lo + 1; q < hi; q++ {
				ok = ok && p.post[q] == p.post[q-1]+1
			}
			if ok {
				p.contig[j] = p.post[lo]
			}
		}
	}
}

// deliver adds presynaptic row j's weights to buf (event-driven). Every
// element of buf receives the same additions in the same order as a
// synapse-by-synapse loop (x + 1·w = x + w exactly), so the vector path is
// bit-identical to the scatter loop.
func (p *proj) deliver(j int32, buf []float32) {
	lo, hi := p.rowPtr[j], p.rowPtr[j+1]
	w := p.w[lo:hi]
	if p0 := p.contig[j]; p0 >= 0 {
		f32.Add(buf[p0:p0+hi-lo], w)
		return
	}
	if p.pad != nil {
		p.deliverPadded(j, buf)
		return
	}
	post := p.post[lo:hi]
	w = w[:len(post)]
	for q, i := range post {
		buf[i] += w[q]
	}
}

// updateRows adds lr·pre_j·d_post to every synapse of presynaptic rows [lo, hi).
func updateRows(p *proj, lo, hi int, pre, d []float32, lr float32) {
	for j := lo; j < hi; j++ {
		pj := pre[j]
		if pj == 0 {
			continue
		}
		c := lr * pj
		a, b := p.rowPtr[j], p.rowPtr[j+1]
		w := p.w[a:b]
		if p0 := p.contig[j]; p0 >= 0 {
			axpy(c, d[p0:p0+b-a], w)
			continue
		}
		post := p.post[a:b]
		w = w[:len(post)]
		for q, i := range post {
			w[q] += c * d[i]
		}
	}
}

// deliverAll delivers the rows of the spikes spk, in order, to buf. Runs of
// consecutive spikes whose rows are contiguous with the same targets (a
// dense block, the dense readout) are summed by f32.SumRows, which keeps the
// targets in registers across the rows; every target still receives the
// rows' weights in spike order, and a group is flushed before any other row
// is delivered, so the result is bit-identical to delivering row by row.
// offs is scratch with capacity ≥ len(spk).
func (p *proj) deliverAll(spk []int32, buf []float32, offs []int32) {
	if p.grp != nil {
		p.deliverGrouped(spk, buf, offs)
		return
	}
	offs = offs[:0]
	var g0, gn int32 = -1, 0 // targets of the current group: buf[g0 : g0+gn]
	for _, j := range spk {
		lo, hi := p.rowPtr[j], p.rowPtr[j+1]
		if p0 := p.contig[j]; p0 >= 0 {
			if p0 != g0 || hi-lo != gn {
				if len(offs) > 0 {
					f32.SumRows(buf[g0:g0+gn], p.w, offs)
					offs = offs[:0]
				}
				g0, gn = p0, hi-lo
			}
			offs = append(offs, lo)
			continue
		}
		if len(offs) > 0 {
			f32.SumRows(buf[g0:g0+gn], p.w, offs)
			offs = offs[:0]
		}
		g0 = -1
		if p.pad != nil {
			p.deliverPadded(j, buf)
			continue
		}
		post, w := p.post[lo:hi], p.w[lo:hi]
		w = w[:len(post)]
		for q, i := range post {
			buf[i] += w[q]
		}
	}
	if len(offs) > 0 {
		f32.SumRows(buf[g0:g0+gn], p.w, offs)
	}
}
