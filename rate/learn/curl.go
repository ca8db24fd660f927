package learn

import (
	"math"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// CurlConfig is the linear student–teacher task of curl descent (P20):
// a teacher y = T x (Out×In) and a two-layer linear student y = W2 W1 x with
// Hidden units, trained online on Gaussian inputs with loss ½‖y − Tx‖². A
// fraction Flip of the hidden units have rule-flipped plasticity: their
// incoming weights (rows of W1) follow +η∂L/∂W1 instead of −η∂L/∂W1. The
// flipped dynamics have a curl component and are not gradient descent on
// any objective.
type CurlConfig struct {
	In, Hidden, Out int
	TeacherRank     int     // rank of T (T = A·B with inner size TeacherRank); 0 = full rank
	Flip            float64 // fraction of hidden units with flipped plasticity
	LR              float32
	Steps           int // online steps
	Seed            uint64
}

// DefaultCurl returns a 30-20-30 student with a rank-10 teacher: the
// hidden layer is a bottleneck relative to input and output but has spare
// units relative to the teacher's rank.
func DefaultCurl() CurlConfig {
	return CurlConfig{In: 30, Hidden: 20, Out: 30, TeacherRank: 10, LR: 0.01, Steps: 20000, Seed: 1}
}

// CurlResult is the final test loss of one run relative to the loss at
// initialisation.
type CurlResult struct {
	Flip      float64
	Flipped   int
	InitLoss  float64
	FinalLoss float64
	StepsTo   int  // first multiple of 100 steps at which loss < 1e-3·InitLoss (−1 if never)
	Diverged  bool // weights became non-finite or the loss exceeded 1e6
}

// Curl runs the student–teacher experiment. Teacher and student weights are
// N(0, 1/fan-in) from rng.Named(seed, …); the same seed gives the same
// teacher, student and inputs for every Flip value.
func Curl(c CurlConfig) CurlResult {
	r := rng.Named(c.Seed, "curl-init")
	T := make([]float32, c.Out*c.In)
	if c.TeacherRank > 0 {
		A := make([]float32, c.Out*c.TeacherRank)
		Bm := make([]float32, c.TeacherRank*c.In)
		rate.Normal(A, 1/math.Sqrt(float64(c.TeacherRank)), r)
		rate.Normal(Bm, 1/math.Sqrt(float64(c.In)), r)
		rate.Gemm(false, false, c.Out, c.In, c.TeacherRank, 1, A, Bm, 0, T)
	} else {
		rate.Normal(T, 1/math.Sqrt(float64(c.In)), r)
	}
	W1 := make([]float32, c.Hidden*c.In)
	W2 := make([]float32, c.Out*c.Hidden)
	rate.Normal(W1, 1/math.Sqrt(float64(c.In)), r)
	rate.Normal(W2, 1/math.Sqrt(float64(c.Hidden)), r)
	nf := int(math.Round(c.Flip * float64(c.Hidden)))
	sign := make([]float32, c.Hidden)
	for i := range sign {
		sign[i] = 1
		if i < nf {
			sign[i] = -1
		}
	}
	// Test loss is exact for unit-variance Gaussian inputs: ½‖W2W1 − T‖²_F.
	loss := func() float64 {
		P := make([]float32, c.Out*c.In)
		rate.Gemm(false, false, c.Out, c.In, c.Hidden, 1, W2, W1, 0, P)
		var s float64
		for i := range P {
			d := float64(P[i] - T[i])
			s += d * d
		}
		return 0.5 * s
	}
	res := CurlResult{Flip: c.Flip, Flipped: nf, InitLoss: loss(), StepsTo: -1}
	xr := rng.Named(c.Seed, "curl-inputs")
	x := make([]float32, c.In)
	h := make([]float32, c.Hidden)
	y := make([]float32, c.Out)
	e := make([]float32, c.Out)
	bh := make([]float32, c.Hidden)
	for step := 0; step < c.Steps; step++ {
		rate.Normal(x, 1, xr)
		rate.Gemm(false, false, c.Hidden, 1, c.In, 1, W1, x, 0, h)
		rate.Gemm(false, false, c.Out, 1, c.Hidden, 1, W2, h, 0, y)
		rate.Gemm(false, false, c.Out, 1, c.In, 1, T, x, 0, e)
		for i := range e {
			e[i] = y[i] - e[i]
		}
		// bh = W2ᵀ e (backpropagated error at the hidden layer)
		rate.Gemm(true, false, c.Hidden, 1, c.Out, 1, W2, e, 0, bh)
		for o := 0; o < c.Out; o++ {
			for j := 0; j < c.Hidden; j++ {
				W2[o*c.Hidden+j] -= c.LR * e[o] * h[j]
			}
		}
		for j := 0; j < c.Hidden; j++ {
			g := c.LR * sign[j] * bh[j]
			for i := 0; i < c.In; i++ {
				W1[j*c.In+i] -= g * x[i]
			}
		}
		if step%100 == 99 {
			l := loss()
			if math.IsNaN(l) || l > 1e6 {
				res.Diverged, res.FinalLoss = true, l
				return res
			}
			if res.StepsTo < 0 && l < 1e-3*res.InitLoss {
				res.StepsTo = step + 1
			}
		}
	}
	res.FinalLoss = loss()
	return res
}

// CurlFractions are the flipped fractions of the sweep (20 hidden units:
// steps of 0.05 near the transition).
var CurlFractions = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8}

// CurlSweep runs Curl(c) for every fraction.
func CurlSweep(c CurlConfig, fractions []float64) []CurlResult {
	var rs []CurlResult
	for _, f := range fractions {
		c.Flip = f
		rs = append(rs, Curl(c))
	}
	return rs
}

// Converged reports whether the run reached 1e-6 of its initial loss.
func (r CurlResult) Converged() bool { return !r.Diverged && r.FinalLoss < 1e-6*r.InitLoss }

// CurlTransition summarises a sweep: the claim holds if every fraction up
// to 0.2 converges like gradient descent (within 2× of its steps to 1e-3 of
// the initial loss) and some larger fraction fails to converge; critical is
// the smallest fraction that fails (−1 if none).
func CurlTransition(rs []CurlResult) (critical float64, holds bool) {
	critical = -1
	gd := rs[0]
	holds = gd.Converged()
	for _, r := range rs {
		if r.Flip <= 0.2 && (!r.Converged() || r.StepsTo > 2*gd.StepsTo) {
			holds = false
		}
		if critical < 0 && !r.Converged() {
			critical = r.Flip
		}
	}
	return critical, holds && critical > 0.2
}
