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
