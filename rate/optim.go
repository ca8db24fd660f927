package rate

import (
	"fmt"
	"math"
)

// Optimizer applies one update from the gradients stored in params.
type Optimizer interface {
	Step(params []*Param)
}

// SGD is plain gradient descent w ← w − LR·g.
type SGD struct{ LR float32 }

// Step applies the update.
func (o *SGD) Step(params []*Param) {
	for _, p := range params {
		Axpy(-o.LR, p.G, p.W)
	}
}

// Momentum is heavy-ball SGD (Polyak 1964) in PyTorch's form:
// v ← Mu·v + g, w ← w − LR·v.
type Momentum struct {
	LR, Mu float32 // learning rate; momentum (0.9 is usual)
	v      map[*Param][]float32
}

// Step applies the update.
func (o *Momentum) Step(params []*Param) {
	if o.v == nil {
		o.v = map[*Param][]float32{}
	}
	for _, p := range params {
		v := o.v[p]
		if v == nil {
			v = make([]float32, len(p.W))
			o.v[p] = v
		}
		for i, g := range p.G {
			v[i] = o.Mu*v[i] + g
			p.W[i] -= o.LR * v[i]
		}
	}
}

// Adam is Kingma & Ba 2015 with bias correction. Zero fields take the
// paper's defaults: B1 = 0.9, B2 = 0.999, Eps = 1e-8.
type Adam struct {
	LR, B1, B2, Eps float32
	t               int
	m, v            map[*Param][]float32
}

// init allocates the moment maps and fills in the default constants.
func (o *Adam) init() {
	if o.m != nil {
		return
	}
	o.m, o.v = map[*Param][]float32{}, map[*Param][]float32{}
	if o.B1 == 0 {
		o.B1 = 0.9
	}
	if o.B2 == 0 {
		o.B2 = 0.999
	}
	if o.Eps == 0 {
		o.Eps = 1e-8
	}
}

// Step applies the update.
func (o *Adam) Step(params []*Param) {
	o.init()
	o.t++
	c1 := float32(1 - math.Pow(float64(o.B1), float64(o.t)))
	c2 := float32(1 - math.Pow(float64(o.B2), float64(o.t)))
	step := o.LR / c1
	for _, p := range params {
		m, v := o.m[p], o.v[p]
		if m == nil {
			m, v = make([]float32, len(p.W)), make([]float32, len(p.W))
			o.m[p], o.v[p] = m, v
		}
		for i, g := range p.G {
			m[i] = o.B1*m[i] + (1-o.B1)*g
			v[i] = o.B2*v[i] + (1-o.B2)*g*g
			p.W[i] -= step * m[i] / (float32(math.Sqrt(float64(v[i]/c2))) + o.Eps)
		}
	}
}

// AdaGrad is Duchi, Hazan & Singer 2011: s ← s + g², w ← w − LR·g/(√s + Eps);
// zero Eps means 1e-10 (PyTorch).
type AdaGrad struct {
	LR, Eps float32
	s       map[*Param][]float32
}

// init allocates the accumulator map and fills in the default Eps.
func (o *AdaGrad) init() {
	if o.s != nil {
		return
	}
	o.s = map[*Param][]float32{}
	if o.Eps == 0 {
		o.Eps = 1e-10
	}
}

// Step applies the update.
func (o *AdaGrad) Step(params []*Param) {
	o.init()
	for _, p := range params {
		s := o.s[p]
		if s == nil {
			s = make([]float32, len(p.W))
			o.s[p] = s
		}
		for i, g := range p.G {
			s[i] += g * g
			p.W[i] -= o.LR * g / (float32(math.Sqrt(float64(s[i]))) + o.Eps)
		}
	}
}

// OptState is a copy of an optimizer's state, for checkpoints: the learning
// rate, the step count (Adam's bias-correction t; 0 for the others) and, per
// named slot (Adam "m" and "v", Momentum "v", AdaGrad "s"), one buffer per
// parameter in the order of the params slice given to State. A nil buffer
// belongs to a parameter that has not been stepped yet.
type OptState struct {
	LR    float32
	Step  int
	Slots map[string][][]float32
}

// Stateful is an optimizer whose state can be saved and restored, so that a
// run resumed from a checkpoint continues exactly as an uninterrupted one.
type Stateful interface {
	Optimizer
	// State returns a copy of the state for params.
	State(params []*Param) OptState
	// SetState restores a state returned by State for the same parameters
	// (same order and sizes).
	SetState(params []*Param, s OptState) error
}

func saveSlot(m map[*Param][]float32, params []*Param) [][]float32 {
	out := make([][]float32, len(params))
	for i, p := range params {
		if v := m[p]; v != nil {
			out[i] = append([]float32(nil), v...)
		}
	}
	return out
}

func loadSlot(s OptState, name string, params []*Param) (map[*Param][]float32, error) {
	bufs, ok := s.Slots[name]
	if !ok {
		return nil, fmt.Errorf("rate: optimizer state has no slot %q", name)
	}
	if len(bufs) != len(params) {
		return nil, fmt.Errorf("rate: optimizer slot %q has %d buffers for %d parameters", name, len(bufs), len(params))
	}
	m := map[*Param][]float32{}
	for i, p := range params {
		if bufs[i] == nil {
			continue
		}
		if len(bufs[i]) != len(p.W) {
			return nil, fmt.Errorf("rate: optimizer slot %q, parameter %d: %d values for %d weights", name, i, len(bufs[i]), len(p.W))
		}
		m[p] = append([]float32(nil), bufs[i]...)
	}
	return m, nil
}

// State returns the learning rate (SGD has no other state).
func (o *SGD) State([]*Param) OptState { return OptState{LR: o.LR} }

// SetState restores the learning rate.
func (o *SGD) SetState(_ []*Param, s OptState) error { o.LR = s.LR; return nil }

// State returns a copy of the velocities.
func (o *Momentum) State(params []*Param) OptState {
	return OptState{LR: o.LR, Slots: map[string][][]float32{"v": saveSlot(o.v, params)}}
}

// SetState restores the learning rate and the velocities.
func (o *Momentum) SetState(params []*Param, s OptState) error {
	v, err := loadSlot(s, "v", params)
	if err != nil {
		return err
	}
	o.LR, o.v = s.LR, v
	return nil
}

// State returns a copy of the step count and both moment estimates.
func (o *Adam) State(params []*Param) OptState {
	return OptState{LR: o.LR, Step: o.t, Slots: map[string][][]float32{"m": saveSlot(o.m, params), "v": saveSlot(o.v, params)}}
}

// SetState restores the learning rate, step count and moments.
func (o *Adam) SetState(params []*Param, s OptState) error {
	m, err := loadSlot(s, "m", params)
	if err != nil {
		return err
	}
	v, err := loadSlot(s, "v", params)
	if err != nil {
		return err
	}
	o.init()
	o.LR, o.t, o.m, o.v = s.LR, s.Step, m, v
	return nil
}

// State returns a copy of the accumulated squared gradients.
func (o *AdaGrad) State(params []*Param) OptState {
	return OptState{LR: o.LR, Slots: map[string][][]float32{"s": saveSlot(o.s, params)}}
}

// SetState restores the learning rate and the accumulators.
func (o *AdaGrad) SetState(params []*Param, s OptState) error {
	acc, err := loadSlot(s, "s", params)
	if err != nil {
		return err
	}
	o.init()
	o.LR, o.s = s.LR, acc
	return nil
}
