package learn

import (
	"math"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// EP is a layered Hopfield-like network trained by equilibrium propagation
// (Scellier & Bengio 2017). Layer 0 is the clamped input x; layers 1..L
// have states s_l. The energy and cost are
//
//	E = Σ_l ½‖s_l‖² − Σ_l ρ(s_l)ᵀ W_l ρ(s_{l−1}) − Σ_l b_lᵀ ρ(s_l),  ρ(s_0) = x
//	C = ½‖s_L − d‖²  (d = one-hot label),   F = E + βC
//
// and the states descend F: s_l ← s_l − Eps·∂F/∂s_l, i.e.
// s_l ← s_l + Eps(ρ'(s_l) R_l − s_l) with R_l = W_l ρ(s_{l−1}) + b_l +
// W_{l+1}ᵀ ρ(s_{l+1}) (minus β(s_L − d) on the output). With the hard
// sigmoid ρ = clip(·, 0, 1) the states are kept in [0, 1] and ρ' = 1 there
// (Scellier & Bengio's box-constrained dynamics). The gradient estimate is
//
//	∂L/∂W_l ≈ −(1/β)[ρ(s_l^β)ρ(s_{l−1}^β)ᵀ − ρ(s_l^0)ρ(s_{l−1}^0)ᵀ]
//
// or, with Symmetric (Laborieux et al. 2021), −(1/2β)[·|_{+β} − ·|_{−β}],
// whose bias is O(β²). The prediction is argmax s_L of the free phase.
type EP struct {
	Sizes      []int
	Rho        rate.Kind // rate.HardSigmoid (default) or rate.Sigmoid
	W, B       []*rate.Param
	Eps        float32 // step of the state dynamics (1 = fixed-point iteration)
	FreeIters  int     // free-phase steps
	NudgeIters int     // nudged-phase steps, starting from the free fixed point
	Beta       float32 // nudging strength
	Symmetric  bool    // ±β nudging
	Random     bool    // draw the sign of β at random each batch (Scellier & Bengio 2017); ignored when Symmetric
	signRng    interface{ Float64() float64 }

	n       int
	s       [][]float32 // states per layer (index 0 unused)
	free    [][]float32 // free-phase ρ(s)
	drive   [][]float32 // total drive R_l per layer
	inDrive []float32   // W_1 x + b_1, constant while x is clamped
	d       []float32
}

// NewEP returns an EP network with weights uniform ±√(6/(in+out)) (Glorot &
// Bengio 2010, as in Scellier & Bengio's code) from rng.Named(seed, "ep")
// and the defaults used for MNIST here: hard sigmoid, Eps = 1 (fixed-point
// iteration), 30 free and 10 nudged steps, β = 0.5 symmetric.
func NewEP(sizes []int, seed uint64) *EP {
	e := &EP{Sizes: sizes, Rho: rate.HardSigmoid, Eps: 1, FreeIters: 30, NudgeIters: 10, Beta: 0.5, Symmetric: true}
	r := rng.Named(seed, "ep")
	e.W = make([]*rate.Param, len(sizes))
	e.B = make([]*rate.Param, len(sizes))
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		e.W[l] = &rate.Param{Name: "W", W: make([]float32, out*in), G: make([]float32, out*in)}
		e.B[l] = &rate.Param{Name: "b", W: make([]float32, out), G: make([]float32, out)}
		rate.Uniform(e.W[l].W, math.Sqrt(6/float64(in+out)), r)
	}
	e.signRng = rng.Named(seed, "ep-beta-sign")
	return e
}

func (e *EP) layers() int { return len(e.Sizes) - 1 }

func (e *EP) alloc(n int) {
	L := e.layers()
	if e.n == n && e.s != nil {
		return
	}
	e.n = n
	e.s = make([][]float32, L+1)
	e.free = make([][]float32, L+1)
	e.drive = make([][]float32, L+1)
	for l := 1; l <= L; l++ {
		e.s[l] = make([]float32, n*e.Sizes[l])
		e.free[l] = make([]float32, n*e.Sizes[l])
		e.drive[l] = make([]float32, n*e.Sizes[l])
	}
	e.d = make([]float32, n*e.Sizes[L])
	e.inDrive = make([]float32, n*e.Sizes[1])
}

