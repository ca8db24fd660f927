package flagship

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// EpochStats summarises one training epoch.
type EpochStats struct {
	Epoch         int       // 1-based index of the epoch just finished
	Samples       int       // samples seen
	Correct       int       // training predictions that were right (before the update)
	Accuracy      float64   // Correct / Samples
	Loss          float64   // mean −log p(label) of the soft WTA
	Rates         []float64 // mean firing rate of each layer, Hz
	ReadoutRate   float64   // mean readout firing rate, Hz
	Seconds       float64   // wall time
	SamplesPerSec float64
}

// slot holds what one sample contributes to a minibatch update.
type slot struct {
	label, pred int
	loss        float32
	bad         bool
	L, d        [][]float32 // learning signal and L·Ψ per layer
	pre, preWin [][]float32 // mean presynaptic trace (all steps / readout window)
	rate        [][]float32 // spikes per step per neuron
	eo          []float32   // readout error per readout neuron
	delta       []float32   // population error δ_c
	xIdx        []int32
	xVal        []float32
	elig        []float32   // sequence mode: Σ_t e_ji / steps (inputDim × n0)
	recElig     [][]float32 // sequence mode, learned recurrence: Σ_t e per recurrent synapse / steps
	ffElig      [][]float32 // sequence mode, ff_elig: Σ_t e per long-range input synapse / steps
	orate       float32
	aug         []float32 // augmented copy of the input image (augment.go)
	augField    []float32 // elastic displacement fields and scratch (3 × image)
	augKern     []float32 // Gaussian kernel of the elastic smoothing
	augSigma    float64   // its width, pixels
}

func (m *Model) newSlot() *slot {
	s := &slot{eo: make([]float32, m.nOut), delta: make([]float32, m.classes)}
	for _, l := range m.layers {
		s.L = append(s.L, make([]float32, l.n))
		s.d = append(s.d, make([]float32, l.n))
		s.pre = append(s.pre, make([]float32, l.n))
		s.preWin = append(s.preWin, make([]float32, l.n))
		s.rate = append(s.rate, make([]float32, l.n))
	}
	s.xIdx = make([]int32, 0, m.inputDim)
	s.xVal = make([]float32, 0, m.inputDim)
	return s
}

