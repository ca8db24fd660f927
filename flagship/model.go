// Package flagship implements P1 (Tang & Xie 2026), "Scalable Learning in
// Structured Recurrent Spiking Neural Networks without Backpropagation", as a
// self-contained engine: K stacked recurrent LIF/ALIF layers made of dense
// blocks, fixed-structure small-world long-range projections between layers
// and to a population-coded readout, and a strictly local three-factor
// learning rule (soft WTA teaching at the readout, fixed random feedback
// through small modulatory populations, eligibility = presynaptic trace ×
// pseudo-derivative, adaptive-threshold homeostasis). See docs/flagship.md for the
// equations as implemented.
package flagship

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/engram-lab/engram/connect"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/synapse"
)

// proj is a projection stored by presynaptic row (CSR), delay one step or
// zero (feed-forward within the step, see docs/flagship.md).
type proj struct {
	nPre, nPost int
	rowPtr      []int32
	post        []int32
	w           []float32
	sign        []int8   // Dale sign of each presynaptic neuron (nil = free)
	diag        []int32  // index of the (zero, fixed) autapse of each row, −1 if none
	contig      []int32  // first target of each row whose targets are consecutive, −1 otherwise (see index)
	pad         *padded  // padded copy of the scattered rows for delivery (nil = scatter; see padded)
	grp         *grouped // grouped copy of the padded rows for delivery (nil = none; see grouped)
}

func fromCSR(c *synapse.CSR) *proj {
	p := &proj{nPre: c.NPre, nPost: c.NPost, rowPtr: c.RowPtr, post: c.Post, w: c.W}
	p.index()
	return p
}

// layer is one recurrent layer with its incoming and outgoing projections.
type layer struct {
	n        int
	theta    []float32 // homeostatic thresholds
	invTheta []float32 // 1/θ, refreshed when θ changes
	rec      *proj     // block recurrence (nil if off)
	ff       *proj     // from previous layer (nil for layer 0)
	out      *proj     // to the readout
	// Feedback: with modulatory neurons L = A·(G·δ); otherwise L = B·δ.
	modG []float32 // M×C
	modA []float32 // n×M
	fbB  []float32 // n×C
	topo []float32 // n×C share of each neuron's readout synapses per class (TopoFeedback)
	// topoSame: all rows of topo are bitwise equal (dense readout), so the
	// topographic term is one dot product per layer and sample
	topoSame bool
}

// Model is a trained or trainable flagship network.
type Model struct {
	cfg      Config
	inputDim int
	classes  int
	nOut     int       // classes × P
	wIn      []float32 // inputDim × n0, row j = weights of input j
	layers   []*layer
	thetaOut float32

	alpha, kappa, rhoA float32

	epoch   int   // completed epochs
	batches int64 // minibatches applied

	pool []*state    // one per worker
	gbuf [][]float32 // per layer n×C readout update accumulator
	// dBatch holds a minibatch's layer-0 factors d, slot after slot (applyBatch)
	dBatch []float32
	// ffB[k] holds the minibatch's factors for layer k's padded feed-forward update (ffBatch)
	ffB []ffBatch

	outDensity float64 // realised readout density
}

