package flagship

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randImage(w, h int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float32, w*h)
	for i := range x {
		x[i] = r.Float32()
	}
	return x
}

// TestWarpClosedForms checks the resampling against exact pixel maps: a
// whole-pixel translation is shiftImage's map, a quarter turn about the
// centre of an even-sized image maps the pixel grid onto itself, and a
// constant elastic field of whole pixels is a translation.
func TestWarpClosedForms(t *testing.T) {
	const w, h = 6, 6
	x := randImage(w, h, 1)
	at := func(i, j int) float32 {
		if i < 0 || j < 0 || i >= w || j >= h {
			return 0
		}
		return x[j*w+i]
	}
	out := make([]float32, w*h)
	fx, fy := make([]float32, w*h), make([]float32, w*h)
	for i := range fx {
		fx[i], fy[i] = 2, -1
	}
	cases := []struct {
		name            string
		phi, sc, dx, dy float64
		fx, fy          []float32
		want            func(i, j int) float32
	}{
		{"identity", 0, 1, 0, 0, nil, nil, func(i, j int) float32 { return at(i, j) }},
		{"shift (1, −2)", 0, 1, 1, -2, nil, nil, func(i, j int) float32 { return at(i-1, j+2) }},
		// q = c + R(π/2)(p − c): qx = cx − (py − cy), qy = cy + (px − cx)
		{"quarter turn", math.Pi / 2, 1, 0, 0, nil, nil, func(i, j int) float32 { return at(w-1-j, i) }},
		{"half turn", math.Pi, 1, 0, 0, nil, nil, func(i, j int) float32 { return at(w-1-i, h-1-j) }},
		{"constant field", 0, 1, 0, 0, fx, fy, func(i, j int) float32 { return at(i+2, j-1) }},
	}
	for _, tc := range cases {
		warp(out, x, w, h, tc.phi, tc.sc, tc.dx, tc.dy, tc.fx, tc.fy)
		for j := range h {
			for i := range w {
				if got, want := out[j*w+i], tc.want(i, j); math.Abs(float64(got-want)) > 1e-5 {
					t.Fatalf("%s: pixel (%d, %d) = %g, want %g", tc.name, i, j, got, want)
				}
			}
		}
	}
	// half-pixel translation: the mean of two neighbours
	warp(out, x, w, h, 0, 1, 0.5, 0, nil, nil)
	if got, want := out[2*w+3], (at(3, 2)+at(2, 2))/2; math.Abs(float64(got-want)) > 1e-6 {
		t.Fatalf("half-pixel shift: %g, want %g", got, want)
	}
}

// TestSmoothConstant: the normalised kernel keeps a constant field constant
// (edges are clamped) and the gain multiplies it.
func TestSmoothConstant(t *testing.T) {
	const w, h = 9, 7
	f := make([]float32, w*h)
	for i := range f {
		f[i] = 0.25
	}
	k := gaussKernel(&slot{}, 2)
	if len(k) != 13 {
		t.Fatalf("kernel length %d, want 2·⌈3σ⌉+1 = 13", len(k))
	}
	smooth(f, make([]float32, w*h), w, h, k, 4)
	for i, v := range f {
		if math.Abs(float64(v-1)) > 1e-5 {
			t.Fatalf("f[%d] = %g, want 1", i, v)
		}
	}
}

// TestAugmentImage: only a shift is shiftImage itself; the distortions are
// a function of (key, sample) alone, differ between samples, stay within
// the image's value range, and allocate nothing once the slot is warm.
func TestAugmentImage(t *testing.T) {
	const w, h = 28, 28
	x := randImage(w, h, 2)
	c := DefaultConfig()
	a, b := &slot{}, &slot{}
	if got, want := augmentImage(a, &c, x, w, h, 9, 3), shiftImage(b, x, w, h, 1, 9, 3); !slices.Equal(got, want) {
		t.Fatal("shift-only augmentation differs from shiftImage")
	}
	c.AugmentRotate, c.AugmentScale, c.AugmentElastic = 10, 0.1, 34
	first := append([]float32(nil), augmentImage(a, &c, x, w, h, 9, 3)...)
	if !slices.Equal(first, augmentImage(b, &c, x, w, h, 9, 3)) {
		t.Fatal("same key and sample give different images")
	}
	if slices.Equal(first, augmentImage(b, &c, x, w, h, 9, 4)) {
		t.Fatal("different samples give the same distortion")
	}
	if slices.Equal(first, augmentImage(b, &c, x, w, h, 10, 3)) {
		t.Fatal("different keys (epochs) give the same distortion")
	}
	for i, v := range first {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("pixel %d = %g outside the input range [0, 1]", i, v)
		}
	}
	if n := testing.AllocsPerRun(20, func() { augmentImage(a, &c, x, w, h, 9, 5) }); n != 0 {
		t.Fatalf("%g allocations per augmented image", n)
	}
}

// BenchmarkAugmentImage: cost of one 28 × 28 training image's distortion
// (per sample, on the worker that simulates it).
func BenchmarkAugmentImage(b *testing.B) {
	x := randImage(28, 28, 3)
	for _, bc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"shift", func(c *Config) {}},
		{"affine", func(c *Config) { c.AugmentRotate, c.AugmentScale = 10, 0.1 }},
		{"elastic", func(c *Config) { c.AugmentElastic, c.AugmentElasticSigma = 34, 6 }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := DefaultConfig()
			bc.mod(&c)
			sl := &slot{}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				augmentImage(sl, &c, x, 28, 28, 9, uint64(i))
			}
		})
	}
}