// learnSample simulates one sample and fills its slot with the local factors.
func (m *Model) learnSample(st *state, sl *slot, x []float32, label int) {
	total, window, seq := m.steps(len(x))
	m.simulate(st, x, true, nil)
	c := m.cfg
	sl.label = label
	sl.pred = argmax(st.score)
	sl.loss = softWTA(st.p, st.score, float32(c.WTABeta), label)
	sl.bad = false
	for _, v := range st.score {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || math.Abs(float64(v)) > 1e7 {
			sl.bad = true
		}
	}
	// soft WTA teaching: δ_c = onehot − p; every neuron of population c gets δ_c
	delta := st.p // reuse: δ in place
	for cl := range delta {
		y := float32(0)
		if cl == label {
			y = 1
		}
		delta[cl] = y - st.p[cl]
	}
	copy(sl.delta, delta)
	P := c.ReadoutPerClass
	var ocnt float32
	for o := range sl.eo {
		sl.eo[o] = delta[o/P]
		ocnt += st.cnto[o]
	}
	sl.orate = ocnt / float32(len(sl.eo)*window)
	invT := 1 / float32(total)
	invW := 1 / float32(window)
	invE := invT // 1 / number of steps over which ψ and eligibilities were summed
	if seq && c.EligWindow {
		invE = invW
	}
	var mod [256]float32
	for k, l := range m.layers {
		L, d := sl.L[k], sl.d[k]
		if c.HiddenLearning {
			if l.modG != nil {
				M := c.ModNeurons
				md := mod[:0]
				if M > len(mod) {
					md = make([]float32, 0, M)
				}
				for a := 0; a < M; a++ {
					var s float32
					g := l.modG[a*m.classes : (a+1)*m.classes]
					for cl, dv := range delta {
						s += g[cl] * dv
					}
					md = append(md, s)
				}
				rowDots(L, l.modA, md) // L_i = Σ_a A_ia·md_a
			} else {
				rowDots(L, l.fbB, delta) // L_i = Σ_c B_ic·δ_c
			}
			if tf := float32(c.TopoFeedback); tf != 0 {
				if l.topoSame {
					// every row of topo is the same (dense readout): one dot
					// product, bit-identical to computing it per neuron
					var ts [1]float32
					rowDots(ts[:], l.topo[:len(delta)], delta)
					for i := range L {
						L[i] += tf * ts[0]
					}
				} else {
					ts := st.dots[:len(L)]
					rowDots(ts, l.topo, delta) // Σ_c topo_ic·δ_c
					for i, s := range ts {
						L[i] += tf * s
					}
				}
			}
			psi := st.psi[k][:len(d)]
			for i := range d {
				d[i] = L[i] * psi[i] * invE
			}
		}
		pre, pw, rt := sl.pre[k], sl.preWin[k], sl.rate[k]
		trS := st.trSum[k]
		trW := st.trWin[k]
		if window == total {
			// the readout window is the whole sample: the window sum is the
			// full sum (same additions, same order), which simulate's fast
			// path does not accumulate twice
			trW = trS
		}
		invS := invT
		if invE != invT {
			trS, invS = trW, invW
		}
		trW = trW[:len(pre)]
		for i := range pre {
			pre[i] = trS[i] * invS
			pw[i] = trW[i] * invW
			rt[i] = st.cnt[k][i] * invT
		}
	}
	sl.xIdx, sl.xVal = sl.xIdx[:0], sl.xVal[:0]
	if !seq {
		for j, v := range x[:m.inputDim] {
			if v != 0 {
				sl.xIdx = append(sl.xIdx, int32(j))
				sl.xVal = append(sl.xVal, v)
			}
		}
	} else if c.HiddenLearning {
		if sl.elig == nil {
			sl.elig = make([]float32, len(st.elig))
		}
		for i, e := range st.elig {
			sl.elig[i] = e * invE
		}
		sl.recElig = scaledCopy(sl.recElig, st.recElig, invE)
		sl.ffElig = scaledCopy(sl.ffElig, st.ffElig, invE)
	}
}

// scaledCopy sets dst[k] = f·src[k] for every non-nil src[k], allocating
// dst and its entries on first use, and returns dst.
func scaledCopy(dst, src [][]float32, f float32) [][]float32 {
	if dst == nil {
		dst = make([][]float32, len(src))
	}
	for k, e := range src {
		if e == nil {
			continue
		}
		if dst[k] == nil {
			dst[k] = make([]float32, len(e))
		}
		d := dst[k][:len(e)]
		for q, v := range e {
			d[q] = v * f
		}
	}
	return dst
}

// parallel runs f(w) for w in [0, Workers) and waits.
func (m *Model) parallel(f func(w int)) {
	W := len(m.pool)
	if W == 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for w := 1; w < W; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); f(w) }()
	}
	f(0) // the calling goroutine is worker 0 rather than idling in Wait
	wg.Wait()
}

func split(n, w, W int) (lo, hi int) { return n * w / W, n * (w + 1) / W }

