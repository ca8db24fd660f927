package rate

import "math/rand/v2"

// Dropout is inverted dropout (Srivastava et al. 2014): while Train is set,
// each feature is zeroed with probability P and the survivors are scaled by
// 1/(1−P), so evaluation (Train false) is the identity with the same
// expected activity. The mask comes from R (an rng.Named stream), one
// uniform draw per feature and sample.
type Dropout struct {
	D     int
	P     float32 // drop probability in [0, 1)
	Train bool
	R     *rand.Rand
	mask  []float32 // 0 or 1/(1−P) per element of the last training Forward
	y, dx []float32
	x     []float32
}

// NewDropout returns a dropout layer over d features in training mode.
func NewDropout(d int, p float32, r *rand.Rand) *Dropout {
	return &Dropout{D: d, P: p, Train: true, R: r}
}

func (d *Dropout) InDim() int       { return d.D }
func (d *Dropout) OutDim() int      { return d.D }
func (d *Dropout) Params() []*Param { return nil }

// Active reports whether Forward drops features (training mode, P > 0).
func (d *Dropout) Active() bool { return d.Train && d.P > 0 }

// Forward returns x ⊙ mask in training mode and x itself otherwise.
func (d *Dropout) Forward(x []float32, n int) []float32 {
	d.x = x
	if !d.Active() {
		return x
	}
	d.mask = grow(d.mask, len(x))
	d.y = grow(d.y, len(x))
	keep := 1 - d.P
	s := 1 / keep
	for i, v := range x {
		m := float32(0)
		if d.R.Float32() < keep {
			m = s
		}
		d.mask[i] = m
		d.y[i] = v * m
	}
	return d.y
}

// Backward returns dy ⊙ mask (dy itself when the last Forward was inactive).
func (d *Dropout) Backward(dy []float32) []float32 {
	if !d.Active() {
		return dy
	}
	d.dx = grow(d.dx, len(dy))
	for i, g := range dy {
		d.dx[i] = g * d.mask[i]
	}
	return d.dx
}
