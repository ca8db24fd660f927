package rate

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
)

// objective is Σ r ⊙ layer(x) in float64, so its gradient wrt the output is r.
func objective(l Layer, x []float32, n int, r []float32) float64 {
	return Dot(l.Forward(x, n), r)
}

// checkGrad compares Backward with central finite differences on up to 25
// input and 25 parameter coordinates.
func checkGrad(t *testing.T, name string, l Layer, x []float32, n int, h float32, tol float64) {
	t.Helper()
	g := rng.Named(7, "gradcheck-"+name)
	r := make([]float32, n*l.OutDim())
	Normal(r, 1, g)
	l.Forward(x, n)
	dx := slices.Clone(l.Backward(r))
	var grads [][]float32
	for _, p := range l.Params() {
		grads = append(grads, slices.Clone(p.G))
	}
	check := func(what string, v []float32, analytic []float32) {
		for c := 0; c < 25; c++ {
			i := g.IntN(len(v))
			old := v[i]
			v[i] = old + h
			fp := objective(l, x, n, r)
			v[i] = old - h
			fm := objective(l, x, n, r)
			v[i] = old
			num := (fp - fm) / (2 * float64(h))
			a := float64(analytic[i])
			if math.Abs(a-num) > tol*math.Max(1, math.Abs(num)) {
				t.Errorf("%s %s[%d]: analytic %.6g, numeric %.6g", name, what, i, a, num)
			}
		}
	}
	if dx != nil {
		check("x", x, dx)
	}
	for k, p := range l.Params() {
		check(p.Name, p.W, grads[k])
	}
}

// awayFromKinks moves values off ±0 and 1 so piecewise-linear functions
// are differentiable under the finite-difference step.
func awayFromKinks(x []float32) {
	for i, v := range x {
		for _, k := range []float32{0, 1} {
			if d := v - k; d > -0.05 && d < 0.05 {
				x[i] = k + 0.1
			}
		}
	}
}

func TestLayerGradients(t *testing.T) {
	r := rng.Named(1, "layers")
	const n = 3
	cases := []struct {
		name string
		l    Layer
		h    float32
	}{
		{"dense", NewDense(7, 5, r), 1e-2},
		{"relu", NewAct(ReLU, 6), 1e-2},
		{"tanh", NewAct(Tanh, 6), 1e-2},
		{"sigmoid", NewAct(Sigmoid, 6), 1e-2},
		{"hard-sigmoid", NewAct(HardSigmoid, 6), 1e-2},
		{"softmax", NewSoftmax(5), 1e-2},
		{"layernorm", NewLayerNorm(8), 1e-2},
		{"conv", NewConv2D(2, 6, 5, 3, 3, 2, 1, 1, r), 1e-2},
		{"conv-stride2", NewConv2D(1, 7, 7, 2, 3, 3, 2, 0, r), 1e-2},
		{"maxpool", NewMaxPool(2, 4, 6, 2, 2), 1e-3},
		{"avgpool", NewAvgPool(2, 4, 6, 2, 2), 1e-2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := make([]float32, n*c.l.InDim())
			Normal(x, 1, r)
			awayFromKinks(x)
			if ln, ok := c.l.(*LayerNorm); ok {
				Normal(ln.Gain.W, 1, r)
				Normal(ln.Bias.W, 1, r)
			}
			checkGrad(t, c.name, c.l, x, n, c.h, 2e-2)
		})
	}
}

func TestLossGradients(t *testing.T) {
	r := rng.Named(1, "loss")
	const n, k = 4, 5
	z := make([]float32, n*k)
	Normal(z, 1, r)
	y := []uint8{0, 3, 4, 1}
	tgt := make([]float32, n*k)
	OneHot(tgt, y, k, 1, 0)
	for _, c := range []struct {
		name string
		f    func(dz []float32) float64
	}{
		{"cross-entropy", func(dz []float32) float64 { return CrossEntropy(z, y, n, k, dz) }},
		{"mse", func(dz []float32) float64 { return MSE(z, tgt, n, dz) }},
	} {
		dz := make([]float32, n*k)
		c.f(dz)
		tmp := make([]float32, n*k)
		for i := range z {
			old := z[i]
			z[i] = old + 1e-2
			fp := c.f(tmp)
			z[i] = old - 1e-2
			fm := c.f(tmp)
			z[i] = old
			num := (fp - fm) / 2e-2
			if math.Abs(num-float64(dz[i])) > 1e-3 {
				t.Errorf("%s dz[%d]: analytic %.6g numeric %.6g", c.name, i, dz[i], num)
			}
		}
	}
}