// applyBatch adds the summed updates of slots (in slot order) to the weights.
// Each worker owns a disjoint range of rows/columns, so the result does not
// depend on the number of workers.
func (m *Model) applyBatch(slots []*slot, seq bool) {
	c := m.cfg
	decay := math.Pow(c.LRDecay, float64(m.epoch))
	B := float32(len(slots))
	lrIn := float32(c.LRIn*decay) / B
	lrH := float32(c.LRHidden*decay) / B
	// readout rate normalised by the realised readout density (fan-in)
	lrO := float32(c.LROut*decay/m.outDensity) / B
	n0 := m.layers[0].n
	W := len(m.pool)
	// static inputs: the slots' layer-0 factors side by side for updateInputRows
	var dAll []float32
	if c.HiddenLearning && lrIn != 0 && !seq && len(slots)*n0 <= math.MaxInt32 {
		if need := len(slots) * n0; cap(m.dBatch) < need {
			m.dBatch = make([]float32, need)
		}
		dAll = m.dBatch[:len(slots)*n0]
		for s, sl := range slots {
			copy(dAll[s*n0:(s+1)*n0], sl.d[0])
		}
	}
	// padded feed-forward projections: the slots' factors side by side for updatePadded
	nMax := 0
	for _, l := range m.layers {
		nMax = max(nMax, l.n)
	}
	ffElig := seq && c.FFElig // per-synapse eligibilities replace the factors ffBatch gathers
	m.ffBatch(slots, c.LearnFF && c.HiddenLearning && !ffElig && len(slots)*nMax <= math.MaxInt32)
	m.parallel(func(w int) {
		if c.HiddenLearning && lrIn != 0 {
			lo, hi := split(n0, w, W)
			if dAll != nil {
				m.updateInputRows(slots, dAll, lo, hi, lrIn, m.pool[w])
			}
			for _, sl := range slots {
				d := sl.d[0][lo:hi]
				if !seq {
					if dAll != nil {
						break // done by updateInputRows
					}
					for q, j := range sl.xIdx {
						axpy(lrIn*sl.xVal[q], d, m.wIn[int(j)*n0+lo:int(j)*n0+hi])
					}
				} else {
					L := sl.L[0][lo:hi]
					for j := 0; j < m.inputDim; j++ {
						row := m.wIn[j*n0+lo : j*n0+hi]
						el := sl.elig[j*n0+lo : j*n0+hi]
						row = row[:len(L)]
						el = el[:len(L)]
						for i, lv := range L {
							row[i] += lrIn * lv * el[i]
						}
					}
				}
			}
		}
		for k, l := range m.layers {
			if l.rec != nil && c.LearnRecurrent && c.HiddenLearning {
				lo, hi := split(l.n, w, W)
				for _, sl := range slots {
					if seq && sl.recElig != nil && sl.recElig[k] != nil {
						// exact per-synapse eligibility: ΔW_ij = η L_i e_ij
						updateRowsElig(l.rec, lo, hi, sl.L[k], sl.recElig[k], lrH)
					} else {
						updateRows(l.rec, lo, hi, sl.pre[k], sl.d[k], lrH)
					}
				}
				if l.rec.sign != nil {
					clipDale(l.rec, lo, hi)
				}
				for j := lo; j < hi; j++ {
					if q := l.rec.diag[j]; q >= 0 {
						l.rec.w[q] = 0
					}
				}
			}
			if l.ff != nil && c.LearnFF && c.HiddenLearning {
				lo, hi := split(l.ff.nPre, w, W)
				if b := m.ffB[k]; b.dAll != nil {
					l.ff.updatePadded(b.pre, b.dAll, lo, hi, lrH, m.pool[w])
				} else {
					for _, sl := range slots {
						if ffElig {
							// exact per-synapse eligibility: ΔW_ji = η L_i e_ji
							updateRowsElig(l.ff, lo, hi, sl.L[k], sl.ffElig[k], lrH)
						} else {
							updateRows(l.ff, lo, hi, sl.pre[k-1], sl.d[k], lrH)
						}
					}
					l.ff.syncPad(lo, hi)
				}
			}
			// readout delta rule ΔW_oj = η δ_c(o) x̄_j: every neuron of a
			// population shares δ_c, so Σ_s δ_c x̄_j is summed per class first.
			lo, hi := split(l.n, w, W)
			C := m.classes
			g := m.gbuf[k][lo*C : hi*C]
			clear(g)
			for _, sl := range slots {
				pw := sl.preWin[k][lo:hi]
				for j, pj := range pw {
					if pj == 0 {
						continue
					}
					gj := g[j*C : j*C+C]
					for cl, dv := range sl.delta[:len(gj)] {
						gj[cl] += pj * dv
					}
				}
			}
			P := int32(c.ReadoutPerClass)
			for j := lo; j < hi; j++ {
				gj := g[(j-lo)*C : (j-lo)*C+C]
				a, b := l.out.rowPtr[j], l.out.rowPtr[j+1]
				post, ww := l.out.post[a:b], l.out.w[a:b]
				if o := l.out.contig[j]; o >= 0 {
					// consecutive targets o, o+1, …: step the class instead
					// of dividing (same update for every synapse)
					cl, next := o/P, (o/P+1)*P
					for q := range ww {
						if o == next {
							cl, next = cl+1, next+P
						}
						ww[q] += lrO * gj[cl]
						o++
					}
					continue
				}
				ww = ww[:len(post)]
				for q, o := range post {
					ww[q] += lrO * gj[o/P]
				}
			}
		}
	})
	// homeostasis: adaptive threshold toward the target rate (batch mean, sample order)
	if c.HomeoRate > 0 {
		h := float32(c.HomeoRate) / B
		tgt := float32(c.TargetRate)
		for k, l := range m.layers {
			for _, sl := range slots {
				r := sl.rate[k]
				for i := range l.theta {
					l.theta[i] += h * (r[i] - tgt)
				}
			}
			for i, t := range l.theta {
				if t < 0.05 {
					l.theta[i] = 0.05
				}
			}
			l.refresh()
		}
	}
	m.batches++
}

