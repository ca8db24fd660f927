package learn

import (
	"math"
	"time"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// SoftHebbConv is a convolutional SoftHebb layer (Journé et al. 2023,
// "Hebbian deep learning without feedback", ICLR): K kernels of size
// C×KS×KS, zero padding Pad, stride 1, learned without labels or feedback
// on every image patch p (a C·KS·KS vector) at once:
//
//	u_k = W_k·p,   y = softmax(TInv·u),   y_k ← −y_k for every k but the winner (AntiHebb),
//	ΔW_k = Σ_patches y_k (p − u_k W_k),   W ← W + LR·ΔW / max|ΔW|
//
// The update is divided by its largest magnitude as in the authors' reference
// implementation, so LR is the largest weight change per minibatch. Inputs are
// standardised as (x − Mean)/Std before the layer (Journé et al. put a
// non-affine batch norm before each layer; fixed dataset statistics do the
// same for the first layer).
//
// Readout features are the triangle activation raised to Power,
// max(0, u_k − mean_k u)^Power (Journé et al.: power 0.7 in the first layer),
// max-pooled over PoolSize×PoolSize windows with stride PoolStride.
type SoftHebbConv struct {
	Conv                 *rate.Conv2D // geometry, im2col and the weights (Conv.Wt.W, K×C·KS·KS; bias unused)
	TInv                 float32      // inverse softmax temperature (Journé et al. layer 1: 1)
	LR                   float32      // largest weight change per minibatch (reference code: 0.08)
	AntiHebb             bool
	Mean, Std            float32 // input standardisation
	Power                float32 // triangle exponent
	PoolSize, PoolStride int
	// LearnStride > 1 learns from the patches on a LearnStride-spaced grid
	// only (neighbouring patches overlap by all but one column, so this
	// thins nearly duplicate samples); the features still use every position.
	LearnStride int
	// NormLR scales kernel k's step by |‖W_k‖ − 1|^½ (the norm-dependent
	// rate of Journé et al.'s reference code, power ½), which speeds the
	// approach to unit norm from a large initial norm and anneals it there.
	NormLR             bool
	lconv              *rate.Conv2D
	pool               *rate.Pool2D
	cols, u, y, dw, xs []float32
	yu                 []float64
	f                  []float32
}

// NewSoftHebbConv returns the layer for c×h×w inputs with k kernels of size
// ks×ks, padding ks/2 ("same" output size), weights N(0, (r/√fan)²) from
// rng.Named(seed, "softhebb-conv") (row norms ≈ r; Journé et al. start at
// r = 25, far from the unit norm the rule converges to).
func NewSoftHebbConv(c, h, w, k, ks int, r float64, seed uint64) *SoftHebbConv {
	g := rng.Named(seed, "softhebb-conv")
	l := &SoftHebbConv{Conv: rate.NewConv2D(c, h, w, k, ks, ks, 1, ks/2, g), TInv: 1, LR: 0.08, AntiHebb: true,
		Mean: 0, Std: 1, Power: 0.7, PoolSize: 4, PoolStride: 4}
	fan := c * ks * ks
	rate.Normal(l.Conv.Wt.W, r/math.Sqrt(float64(fan)), g)
	clear(l.Conv.B.W)
	return l
}

func (l *SoftHebbConv) standardize(x []float32) []float32 {
	l.xs = grow(l.xs, len(x))
	inv := 1 / l.Std
	for i, v := range x {
		l.xs[i] = (v - l.Mean) * inv
	}
	return l.xs
}

// Step applies one unsupervised update for the n images in x.
func (l *SoftHebbConv) Step(x []float32, n int) {
	cv := l.Conv
	if l.LearnStride > 1 {
		if l.lconv == nil || l.lconv.Stride != l.LearnStride {
			c := *l.Conv
			c.Stride = l.LearnStride
			c.OH = (c.H+2*c.Pad-c.KH)/c.Stride + 1
			c.OW = (c.W+2*c.Pad-c.KW)/c.Stride + 1
			l.lconv = &c
		}
		cv = l.lconv
	}
	fan, ohw, in, k := cv.C*cv.KH*cv.KW, cv.OH*cv.OW, cv.InDim(), cv.K
	x = l.standardize(x)
	l.cols = grow(l.cols, fan*ohw)
	l.u = grow(l.u, k*ohw)
	l.y = grow(l.y, k*ohw)
	l.dw = grow(l.dw, k*fan)
	clear(l.dw)
	if len(l.yu) < k {
		l.yu = make([]float64, k)
	}
	clear(l.yu)
	w := cv.Wt.W
	col := make([]float32, k)
	for s := 0; s < n; s++ {
		cv.Im2Col(l.cols, x[s*in:(s+1)*in])
		rate.Gemm(false, false, k, ohw, fan, 1, w, l.cols, 0, l.u)
		for p := 0; p < ohw; p++ {
			win := 0
			for j := 0; j < k; j++ {
				col[j] = l.TInv * l.u[j*ohw+p]
				if col[j] > col[win] {
					win = j
				}
			}
			rate.SoftmaxRow(col, col)
			for j := 0; j < k; j++ {
				v := col[j]
				if l.AntiHebb && j != win {
					v = -v
				}
				l.y[j*ohw+p] = v
				l.yu[j] += float64(v * l.u[j*ohw+p])
			}
		}
		// ΔW += Y·colsᵀ
		rate.Gemm(false, true, k, fan, ohw, 1, l.y, l.cols, 1, l.dw)
	}
	var m float32
	for j := 0; j < k; j++ {
		yu := float32(l.yu[j])
		for i := j * fan; i < (j+1)*fan; i++ {
			l.dw[i] -= yu * w[i]
			m = max(m, float32(math.Abs(float64(l.dw[i]))))
		}
	}
	if m == 0 {
		return
	}
	if !l.NormLR {
		rate.Axpy(l.LR/m, l.dw, w)
		return
	}
	for j := 0; j < k; j++ {
		row := w[j*fan : (j+1)*fan]
		f := float32(math.Sqrt(math.Abs(rate.Norm(row)-1) + 1e-10))
		rate.Axpy(l.LR*f/m, l.dw[j*fan:(j+1)*fan], row)
	}
}

// FeatureDim is the length of one image's feature vector.
func (l *SoftHebbConv) FeatureDim() int {
	l.initPool()
	return l.pool.OutDim()
}

func (l *SoftHebbConv) initPool() {
	if l.pool == nil {
		cv := l.Conv
		l.pool = rate.NewMaxPool(cv.K, cv.OH, cv.OW, l.PoolSize, l.PoolStride)
	}
}

// Features returns the n×FeatureDim() pooled triangle features of x. The
// power is applied after max pooling, which gives the same values (t ↦ t^p is
// increasing for t ≥ 0) with fewer powers.
func (l *SoftHebbConv) Features(x []float32, n int) []float32 {
	l.initPool()
	cv := l.Conv
	k, ohw := cv.K, cv.OH*cv.OW
	u := cv.Forward(l.standardize(x), n)
	l.f = grow(l.f, n*k*ohw)
	for s := 0; s < n; s++ {
		for p := 0; p < ohw; p++ {
			var mean float32
			for j := 0; j < k; j++ {
				mean += u[(s*k+j)*ohw+p]
			}
			mean /= float32(k)
			for j := 0; j < k; j++ {
				l.f[(s*k+j)*ohw+p] = max(u[(s*k+j)*ohw+p]-mean, 0)
			}
		}
	}
	out := l.pool.Forward(l.f, n)
	if l.Power != 1 {
		p := float64(l.Power)
		for i, v := range out {
			if v > 0 {
				out[i] = float32(math.Pow(float64(v), p))
			}
		}
	}
	return out
}

// FeatureSet returns the features of every sample of s as a new set (one
// step of FeatureDim() values per sample, same labels), computed in batches
// of 100.
func (l *SoftHebbConv) FeatureSet(s *dataset.Set) *dataset.Set {
	fd, d := l.FeatureDim(), s.Steps*s.Dim
	out := &dataset.Set{Name: s.Name + "-softhebb", X: make([]float32, s.N*fd), Y: s.Y, N: s.N, Steps: 1, Dim: fd, Classes: s.Classes}
	for i := 0; i < s.N; i += 100 {
		n := min(100, s.N-i)
		copy(out.X[i*fd:(i+n)*fd], l.Features(s.X[i*d:(i+n)*d], n))
	}
	return out
}

// linear is a dense readout trained by cross-entropy on precomputed
// features.
type linear struct {
	d  *rate.Dense
	dz []float32
}

func (r *linear) Grad(x []float32, y []uint8, n int) float64 { return ceStep(r.d, &r.dz, x, y, n) }

// ceStep runs the readout d on the features f of n samples, adds the
// gradient of their cross-entropy against labels y to d's parameters and
// returns the loss; dz is scratch for the logits' gradient.
func ceStep(d *rate.Dense, dz *[]float32, f []float32, y []uint8, n int) float64 {
	z := d.Forward(f, n)
	*dz = grow(*dz, len(z))
	loss := rate.CrossEntropy(z, y, n, d.Out, *dz)
	d.ParamGrad(*dz)
	return loss
}
func (r *linear) Params() []*rate.Param { return r.d.Params() }
func (r *linear) Predict(x []float32, n int) []float32 {
	return append([]float32(nil), r.d.Forward(x, n)...)
}

// SoftHebbConvNet is a SoftHebbConv front end with a linear readout trained
// by cross-entropy (the convolution receives no gradient).
type SoftHebbConvNet struct {
	Layer   *SoftHebbConv
	Readout *rate.Dense
	dz      []float32
}

// Grad computes the readout's cross-entropy gradient.
func (s *SoftHebbConvNet) Grad(x []float32, y []uint8, n int) float64 {
	return ceStep(s.Readout, &s.dz, s.Layer.Features(x, n), y, n)
}

// Params returns the readout's parameters.
func (s *SoftHebbConvNet) Params() []*rate.Param { return s.Readout.Params() }

// Predict returns the readout logits.
func (s *SoftHebbConvNet) Predict(x []float32, n int) []float32 {
	var out []float32
	for i := 0; i < n; i += 100 {
		m := min(100, n-i)
		in := s.Layer.Conv.InDim()
		out = append(out, s.Readout.Forward(s.Layer.Features(x[i*in:(i+m)*in], m), m)...)
	}
	return out
}

// SoftHebbConvConfig sets up the convolutional SoftHebb experiment:
// HebbEpochs unsupervised epochs (minibatch HebbBatch), then ReadoutEpochs of
// the linear readout (Adam LR 1e-3, ×0.7 per epoch, batch 100).
type SoftHebbConvConfig struct {
	Kernels, KernelSize  int
	InitNorm             float64
	TInv, LR             float32
	Power                float32
	PoolSize, PoolStride int
	HebbEpochs           int
	HebbBatch            int
	ReadoutEpochs        int
	LearnStride          int  // see SoftHebbConv.LearnStride
	NormLR               bool // see SoftHebbConv.NormLR
	// Random skips the Hebbian epochs: the readout then sees the features of
	// the random initial kernels (the control that shows what learning adds).
	Random bool
	Seed   uint64
}

// DefaultSoftHebbConv returns the bench settings: 96 kernels of 5×5 and
// t_invert 1 as in Journé et al.'s first layer, initial norm 25, LR 0.08
// with the norm-dependent factor |‖W_k‖ − 1|^½ (NormLR),
// minibatch 10, one Hebbian epoch, triangle power 0.7, 4×4 max pooling with
// stride 4 (7×7×96 = 4704 features per image, precomputed once for the
// readout: 1.3 GB for MNIST's 70000 images). Learning uses the patches on a
// stride-2 grid (LearnStride 2: 196 of 784 positions per image, a quarter of
// the cost; a choice of this implementation, not of the paper).
func DefaultSoftHebbConv() SoftHebbConvConfig {
	return SoftHebbConvConfig{Kernels: 96, KernelSize: 5, InitNorm: 25, TInv: 1, LR: 0.08, Power: 0.7,
		PoolSize: 4, PoolStride: 4, HebbEpochs: 1, HebbBatch: 10, ReadoutEpochs: 5, LearnStride: 2, NormLR: true, Seed: 1}
}

// Layer returns the untrained layer for 1×h×w images with c's settings,
// standardising inputs with MNIST's pixel statistics.
func (c SoftHebbConvConfig) Layer(h, w int) *SoftHebbConv {
	l := NewSoftHebbConv(1, h, w, c.Kernels, c.KernelSize, c.InitNorm, c.Seed)
	l.TInv, l.LR, l.Power, l.PoolSize, l.PoolStride, l.LearnStride, l.NormLR = c.TInv, c.LR, c.Power, c.PoolSize, c.PoolStride, c.LearnStride, c.NormLR
	l.Mean, l.Std = mnistMean, mnistStd
	return l
}

// Learn runs epochs unsupervised passes over the samples of train (one
// image per sample, Steps·Dim = C·H·W values) in minibatches of batch, in an
// order drawn from rng.Named(seed, "softhebb-conv-shuffle"); a final partial
// minibatch is skipped.
func (l *SoftHebbConv) Learn(train *dataset.Set, epochs, batch int, seed uint64) {
	d := train.Steps * train.Dim
	sh := rng.Named(seed, "softhebb-conv-shuffle")
	xb := make([]float32, batch*d)
	for ep := 0; ep < epochs; ep++ {
		perm := sh.Perm(train.N)
		for i := 0; i+batch <= train.N; i += batch {
			for j := 0; j < batch; j++ {
				s := perm[i+j]
				copy(xb[j*d:(j+1)*d], train.X[s*d:(s+1)*d])
			}
			l.Step(xb, batch)
		}
	}
}

// MNIST pixel statistics (fraction of full intensity) over the 60000
// training images, used to standardise the input.
const mnistMean, mnistStd = 0.1307, 0.3081

// TrainSoftHebbConv trains the layer without labels on train (1×28×28
// images), then the readout with labels; it returns the network and the
// readout's result (Wall includes the Hebbian epochs).
func TrainSoftHebbConv(c SoftHebbConvConfig, train, test *dataset.Set, log func(epoch int, loss, acc float64)) (*SoftHebbConvNet, Result) {
	side := int(math.Round(math.Sqrt(float64(train.Steps * train.Dim))))
	l := c.Layer(side, side)
	t0 := time.Now()
	if !c.Random {
		l.Learn(train, c.HebbEpochs, c.HebbBatch, c.Seed)
	}
	hebb := time.Since(t0)
	r := rate.NewDense(l.FeatureDim(), train.Classes, rng.Named(c.Seed, "readout"))
	r.NoInputGrad = true
	net := &SoftHebbConvNet{Layer: l, Readout: r}
	// The layer is fixed from here on: compute its features once.
	t1 := time.Now()
	ftr, fte := l.FeatureSet(train), l.FeatureSet(test)
	feat := time.Since(t1)
	res := Train(&linear{d: r}, ftr, fte, TrainConfig{Epochs: c.ReadoutEpochs, Batch: 100, LR: 1e-3, LRDecay: 0.7, Seed: c.Seed, Log: log})
	res.Wall += hebb + feat
	return net, res
}
