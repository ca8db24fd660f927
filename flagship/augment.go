package flagship

import (
	"math"

	"github.com/engram-lab/engram/internal/rng"
)

// Training-image augmentation. Every random number is drawn from the
// counter-based stream rng.Uint64(key, sample index, step), with key derived
// from (seed, epoch): a sample's distortion does not depend on the worker
// that simulates it or on the order of the batch.
//
// Steps of the stream: 0 the translation (dx, dy), 1 the rotation, 2 the
// scale, 3 + i the elastic field's i-th uniform number.

// augmenting reports whether any augmentation is configured.
func (c Config) augmenting() bool {
	return c.AugmentShift > 0 || c.AugmentRotate > 0 || c.AugmentScale > 0 || c.AugmentElastic > 0
}

// shiftDraw returns sample idx's translation (dx, dy), each uniform in
// [−s, s] pixels (stream step 0).
func shiftDraw(s int, key, idx uint64) (dx, dy int) {
	r := rng.Uint64(key, idx, 0)
	span := uint64(2*s + 1)
	return int(r%span) - s, int((r/span)%span) - s
}

// unitFloat maps a 64-bit value to [−1, 1).
func unitFloat(r uint64) float64 { return float64(r>>11)*(2.0/(1<<53)) - 1 }

// augmentImage returns the training copy of image x (w × h pixels, row-major)
// for sample idx. With only AugmentShift set it is shiftImage (an integer
// translation). Otherwise every output pixel p samples the source image at
//
//	q = c + s·R(φ)·(p − c) + (dx, dy) + α·(G_σ ∗ u)(p)
//
// by bilinear interpolation (zero outside the image), where c is the image
// centre, φ is uniform in [−AugmentRotate, AugmentRotate] degrees, s is
// uniform in [1 − AugmentScale, 1 + AugmentScale], (dx, dy) the integer
// translation of AugmentShift, and the last term is Simard et al.'s (2003)
// elastic distortion: u is a field of independent uniform [−1, 1) numbers
// per pixel and direction, G_σ a normalised Gaussian of width
// AugmentElasticSigma pixels (separable, truncated at 3σ, edges clamped)
// and α = AugmentElastic pixels.
func augmentImage(sl *slot, c *Config, x []float32, w, h int, key, idx uint64) []float32 {
	if c.AugmentRotate == 0 && c.AugmentScale == 0 && c.AugmentElastic == 0 {
		return shiftImage(sl, x, w, h, c.AugmentShift, key, idx)
	}
	n := w * h
	if cap(sl.aug) < n {
		sl.aug = make([]float32, n)
	}
	out := sl.aug[:n]
	var dx, dy float64
	if c.AugmentShift > 0 {
		ix, iy := shiftDraw(c.AugmentShift, key, idx)
		dx, dy = float64(ix), float64(iy)
	}
	phi := c.AugmentRotate * math.Pi / 180 * unitFloat(rng.Uint64(key, idx, 1))
	sc := 1 + c.AugmentScale*unitFloat(rng.Uint64(key, idx, 2))

	var fx, fy []float32
	if c.AugmentElastic > 0 {
		if cap(sl.augField) < 3*n {
			sl.augField = make([]float32, 3*n)
		}
		f := sl.augField[:3*n]
		fx, fy = f[:n], f[n:2*n]
		tmp := f[2*n:]
		for i := range n {
			fx[i] = float32(unitFloat(rng.Uint64(key, idx, uint64(3+i))))
			fy[i] = float32(unitFloat(rng.Uint64(key, idx, uint64(3+n+i))))
		}
		kern := gaussKernel(sl, c.AugmentElasticSigma)
		smooth(fx, tmp, w, h, kern, float32(c.AugmentElastic))
		smooth(fy, tmp, w, h, kern, float32(c.AugmentElastic))
	}
	warp(out, x, w, h, phi, sc, dx, dy, fx, fy)
	return out
}

// warp writes out(p) = x(c + sc·R(phi)·(p − c) − (dx, dy) + (fx, fy)(p)),
// bilinearly interpolated; fx, fy may be nil (no elastic field).
func warp(out, x []float32, w, h int, phi, sc, dx, dy float64, fx, fy []float32) {
	cosA, sinA := sc*math.Cos(phi), sc*math.Sin(phi)
	cx, cy := float64(w-1)/2, float64(h-1)/2
	for y := range h {
		for xx := range w {
			px, py := float64(xx)-cx, float64(y)-cy
			qx := cx + cosA*px - sinA*py - dx
			qy := cy + sinA*px + cosA*py - dy
			if fx != nil {
				qx += float64(fx[y*w+xx])
				qy += float64(fy[y*w+xx])
			}
			out[y*w+xx] = bilinear(x, w, h, qx, qy)
		}
	}
}

// bilinear samples image x at (qx, qy), zero outside.
func bilinear(x []float32, w, h int, qx, qy float64) float32 {
	x0f, y0f := math.Floor(qx), math.Floor(qy)
	x0, y0 := int(x0f), int(y0f)
	ax, ay := float32(qx-x0f), float32(qy-y0f)
	at := func(i, j int) float32 {
		if i < 0 || j < 0 || i >= w || j >= h {
			return 0
		}
		return x[j*w+i]
	}
	top := (1-ax)*at(x0, y0) + ax*at(x0+1, y0)
	bot := (1-ax)*at(x0, y0+1) + ax*at(x0+1, y0+1)
	return (1-ay)*top + ay*bot
}

// gaussKernel returns the normalised Gaussian of width sigma pixels, radius
// ⌈3σ⌉, cached in the slot.
func gaussKernel(sl *slot, sigma float64) []float32 {
	r := int(math.Ceil(3 * sigma))
	if len(sl.augKern) == 2*r+1 && sl.augSigma == sigma {
		return sl.augKern
	}
	k := make([]float32, 2*r+1)
	var sum float64
	for i := -r; i <= r; i++ {
		v := math.Exp(-float64(i*i) / (2 * sigma * sigma))
		k[i+r] = float32(v)
		sum += v
	}
	for i := range k {
		k[i] /= float32(sum)
	}
	sl.augKern, sl.augSigma = k, sigma
	return k
}

// smooth convolves field f (w × h) with the separable kernel in place
// (rows, then columns; edges clamped) and multiplies it by gain.
func smooth(f, tmp []float32, w, h int, k []float32, gain float32) {
	r := len(k) / 2
	for y := range h {
		row := f[y*w : (y+1)*w]
		for xx := range w {
			var s float32
			for i, kv := range k {
				j := min(max(xx+i-r, 0), w-1)
				s += kv * row[j]
			}
			tmp[y*w+xx] = s
		}
	}
	for y := range h {
		for xx := range w {
			var s float32
			for i, kv := range k {
				j := min(max(y+i-r, 0), h-1)
				s += kv * tmp[j*w+xx]
			}
			f[y*w+xx] = gain * s
		}
	}
}
