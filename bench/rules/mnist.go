package rules

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/f32"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/plasticity"
)

// MNISTConfig configures the full-data reproductions of Diehl & Cook (2015)
// and Hao et al. (2020, P32): a layer of NExc excitatory conductance-based
// LIF neurons with lateral inhibition and adaptive thresholds learns from
// Poisson-coded images through an STDP rule; the answer comes either from
// labels assigned to the excitatory neurons afterwards (Diehl & Cook) or
// from a 10-neuron output layer trained by symmetric STDP under a teacher
// signal (Hao et al.; model in mnist_hao.go, parameters in HaoParams).
type MNISTConfig struct {
	Data   string // dataset.NameMNIST or dataset.NameFashionMNIST
	Rule   string // "stdp-dc" (Diehl & Cook 2015) or "stdp-sym" (Hao et al. 2020)
	NExc   int    // excitatory neurons (Diehl & Cook: 100, 400, 1600, 6400; Hao: 6400 for 96.73 %)
	Train  int    // training presentations (may exceed the 60000 images: further epochs); 0 = 60000
	Test   int    // test images (0 = all 10000)
	Assign int    // last training presentations whose responses assign labels (Diehl & Cook's training-time monitor: 10000)
	// AssignFrozen > 0 assigns the labels instead from the responses to
	// training images 0…AssignFrozen−1 (cycling), shown after training with
	// plasticity off and θ frozen, as Diehl & Cook's published evaluation
	// did with all 60000 (their code's README). It changes only the test
	// phase: a checkpointed run can be tested again with another value
	// (openCheckpoint), with the same result as a run given it from the start.
	AssignFrozen int `json:",omitempty"`
	// PresentMS and RestMS are the presentation and resting times per
	// image, ms (Diehl & Cook 2015 and Hao 2020: 350 and 150).
	PresentMS, RestMS int
	Seed              uint64
	Log               io.Writer // progress lines (nil: none)
	LogEvery          int       // presentations between progress lines (0: 1000)
	// Hao holds the parameters of the stdp-sym model (DefaultHao).
	Hao HaoParams
	// Valid > 0 (stdp-sym only) trains on training images 0–49999 and
	// evaluates on Valid training images from 50000 on instead of the test
	// set: the validation split used to choose settings.
	Valid int
	// Checkpoint, if not empty, is a file that holds the run's complete
	// state every CheckpointEvery presentations or test images (0: 1000),
	// at the switch from training to testing, at the end, and when ctx is
	// cancelled. A run started with an existing checkpoint of the same
	// configuration continues from it and ends with the same weights and
	// accuracies as an uninterrupted run; one of another configuration is
	// an error. Written atomically with a SHA-256 checksum (modelfile).
	Checkpoint      string
	CheckpointEvery int
}

// DefaultMNIST returns the configuration of the papers for rule with n
// excitatory neurons on data: one epoch of 60000 images, 350 ms + 150 ms.
func DefaultMNIST(data, rule string, n int) MNISTConfig {
	return MNISTConfig{Data: data, Rule: rule, NExc: n, Assign: 10000, PresentMS: 350, RestMS: 150, Seed: 1,
		Hao: DefaultHao(data, n)}
}

// MNISTResult is the outcome of one full-data run.
type MNISTResult struct {
	Config       MNISTConfig
	Assigned     float64 // test (or validation) accuracy by labels assigned to excitatory neurons
	Output       float64 // test (or validation) accuracy of the supervised output layer (stdp-sym only)
	Trained      int     // training presentations done
	Tested       int     // test images
	TrainSeconds float64 // wall time of training
	TestSeconds  float64 // wall time of testing
	Repeats      int     // presentations repeated with stronger input for < 5 spikes
}

// MSPerSample is the wall time per training presentation (ms), including
// repeats.
func (r MNISTResult) MSPerSample() float64 {
	return 1000 * r.TrainSeconds / float64(max(r.Trained, 1))
}

func (r MNISTResult) String() string {
	s := fmt.Sprintf("%s %s N=%d, %d train / %d test, %d+%d ms: assigned-label accuracy %.2f %%",
		r.Config.Data, r.Config.Rule, r.Config.NExc, r.Trained, r.Tested, r.Config.PresentMS, r.Config.RestMS, 100*r.Assigned)
	if r.Config.AssignFrozen > 0 {
		s += fmt.Sprintf(" (labels from %d frozen presentations)", r.Config.AssignFrozen)
	}
	if r.Config.Rule == "stdp-sym" {
		s += fmt.Sprintf(", supervised output accuracy %.2f %%", 100*r.Output)
	}
	return s + fmt.Sprintf("; train %.0f s (%.1f ms/sample, %.1f samples/s), test %.0f s",
		r.TrainSeconds, r.MSPerSample(), 1000/r.MSPerSample(), r.TestSeconds)
}

