package rate

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Dense is a fully connected layer y = x·Wᵀ + b with W stored out×in.
type Dense struct {
	In, Out int
	W, B    *Param
	// Feedback, when not nil, is an out×in matrix used in place of W to send
	// the gradient to the input (feedback alignment, Lillicrap et al. 2016).
	Feedback []float32
	// NoInputGrad skips the input gradient (first layer of a network).
	NoInputGrad bool

	x     []float32 // last input (a view of the caller's slice)
	n     int
	y, dx []float32
}

// NewDense returns an in→out layer initialised like PyTorch's nn.Linear:
// weights and biases uniform in ±1/√in (He et al. 2015 "kaiming uniform"
// with a=√5, the torch default).
func NewDense(in, out int, r *rand.Rand) *Dense {
	d := &Dense{In: in, Out: out, W: newParam("W", out*in), B: newParam("b", out)}
	a := 1 / math.Sqrt(float64(in))
	Uniform(d.W.W, a, r)
	Uniform(d.B.W, a, r)
	return d
}

func (d *Dense) InDim() int        { return d.In }
func (d *Dense) OutDim() int       { return d.Out }
func (d *Dense) Params() []*Param  { return []*Param{d.W, d.B} }
func (d *Dense) Input() []float32  { return d.x }
func (d *Dense) Output() []float32 { return d.y }

// Forward computes y = x·Wᵀ + b.
func (d *Dense) Forward(x []float32, n int) []float32 {
	if len(x) != n*d.In {
		panic(fmt.Sprintf("rate: Dense %d→%d got %d values for batch %d", d.In, d.Out, len(x), n))
	}
	d.x, d.n = x, n
	d.y = grow(d.y, n*d.Out)
	for i := 0; i < n; i++ {
		copy(d.y[i*d.Out:(i+1)*d.Out], d.B.W)
	}
	Gemm(false, true, n, d.Out, d.In, 1, x, d.W.W, 1, d.y)
	return d.y
}

// Backward stores dW = dyᵀ·x, db = Σ dy and returns dy·W (or dy·Feedback).
func (d *Dense) Backward(dy []float32) []float32 {
	d.ParamGrad(dy)
	if d.NoInputGrad {
		return nil
	}
	w := d.W.W
	if d.Feedback != nil {
		w = d.Feedback
	}
	d.dx = grow(d.dx, d.n*d.In)
	Gemm(false, false, d.n, d.In, d.Out, 1, dy, w, 0, d.dx)
	return d.dx
}

// ParamGrad stores the parameter gradients for the output gradient dy of
// the last Forward without computing the input gradient. Local rules call it
// with their own error signal δ in place of dy.
func (d *Dense) ParamGrad(dy []float32) {
	if len(dy) != d.n*d.Out {
		panic("rate: Dense.Backward gradient size mismatch")
	}
	Gemm(true, false, d.Out, d.In, d.n, 1, dy, d.x, 0, d.W.G)
	SumRows(d.B.G, dy, d.n, d.Out)
}