// clamp computes the constant input drive W_1 x + b_1.
func (e *EP) clamp(x []float32) {
	n, out, in := e.n, e.Sizes[1], e.Sizes[0]
	for i := 0; i < n; i++ {
		copy(e.inDrive[i*out:(i+1)*out], e.B[1].W)
	}
	rate.Gemm(false, true, n, out, in, 1, x, e.W[1].W, 1, e.inDrive)
}

func (e *EP) rho(s []float32) []float32 {
	return e.rhoTo(make([]float32, len(s)), s)
}

func (e *EP) rhoTo(r, s []float32) []float32 {
	for i, v := range s {
		r[i] = e.Rho.F(v)
	}
	return r
}

// relax runs iters steps of the dynamics from the current states with
// nudging beta toward e.d. x is the n×in input.
func (e *EP) relax(x []float32, iters int, beta float32) {
	L, n := e.layers(), e.n
	rhos := make([][]float32, L+1)
	for l := 1; l <= L; l++ {
		rhos[l] = make([]float32, len(e.s[l]))
	}
	for it := 0; it < iters; it++ {
		for l := 1; l <= L; l++ {
			e.rhoTo(rhos[l], e.s[l])
		}
		for l := 1; l <= L; l++ {
			out, in := e.Sizes[l], e.Sizes[l-1]
			R := e.drive[l]
			if l == 1 {
				copy(R, e.inDrive)
			} else {
				for i := 0; i < n; i++ {
					copy(R[i*out:(i+1)*out], e.B[l].W)
				}
				rate.Gemm(false, true, n, out, in, 1, rhos[l-1], e.W[l].W, 1, R)
			}
			if l < L {
				up := e.Sizes[l+1]
				rate.Gemm(false, false, n, out, up, 1, rhos[l+1], e.W[l+1].W, 1, R)
			}
			s := e.s[l]
			for i, v := range s {
				var f float32
				if e.Rho == rate.HardSigmoid {
					f = R[i] - v
				} else {
					y := e.Rho.F(v)
					f = e.Rho.D(v, y)*R[i] - v
				}
				if l == L && beta != 0 {
					f -= beta * (v - e.d[i])
				}
				v += e.Eps * f
				if e.Rho == rate.HardSigmoid {
					v = min(max(v, 0), 1)
				}
				s[i] = v
			}
		}
	}
}

// Free runs the free phase from zero states and returns the output states.
func (e *EP) Free(x []float32, n int, iters int) []float32 {
	e.alloc(n)
	e.clamp(x)
	for l := 1; l <= e.layers(); l++ {
		clear(e.s[l])
	}
	e.relax(x, iters, 0)
	return e.s[e.layers()]
}

// Cost returns the batch-mean ½‖s_L − d‖² of the current output states.
func (e *EP) Cost(y []uint8) float64 {
	L := e.layers()
	k := e.Sizes[L]
	var c float64
	for i, lab := range y {
		for j := 0; j < k; j++ {
			t := 0.0
			if j == int(lab) {
				t = 1
			}
			d := float64(e.s[L][i*k+j]) - t
			c += 0.5 * d * d
		}
	}
	return c / float64(len(y))
}

// accum adds coef·[ρ(s_l)ρ(s_{l−1})ᵀ]/n (batch mean) to the gradients,
// with ρ(s) taken from rhos.
func (e *EP) accum(x []float32, rhos [][]float32, coef float32) {
	n := e.n
	for l := 1; l <= e.layers(); l++ {
		out, in := e.Sizes[l], e.Sizes[l-1]
		below := x
		if l > 1 {
			below = rhos[l-1]
		}
		rate.Gemm(true, false, out, in, n, coef/float32(n), rhos[l], below, 1, e.W[l].G)
		for i := 0; i < n; i++ {
			rate.Axpy(coef/float32(n), rhos[l][i*out:(i+1)*out], e.B[l].G)
		}
	}
}

