package rate

import "math"

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

// Step applies the update.
func (o *Adam) Step(params []*Param) {
	if o.m == nil {
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

// Step applies the update.
func (o *AdaGrad) Step(params []*Param) {
	if o.s == nil {
		o.s = map[*Param][]float32{}
		if o.Eps == 0 {
			o.Eps = 1e-10
		}
	}
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
