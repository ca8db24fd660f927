package rules

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/plasticity"
)

// HaoParams are the parameters of the Hao et al. (2020) model that differ
// from Diehl & Cook (2015). Source: the authors' published code
// (github.com/haoyz/sym-STDP-SNN: src/model.h, src/add_model.cc,
// src/train.cc, src/train.h, src/evaluation.cc), which gives them per
// dataset and hidden-layer size.
type HaoParams struct {
	// Excitatory (hidden) layer.
	VThresh    float32 // threshold without θ, mV (MNIST −52; Fashion-MNIST with 400 neurons −60)
	Refrac     int     // refractory period, ms (2; Diehl & Cook 5)
	ThetaPlus  float32 // θ step at θ = 0, mV; the step is ThetaPlus·10/|θ + 10| (0.07 for 100–1600 neurons, 0.05 for 6400)
	TauTheta   float32 // θ relaxes towards −20 mV with this time constant during training, ms (6e6 for 400 neurons)
	ThetaFloor float32 // value θ relaxes to, mV (−20: their θ variable decays to 0 and the threshold is θ − 20)
	// Plasticity: sym-STDP on both layers, Δw = Eta·x with traces that
	// jump by TraceJump (0.1) per spike and decay with τ = 20 ms.
	EtaIn, EtaOut float32 // learning rates ν, input→hidden and hidden→output (400 neurons, MNIST: 0.005, 0.04)
	TraceJump     float32 // trace increment per spike (their a₊ = a₋ = 0.1)
	WMaxIn        float32 // input→hidden weight bound (1)
	WMaxOut       float32 // hidden→output weight bound (MNIST 8, Fashion-MNIST with 400 neurons 40)
	NormIn        float32 // sum of each hidden neuron's input weights (MNIST 78.4, Fashion-MNIST 19.6)
	NormOut       float32 // sum of each output neuron's input weights (0.1·N·WMaxOut; Fashion-MNIST, 400 neurons: 20·40)
	TeacherHz     float32 // Poisson rate of the label neuron during training (100 Hz; the other outputs are silent)
	// MeanPixel, if > 0, rescales every image to this mean pixel value
	// (pixels in [0, 1], clipped at 1) before coding: their Fashion-MNIST
	// preprocessing (mean 30/255).
	MeanPixel float32
}

// DefaultHao returns the authors' parameters for data and n hidden
// neurons (their code's per-size settings; sizes between the listed ones
// take the next smaller one).
func DefaultHao(data string, n int) HaoParams {
	p := HaoParams{VThresh: -52, Refrac: 2, ThetaPlus: 0.07, TauTheta: 6e6, ThetaFloor: -20,
		EtaIn: 0.005, EtaOut: 0.04, TraceJump: 0.1, WMaxIn: 1, WMaxOut: 8, NormIn: 78.4, TeacherHz: 100}
	fashion := data == dataset.NameFashionMNIST
	switch {
	case fashion && n >= 6400:
		p.ThetaPlus, p.TauTheta, p.EtaIn, p.EtaOut, p.NormIn = 0.05, 2e7, 0.0005, 0.08, 19.6
	case fashion:
		p.VThresh, p.ThetaPlus, p.TauTheta, p.EtaIn, p.EtaOut = -60, 0.05, 5e7, 0.02, 0.32
		p.WMaxOut, p.NormIn = 40, 19.6
	case n >= 6400:
		p.ThetaPlus, p.TauTheta, p.EtaIn = 0.05, 2e7, 0.01
	case n >= 1600:
		p.TauTheta, p.EtaIn, p.EtaOut = 8e6, 0.02, 0.08
	}
	p.NormOut = 0.1 * float32(n) * p.WMaxOut
	if fashion {
		p.MeanPixel = 30.0 / 255
		if n < 6400 {
			p.NormOut = 20 * p.WMaxOut
		}
	}
	return p
}

// Output layer of Hao et al. at test time (their "Cla" neurons): LIF with
// τ_m = 10 ms, rest −60 mV, threshold −40 mV, reset −45 mV, no refractory
// period, excitatory conductance input (τ = 1 ms, reversal 0 mV).
const (
	claTauM, claVRest, claVThresh, claVReset = 10.0, -60, -40, -45
	haoMaxIntensity                          = 32 // boosts stop at 32/8 = 4 Hz per grey level
)