// Grad runs the free phase and the nudged phase(s) on the n×in batch x with
// labels y, stores the EP gradient estimate in the parameters' G and
// returns the free-phase cost.
func (e *EP) Grad(x []float32, y []uint8, n int) float64 {
	L := e.layers()
	e.Free(x, n, e.FreeIters)
	rate.OneHot(e.d[:n*e.Sizes[L]], y, e.Sizes[L], 1, 0)
	cost := e.Cost(y)
	for l := 1; l <= L; l++ {
		copy(e.free[l], e.s[l])
		clear(e.W[l].G)
		clear(e.B[l].G)
	}
	beta := e.Beta
	if !e.Symmetric && e.Random && e.signRng.Float64() < 0.5 {
		beta = -beta
	}
	phase := func(b float32, coef float32) {
		for l := 1; l <= L; l++ {
			copy(e.s[l], e.free[l])
		}
		e.relax(x, e.NudgeIters, b)
		rhos := make([][]float32, L+1)
		for l := 1; l <= L; l++ {
			rhos[l] = e.rho(e.s[l])
		}
		e.accum(x, rhos, coef)
	}
	if e.Symmetric {
		phase(beta, -1/(2*beta))
		phase(-beta, 1/(2*beta))
	} else {
		phase(beta, -1/beta)
		rhos := make([][]float32, L+1)
		for l := 1; l <= L; l++ {
			rhos[l] = e.rho(e.free[l])
		}
		e.accum(x, rhos, 1/beta)
	}
	for l := 1; l <= L; l++ {
		copy(e.s[l], e.free[l])
	}
	return cost
}

// Params returns W_1, b_1, …, W_L, b_L.
func (e *EP) Params() []*rate.Param {
	var ps []*rate.Param
	for l := 1; l <= e.layers(); l++ {
		ps = append(ps, e.W[l], e.B[l])
	}
	return ps
}

// Predict returns the free-phase output states.
func (e *EP) Predict(x []float32, n int) []float32 {
	return append([]float32(nil), e.Free(x, n, e.FreeIters)...)
}

// EPGradCheck compares the EP gradient estimate with a central
// finite-difference gradient of the free-phase cost C(s⁰(θ)) on a small
// sigmoid network (sizes 6-8-3, 4 samples, states relaxed with Eps = 0.2
// for 3000 steps so the fixed point is exact to float32 precision). It
// returns the cosine similarity over all parameters and the relative error
// ‖g_EP − g_FD‖/‖g_FD‖.
func EPGradCheck(beta float32, symmetric bool, seed uint64) (cos, relErr float64) {
	e := NewEP([]int{6, 8, 3}, seed)
	e.Rho, e.Eps, e.FreeIters, e.NudgeIters = rate.Sigmoid, 0.2, 3000, 3000
	e.Beta, e.Symmetric = beta, symmetric
	r := rng.Named(seed, "ep-gradcheck")
	for _, p := range e.Params() {
		rate.Normal(p.W, 1, r) // large enough weights for a non-trivial fixed point
	}
	const n = 4
	x := make([]float32, n*6)
	rate.Uniform(x, 1, r)
	y := []uint8{0, 1, 2, 1}
	e.Grad(x, y, n)
	var ep, fd []float64
	const h = 1e-2
	for _, p := range e.Params() {
		for i := range p.W {
			ep = append(ep, float64(p.G[i]))
			old := p.W[i]
			p.W[i] = old + h
			e.Free(x, n, e.FreeIters)
			cp := e.Cost(y)
			p.W[i] = old - h
			e.Free(x, n, e.FreeIters)
			cm := e.Cost(y)
			p.W[i] = old
			fd = append(fd, (cp-cm)/(2*h))
		}
	}
	var dot, na, nb, nd float64
	for i := range ep {
		dot += ep[i] * fd[i]
		na += ep[i] * ep[i]
		nb += fd[i] * fd[i]
		nd += (ep[i] - fd[i]) * (ep[i] - fd[i])
	}
	return dot / math.Sqrt(na*nb), math.Sqrt(nd / nb)
}
