package rate

import "math"

// LayerNorm normalises each sample's D features to zero mean and unit
// variance, then applies a learned gain and bias (Ba, Kiros & Hinton 2016):
// y = γ ⊙ (x − μ)/√(σ² + Eps) + β.
type LayerNorm struct {
	D          int
	Eps        float32 // added to the variance; default 1e-5 (PyTorch)
	Gain, Bias *Param
	n          int
	xhat, inv  []float32
	y, dx      []float32
}

// NewLayerNorm returns a layer norm over d features with γ = 1, β = 0.
func NewLayerNorm(d int) *LayerNorm {
	l := &LayerNorm{D: d, Eps: 1e-5, Gain: newParam("gain", d), Bias: newParam("bias", d)}
	for i := range l.Gain.W {
		l.Gain.W[i] = 1
	}
	return l
}

func (l *LayerNorm) InDim() int       { return l.D }
func (l *LayerNorm) OutDim() int      { return l.D }
func (l *LayerNorm) Params() []*Param { return []*Param{l.Gain, l.Bias} }

// Forward normalises each row.
func (l *LayerNorm) Forward(x []float32, n int) []float32 {
	l.n = n
	l.xhat = grow(l.xhat, n*l.D)
	l.y = grow(l.y, n*l.D)
	l.inv = grow(l.inv, n)
	for s := 0; s < n; s++ {
		r := x[s*l.D : (s+1)*l.D]
		var mu, v float64
		for _, a := range r {
			mu += float64(a)
		}
		mu /= float64(l.D)
		for _, a := range r {
			d := float64(a) - mu
			v += d * d
		}
		v /= float64(l.D)
		inv := 1 / math.Sqrt(v+float64(l.Eps))
		l.inv[s] = float32(inv)
		for j, a := range r {
			h := float32((float64(a) - mu) * inv)
			l.xhat[s*l.D+j] = h
			l.y[s*l.D+j] = l.Gain.W[j]*h + l.Bias.W[j]
		}
	}
	return l.y
}

// Backward uses dx = (inv/D)(D·g − Σg − x̂ Σ(g x̂)) with g = γ ⊙ dy.
func (l *LayerNorm) Backward(dy []float32) []float32 {
	l.dx = grow(l.dx, l.n*l.D)
	clear(l.Gain.G)
	clear(l.Bias.G)
	d := float32(l.D)
	for s := 0; s < l.n; s++ {
		g, h, dx := dy[s*l.D:(s+1)*l.D], l.xhat[s*l.D:(s+1)*l.D], l.dx[s*l.D:(s+1)*l.D]
		var sg, sgh float32
		for j := range g {
			l.Gain.G[j] += g[j] * h[j]
			l.Bias.G[j] += g[j]
			gj := g[j] * l.Gain.W[j]
			sg += gj
			sgh += gj * h[j]
		}
		for j := range g {
			gj := g[j] * l.Gain.W[j]
			dx[j] = l.inv[s] / d * (d*gj - sg - h[j]*sgh)
		}
	}
	return l.dx
}