// updateRowsElig adds lr·L_post·e_q to every synapse q of presynaptic rows [lo, hi).
func updateRowsElig(p *proj, lo, hi int, L, e []float32, lr float32) {
	a, b := p.rowPtr[lo], p.rowPtr[hi]
	post, w, el := p.post[a:b], p.w[a:b], e[a:b]
	w = w[:len(post)]
	el = el[:len(post)]
	for q, i := range post {
		w[q] += lr * L[i] * el[q]
	}
}

func clipDale(p *proj, lo, hi int) {
	for j := lo; j < hi; j++ {
		a, b := p.rowPtr[j], p.rowPtr[j+1]
		w := p.w[a:b]
		if p.sign[j] > 0 {
			for q := range w {
				w[q] = max(w[q], 0)
			}
		} else {
			for q := range w {
				w[q] = min(w[q], 0)
			}
		}
	}
}

func (m *Model) checkSet(set *dataset.Set) error {
	if set == nil || set.N == 0 {
		return errors.New("flagship: empty dataset")
	}
	if set.Dim != m.inputDim {
		return fmt.Errorf("flagship: dataset has %d features per step, model expects %d", set.Dim, m.inputDim)
	}
	if set.Steps < 1 || len(set.X) < set.N*set.Steps*set.Dim || len(set.Y) < set.N {
		return fmt.Errorf("flagship: dataset %q is malformed", set.Name)
	}
	return nil
}

// TrainEpoch runs one epoch over train in a seeded shuffled order with
// minibatches of BatchSize. ctx is checked between minibatches; progress (if
// not nil) is called after each with the samples done and training
// predictions correct so far. It returns an error on cancellation, on a
// non-finite or diverging network, or on a bad dataset.
func (m *Model) TrainEpoch(ctx context.Context, train *dataset.Set, progress func(done, correct int)) (EpochStats, error) {
	var st EpochStats
	if err := m.checkSet(train); err != nil {
		return st, err
	}
	for i := 0; i < train.N; i++ {
		if int(train.Y[i]) >= m.classes {
			return st, fmt.Errorf("flagship: label %d of sample %d ≥ %d classes", train.Y[i], i, m.classes)
		}
	}
	start := time.Now()
	r := rng.Named(m.cfg.Seed, fmt.Sprintf("flagship/shuffle/%d", m.epoch))
	order := r.Perm(train.N)
	B := m.cfg.BatchSize
	slots := make([]*slot, B)
	for i := range slots {
		slots[i] = m.newSlot()
	}
	seq := train.Steps > 1
	var augKey uint64
	if m.cfg.augmenting() && !seq && train.Width > 0 && train.Height*train.Width == train.Dim {
		augKey = rng.Key(m.cfg.Seed, fmt.Sprintf("flagship/augment/%d", m.epoch)) | 1
	}
	K := len(m.layers)
	rateSum := make([]float64, K)
	var oRate, loss float64
	for b0 := 0; b0 < train.N; b0 += B {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		nb := min(B, train.N-b0)
		// samples are handed out one at a time (next), so a worker that
		// finishes early or gets more CPU takes the remaining ones; a
		// sample's result does not depend on which worker simulates it
		var next atomic.Int32
		m.parallel(func(w int) {
			for q := int(next.Add(1)) - 1; q < nb; q = int(next.Add(1)) - 1 {
				idx := order[b0+q]
				x := train.Sample(idx)
				if augKey != 0 {
					x = augmentImage(slots[q], &m.cfg, x, train.Width, train.Height, augKey, uint64(idx))
				}
				m.learnSample(m.pool[w], slots[q], x, int(train.Y[idx]))
			}
		})
		for _, sl := range slots[:nb] {
			if sl.bad {
				return st, fmt.Errorf("flagship: network diverged (non-finite or huge readout) at epoch %d, sample %d", m.epoch+1, st.Samples)
			}
			st.Samples++
			if sl.pred == sl.label {
				st.Correct++
			}
			loss += float64(sl.loss)
			oRate += float64(sl.orate)
			for k := range rateSum {
				var s float64
				for _, v := range sl.rate[k] {
					s += float64(v)
				}
				rateSum[k] += s / float64(len(sl.rate[k]))
			}
		}
		m.applyBatch(slots[:nb], seq)
		if progress != nil {
			progress(st.Samples, st.Correct)
		}
	}
	m.epoch++
	st.Epoch = m.epoch
	st.Accuracy = float64(st.Correct) / float64(st.Samples)
	st.Loss = loss / float64(st.Samples)
	if math.IsNaN(st.Loss) || m.weightsBad() {
		return st, fmt.Errorf("flagship: non-finite weights after epoch %d", m.epoch)
	}
	for k := range rateSum {
		st.Rates = append(st.Rates, rateSum[k]/float64(st.Samples)*1000)
	}
	st.ReadoutRate = oRate / float64(st.Samples) * 1000
	st.Seconds = time.Since(start).Seconds()
	st.SamplesPerSec = float64(st.Samples) / st.Seconds
	return st, nil
}

