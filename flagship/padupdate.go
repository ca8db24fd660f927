package flagship

import "github.com/engram-lab/engram/internal/f32"

// Minibatch update of a padded (small-world) projection.
//
// updateRows changes a scattered row synapse by synapse, gathering d at each
// target, once per slot. updatePadded instead updates the padded copy: a
// segment's targets are consecutive, so its weights receive
// lr·pre_sj·d_s[p0 : p0+n] for every slot s by f32.AxpyRows, the segment held
// in registers across the slots. Each synapse gets exactly the operations of
// updateRows in slot order (product lr·pre_sj·d rounded, then the add; slots
// with pre_sj = 0 skipped), so the weights are bit-identical. The holes of a
// segment also receive products; they are reset to +0 afterwards, which
// keeps padded delivery exact (see padded). The extras are updated one by
// one, and the CSR weights (p.w, what Tensors and Projections expose) are
// copied back from the padded copy.

// buildHoles lists, for every row, the positions of d.w that hold no synapse.
func (p *proj) buildHoles() {
	d := p.pad
	used := make([]bool, len(d.w))
	for _, k := range d.at {
		if k >= 0 {
			used[k] = true
		}
	}
	d.holePtr = make([]int32, p.nPre+1)
	d.holes = d.holes[:0]
	for j := 0; j < p.nPre; j++ {
		for _, s := range d.segs[d.segPtr[j]:d.segPtr[j+1]] {
			for k := s.off; k < s.off+s.n; k++ {
				if !used[k] {
					d.holes = append(d.holes, k)
				}
			}
		}
		d.holePtr[j+1] = int32(len(d.holes))
	}
}

// updatePadded adds lr·pre_s[j]·d_s[post] to every synapse of rows [lo, hi)
// for every slot s in order (pre_s[j] = 0 skipped): the update of calling
// updateRows once per slot. dAll holds the slots' d side by side (nPost
// values each); pres[s] is slot s's presynaptic factor. st supplies the
// worker's scratch.
func (p *proj) updatePadded(pres [][]float32, dAll []float32, lo, hi int, lr float32, st *state) {
	d := p.pad
	B := len(pres)
	if cap(st.rowOffs) < B {
		st.cursor = make([]int32, B)
		st.rowOffs = make([]int32, B)
		st.rowCoefs = make([]float32, B)
	}
	n := int32(p.nPost)
	for j := lo; j < hi; j++ {
		offs, coefs := st.rowOffs[:0], st.rowCoefs[:0]
		for s, pre := range pres {
			if pj := pre[j]; pj != 0 {
				offs = append(offs, int32(s)*n)
				coefs = append(coefs, lr*pj)
			}
		}
		if len(offs) == 0 {
			continue
		}
		a, b := p.rowPtr[j], p.rowPtr[j+1]
		if p0 := p.contig[j]; p0 >= 0 {
			for q, o := range offs {
				axpy(coefs[q], dAll[o+p0:o+p0+b-a], p.w[a:b])
			}
			continue
		}
		for _, sg := range d.segs[d.segPtr[j]:d.segPtr[j+1]] {
			f32.AxpyRows(d.w[sg.off:sg.off+sg.n], dAll[sg.p0:], offs, coefs)
		}
		for _, k := range d.holes[d.holePtr[j]:d.holePtr[j+1]] {
			d.w[k] = 0
		}
		ea, eb := d.exPtr[j], d.exPtr[j+1]
		exPost, exW := d.exPost[ea:eb], d.exW[ea:eb]
		exW = exW[:len(exPost)]
		updateExtras(exPost, exW, dAll, offs, coefs)
		at, w := d.at[a:b], p.w[a:b]
		w = w[:len(at)]
		for q, k := range at {
			if k >= 0 {
				w[q] = d.w[k]
			} else if k != noPad {
				w[q] = d.exW[-1-k]
			}
		}
	}
	p.syncGroups(lo, hi)
}

// ffBatch is one layer's minibatch input to updatePadded.
type ffBatch struct {
	dAll []float32   // the slots' d of the layer, side by side; nil = use updateRows
	pre  [][]float32 // the slots' presynaptic factors (mean traces of the layer below)
	buf  []float32   // storage of dAll
}

// ffBatch fills m.ffB for the layers whose feed-forward projection is padded
// (use) or marks every layer for updateRows (!use).
func (m *Model) ffBatch(slots []*slot, use bool) {
	if m.ffB == nil {
		m.ffB = make([]ffBatch, len(m.layers))
	}
	for k, l := range m.layers {
		b := &m.ffB[k]
		b.dAll, b.pre = nil, b.pre[:0]
		if !use || l.ff == nil || l.ff.pad == nil {
			continue
		}
		n := l.n
		if cap(b.buf) < len(slots)*n {
			b.buf = make([]float32, len(slots)*n)
		}
		b.dAll = b.buf[:len(slots)*n]
		for s, sl := range slots {
			copy(b.dAll[s*n:(s+1)*n], sl.d[k])
			b.pre = append(b.pre, sl.pre[k-1])
		}
	}
}

// updateExtras sets w[x] += coefs[q]·dAll[offs[q]+post[x]] for q in order,
// for every extra synapse x. Four synapses are updated side by side so that
// their independent sums overlap instead of each waiting on its own chain of
// dependent additions; each synapse still gets its additions in slot order.
func updateExtras(post []int32, w, dAll []float32, offs []int32, coefs []float32) {
	w = w[:len(post)]
	coefs = coefs[:len(offs)]
	x := 0
	for ; x+4 <= len(post); x += 4 {
		i0, i1, i2, i3 := post[x], post[x+1], post[x+2], post[x+3]
		v0, v1, v2, v3 := w[x], w[x+1], w[x+2], w[x+3]
		for q, o := range offs {
			c := coefs[q]
			v0 += c * dAll[o+i0]
			v1 += c * dAll[o+i1]
			v2 += c * dAll[o+i2]
			v3 += c * dAll[o+i3]
		}
		w[x], w[x+1], w[x+2], w[x+3] = v0, v1, v2, v3
	}
	for ; x < len(post); x++ {
		i, v := post[x], w[x]
		for q, o := range offs {
			v += coefs[q] * dAll[o+i]
		}
		w[x] = v
	}
}