// TestOptimizers minimises ½‖w − c‖² with each optimizer.
func TestOptimizers(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Optimizer
	}{
		{"sgd", &SGD{LR: 0.1}},
		{"momentum", &Momentum{LR: 0.05, Mu: 0.9}},
		{"adam", &Adam{LR: 0.05}},
		{"adagrad", &AdaGrad{LR: 0.5}},
	} {
		p := newParam("w", 4)
		target := []float32{1, -2, 0.5, 3}
		for it := 0; it < 1000; it++ {
			for i := range p.W {
				p.G[i] = p.W[i] - target[i]
			}
			c.o.Step([]*Param{p})
		}
		for i := range p.W {
			if math.Abs(float64(p.W[i]-target[i])) > 1e-2 {
				t.Errorf("%s: w=%v want %v", c.name, p.W, target)
				break
			}
		}
	}
}

// trainSmall trains a small MLP with Adam for a few hundred steps on random
// data and returns its parameters.
func trainSmall(seed uint64) []float32 {
	r := rng.Named(seed, "mlp")
	net := NewMLP([]int{100, 300, 10}, ReLU, r)
	opt := &Adam{LR: 1e-3}
	const n = 64
	x := make([]float32, n*100)
	y := make([]uint8, n)
	dz := make([]float32, n*10)
	d := rng.Named(seed, "data")
	for step := 0; step < 30; step++ {
		Uniform(x, 1, d)
		for i := range y {
			y[i] = uint8(d.IntN(10))
		}
		z := net.Forward(x, n)
		CrossEntropy(z, y, n, 10, dz)
		net.Backward(dz)
		opt.Step(net.Params())
	}
	var w []float32
	for _, p := range net.Params() {
		w = append(w, p.W...)
	}
	return w
}

func TestDeterminism(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	a := trainSmall(3)
	runtime.GOMAXPROCS(2)
	b := trainSmall(3)
	runtime.GOMAXPROCS(old)
	if !slices.Equal(a, b) {
		t.Fatal("weights differ between GOMAXPROCS=1 and 2")
	}
	if c := trainSmall(4); slices.Equal(a, c) {
		t.Fatal("different seeds gave the same weights")
	}
}

func TestMLPLearnsXORLike(t *testing.T) {
	// Two-class XOR of the signs of two inputs: not linearly separable.
	r := rng.Named(1, "xor")
	net := NewMLP([]int{2, 32, 2}, Tanh, r)
	opt := &Momentum{LR: 0.1, Mu: 0.9}
	const n = 128
	x := make([]float32, n*2)
	y := make([]uint8, n)
	dz := make([]float32, n*2)
	gen := func(g *rand.Rand) {
		Uniform(x, 1, g)
		for i := range y {
			y[i] = 0
			if x[2*i]*x[2*i+1] > 0 {
				y[i] = 1
			}
		}
	}
	for step := 0; step < 2000; step++ {
		gen(r)
		CrossEntropy(net.Forward(x, n), y, n, 2, dz)
		net.Backward(dz)
		opt.Step(net.Params())
	}
	gen(r)
	if acc := Accuracy(net.Forward(x, n), y, n, 2); acc < 0.95 {
		t.Fatalf("XOR accuracy %.3f < 0.95", acc)
	}
}

// TestConvNoInputGrad checks that skipping the input gradient leaves the
// weight and bias gradients bit-identical and returns nil.
func TestConvNoInputGrad(t *testing.T) {
	r := rng.Named(5, "conv-noinput")
	a := NewConv2D(2, 6, 5, 3, 3, 3, 1, 1, r)
	b := NewConv2D(2, 6, 5, 3, 3, 3, 1, 1, r)
	copy(b.Wt.W, a.Wt.W)
	copy(b.B.W, a.B.W)
	b.NoInputGrad = true
	const n = 3
	x := make([]float32, n*a.InDim())
	dy := make([]float32, n*a.OutDim())
	for i := range x {
		x[i] = r.Float32() - 0.5
	}
	for i := range dy {
		dy[i] = r.Float32() - 0.5
	}
	a.Forward(x, n)
	b.Forward(x, n)
	if dx := a.Backward(dy); dx == nil {
		t.Fatal("input gradient missing without NoInputGrad")
	}
	if dx := b.Backward(dy); dx != nil {
		t.Fatal("NoInputGrad returned an input gradient")
	}
	if !slices.Equal(a.Wt.G, b.Wt.G) || !slices.Equal(a.B.G, b.B.G) {
		t.Error("NoInputGrad changed the weight or bias gradient")
	}
}
