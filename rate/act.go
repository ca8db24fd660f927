package rate

import (
	"fmt"
	"math"
)

// Kind names an element-wise activation function.
type Kind int

// Activation functions.
const (
	Identity    Kind = iota
	ReLU             // max(0, x)
	Tanh             // tanh x
	Sigmoid          // 1/(1+e^−x)
	HardSigmoid      // clip(x, 0, 1), the ρ of Scellier & Bengio 2017
)

var kindNames = [...]string{"identity", "relu", "tanh", "sigmoid", "hard-sigmoid"}

func (k Kind) String() string { return kindNames[k] }

// ParseKind returns the activation with the given name.
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("rate: unknown activation %q", s)
}

// F returns f(x).
func (k Kind) F(x float32) float32 {
	switch k {
	case ReLU:
		if x > 0 {
			return x
		}
		return 0
	case Tanh:
		return float32(math.Tanh(float64(x)))
	case Sigmoid:
		return float32(1 / (1 + math.Exp(-float64(x))))
	case HardSigmoid:
		return min(max(x, 0), 1)
	}
	return x
}

// D returns f'(x) given the input x and the output y = f(x).
func (k Kind) D(x, y float32) float32 {
	switch k {
	case ReLU:
		if x > 0 {
			return 1
		}
		return 0
	case Tanh:
		return 1 - y*y
	case Sigmoid:
		return y * (1 - y)
	case HardSigmoid:
		if x > 0 && x < 1 {
			return 1
		}
		return 0
	}
	return 1
}

// Act applies an element-wise activation to D features.
type Act struct {
	Kind     Kind
	D        int
	x, y, dx []float32
}

// NewAct returns an activation layer over d features.
func NewAct(k Kind, d int) *Act { return &Act{Kind: k, D: d} }

func (a *Act) InDim() int        { return a.D }
func (a *Act) OutDim() int       { return a.D }
func (a *Act) Params() []*Param  { return nil }
func (a *Act) Output() []float32 { return a.y }

// Forward computes y = f(x).
func (a *Act) Forward(x []float32, n int) []float32 {
	a.x = x
	a.y = grow(a.y, len(x))
	k := a.Kind
	if k == ReLU {
		for i, v := range x {
			a.y[i] = max(v, 0)
		}
		return a.y
	}
	for i, v := range x {
		a.y[i] = k.F(v)
	}
	return a.y
}

// Backward returns dy ⊙ f'(x).
func (a *Act) Backward(dy []float32) []float32 {
	a.dx = grow(a.dx, len(dy))
	k := a.Kind
	for i, g := range dy {
		a.dx[i] = g * k.D(a.x[i], a.y[i])
	}
	return a.dx
}

// Softmax maps each row of D scores to probabilities.
type Softmax struct {
	D     int
	n     int
	y, dx []float32
}

// NewSoftmax returns a softmax layer over d classes.
func NewSoftmax(d int) *Softmax { return &Softmax{D: d} }

func (s *Softmax) InDim() int       { return s.D }
func (s *Softmax) OutDim() int      { return s.D }
func (s *Softmax) Params() []*Param { return nil }

// Forward computes y_i = exp(x_i − max x)/Σ exp(x_j − max x) per row.
func (s *Softmax) Forward(x []float32, n int) []float32 {
	s.n = n
	s.y = grow(s.y, n*s.D)
	for i := 0; i < n; i++ {
		SoftmaxRow(s.y[i*s.D:(i+1)*s.D], x[i*s.D:(i+1)*s.D])
	}
	return s.y
}

// Backward returns dx_i = y_i (dy_i − Σ_j dy_j y_j) per row.
func (s *Softmax) Backward(dy []float32) []float32 {
	s.dx = grow(s.dx, s.n*s.D)
	for i := 0; i < s.n; i++ {
		y, g, d := s.y[i*s.D:(i+1)*s.D], dy[i*s.D:(i+1)*s.D], s.dx[i*s.D:(i+1)*s.D]
		var dot float32
		for j := range y {
			dot += g[j] * y[j]
		}
		for j := range y {
			d[j] = y[j] * (g[j] - dot)
		}
	}
	return s.dx
}

// SoftmaxRow stores softmax(x) in dst.
func SoftmaxRow(dst, x []float32) {
	m := x[0]
	for _, v := range x {
		m = max(m, v)
	}
	var z float64
	for j, v := range x {
		e := math.Exp(float64(v - m))
		dst[j] = float32(e)
		z += e
	}
	inv := float32(1 / z)
	for j := range dst {
		dst[j] *= inv
	}
}
