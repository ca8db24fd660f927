package flagship

import (
	"fmt"
	"math"
)

// NamedTensor is one array of model state for saving. Exactly one of F32 and
// I32 is set.
type NamedTensor struct {
	Name  string
	Shape []int
	F32   []float32
	I32   []int32
}

// Tensors returns everything needed to restore the model: weights, the fixed
// structure (CSR indices), feedback matrices, thresholds and the training
// counters (epoch, minibatches), which also fix the shuffling stream.
func (m *Model) Tensors() []NamedTensor {
	f := func(name string, x []float32, shape ...int) NamedTensor {
		return NamedTensor{Name: name, Shape: shape, F32: append([]float32(nil), x...)}
	}
	i := func(name string, x []int32) NamedTensor {
		return NamedTensor{Name: name, Shape: []int{len(x)}, I32: append([]int32(nil), x...)}
	}
	n0 := m.layers[0].n
	ts := []NamedTensor{f("w_in", m.wIn, m.inputDim, n0)}
	pr := func(pfx string, p *proj) {
		if p == nil {
			return
		}
		ts = append(ts, i(pfx+".row_ptr", p.rowPtr), i(pfx+".post", p.post), f(pfx+".w", p.w, len(p.w)))
	}
	for k, l := range m.layers {
		p := fmt.Sprintf("layer%d", k)
		ts = append(ts, f(p+".theta", l.theta, l.n))
		pr(p+".rec", l.rec)
		pr(p+".ff", l.ff)
		pr(p+".out", l.out)
		if l.modG != nil {
			ts = append(ts, f(p+".mod_g", l.modG, m.cfg.ModNeurons, m.classes), f(p+".mod_a", l.modA, l.n, m.cfg.ModNeurons))
		} else {
			ts = append(ts, f(p+".fb_b", l.fbB, l.n, m.classes))
		}
	}
	ts = append(ts, NamedTensor{Name: "counters", Shape: []int{3},
		I32: []int32{int32(m.epoch), int32(m.batches & math.MaxInt32), int32(m.batches >> 31)}})
	return ts
}

// Load rebuilds a model saved by Tensors. c, inputDim and classes must match
// the saved model's.
func Load(c Config, inputDim, classes int, ts []NamedTensor) (*Model, error) {
	m, err := New(c, inputDim, classes)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]NamedTensor, len(ts))
	for _, t := range ts {
		byName[t.Name] = t
	}
	getF := func(name string, dst []float32) error {
		t, ok := byName[name]
		if !ok {
			return fmt.Errorf("flagship: tensor %q missing", name)
		}
		if len(t.F32) != len(dst) {
			return fmt.Errorf("flagship: tensor %q has %d values, config needs %d", name, len(t.F32), len(dst))
		}
		for _, v := range t.F32 {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("flagship: tensor %q holds non-finite values", name)
			}
		}
		copy(dst, t.F32)
		return nil
	}
	getP := func(pfx string, p *proj) error {
		if p == nil {
			return nil
		}
		rp, ok1 := byName[pfx+".row_ptr"]
		po, ok2 := byName[pfx+".post"]
		w, ok3 := byName[pfx+".w"]
		if !ok1 || !ok2 || !ok3 {
			return fmt.Errorf("flagship: projection %q missing", pfx)
		}
		if len(rp.I32) != p.nPre+1 || len(po.I32) != len(w.F32) || int(rp.I32[p.nPre]) != len(po.I32) || rp.I32[0] != 0 {
			return fmt.Errorf("flagship: projection %q has inconsistent structure", pfx)
		}
		for r := 0; r < p.nPre; r++ {
			if rp.I32[r] > rp.I32[r+1] {
				return fmt.Errorf("flagship: projection %q row pointers decrease", pfx)
			}
		}
		for _, q := range po.I32 {
			if q < 0 || int(q) >= p.nPost {
				return fmt.Errorf("flagship: projection %q targets %d out of range", pfx, q)
			}
		}
		p.rowPtr = append([]int32(nil), rp.I32...)
		p.post = append([]int32(nil), po.I32...)
		p.index()
		p.w = make([]float32, len(w.F32))
		return getF(pfx+".w", p.w)
	}
	if err := getF("w_in", m.wIn); err != nil {
		return nil, err
	}
	for k, l := range m.layers {
		p := fmt.Sprintf("layer%d", k)
		if err := getF(p+".theta", l.theta); err != nil {
			return nil, err
		}
		for _, t := range l.theta {
			if t <= 0 {
				return nil, fmt.Errorf("flagship: %s.theta holds a non-positive threshold", p)
			}
		}
		l.refresh()
		for _, x := range []struct {
			n string
			p *proj
		}{{".rec", l.rec}, {".ff", l.ff}, {".out", l.out}} {
			if err := getP(p+x.n, x.p); err != nil {
				return nil, err
			}
		}
		if l.ff != nil {
			l.ff.buildPad() // structure and weights were replaced
		}
		if l.modG != nil {
			if err := getF(p+".mod_g", l.modG); err != nil {
				return nil, err
			}
			if err := getF(p+".mod_a", l.modA); err != nil {
				return nil, err
			}
		} else if err := getF(p+".fb_b", l.fbB); err != nil {
			return nil, err
		}
	}
	m.buildTopo()
	ct, ok := byName["counters"]
	if !ok || len(ct.I32) != 3 {
		return nil, fmt.Errorf("flagship: counters missing")
	}
	m.epoch = int(ct.I32[0])
	m.batches = int64(ct.I32[1]) | int64(ct.I32[2])<<31
	return m, nil
}

