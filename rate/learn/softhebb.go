package learn

import (
	"math"
	"time"

	"github.com/engram-lab/engram/dataset"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// SoftHebb is an unsupervised soft winner-take-all Hebbian layer (Moraitis
// et al. 2022; Journé et al. 2023). For input x (d) and weights W (k×d):
//
//	u = W x,   y = softmax(u/Tau),   ΔW_k = η_k y_k (x − u_k W_k)
//
// summed over the minibatch, with the norm-adaptive rate of Journé et al.
// 2023, η_k = LR·|‖W_k‖ − 1|^½ + LRMin, which anneals each neuron as its weight vector
// reaches unit norm. No feedback, target or error signal reaches the layer.
type SoftHebb struct {
	K, D  int
	W     []float32
	Tau   float32 // softmax temperature, in units of u
	LR    float32
	LRMin float32 // floor of the adaptive rate
	// Normalize scales every input to unit Euclidean norm before the layer
	// (learning and features), so u_k is ‖W_k‖ times a cosine similarity.
	Normalize bool
	// AntiHebb makes every unit but the winner (largest u) anti-Hebbian,
	// y_k ← −y_k (Journé et al. 2023), which spreads units over the data.
	AntiHebb bool
	u, y     []float32
	xn       []float32
	dw       []float32
	uy       []float32
}

// NewSoftHebb returns a k×d layer with N(0, r²/d) weights (row norms ≈ r)
// from rng.Named(seed, "softhebb"). The initial norm must differ from 1,
// since the norm-adaptive rate vanishes at unit norm.
func NewSoftHebb(k, d int, r float64, seed uint64) *SoftHebb {
	s := &SoftHebb{K: k, D: d, W: make([]float32, k*d), Tau: 1, LR: 0.05, LRMin: 1e-3}
	rate.Normal(s.W, r/math.Sqrt(float64(d)), rng.Named(seed, "softhebb"))
	return s
}

// Positive makes every initial weight non-negative (|w|): for non-negative
// inputs such as pixels every unit then starts with a similar cosine to
// every input, so all units take part in the competition instead of a few
// winners capturing all inputs.
func (s *SoftHebb) Positive() {
	for i, v := range s.W {
		s.W[i] = float32(math.Abs(float64(v)))
	}
}

// input returns x, or its row-normalised copy when Normalize is set.
func (s *SoftHebb) input(x []float32, n int) []float32 {
	if !s.Normalize {
		return x
	}
	s.xn = grow(s.xn, len(x))
	for i := 0; i < n; i++ {
		r, o := x[i*s.D:(i+1)*s.D], s.xn[i*s.D:(i+1)*s.D]
		inv := float32(1 / max(rate.Norm(r), 1e-12))
		for j, v := range r {
			o[j] = v * inv
		}
	}
	return s.xn
}

// Step applies one minibatch update for the n×d batch x.
func (s *SoftHebb) Step(x []float32, n int) {
	k, d := s.K, s.D
	x = s.input(x, n)
	s.u = grow(s.u, n*k)
	s.y = grow(s.y, n*k)
	rate.Gemm(false, true, n, k, d, 1, x, s.W, 0, s.u)
	inv := 1 / s.Tau
	tmp := make([]float32, k)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			tmp[j] = s.u[i*k+j] * inv
		}
		yr := s.y[i*k : (i+1)*k]
		rate.SoftmaxRow(yr, tmp)
		if s.AntiHebb {
			w := rate.Argmax(tmp)
			for j := range yr {
				if j != w {
					yr[j] = -yr[j]
				}
			}
		}
	}
	// ΔW = (Yᵀ X − diag(Σ_n y u) W)/n
	s.dw = grow(s.dw, k*d)
	rate.Gemm(true, false, k, d, n, 1, s.y, x, 0, s.dw)
	s.uy = grow(s.uy, k)
	clear(s.uy)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			s.uy[j] += s.y[i*k+j] * s.u[i*k+j]
		}
	}
	for j := 0; j < k; j++ {
		w := s.W[j*d : (j+1)*d]
		nrm := rate.Norm(w)
		eta := s.LR*float32(math.Sqrt(math.Abs(nrm-1))) + s.LRMin
		dw := s.dw[j*d : (j+1)*d]
		for i := range w {
			w[i] += eta * (dw[i] - s.uy[j]*w[i])
		}
	}
}

