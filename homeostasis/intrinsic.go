package homeostasis

import "math"

// Intrinsic is the intrinsic plasticity of Triesch (2005) for rate units
// with a sigmoid transfer y = 1/(1 + exp(−(a·x + b))): gain a and bias b
// follow the gradient that minimises the Kullback–Leibler divergence of
// the output distribution from an exponential with mean Mu,
//
//	Δa = Eta·(1/a + x − (2 + 1/Mu)·x·y + x·y²/Mu)
//	Δb = Eta·(1 − (2 + 1/Mu)·y + y²/Mu)
//
// so the unit's output becomes approximately exponentially distributed
// (sparse, maximum entropy for a fixed mean).
//
// Defaults (NewIntrinsic): Mu = 0.1, Eta = 0.001 (Triesch 2005), a = 1,
// b = 0.
type Intrinsic struct {
	Mu, Eta float32
	A, B    []float32
}

// NewIntrinsic returns IP for n units.
func NewIntrinsic(n int) *Intrinsic {
	ip := &Intrinsic{Mu: 0.1, Eta: 0.001, A: make([]float32, n), B: make([]float32, n)}
	for i := range ip.A {
		ip.A[i] = 1
	}
	return ip
}

// Output returns unit i's output for input x.
func (ip *Intrinsic) Output(i int, x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(ip.A[i]*x+ip.B[i]))))
}

// Learn applies one update to unit i for input x and its output y.
func (ip *Intrinsic) Learn(i int, x, y float32) {
	c := 2 + 1/ip.Mu
	ip.A[i] += ip.Eta * (1/ip.A[i] + x - c*x*y + x*y*y/ip.Mu)
	ip.B[i] += ip.Eta * (1 - c*y + y*y/ip.Mu)
}
