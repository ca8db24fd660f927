package rate

import (
	"math"
	"math/rand/v2"
)

// Conv2D is a 2-D convolution (cross-correlation, as in PyTorch) over
// C×H×W inputs with K kernels of size C×KH×KW, computed per sample as one
// Sgemm on the im2col matrix (Chellapilla et al. 2006).
type Conv2D struct {
	C, H, W     int // input channels, height, width
	K, KH, KW   int // kernels and kernel size
	Stride, Pad int
	OH, OW      int // output height and width
	Wt, B       *Param
	// NoInputGrad skips the gradient with respect to the input in Backward,
	// which then returns nil (set it on a network's first layer, whose input
	// gradient nobody reads; it is a third of the layer's backward cost).
	// Weight and bias gradients are unchanged.
	NoInputGrad bool
	x           []float32
	n           int
	cols, dcols []float32
	y, dx       []float32
}

// NewConv2D returns a convolution initialised like PyTorch's nn.Conv2d
// (uniform ±1/√(C·KH·KW)).
func NewConv2D(c, h, w, k, kh, kw, stride, pad int, r *rand.Rand) *Conv2D {
	l := &Conv2D{C: c, H: h, W: w, K: k, KH: kh, KW: kw, Stride: stride, Pad: pad}
	l.OH = (h+2*pad-kh)/stride + 1
	l.OW = (w+2*pad-kw)/stride + 1
	fan := c * kh * kw
	l.Wt, l.B = newParam("W", k*fan), newParam("b", k)
	a := 1 / math.Sqrt(float64(fan))
	Uniform(l.Wt.W, a, r)
	Uniform(l.B.W, a, r)
	return l
}

func (l *Conv2D) InDim() int       { return l.C * l.H * l.W }
func (l *Conv2D) OutDim() int      { return l.K * l.OH * l.OW }
func (l *Conv2D) Params() []*Param { return []*Param{l.Wt, l.B} }

// im2col writes the (C·KH·KW)×(OH·OW) patch matrix of one sample.
func (l *Conv2D) im2col(cols, x []float32) {
	ohw := l.OH * l.OW
	for c := 0; c < l.C; c++ {
		for i := 0; i < l.KH; i++ {
			for j := 0; j < l.KW; j++ {
				row := cols[((c*l.KH+i)*l.KW+j)*ohw:][:ohw]
				for oy := 0; oy < l.OH; oy++ {
					y := oy*l.Stride - l.Pad + i
					for ox := 0; ox < l.OW; ox++ {
						xx := ox*l.Stride - l.Pad + j
						v := float32(0)
						if y >= 0 && y < l.H && xx >= 0 && xx < l.W {
							v = x[(c*l.H+y)*l.W+xx]
						}
						row[oy*l.OW+ox] = v
					}
				}
			}
		}
	}
}

// col2im adds the patch-matrix gradient back into the image gradient dx.
func (l *Conv2D) col2im(dx, cols []float32) {
	ohw := l.OH * l.OW
	for c := 0; c < l.C; c++ {
		for i := 0; i < l.KH; i++ {
			for j := 0; j < l.KW; j++ {
				row := cols[((c*l.KH+i)*l.KW+j)*ohw:][:ohw]
				for oy := 0; oy < l.OH; oy++ {
					y := oy*l.Stride - l.Pad + i
					if y < 0 || y >= l.H {
						continue
					}
					for ox := 0; ox < l.OW; ox++ {
						xx := ox*l.Stride - l.Pad + j
						if xx >= 0 && xx < l.W {
							dx[(c*l.H+y)*l.W+xx] += row[oy*l.OW+ox]
						}
					}
				}
			}
		}
	}
}

// Forward computes the convolution for each sample of the batch.
func (l *Conv2D) Forward(x []float32, n int) []float32 {
	if len(x) != n*l.InDim() {
		panic("rate: Conv2D input size mismatch")
	}
	l.x, l.n = x, n
	fan, ohw, in, out := l.C*l.KH*l.KW, l.OH*l.OW, l.InDim(), l.OutDim()
	l.cols = grow(l.cols, n*fan*ohw)
	l.y = grow(l.y, n*out)
	for s := 0; s < n; s++ {
		cols := l.cols[s*fan*ohw : (s+1)*fan*ohw]
		l.im2col(cols, x[s*in:(s+1)*in])
		y := l.y[s*out : (s+1)*out]
		for k := 0; k < l.K; k++ {
			for p := 0; p < ohw; p++ {
				y[k*ohw+p] = l.B.W[k]
			}
		}
		Gemm(false, false, l.K, ohw, fan, 1, l.Wt.W, cols, 1, y)
	}
	return l.y
}

// Backward accumulates dW = Σ_s dY_s·cols_sᵀ in sample order and returns
// col2im(Wᵀ·dY_s).
func (l *Conv2D) Backward(dy []float32) []float32 {
	fan, ohw, in, out := l.C*l.KH*l.KW, l.OH*l.OW, l.InDim(), l.OutDim()
	clear(l.Wt.G)
	clear(l.B.G)
	if !l.NoInputGrad {
		l.dcols = grow(l.dcols, fan*ohw)
		l.dx = grow(l.dx, l.n*in)
		clear(l.dx)
	}
	for s := 0; s < l.n; s++ {
		cols := l.cols[s*fan*ohw : (s+1)*fan*ohw]
		g := dy[s*out : (s+1)*out]
		Gemm(false, true, l.K, fan, ohw, 1, g, cols, 1, l.Wt.G)
		for k := 0; k < l.K; k++ {
			var b float32
			for _, v := range g[k*ohw : (k+1)*ohw] {
				b += v
			}
			l.B.G[k] += b
		}
		if !l.NoInputGrad {
			Gemm(true, false, fan, ohw, l.K, 1, l.Wt.W, g, 0, l.dcols)
			l.col2im(l.dx[s*in:(s+1)*in], l.dcols)
		}
	}
	if l.NoInputGrad {
		return nil
	}
	return l.dx
}

// Im2Col writes the (C·KH·KW)×(OH·OW) patch matrix of the single C×H×W
// sample x into cols (local rules such as convolutional SoftHebb learn on
// the patches directly).
func (l *Conv2D) Im2Col(cols, x []float32) {
	if len(cols) < l.C*l.KH*l.KW*l.OH*l.OW || len(x) < l.InDim() {
		panic("rate: Conv2D.Im2Col buffer too small")
	}
	l.im2col(cols, x)
}