// haoRun is MNISTRun for rule stdp-sym: the model of Hao et al. (2020) as
// in their published code. Differences from the Diehl & Cook path:
// refractory 2 ms; θ step ThetaPlus·10/|θ+10| and θ relaxing to −20 mV;
// sym-STDP (potentiation only) with small rates on both layers; during
// training the output neurons do not integrate their input, the label
// neuron fires as a 100 Hz Poisson train (the teacher) and the others are
// silent; at test time they are LIF neurons and the one with most spikes is
// the answer; a presentation with < 5 hidden spikes is repeated with the
// input rates raised by 1/8 Hz per grey level (pixel·255/8·k Hz, k = 2, 3,
// …, 32) rather than +32 Hz on every pixel.
func haoRun(ctx context.Context, cfg MNISTConfig, train, test *dataset.Set) (MNISTResult, error) {
	res := MNISTResult{Config: cfg}
	p := cfg.Hao
	nIn, n, classes := train.Dim, cfg.NExc, train.Classes
	// data: training images (all, or the first 50000 when validating) and
	// the evaluation images (test set, or training images 50000.. )
	nTrain := train.N
	evalSet, evalLo := test, 0
	if cfg.Valid > 0 {
		nTrain = 50000
		evalSet, evalLo = train, 50000
		cfg.Test = min(cfg.Valid, train.N-50000)
	}
	res.Config = cfg
	img := make([]float32, nIn)
	prep := func(x []float32) []float32 {
		copy(img, x)
		if p.MeanPixel > 0 {
			var s float32
			for _, v := range img {
				s += v
			}
			if s > 0 {
				f := p.MeanPixel * float32(len(img)) / s
				for i := range img {
					img[i] = min(1, img[i]*f)
				}
			}
		}
		return img
	}

	wr := rng.Named(cfg.Seed, "mnist/weights")
	inRule := plasticity.NewSymSTDP()
	inRule.APlus, inRule.W = p.EtaIn*p.TraceJump, plasticity.Bounds{Min: 0, Max: p.WMaxIn}
	in := newHarness(inRule, nIn, n, 0, dt)
	for s := range in.c.W {
		in.c.W[s] = dcWInit * wr.Float32()
	}
	outRule := plasticity.NewSymSTDP()
	outRule.APlus, outRule.W = p.EtaOut*p.TraceJump, plasticity.Bounds{Min: 0, Max: p.WMaxOut}
	out := newHarness(outRule, n, classes, 0, dt)
	for s := range out.c.W {
		out.c.W[s] = dcWInit * wr.Float32()
	}

	exc := newLayer(n) // θ starts at 0
	kTheta := float32(math.Exp(-dt / float64(p.TauTheta)))
	inh := newLateral(n, exc.kI)
	spk := make([]uint8, n)
	pre := make([]uint8, nIn)
	counts := make([]int32, n)
	cla := newLayer(classes)
	claSpk := make([]uint8, classes)
	claCount := make([]int32, classes)
	claIn := make([]float64, classes)
	kClaM := float32(dt / claTauM)
	srcS := rng.NamedPCG(cfg.Seed, "mnist/spikes")
	sr := rand.New(srcS)
	active := make([]int32, 0, nIn)
	prob := make([]float32, nIn)
	normScratch := make([]float32, max(n, classes))

	// present shows x (label ≥ 0: training with teacher and plasticity).
	present := func(x []float32, label int, learn bool) {
		x = prep(x)
		for k := 2; ; k++ {
			active = active[:0]
			for i, v := range x {
				if v > 0 {
					active = append(active, int32(i))
					prob[i] = v * 255 / 8 * float32(k) * dt / 1000
				}
			}
			in.normalize(p.NormIn, normScratch)
			if learn {
				out.normalize(p.NormOut, normScratch)
			}
			clear(counts)
			clear(claCount)
			clear(claIn)
			total := 0
			for t := 0; t < cfg.PresentMS+cfg.RestMS; t++ {
				on := t < cfg.PresentMS
				if learn {
					in.advance()
					out.advance()
				}
				clear(pre)
				if on {
					poissonIn(sr, active, prob, pre, in.c.W, in.c.RowPtr, exc.ge)
				}
				if learn {
					for j, th := range exc.theta {
						exc.theta[j] = p.ThetaFloor + (th-p.ThetaFloor)*kTheta
					}
				}
				ns := haoStep(exc, p, inh.all, inh.self, spk)
				total += ns
				inh.decay()
				if ns > 0 {
					for j, s := range spk {
						if s != 0 {
							counts[j]++
							inh.spike(j)
							if learn {
								exc.theta[j] += p.ThetaPlus * 10 / float32(math.Abs(float64(exc.theta[j]+10)))
							}
						}
					}
				}
				if learn {
					in.deliver(pre, spk)
					// teacher: the label neuron fires as a Poisson train
					clear(claSpk)
					if on && sr.Float32() < p.TeacherHz*dt/1000 {
						claSpk[label] = 1
						claCount[label]++
					}
					out.deliver(spk, claSpk)
					continue
				}
				// test: output LIF neurons driven by the hidden spikes
				if ns > 0 {
					for j, s := range spk {
						if s != 0 {
							lo, hi := out.c.Row(j)
							for k := lo; k < hi; k++ {
								c := out.c.Post[k]
								cla.ge[c] += out.c.W[k]
								claIn[c] += float64(out.c.W[k])
							}
						}
					}
				}
				for c := range cla.v {
					a := cla.cE * cla.ge[c]
					v := (cla.v[c] + kClaM*(claVRest+a*dcEExc)) / (1 + kClaM*(1+a))
					if v > claVThresh {
						v = claVReset
						claCount[c]++
					}
					cla.v[c] = v
					cla.ge[c] *= cla.kE
				}
			}
			if total >= dcMinSpikes || k >= haoMaxIntensity {
				break
			}
			res.Repeats++
			exc.reset()
			for c := range cla.v {
				cla.v[c], cla.ge[c] = claVRest, 0
			}
		}
	}

	resp := make([]float64, n*classes) // resp[j·classes + c]: neuron j's spikes to class c
	seen := make([]float64, classes)   // presentations of each class among them
	srcO := rng.NamedPCG(cfg.Seed, "mnist/order")
	order := rand.New(srcO)
	perm := order.Perm(nTrain)
	var pr progress
	var st runState
	st.addHarness("in", in)
	st.addHarness("out", out)
	st.addLayer("exc", exc)
	st.addLayer("cla", cla)
	st.addRun(inh, srcS, srcO, perm, resp, seen, &pr, &res.Repeats)
	ck, err := openCheckpoint(cfg, &st, &pr, resp, seen)
	if err != nil {
		return res, err
	}
	l := fullLoops{cfg: cfg, ck: ck, pr: &pr, res: &res, counts: counts, resp: resp, seen: seen}
	err = l.train(ctx, nTrain, order, perm, func(i int) int { return int(train.Y[i]) },
		func(i, y int) { present(train.Sample(i), y, true) },
		func() string {
			return fmt.Sprintf("%.0f spikes in the last, mean θ %.2f mV", sumInt(counts), mean32(exc.theta))
		})
	if err != nil {
		return res, err
	}
	err = l.test(ctx, func(i int) int {
		present(train.Sample(i%nTrain), -1, false)
		return int(train.Y[i%nTrain])
	}, func(i int) int {
		present(evalSet.Sample(evalLo+i), -1, false)
		return int(evalSet.Y[evalLo+i])
	}, func(y int) {
		if claAnswer(claCount, claIn) == y {
			pr.rightO++
		}
	}, func(done int) string { return fmt.Sprintf(", output %.2f %%", 100*float64(pr.rightO)/float64(done)) })
	if err != nil {
		return res, err
	}
	res.Output = float64(pr.rightO) / float64(max(cfg.Test, 1))
	return res, nil
}

