package rate

// Pool2D is max or average pooling over Size×Size windows with the given
// stride on C×H×W inputs (no padding).
type Pool2D struct {
	C, H, W      int
	Size, Stride int
	Max          bool // max pooling if true, average pooling otherwise
	OH, OW       int
	n            int
	arg          []int32
	y, dx        []float32
}

// NewMaxPool returns a max-pooling layer.
func NewMaxPool(c, h, w, size, stride int) *Pool2D {
	return &Pool2D{C: c, H: h, W: w, Size: size, Stride: stride, Max: true,
		OH: (h-size)/stride + 1, OW: (w-size)/stride + 1}
}

// NewAvgPool returns an average-pooling layer.
func NewAvgPool(c, h, w, size, stride int) *Pool2D {
	p := NewMaxPool(c, h, w, size, stride)
	p.Max = false
	return p
}

func (p *Pool2D) InDim() int       { return p.C * p.H * p.W }
func (p *Pool2D) OutDim() int      { return p.C * p.OH * p.OW }
func (p *Pool2D) Params() []*Param { return nil }

// Forward pools each window; max pooling keeps the first maximum's index.
func (p *Pool2D) Forward(x []float32, n int) []float32 {
	p.n = n
	in, out := p.InDim(), p.OutDim()
	p.y = grow(p.y, n*out)
	if len(p.arg) < n*out {
		p.arg = make([]int32, n*out)
	}
	inv := 1 / float32(p.Size*p.Size)
	for s := 0; s < n; s++ {
		xs := x[s*in : (s+1)*in]
		for c := 0; c < p.C; c++ {
			for oy := 0; oy < p.OH; oy++ {
				for ox := 0; ox < p.OW; ox++ {
					o := s*out + (c*p.OH+oy)*p.OW + ox
					best, bi, sum := float32(0), -1, float32(0)
					for i := 0; i < p.Size; i++ {
						for j := 0; j < p.Size; j++ {
							idx := (c*p.H+oy*p.Stride+i)*p.W + ox*p.Stride + j
							v := xs[idx]
							sum += v
							if bi < 0 || v > best {
								best, bi = v, idx
							}
						}
					}
					if p.Max {
						p.y[o], p.arg[o] = best, int32(bi)
					} else {
						p.y[o] = sum * inv
					}
				}
			}
		}
	}
	return p.y
}

// Backward routes the gradient to the maximum (max) or spreads it evenly
// (average).
func (p *Pool2D) Backward(dy []float32) []float32 {
	in, out := p.InDim(), p.OutDim()
	p.dx = grow(p.dx, p.n*in)
	clear(p.dx)
	inv := 1 / float32(p.Size*p.Size)
	for s := 0; s < p.n; s++ {
		dx := p.dx[s*in : (s+1)*in]
		for c := 0; c < p.C; c++ {
			for oy := 0; oy < p.OH; oy++ {
				for ox := 0; ox < p.OW; ox++ {
					o := s*out + (c*p.OH+oy)*p.OW + ox
					if p.Max {
						dx[p.arg[o]] += dy[o]
						continue
					}
					for i := 0; i < p.Size; i++ {
						for j := 0; j < p.Size; j++ {
							dx[(c*p.H+oy*p.Stride+i)*p.W+ox*p.Stride+j] += dy[o] * inv
						}
					}
				}
			}
		}
	}
	return p.dx
}
