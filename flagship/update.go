package flagship

import "github.com/engram-lab/engram/internal/f32"

// updateInputRows applies the static-input part of a minibatch update to the
// columns [lo, hi) of W_in: row j receives lr·x_sj·d_s for every slot s whose
// input j is non-zero (dAll holds the slots' d side by side). Each weight
// gets exactly the additions, in slot order, of the slot-by-slot loop
// (bit-identical), but a row chunk is loaded into registers once and all
// slots' contributions are applied before it is stored (f32.AxpyRows) —
// W_in is 6 MB for the default network and was otherwise streamed from
// memory once per slot. st supplies the worker's scratch.
func (m *Model) updateInputRows(slots []*slot, dAll []float32, lo, hi int, lr float32, st *state) {
	B := len(slots)
	if cap(st.cursor) < B {
		st.cursor = make([]int32, B)
		st.rowOffs = make([]int32, B)
		st.rowCoefs = make([]float32, B)
	}
	cur := st.cursor[:B]
	clear(cur)
	n0 := m.layers[0].n
	for j := 0; j < m.inputDim; j++ {
		offs, coefs := st.rowOffs[:0], st.rowCoefs[:0]
		for s, sl := range slots {
			q := cur[s]
			if int(q) < len(sl.xIdx) && sl.xIdx[q] == int32(j) {
				offs = append(offs, int32(s*n0+lo))
				coefs = append(coefs, lr*sl.xVal[q])
				cur[s] = q + 1
			}
		}
		if len(offs) > 0 {
			f32.AxpyRows(m.wIn[j*n0+lo:j*n0+hi], dAll, offs, coefs)
		}
	}
}
