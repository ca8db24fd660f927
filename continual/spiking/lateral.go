package spiking

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas32"
)

// Lateral is the population of lateral neurons that HLOP attaches to one
// layer's presynaptic activity (Xiao et al. 2024, P14). Lateral neuron i
// has feed-forward weights h_i (row i of the k×Dim matrix H) from the
// presynaptic neurons and feeds its response back with the same weights:
//
//	y = H p                       (lateral responses, p = presynaptic trace vector)
//	p̃ = p − Hᵀ y = (I − HᵀH) p    (presynaptic activity after lateral feedback)
//
// When the rows of H are orthonormal, p̃ is the orthogonal projection of p
// onto the complement of span(H). The rows are learned with Oja's subspace
// rule (Hebbian term y pᵀ, anti-Hebbian term y yᵀ H) and frozen afterwards;
// each task adds a fresh group of neurons (Grow).
type Lateral struct {
	Dim int       // presynaptic dimension d
	K   int       // number of lateral neurons (kept subspace dimension)
	H   []float32 // K×Dim, row i = weights of lateral neuron i
}

// NewLateral returns an empty lateral population for d presynaptic neurons.
func NewLateral(d int) *Lateral { return &Lateral{Dim: d} }

// Response sets y[:K] = H p and returns it. nz, if not nil, lists the
// indices of the nonzero entries of p (the others are skipped).
func (l *Lateral) Response(y, p []float32, nz []int32) []float32 {
	y = y[:l.K]
	d := l.Dim
	for i := range y {
		row := l.H[i*d : (i+1)*d]
		if nz == nil {
			y[i] = dot(row, p)
			continue
		}
		var s float32
		for _, j := range nz {
			s += row[j] * p[j]
		}
		y[i] = s
	}
	return y
}

// Project sets dst = p − Hᵀ(H p), the presynaptic vector after the lateral
// circuit's feedback; y (length ≥ K) is scratch. dst may alias p. nz is as
// for Response.
func (l *Lateral) Project(dst, p, y []float32, nz []int32) {
	if l.K == 0 {
		copy(dst, p)
		return
	}
	y = l.Response(y, p, nz)
	copy(dst, p)
	d := l.Dim
	for i, yi := range y {
		if yi != 0 {
			axpy(-yi, l.H[i*d:(i+1)*d], dst)
		}
	}
}

// HebbConfig sets the lateral (Oja subspace) learning of one Grow call.
type HebbConfig struct {
	// Epochs is the number of passes over the presynaptic samples.
	Epochs int
	// LR is η₀: the step is η₀/E‖r‖² per sample (E‖r‖² = mean squared norm of
	// the residual inputs), which keeps η·λ_max < η₀ ≤ 1 for any input scale.
	// The rate is multiplied by Decay after each pass.
	LR    float64
	Decay float64
	// Init is the expected norm of a new neuron's initial weight vector
	// (entries N(0, Init²/d)). Rows only grow along directions that carry
	// presynaptic variance, so with a small Init a neuron left over when the
	// data have fewer than k significant directions stays near zero instead
	// of adding a random, non-orthogonal row to H (which would make I − HᵀH
	// amplify or flip updates along it).
	Init float64
}

// Grow adds k lateral neurons and trains them on the n presynaptic vectors
// in data (n×Dim, row-major) with Oja's subspace rule (Oja 1989) applied to
// the residual left by the existing, frozen neurons:
//
//	r  = p − H_oldᵀ H_old p          (feedback of the old neurons)
//	y  = U r                         (new neurons' responses)
//	ΔU = η y (r − Uᵀ y)ᵀ             (Hebbian y rᵀ, anti-Hebbian −y yᵀ U)
//
// U converges to an orthonormal basis of the top-k principal subspace of the
// (uncentred) residuals, i.e. of the presynaptic second-moment matrix
// restricted to the complement of span(H_old). U starts as a random
// N(0, Init²/d) matrix drawn from r; samples are visited in a fresh random
// order each pass. It returns the fraction of the residual energy that the
// new neurons capture, Σ‖Uᵀ U r‖²/Σ‖r‖² over data (diagnostic).
func (l *Lateral) Grow(data []float32, n, k int, hc HebbConfig, r *rand.Rand) float64 {
	d := l.Dim
	if k <= 0 || n == 0 {
		return 0
	}
	k = min(k, d-l.K)
	if k <= 0 {
		return 0
	}
	res := make([]float32, n*d)
	y := make([]float32, max(l.K, k))
	var energy float64
	for s := 0; s < n; s++ {
		rs := res[s*d : (s+1)*d]
		l.Project(rs, data[s*d:(s+1)*d], y, nil)
		energy += float64(dot(rs, rs))
	}
	energy /= float64(n)
	if energy == 0 {
		return 0
	}
	U := make([]float32, k*d)
	sd := hc.Init / math.Sqrt(float64(d))
	for i := range U {
		U[i] = float32(r.NormFloat64() * sd)
	}
	e := make([]float32, d)
	eta := hc.LR / energy
	for ep := 0; ep < hc.Epochs; ep++ {
		for _, s := range r.Perm(n) {
			rs := res[s*d : (s+1)*d]
			copy(e, rs)
			for i := 0; i < k; i++ {
				ui := U[i*d : (i+1)*d]
				y[i] = dot(ui, rs)
				axpy(-y[i], ui, e)
			}
			for i := 0; i < k; i++ {
				axpy(float32(eta)*y[i], e, U[i*d:(i+1)*d])
			}
		}
		eta *= hc.Decay
	}
	// Diagnostic: captured residual energy.
	var got float64
	rec := make([]float32, d)
	for s := 0; s < n; s++ {
		rs := res[s*d : (s+1)*d]
		clear(rec)
		for i := 0; i < k; i++ {
			ui := U[i*d : (i+1)*d]
			axpy(dot(ui, rs), ui, rec)
		}
		got += float64(dot(rec, rec))
	}
	l.H = append(l.H, U...)
	l.K += k
	return got / (energy * float64(n))
}

func dot(a, b []float32) float32 {
	return blas32.Dot(blas32.Vector{N: len(a), Inc: 1, Data: a}, blas32.Vector{N: len(a), Inc: 1, Data: b})
}

func axpy(a float32, x, y []float32) {
	blas32.Axpy(a, blas32.Vector{N: len(x), Inc: 1, Data: x}, blas32.Vector{N: len(x), Inc: 1, Data: y})
}