// New builds a network for inputs of inputDim features and the given number
// of classes.
func New(c Config, inputDim, classes int) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if inputDim < 1 || classes < 2 || classes > 255 {
		return nil, fmt.Errorf("flagship: need inputDim ≥ 1 and 2 ≤ classes ≤ 255, have %d and %d", inputDim, classes)
	}
	m := &Model{cfg: c, inputDim: inputDim, classes: classes, nOut: classes * c.ReadoutPerClass, thetaOut: 1}
	m.cfg.Layers = append([]int(nil), c.Layers...)
	m.alpha = float32(math.Exp(-1 / c.TauMem))
	m.kappa = float32(math.Exp(-1 / c.TauPre))
	m.rhoA = float32(math.Exp(-1 / c.TauAdapt))

	n0 := c.Layers[0]
	r := rng.Named(c.Seed, "flagship/w_in")
	m.wIn = make([]float32, inputDim*n0)
	sd := c.InputGain / math.Sqrt(float64(inputDim)) * 3 // inputs are sparse (≈1/9 active) in [0,1]
	for i := range m.wIn {
		m.wIn[i] = float32(sd * r.NormFloat64())
	}
	for k, n := range c.Layers {
		l := &layer{n: n, theta: make([]float32, n)}
		for i := range l.theta {
			l.theta[i] = 1
		}
		l.invTheta = make([]float32, n)
		l.refresh()
		if c.Recurrent {
			rr := rng.Named(c.Seed, fmt.Sprintf("flagship/l%d/rec", k))
			bs := min(c.BlockSize, n)
			fan := float64(bs) * c.BlockDensity
			// same=false keeps the autapse in the pattern so that dense block
			// rows are contiguous (vector adds); its weight is held at zero.
			csr, err := connect.Build(connect.Blocks{Size: bs, P: c.BlockDensity}, n, n, false,
				connect.Normal(0, float32(c.RecGain/math.Sqrt(fan))), 1, rr)
			if err != nil {
				return nil, err
			}
			l.rec = fromCSR(csr)
			l.rec.diag = make([]int32, n)
			for j := 0; j < n; j++ {
				l.rec.diag[j] = -1
				for q := l.rec.rowPtr[j]; q < l.rec.rowPtr[j+1]; q++ {
					if int(l.rec.post[q]) == j {
						l.rec.diag[j] = q
						l.rec.w[q] = 0
					}
				}
			}
			if c.InhibitoryFraction > 0 {
				l.rec.sign = make([]int8, n)
				nE := int(math.Round(float64(bs) * (1 - c.InhibitoryFraction)))
				for j := 0; j < n; j++ {
					l.rec.sign[j] = 1
					if j%bs >= nE {
						l.rec.sign[j] = -1
					}
					lo, hi := l.rec.rowPtr[j], l.rec.rowPtr[j+1]
					for s := lo; s < hi; s++ {
						w := float32(math.Abs(float64(l.rec.w[s])))
						if l.rec.sign[j] < 0 {
							// inhibition balances the excitatory majority
							w *= float32((1 - c.InhibitoryFraction) / c.InhibitoryFraction)
							w = -w
						}
						l.rec.w[s] = w
					}
				}
			}
		}
		if k > 0 {
			rr := rng.Named(c.Seed, fmt.Sprintf("flagship/l%d/ff", k))
			nPre := c.Layers[k-1]
			var pat connect.Pattern = connect.SmallWorld{K: c.FFDegree, Beta: c.Rewire}
			if c.RandomSparse {
				pat = connect.FixedProb{P: float64(c.FFDegree) / float64(n)}
			}
			// fan-in per post ≈ K·nPre/n
			fan := float64(c.FFDegree) * float64(nPre) / float64(n)
			csr, err := connect.Build(pat, nPre, n, false, connect.Normal(0, float32(c.FFGain/math.Sqrt(fan*0.2))), 1, rr)
			if err != nil {
				return nil, err
			}
			l.ff = fromCSR(csr)
			l.ff.buildPad()
		}
		{
			rr := rng.Named(c.Seed, fmt.Sprintf("flagship/l%d/out", k))
			var pat connect.Pattern = connect.Full{}
			// even lattice degree not above the requested density
			kdeg := int(c.ReadoutDensity*float64(m.nOut)/2+1e-9) * 2
			if kdeg < 2 {
				kdeg = 2
			}
			if c.ReadoutDensity < 1 && kdeg < m.nOut {
				pat = connect.SmallWorld{K: kdeg, Beta: c.Rewire}
				if c.RandomSparse {
					pat = connect.FixedProb{P: c.ReadoutDensity}
				}
			}
			fan := c.ReadoutDensity * float64(n*len(c.Layers))
			csr, err := connect.Build(pat, n, m.nOut, false, connect.Normal(0, float32(c.OutGain/math.Sqrt(fan*0.2))), 1, rr)
			if err != nil {
				return nil, err
			}
			l.out = fromCSR(csr)
		}
		rf := rng.Named(c.Seed, fmt.Sprintf("flagship/l%d/feedback", k))
		if c.ModNeurons > 0 {
			M := c.ModNeurons
			l.modG = randn(rf, M*classes, 1/math.Sqrt(float64(M)))
			l.modA = randn(rf, n*M, 1)
		} else {
			l.fbB = randn(rf, n*classes, 1)
		}
		m.layers = append(m.layers, l)
		m.gbuf = append(m.gbuf, make([]float32, n*classes))
	}
	m.buildTopo()
	m.pool = make([]*state, c.Workers)
	for i := range m.pool {
		m.pool[i] = m.newState()
	}
	return m, nil
}

func randn(r *rand.Rand, n int, sd float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(sd * r.NormFloat64())
	}
	return x
}

// Config returns the model's configuration.
func (m *Model) Config() Config { c := m.cfg; c.Layers = append([]int(nil), c.Layers...); return c }

// Epoch returns the number of completed training epochs.
func (m *Model) Epoch() int { return m.epoch }