// InputWeights returns the input→layer-1 weights (row j = input feature j,
// inputDim rows × n0 columns; a view, do not modify).
func (m *Model) InputWeights() (w []float32, rows, cols int) {
	return m.wIn, m.inputDim, m.layers[0].n
}

// ReceptiveFields returns, for each class, the effective linear weight of
// every input feature on that class's readout population through layer 1
// (W_in followed by layer 1's readout projection): classes × inputDim.
func (m *Model) ReceptiveFields() [][]float32 {
	l := m.layers[0]
	n0, P := l.n, m.cfg.ReadoutPerClass
	cw := make([]float32, n0*m.classes) // hidden i → class c
	for j := 0; j < n0; j++ {
		for s := l.out.rowPtr[j]; s < l.out.rowPtr[j+1]; s++ {
			cw[j*m.classes+int(l.out.post[s])/P] += l.out.w[s]
		}
	}
	rf := make([][]float32, m.classes)
	for c := range rf {
		rf[c] = make([]float32, m.inputDim)
		for j := 0; j < m.inputDim; j++ {
			row := m.wIn[j*n0 : (j+1)*n0]
			var s float32
			for i, w := range row {
				s += w * cw[i*m.classes+c]
			}
			rf[c][j] = s
		}
	}
	return rf
}

// Raster simulates one sample (Steps×Dim values) and returns its spikes:
// one list per layer, then the readout population (index K), plus the
// predicted class.
func (m *Model) Raster(x []float32) ([][]Spike, uint8) {
	st := m.newState()
	rec := make([][]Spike, len(m.layers)+1)
	rec = m.simulate(st, x, false, rec)
	return rec, uint8(argmax(st.score))
}

// Projection describes one projection for pictures: CSR by presynaptic
// neuron, with Kind "rec" (block recurrence of layer Layer), "ff" (layer
// Layer−1 → Layer) or "out" (layer Layer → readout).
type Projection struct {
	Kind        string
	Layer       int
	NPre, NPost int
	RowPtr      []int32
	Post        []int32
	W           []float32
}

// Projections lists every sparse projection of the network (views).
func (m *Model) Projections() []Projection {
	var ps []Projection
	for k, l := range m.layers {
		for _, x := range []struct {
			kind string
			p    *proj
		}{{"rec", l.rec}, {"ff", l.ff}, {"out", l.out}} {
			if x.p != nil {
				ps = append(ps, Projection{x.kind, k, x.p.nPre, x.p.nPost, x.p.rowPtr, x.p.post, x.p.w})
			}
		}
	}
	return ps
}

// Thresholds returns the homeostatic threshold of every neuron of layer k (a view).
func (m *Model) Thresholds(k int) []float32 { return m.layers[k].theta }

// FiringRates returns each layer's mean firing rate in Hz over the first n
// samples of x (Steps×Dim values each, concatenated), plus the readout's.
func (m *Model) FiringRates(x []float32, n int) []float64 {
	st := m.newState()
	per := len(x) / max(n, 1)
	rates := make([]float64, len(m.layers)+1)
	for i := 0; i < n; i++ {
		m.simulate(st, x[i*per:(i+1)*per], false, nil)
		total, window, _ := m.steps(per)
		for k := range m.layers {
			var s float64
			for _, c := range st.cnt[k] {
				s += float64(c)
			}
			rates[k] += s / float64(len(st.cnt[k])*total) * 1000 / float64(n)
		}
		var s float64
		for _, c := range st.cnto {
			s += float64(c)
		}
		rates[len(m.layers)] += s / float64(len(st.cnto)*window) * 1000 / float64(n)
	}
	return rates
}

// ReadoutDensity returns the realised fraction of (hidden, readout) pairs
// that are connected.
func (m *Model) ReadoutDensity() float64 {
	var nnz, pairs int
	for _, l := range m.layers {
		nnz += len(l.out.post)
		pairs += l.n * m.nOut
	}
	return float64(nnz) / float64(pairs)
}

// SampleSteps is the simulated time (steps of 1 ms) of one sample of
// len(x) values: T for a static input, Steps·HoldSteps for a sequence.
func (m *Model) SampleSteps(x []float32) int {
	total, _, _ := m.steps(len(x))
	return total
}