// Conductance LIF parameters of Diehl & Cook (2015), excitatory neurons
// (their published Brian code): rest and reset −65 mV, threshold −52 mV
// plus the adaptive θ, excitatory and inhibitory reversal 0 and −100 mV,
// membrane τ 100 ms, refractory period 5 ms, conductance time constants
// 1 ms (excitatory) and 2 ms (inhibitory); θ grows 0.05 mV per spike and
// decays with τθ = 1e7 ms; input→excitatory weights start uniform in
// [0, 0.3] and every neuron's incoming weights are normalised to sum 78.
// Their inhibitory population (one inhibitory neuron per excitatory one,
// weights 10.4 in and 17 back to all other excitatory neurons) is replaced
// by its effect: each excitatory spike adds inhibitory conductance dcWInh
// to every other excitatory neuron one step later (an inhibitory neuron
// fires within about a millisecond of its excitatory partner).
const (
	dcVRest, dcVThresh, dcEExc, dcEInh = -65, -52, 0, -100 // mV
	dcTauM, dcTauGE, dcTauGI           = 100.0, 1.0, 2.0   // ms
	dcRefrac                           = 5                 // ms
	dcDTheta, dcTauTheta               = 0.05, 1e7         // mV, ms
	dcWInh                             = 17                // inhibitory conductance per excitatory spike
	dcWSum, dcWInit                    = 78, 0.3           // normalised input weight sum, initial maximum
	dcMaxRate                          = 63.75             // Hz for a pixel of 1 (Diehl & Cook: pixel/4)
	dcBoost                            = 32                // Hz added when a presentation gives < 5 spikes
	dcMinSpikes                        = 5
	dt                                 = 1.0 // ms (Diehl & Cook: 0.5)
)

// layer is a population of conductance LIF neurons.
type layer struct {
	v, ge, gi, theta []float32
	refrac           []int32
	kE, kI           float32 // per-step conductance decay
	cE, cI           float32 // ∫ over one step of a unit conductance, in units of dt
	k                condConsts
}

// condConsts holds the constants of condStepAVX2, each in eight lanes: cE,
// cI, V_rest, E_exc, E_inh, dt/τ_m, 1, V_thresh, g_all, kE, kI and the
// refractory steps (int32 bits).
type condConsts [12][8]float32

// vecStep runs condStepAVX2 on the first 8·⌊n/8⌋ neurons (the same
// operations as the scalar loops of step and haoStep, bit for bit:
// TestCondStepAVX2) and returns their spike count and the first neuron
// left to the scalar loop.
func (l *layer) vecStep(vth, gAll float32, refSteps int32, self []float32, spk []uint8, hao bool) (n, j0 int) {
	m := len(l.v)
	if !condAVX2 || m < 8 {
		return 0, 0
	}
	if len(l.ge) < m || len(l.gi) < m || len(l.theta) < m || len(self) < m || len(l.refrac) < m || len(spk) < m {
		panic("rules: layer arrays shorter than v")
	}
	for q, x := range [...]float32{l.cE, l.cI, dcVRest, dcEExc, dcEInh, float32(dt / dcTauM), 1, vth, gAll, l.kE, l.kI,
		math.Float32frombits(uint32(refSteps))} {
		for i := range l.k[q] {
			l.k[q][i] = x
		}
	}
	return condStepAVX2(l.v, l.ge, l.gi, l.theta, self, l.refrac, spk, &l.k, hao), m &^ 7
}

func newLayer(n int) *layer {
	l := &layer{v: make([]float32, n), ge: make([]float32, n), gi: make([]float32, n),
		theta: make([]float32, n), refrac: make([]int32, n)}
	l.kE, l.kI = float32(math.Exp(-dt/dcTauGE)), float32(math.Exp(-dt/dcTauGI))
	l.cE, l.cI = (1-l.kE)*dcTauGE/dt, (1-l.kI)*dcTauGI/dt
	l.reset()
	return l
}

