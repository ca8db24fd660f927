package rate

import (
	"fmt"
	"math/rand/v2"
)

// Seq is a stack of layers applied in order.
type Seq struct {
	Layers []Layer
}

// Forward runs the layers in order on the n×InDim batch x.
func (s *Seq) Forward(x []float32, n int) []float32 {
	for _, l := range s.Layers {
		x = l.Forward(x, n)
	}
	return x
}

// Backward runs the layers' backward passes in reverse order.
func (s *Seq) Backward(dy []float32) []float32 {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Backward(dy)
		if dy == nil {
			return nil
		}
	}
	return dy
}

// Params returns all trainable tensors, layer by layer.
func (s *Seq) Params() []*Param {
	var ps []*Param
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// InDim is the first layer's input size.
func (s *Seq) InDim() int { return s.Layers[0].InDim() }

// OutDim is the last layer's output size.
func (s *Seq) OutDim() int { return s.Layers[len(s.Layers)-1].OutDim() }

// NewMLP returns Dense(sizes[0]→sizes[1]), act, …, Dense(→sizes[last]) with
// no activation after the last layer (its outputs are logits). The first
// layer skips its input gradient.
func NewMLP(sizes []int, act Kind, r *rand.Rand) *Seq {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("rate: NewMLP needs at least two sizes, got %v", sizes))
	}
	s := &Seq{}
	for i := 0; i+1 < len(sizes); i++ {
		d := NewDense(sizes[i], sizes[i+1], r)
		d.NoInputGrad = i == 0
		s.Layers = append(s.Layers, d)
		if i+2 < len(sizes) {
			s.Layers = append(s.Layers, NewAct(act, sizes[i+1]))
		}
	}
	return s
}

// Predict runs Forward in batches of at most bs samples over x (N×InDim)
// and returns the N×OutDim outputs.
func (s *Seq) Predict(x []float32, N, bs int) []float32 {
	in, out := s.InDim(), s.OutDim()
	res := make([]float32, N*out)
	for i := 0; i < N; i += bs {
		n := min(bs, N-i)
		copy(res[i*out:(i+n)*out], s.Forward(x[i*in:(i+n)*in], n))
	}
	return res
}