// Features returns the n×k readout features of x: the "triangle"
// activation max(0, u_k − mean_k u) of Coates, Lee & Ng 2011, used by
// Journé et al. 2023 after their Hebbian layers.
func (s *SoftHebb) Features(dst, x []float32, n int) []float32 {
	k := s.K
	x = s.input(x, n)
	dst = grow(dst, n*k)
	rate.Gemm(false, true, n, k, s.D, 1, x, s.W, 0, dst)
	for i := 0; i < n; i++ {
		r := dst[i*k : (i+1)*k]
		var m float32
		for _, v := range r {
			m += v
		}
		m /= float32(k)
		for j, v := range r {
			r[j] = max(v-m, 0)
		}
	}
	return dst
}

// SoftHebbNet is a trained SoftHebb layer with a linear readout trained by
// cross-entropy on its features (the layer itself receives no gradient).
type SoftHebbNet struct {
	Layer   *SoftHebb
	Readout *rate.Dense
	f, dz   []float32
}

// NewSoftHebbNet returns a readout over layer's features for classes
// classes, initialised from rng.Named(seed, "readout").
func NewSoftHebbNet(layer *SoftHebb, classes int, seed uint64) *SoftHebbNet {
	r := rate.NewDense(layer.K, classes, rng.Named(seed, "readout"))
	r.NoInputGrad = true
	return &SoftHebbNet{Layer: layer, Readout: r}
}

// Grad computes the readout's cross-entropy gradient.
func (s *SoftHebbNet) Grad(x []float32, y []uint8, n int) float64 {
	s.f = s.Layer.Features(s.f, x, n)
	return ceStep(s.Readout, &s.dz, s.f, y, n)
}

// Params returns the readout's parameters.
func (s *SoftHebbNet) Params() []*rate.Param { return s.Readout.Params() }

// Predict returns the readout logits.
func (s *SoftHebbNet) Predict(x []float32, n int) []float32 {
	f := s.Layer.Features(nil, x, n)
	return append([]float32(nil), s.Readout.Forward(f, n)...)
}

// SoftHebbConfig sets up the SoftHebb experiment: HebbEpochs unsupervised
// epochs of the Hidden-unit layer, then ReadoutEpochs of the linear readout
// (Adam, LR 1e-3).
type SoftHebbConfig struct {
	Hidden                    int
	Tau, LR                   float32
	HebbEpochs, ReadoutEpochs int
	Batch                     int
	InitNorm                  float64 // initial row norm of W
	Normalize                 bool    // unit-norm inputs
	AntiHebb                  bool    // anti-Hebbian non-winners
	PositiveInit              bool    // |w| initial weights
	Seed                      uint64
}

// DefaultSoftHebb returns the settings used by the bench.
func DefaultSoftHebb() SoftHebbConfig {
	return SoftHebbConfig{Hidden: 1000, Tau: 0.1, LR: 0.01, HebbEpochs: 1, ReadoutEpochs: 10, Batch: 100, InitNorm: 3, PositiveInit: true, Seed: 1}
}

// TrainSoftHebb trains the layer without labels, then the readout with
// labels, and returns the network and the readout's training result.
func TrainSoftHebb(c SoftHebbConfig, train, test *dataset.Set) (*SoftHebbNet, Result) {
	d := train.Steps * train.Dim
	l := NewSoftHebb(c.Hidden, d, c.InitNorm, c.Seed)
	l.Tau, l.LR, l.Normalize, l.AntiHebb = c.Tau, c.LR, c.Normalize, c.AntiHebb
	if c.PositiveInit {
		l.Positive()
	}
	sh := rng.Named(c.Seed, "softhebb-shuffle")
	xb := make([]float32, c.Batch*d)
	t0 := time.Now()
	for ep := 0; ep < c.HebbEpochs; ep++ {
		perm := sh.Perm(train.N)
		for i := 0; i+c.Batch <= train.N; i += c.Batch {
			for j := 0; j < c.Batch; j++ {
				s := perm[i+j]
				copy(xb[j*d:(j+1)*d], train.X[s*d:(s+1)*d])
			}
			l.Step(xb, c.Batch)
		}
	}
	hebb := time.Since(t0)
	net := NewSoftHebbNet(l, train.Classes, c.Seed)
	res := Train(net, train, test, TrainConfig{Epochs: c.ReadoutEpochs, Batch: c.Batch, LR: 1e-3, Seed: c.Seed})
	res.Wall += hebb
	return net, res
}
