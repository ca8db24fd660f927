package learn

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// Gaussian draws zero-mean inputs x = Q diag(√λ) z with z ~ N(0, I): a
// known covariance Q diag(λ) Qᵀ whose principal components are Q's columns.
type Gaussian struct {
	D      int
	Lambda []float64  // eigenvalues, descending
	Q      *mat.Dense // D×D orthonormal eigenvectors (columns)
	r      interface{ NormFloat64() float64 }
	z      []float64
}

// NewGaussian returns a source with a random orthonormal basis drawn from
// rng.Named(seed, "pca-basis").
func NewGaussian(lambda []float64, seed uint64) *Gaussian {
	d := len(lambda)
	r := rng.Named(seed, "pca-basis")
	a := mat.NewDense(d, d, nil)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			a.Set(i, j, r.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	q := mat.NewDense(d, d, nil)
	qr.QTo(q)
	return &Gaussian{D: d, Lambda: lambda, Q: q, r: rng.Named(seed, "pca-samples"), z: make([]float64, d)}
}

// Sample fills x with one input.
func (g *Gaussian) Sample(x []float32) {
	for i := range g.z {
		g.z[i] = g.r.NormFloat64() * math.Sqrt(g.Lambda[i])
	}
	for i := 0; i < g.D; i++ {
		var s float64
		for j := 0; j < g.D; j++ {
			s += g.Q.At(i, j) * g.z[j]
		}
		x[i] = float32(s)
	}
}

// AngleDeg returns the angle in degrees between w and the i-th principal
// component, ignoring sign.
func (g *Gaussian) AngleDeg(w []float32, i int) float64 {
	var d float64
	for j := range w {
		d += float64(w[j]) * g.Q.At(j, i)
	}
	c := math.Min(1, math.Abs(d)/rate.Norm(w))
	return math.Acos(c) * 180 / math.Pi
}

// SubspaceAngleDeg returns the largest principal angle in degrees between
// the span of the k rows of W (k×D) and the span of the top-k principal
// components.
func (g *Gaussian) SubspaceAngleDeg(W []float32, k int) float64 {
	a := mat.NewDense(g.D, k, nil)
	for i := 0; i < k; i++ {
		for j := 0; j < g.D; j++ {
			a.Set(j, i, float64(W[i*g.D+j]))
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	qa := mat.NewDense(g.D, g.D, nil)
	qr.QTo(qa)
	u := qa.Slice(0, g.D, 0, k)
	v := g.Q.Slice(0, g.D, 0, k)
	var m mat.Dense
	m.Mul(u.T(), v)
	var svd mat.SVD
	svd.Factorize(&m, mat.SVDNone)
	s := svd.Values(nil)
	smin := s[len(s)-1]
	return math.Acos(math.Min(1, smin)) * 180 / math.Pi
}

// PCAResult is the outcome of an online PCA experiment.
type PCAResult struct {
	AngleDeg float64   // angle to PC1 (Oja, Hebb) or largest principal angle to the top-k subspace
	Norms    []float64 // final weight-vector norms
}

// Spectrum is the eigenvalue spectrum of the PCA experiments' inputs.
var Spectrum = []float64{5, 3, 2, 1.5, 0.6, 0.4, 0.3, 0.2, 0.1, 0.1}

// annealed returns η(t) = eta0/(1 + t/tau), a Robbins–Monro schedule.
func annealed(eta0 float32, t, tau int) float32 { return eta0 / (1 + float32(t)/float32(tau)) }

// OjaExperiment runs Oja's rule (or plain Hebb when hebb) for steps online
// samples of the Spectrum source.
func OjaExperiment(hebb bool, steps int, seed uint64) PCAResult {
	g := NewGaussian(Spectrum, seed)
	w := make([]float32, g.D)
	rate.Normal(w, 0.3, rng.Named(seed, "oja-init"))
	x := make([]float32, g.D)
	for t := 0; t < steps; t++ {
		g.Sample(x)
		eta := annealed(0.01, t, steps/100)
		if hebb {
			// Constant rate: |w| grows as e^{ηλ₁t}; stop after 30000
			// samples (growth ≈ e^15) before float32 overflow matters.
			if t >= 30000 {
				break
			}
			Hebb(w, x, 1e-4)
		} else {
			Oja(w, x, eta)
		}
	}
	return PCAResult{AngleDeg: g.AngleDeg(w, 0), Norms: []float64{rate.Norm(w)}}
}

// SangerExperiment runs the generalized Hebbian algorithm with k outputs
// and returns the largest principal angle to the top-k subspace.
func SangerExperiment(k, steps int, seed uint64) PCAResult {
	g := NewGaussian(Spectrum, seed)
	W := make([]float32, k*g.D)
	rate.Normal(W, 0.1, rng.Named(seed, "sanger-init"))
	x, y := make([]float32, g.D), make([]float32, k)
	for t := 0; t < steps; t++ {
		g.Sample(x)
		Sanger(W, x, y, k, annealed(0.005, t, steps/100))
	}
	return PCAResult{AngleDeg: g.SubspaceAngleDeg(W, k), Norms: rowNorms(W, k, g.D)}
}

// FoldiakExperiment runs Földiák's Hebbian/anti-Hebbian layer with k outputs
// and returns the largest principal angle to the top-k subspace.
func FoldiakExperiment(k, steps int, seed uint64) PCAResult {
	g := NewGaussian(Spectrum, seed)
	init := make([]float32, k*g.D)
	rate.Normal(init, 0.1, rng.Named(seed, "foldiak-init"))
	f := NewFoldiak(k, g.D, init, 0.005, 0.005)
	x := make([]float32, g.D)
	for t := 0; t < steps; t++ {
		g.Sample(x)
		a := annealed(1, t, steps/100)
		f.Eta, f.Mu = 0.005*a, 0.01*a
		f.Step(x)
	}
	return PCAResult{AngleDeg: g.SubspaceAngleDeg(f.W, k), Norms: rowNorms(f.W, k, g.D)}
}

func rowNorms(W []float32, k, d int) []float64 {
	n := make([]float64, k)
	for i := range n {
		n[i] = rate.Norm(W[i*d : (i+1)*d])
	}
	return n
}