// lateral is the excitatory layer's all-to-all lateral inhibition (Diehl &
// Cook 2015) in closed form: each spike adds dcWInh to the inhibitory
// conductance of every other neuron. all sums every spike's share, self[j]
// is neuron j's own (all − self[j] reaches neuron j); both decay with the
// inhibitory conductance, by k per step.
type lateral struct {
	all  float32
	self []float32
	k    float32
}

func newLateral(n int, k float32) *lateral { return &lateral{self: make([]float32, n), k: k} }

// decay advances the conductances by one step.
func (l *lateral) decay() {
	l.all *= l.k
	f32.Scale(l.k, l.self)
}

// spike adds neuron j's spike.
func (l *lateral) spike(j int) {
	l.all += dcWInh
	l.self[j] += dcWInh
}

func (l *layer) reset() {
	for j := range l.v {
		l.v[j], l.ge[j], l.gi[j], l.refrac[j] = dcVRest, 0, 0, 0
	}
}

// step advances every neuron by dt: the conductances' integrals over the
// step drive v (exponential synapses; backward Euler for v, which stays
// stable under the large inhibitory conductance of many simultaneous
// spikes), then decay; a
// neuron whose v exceeds −52 mV + θ spikes, is reset to −65 mV and held
// for 5 ms. With self non-nil, gAll − self[j] adds the lateral inhibition
// of the other neurons' spikes; extG, if non-nil, adds to ge (the teacher).
func (l *layer) step(extG []float32, gAll float32, self []float32, spk []uint8) int {
	n, j0 := 0, 0
	if extG == nil && self != nil {
		n, j0 = l.vecStep(dcVThresh, gAll, dcRefrac/dt, self, spk, false)
	}
	for j := j0; j < len(l.v); j++ {
		ge, gi := l.ge[j], l.gi[j]
		if self != nil {
			gi += gAll - self[j]
		}
		if extG != nil {
			ge += extG[j]
		}
		spk[j] = 0
		if l.refrac[j] > 0 {
			l.refrac[j]--
		} else {
			v := l.v[j]
			// backward (implicit) Euler: stable for any conductance
			a, b := l.cE*ge, l.cI*gi
			v = (v + dt/dcTauM*(dcVRest+a*dcEExc+b*dcEInh)) / (1 + dt/dcTauM*(1+a+b))
			if v > dcVThresh+l.theta[j] {
				v = dcVRest
				l.refrac[j] = dcRefrac / dt
				spk[j] = 1
				n++
			}
			l.v[j] = v
		}
		l.ge[j] *= l.kE
		l.gi[j] *= l.kI
	}
	return n
}

