package rate

import (
	"math"
	"math/rand/v2"
)

// Param is one trainable tensor and its gradient.
type Param struct {
	Name string
	W    []float32 // values
	G    []float32 // gradient of the batch-mean loss, written by Backward
}

func newParam(name string, n int) *Param {
	return &Param{Name: name, W: make([]float32, n), G: make([]float32, n)}
}

// Layer is one stage of a network with an explicit backward pass.
type Layer interface {
	// Forward maps the n×InDim() batch x to an n×OutDim() batch. The
	// returned slice is owned by the layer and valid until the next Forward.
	Forward(x []float32, n int) []float32
	// Backward takes the gradient with respect to the last Forward's output,
	// writes parameter gradients and returns the gradient with respect to
	// its input (owned by the layer).
	Backward(dy []float32) []float32
	Params() []*Param
	InDim() int
	OutDim() int
}

// Uniform fills w with values drawn uniformly from [-a, a).
func Uniform(w []float32, a float64, r *rand.Rand) {
	for i := range w {
		w[i] = float32((2*r.Float64() - 1) * a)
	}
}

// Normal fills w with N(0, s²) values.
func Normal(w []float32, s float64, r *rand.Rand) {
	for i := range w {
		w[i] = float32(r.NormFloat64() * s)
	}
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