func (m *Model) weightsBad() bool {
	chk := func(w []float32) bool {
		var s float32
		for _, v := range w {
			s += v * 0
		}
		return s != 0 || math.IsNaN(float64(s))
	}
	if chk(m.wIn) {
		return true
	}
	for _, l := range m.layers {
		if chk(l.out.w) || chk(l.theta) || (l.ff != nil && chk(l.ff.w)) || (l.rec != nil && chk(l.rec.w)) {
			return true
		}
	}
	return false
}

// Evaluate returns the accuracy on set and the predicted class per sample.
func (m *Model) Evaluate(set *dataset.Set) (float64, []uint8) {
	if m.checkSet(set) != nil {
		return 0, nil
	}
	preds := make([]uint8, set.N)
	W := len(m.pool)
	m.parallel(func(w int) {
		lo, hi := split(set.N, w, W)
		st := m.pool[w]
		for i := lo; i < hi; i++ {
			m.simulate(st, set.Sample(i), false, nil)
			preds[i] = uint8(argmax(st.score))
		}
	})
	correct := 0
	for i, p := range preds {
		if p == set.Y[i] {
			correct++
		}
	}
	return float64(correct) / float64(set.N), preds
}

// Predictor is reusable per-goroutine inference state.
type Predictor struct {
	m  *Model
	st *state
}

// NewPredictor returns inference state for one goroutine.
func (m *Model) NewPredictor() *Predictor { return &Predictor{m: m, st: m.newState()} }

// Predict classifies one sample (Steps×Dim values) without allocating.
func (p *Predictor) Predict(x []float32) uint8 {
	p.m.simulate(p.st, x, false, nil)
	return uint8(argmax(p.st.score))
}

// Scores returns the readout population scores of the last Predict.
func (p *Predictor) Scores() []float32 { return p.st.score }

// Predict classifies one sample (convenience; allocates inference state).
func (m *Model) Predict(x []float32) uint8 { return m.NewPredictor().Predict(x) }

// shiftImage writes x (an h×w image, row-major) translated by (dx, dy) into
// the slot's buffer, zero-filling the uncovered border, and returns it. The
// shift of sample idx is drawn from the counter-based stream key, so it does
// not depend on which worker simulates the sample.
func shiftImage(sl *slot, x []float32, w, h, s int, key, idx uint64) []float32 {
	if cap(sl.aug) < len(x) {
		sl.aug = make([]float32, len(x))
	}
	out := sl.aug[:len(x)]
	dx, dy := shiftDraw(s, key, idx)
	clear(out)
	for y := range h {
		sy := y - dy
		if sy < 0 || sy >= h {
			continue
		}
		for xx := range w {
			sx := xx - dx
			if sx >= 0 && sx < w {
				out[y*w+xx] = x[sy*w+sx]
			}
		}
	}
	return out
}
