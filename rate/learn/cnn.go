package learn

import (
	"math"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// CNN is the convolutional network of `engram train --model cnn`:
// conv K×5×5 (stride 1, same padding) → act → 2×2 max pool → dense →
// logits, trained by cross-entropy with one of BP, FA, DFA or DRTP. The
// output layer always learns from its own error e = softmax(z) − onehot(y);
// the rules differ in the signal δ_P that reaches the pooled feature map
// (P = K·(side/2)² units), which the pool routes to the window maxima and the
// activation multiplies by f'(a) before the kernels' update ΔW = −η δ ⋆ x:
//
//	BP:   δ_P = e W_out                (the transposed forward weights)
//	FA:   δ_P = e B, B fixed, shape of W_out (Lillicrap et al. 2016)
//	DFA:  δ_P = e B, B fixed classes×P (Nøkland 2016)
//	DRTP: δ_P = −y* B, B fixed classes×P (Frenkel et al. 2021)
//
// With one convolution, FA and DFA differ only in B's scale (and both draw
// the same numbers; Adam is invariant to the scale, so they train almost
// identically): the convolution is the first layer, so no error is sent
// through its kernels (its input gradient is skipped: Conv2D.NoInputGrad),
// and a feedback kernel in place of the forward kernel would change nothing. The fixed random matrix that FA substitutes
// is the dense layer's.
//
// DFA and DRTP project to the pooled map, not to the conv output before
// pooling: the pooled units are the only ones the output depends on, so the
// dense weights can align with B there (Nøkland's alignment argument), while a
// signal given to the 3 of 4 units a max pool discards would change kernels
// through positions that never reach the output. Routing through the pool
// uses only the layer's own argmax switches and costs a 4× smaller B.
// Measured once on full MNIST (1 epoch, seed 1): projecting before pooling
// gave DFA 94.89 % and DRTP 91.95 %, after pooling 95.31 % and 93.61 %
// (docs/rate.md).
type CNN struct {
	Rule Rule
	Net  *rate.Seq // conv, act, pool, dense
	Conv *rate.Conv2D
	Act  *rate.Act
	Pool *rate.Pool2D
	Out  *rate.Dense
	// B is DFA's and DRTP's fixed classes×P projection to the pooled map;
	// FA's matrix is Out.Feedback; nil for BP.
	B               []float32
	classes         int
	z, dz, tgt, fbP []float32
}

// NewCNN builds the network for side×side single-channel images and k
// kernels. Forward weights come from rng.Named(seed, "cnn") (conv, then
// dense; PyTorch's uniform ±1/√fan-in), fixed feedback from
// rng.Named(seed, "cnn/feedback"): FA's B with the forward init's
// distribution (uniform ±1/√P), DFA/DRTP's uniform ±1/√classes as in NewMLP,
// so that e·B has the scale of a backpropagated error through one layer.
func NewCNN(rule Rule, side, k, classes int, act rate.Kind, seed uint64) *CNN {
	r := rng.Named(seed, "cnn")
	c := &CNN{Rule: rule, classes: classes}
	c.Conv = rate.NewConv2D(1, side, side, k, 5, 5, 1, 2, r)
	c.Conv.NoInputGrad = true // first layer: its input gradient is never used
	c.Act = rate.NewAct(act, c.Conv.OutDim())
	c.Pool = rate.NewMaxPool(k, side, side, 2, 2)
	c.Out = rate.NewDense(c.Pool.OutDim(), classes, r)
	c.Net = &rate.Seq{Layers: []rate.Layer{c.Conv, c.Act, c.Pool, c.Out}}
	g := rng.Named(seed, "cnn/feedback")
	p := c.Pool.OutDim()
	switch rule {
	case FA:
		c.Out.Feedback = make([]float32, classes*p)
		rate.Uniform(c.Out.Feedback, 1/math.Sqrt(float64(p)), g)
	case DFA, DRTP:
		c.B = make([]float32, classes*p)
		rate.Uniform(c.B, 1/math.Sqrt(float64(classes)), g)
	}
	return c
}

// Grad runs the forward pass on the n×side² batch x, stores the rule's
// updates (as gradients to descend) in the parameters' G and returns the
// batch-mean cross-entropy.
func (c *CNN) Grad(x []float32, y []uint8, n int) float64 {
	c.z = c.Net.Forward(x, n)
	k := c.classes
	c.dz = grow(c.dz, n*k)
	loss := rate.CrossEntropy(c.z, y, n, k, c.dz)
	if c.Rule == BP || c.Rule == FA {
		c.Net.Backward(c.dz)
		return loss
	}
	c.Out.ParamGrad(c.dz)
	sig := c.dz // DFA: e/n
	if c.Rule == DRTP {
		c.tgt = grow(c.tgt, n*k)
		rate.OneHot(c.tgt, y, k, -1/float32(n), 0)
		sig = c.tgt
	}
	p := c.Pool.OutDim()
	c.fbP = grow(c.fbP, n*p)
	rate.Gemm(false, false, n, p, k, 1, sig, c.B, 0, c.fbP)
	c.Conv.Backward(c.Act.Backward(c.Pool.Backward(c.fbP)))
	return loss
}

// Logits returns the last Grad batch's n×classes logits.
func (c *CNN) Logits() []float32 { return c.z }

// Params returns the trainable tensors (conv W, b; dense W, b).
func (c *CNN) Params() []*rate.Param { return c.Net.Params() }

// Predict returns the logits of the n images in x (batches of 100).
func (c *CNN) Predict(x []float32, n int) []float32 { return c.Net.Predict(x, n, 100) }