// MNISTRun trains and tests one configuration. It loads the data with
// dataset.Load (MNIST comes with the module cache; Fashion-MNIST needs
// `apt-get install dataset-fashion-mnist`). ctx is checked before every
// presentation: a cancelled run returns ctx.Err() (Ctrl-C stops it).
func MNISTRun(ctx context.Context, cfg MNISTConfig) (MNISTResult, error) {
	res := MNISTResult{Config: cfg}
	train, test, err := dataset.Load(cfg.Data)
	if err != nil {
		return res, err
	}
	if cfg.Train <= 0 {
		cfg.Train = train.N
	}
	if cfg.Test <= 0 || cfg.Test > test.N {
		cfg.Test = test.N
	}
	if cfg.LogEvery <= 0 {
		cfg.LogEvery = 1000
	}
	res.Config = cfg
	var rule plasticity.Rule
	switch cfg.Rule {
	case "stdp-dc":
		rule = plasticity.NewDiehlCook()
	case "stdp-sym":
		return haoRun(ctx, cfg, train, test)
	default:
		return res, fmt.Errorf("rules: MNIST reproduction of rule %q not defined (stdp-dc, stdp-sym)", cfg.Rule)
	}
	nIn, n, classes := train.Dim, cfg.NExc, train.Classes
	wr := rng.Named(cfg.Seed, "mnist/weights")
	in := newHarness(rule, nIn, n, 0, dt)
	for s := range in.c.W {
		in.c.W[s] = dcWInit * wr.Float32()
	}
	normScratch := make([]float32, n)
	in.normalize(dcWSum, normScratch)
	exc := newLayer(n)
	kTheta := float32(math.Exp(-dt / dcTauTheta))
	inh := newLateral(n, exc.kI)
	spk := make([]uint8, n)
	pre := make([]uint8, nIn)
	counts := make([]int32, n)

	srcS := rng.NamedPCG(cfg.Seed, "mnist/spikes")
	sr := rand.New(srcS)
	active := make([]int32, 0, nIn)
	prob := make([]float32, nIn)

	// present shows image x for PresentMS then rests for RestMS; learn
	// enables plasticity and θ. It repeats with +32 Hz while the excitatory
	// layer gives fewer than 5 spikes (at most 10 times). counts holds the
	// responses of the last repeat.
	present := func(x []float32, learn bool) {
		boost := float32(0)
		for rep := 0; ; rep++ {
			active = active[:0]
			for i, p := range x {
				if p > 0 {
					active = append(active, int32(i))
					prob[i] = (p*dcMaxRate + boost) * dt / 1000
				}
			}
			if boost > 0 { // boosted presentations raise every pixel's rate
				active = active[:0]
				for i, p := range x {
					active = append(active, int32(i))
					prob[i] = (p*dcMaxRate + boost) * dt / 1000
				}
			}
			clear(counts)
			total := 0
			for t := 0; t < cfg.PresentMS+cfg.RestMS; t++ {
				on := t < cfg.PresentMS
				if learn {
					in.advance()
				}
				// input spikes, delivered to the excitatory conductances
				clear(pre)
				if on {
					poissonIn(sr, active, prob, pre, in.c.W, in.c.RowPtr, exc.ge)
				}
				if learn {
					for j := range exc.theta {
						exc.theta[j] *= kTheta
					}
				}
				ns := exc.step(nil, inh.all, inh.self, spk)
				total += ns
				inh.decay()
				if ns > 0 {
					for j, s := range spk {
						if s != 0 {
							counts[j]++
							inh.spike(j)
							if learn {
								exc.theta[j] += dcDTheta
							}
						}
					}
				}
				if learn {
					in.deliver(pre, spk)
				}
			}
			if total >= dcMinSpikes || rep >= 10 {
				break
			}
			res.Repeats++
			boost += dcBoost
			exc.reset()
		}
		if learn {
			in.normalize(dcWSum, normScratch)
		}
	}

	// training, recording responses of the last Assign presentations
	resp := make([]float64, n*classes) // resp[j·classes + c]: neuron j's spikes to class c
	seen := make([]float64, classes)   // presentations of each class among them
	srcO := rng.NamedPCG(cfg.Seed, "mnist/order")
	order := rand.New(srcO)
	perm := order.Perm(train.N)
	var pr progress
	var st runState
	st.addHarness("in", in)
	st.addLayer("exc", exc)
	st.addRun(inh, srcS, srcO, perm, resp, seen, &pr, &res.Repeats)
	ck, err := openCheckpoint(cfg, &st, &pr, resp, seen)
	if err != nil {
		return res, err
	}
	l := fullLoops{cfg: cfg, ck: ck, pr: &pr, res: &res, counts: counts, resp: resp, seen: seen}
	err = l.train(ctx, train.N, order, perm, func(i int) int { return int(train.Y[i]) },
		func(i, _ int) { present(train.Sample(i), true) },
		func() string { return fmt.Sprintf("%.1f spikes in the last", sumInt(counts)) })
	if err != nil {
		return res, err
	}
	// test: no plasticity, θ frozen
	err = l.test(ctx, func(i int) int { present(train.Sample(i%train.N), false); return int(train.Y[i%train.N]) },
		func(i int) int { present(test.Sample(i), false); return int(test.Y[i]) }, nil,
		func(int) string { return "" })
	if err != nil {
		return res, err
	}
	return res, nil
}

// argmaxNorm returns the index of the largest v[c]/m[c] (m nil: v[c];
// classes with m[c] = 0 are skipped).
func argmaxNorm(v, m []float64) int {
	best, arg := math.Inf(-1), -1
	for c, x := range v {
		if m != nil {
			if m[c] == 0 {
				continue
			}
			x /= m[c]
		}
		if x > best {
			best, arg = x, c
		}
	}
	return arg
}

func sumInt(x []int32) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v)
	}
	return s
}

// poissonIn draws one step of Poisson input: each active pixel i fires with
// probability prob[i] (drawn in the order of active, one sr draw each), gets
// pre[i] = 1 and adds its row of the all-to-all input weights w (row
// pointers rowPtr; Post[lo+k] = k) to the excitatory conductances ge.
func poissonIn(sr *rand.Rand, active []int32, prob []float32, pre []uint8, w []float32, rowPtr []int32, ge []float32) {
	for _, i := range active {
		if sr.Float32() < prob[i] {
			pre[i] = 1
			f32.Add(ge, w[rowPtr[i]:rowPtr[i+1]])
		}
	}
}