// haoStep advances the hidden layer by dt like layer.step, with Hao's
// refractory period and threshold (VThresh + θ).
func haoStep(l *layer, p HaoParams, gAll float32, self []float32, spk []uint8) int {
	n, j0 := l.vecStep(p.VThresh, gAll, int32(p.Refrac/dt), self, spk, true)
	for j := j0; j < len(l.v); j++ {
		ge, gi := l.ge[j], l.gi[j]+gAll-self[j]
		spk[j] = 0
		if l.refrac[j] > 0 {
			l.refrac[j]--
		} else {
			a, b := l.cE*ge, l.cI*gi
			v := (l.v[j] + dt/dcTauM*(dcVRest+a*dcEExc+b*dcEInh)) / (1 + dt/dcTauM*(1+a+b))
			if v > p.VThresh+l.theta[j] {
				v = dcVRest
				l.refrac[j] = int32(p.Refrac / dt)
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

// claAnswer is the output neuron with most spikes; ties (including no
// spikes at all) go to the larger summed synaptic input.
func claAnswer(count []int32, in []float64) int {
	best := 0
	for c := 1; c < len(count); c++ {
		if count[c] > count[best] || count[c] == count[best] && in[c] > in[best] {
			best = c
		}
	}
	return best
}

// assignLabels labels each of the n hidden neurons with the class of its
// highest mean response, resp[j·classes + c] / seen[c] (spikes to class c
// over the last Assign training presentations, of which seen[c] showed
// class c), and counts the neurons per class.
func assignLabels(resp, seen []float64, n int) ([]int, []float64) {
	classes := len(seen)
	assign := make([]int, n)
	members := make([]float64, classes)
	for j := range assign {
		best := -1.0
		for c := range classes {
			if v := resp[j*classes+c] / max(seen[c], 1); v > best {
				best, assign[j] = v, c
			}
		}
		members[assign[j]]++
	}
	return assign, members
}

func mean32(x []float32) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v)
	}
	return s / float64(max(len(x), 1))
}