// state is one worker's per-sample simulation scratch. Its size depends on
// the network only, never on the number of time steps.
type state struct {
	v, a, tr, trSum, trWin, psi, cnt, cur, rec, recNext [][]float32
	spk                                                 [][]int32
	vo, cnto, io                                        []float32
	eps                                                 []float32   // sequence mode: filtered input ε_j
	elig                                                []float32   // sequence mode: Σ_t ψ_i (ε_j − β ε^a_ji)  (inputDim × n0)
	epsA                                                []float32   // sequence mode, ALIF: adaptation eligibility ε^a_ji (inputDim × n0)
	psiT                                                [][]float32 // sequence mode: ψ_i at the current step, per layer
	recEps                                              [][]float32 // sequence mode, learned recurrence: filtered presynaptic spikes per layer
	recEA, recElig                                      [][]float32 // per recurrent synapse: ε^a and Σ_t e (nil unless learned)
	ffEps, ffEA, ffElig                                 [][]float32 // sequence mode, ff_elig: the same for layer k's long-range input (nil for k = 0 or unless set)
	score, p                                            []float32
	step                                                layerStep // scratch arguments of stepFast
	dots                                                []float32 // learnSample scratch, one value per neuron of the largest layer
	offs                                                []int32   // deliverAll scratch (row offsets), capacity of the largest layer
	mask                                                []uint8   // stepLIF scratch: spike bits, 8 neurons per byte
	cursor, rowOffs                                     []int32   // applyBatch scratch: per-slot position in xIdx; row offsets
	rowCoefs                                            []float32 // applyBatch scratch: per-row coefficients
	// spike recording (nil unless recording)
	rec0 *[][]Spike
}

func (m *Model) newState() *state {
	s := &state{}
	K := len(m.layers)
	for _, f := range []*[][]float32{&s.v, &s.a, &s.tr, &s.trSum, &s.trWin, &s.psi, &s.cnt, &s.cur, &s.rec, &s.recNext} {
		*f = make([][]float32, K)
		for k, l := range m.layers {
			(*f)[k] = make([]float32, l.n)
		}
	}
	nMax := 0
	for _, l := range m.layers {
		nMax = max(nMax, l.n)
	}
	s.dots = make([]float32, nMax)
	s.offs = make([]int32, 0, nMax)
	s.mask = make([]uint8, nMax/8+1)
	s.spk = make([][]int32, K)
	for k, l := range m.layers {
		s.spk[k] = make([]int32, 0, l.n)
	}
	s.vo = make([]float32, m.nOut)
	s.cnto = make([]float32, m.nOut)
	s.io = make([]float32, m.nOut)
	s.score = make([]float32, m.classes)
	s.p = make([]float32, m.classes)
	return s
}

func (s *state) ensureSeq(m *Model) {
	if s.eps != nil {
		return
	}
	s.eps = make([]float32, m.inputDim)
	s.elig = make([]float32, m.inputDim*m.layers[0].n)
	if m.cfg.AdaptBeta > 0 {
		s.epsA = make([]float32, m.inputDim*m.layers[0].n)
	}
	K := len(m.layers)
	s.psiT = make([][]float32, K)
	s.recEps = make([][]float32, K)
	s.recEA = make([][]float32, K)
	s.recElig = make([][]float32, K)
	s.ffEps = make([][]float32, K)
	s.ffEA = make([][]float32, K)
	s.ffElig = make([][]float32, K)
	for k, l := range m.layers {
		s.psiT[k] = make([]float32, l.n)
		if m.seqRecElig(l) {
			s.recEps[k] = make([]float32, l.n)
			s.recEA[k] = make([]float32, len(l.rec.w))
			s.recElig[k] = make([]float32, len(l.rec.w))
		}
		if m.seqFFElig(l) {
			s.ffEps[k] = make([]float32, l.ff.nPre)
			s.ffEA[k] = make([]float32, len(l.ff.w))
			s.ffElig[k] = make([]float32, len(l.ff.w))
		}
	}
}

// seqRecElig reports whether layer l's recurrent synapses get the exact
// per-synapse e-prop eligibility in sequence mode.
func (m *Model) seqRecElig(l *layer) bool {
	return l.rec != nil && m.cfg.LearnRecurrent && m.cfg.HiddenLearning
}

// seqFFElig reports whether layer l's long-range input synapses carry the
// exact per-synapse eligibility in sequence mode (FFElig).
func (m *Model) seqFFElig(l *layer) bool {
	return l.ff != nil && m.cfg.FFElig && m.cfg.LearnFF && m.cfg.HiddenLearning
}

// refresh recomputes 1/θ after the thresholds changed.
func (l *layer) refresh() {
	for i, t := range l.theta {
		l.invTheta[i] = 1 / t
	}
}

// buildTopo derives the topographic feedback shares from the readout structure.
func (m *Model) buildTopo() {
	m.outDensity = m.ReadoutDensity()
	P := int32(m.cfg.ReadoutPerClass)
	for _, l := range m.layers {
		l.topo = make([]float32, l.n*m.classes)
		for j := 0; j < l.n; j++ {
			a, b := l.out.rowPtr[j], l.out.rowPtr[j+1]
			for q := a; q < b; q++ {
				l.topo[j*m.classes+int(l.out.post[q]/P)] += 1 / float32(b-a)
			}
		}
		C := m.classes
		l.topoSame = true
		for j := 1; j < l.n && l.topoSame; j++ {
			for c := 0; c < C; c++ {
				if math.Float32bits(l.topo[j*C+c]) != math.Float32bits(l.topo[c]) {
					l.topoSame = false
					break
				}
			}
		}
	}
}
