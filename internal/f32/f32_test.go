package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// vectors returns random x, y of length n (mixed magnitudes, zeros, signed
// zeros and subnormals) starting at element offset off of their backing arrays.
func vectors(r *rand.Rand, n, off int) (x, y []float32) {
	x = make([]float32, n+off+3)
	y = make([]float32, n+off+3)
	for i := range x {
		x[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(12)-6)))
		y[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(12)-6)))
		switch r.IntN(20) {
		case 0:
			x[i] = 0
		case 1:
			y[i] = float32(math.Copysign(0, -1))
		case 2:
			x[i] = math.Float32frombits(uint32(r.IntN(1 << 23))) // subnormal
		}
	}
	return x[off : off+n], y[off : off+n+2]
}

func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d of %d is %g (%#x), want %g (%#x)", name, i, len(want), got[i],
				math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// TestKernelsBitIdentical checks Add and Axpy against the scalar loops, bit
// for bit, for every length up to 130 and several alignments, including the
// elements past len(x) that must stay untouched.
func TestKernelsBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 130; n++ {
		for off := 0; off < 4; off++ {
			for _, a := range []float32{1, -0.37, 3e-4, 0} {
				x, y := vectors(r, n, off)
				want := append([]float32(nil), y...)
				axpyGeneric(a, x, want)
				got := append([]float32(nil), y...)
				Axpy(a, x, got)
				sameBits(t, "Axpy", got, want)
			}
			x, y := vectors(r, n, off)
			want := append([]float32(nil), y...)
			addGeneric(want, x)
			got := append([]float32(nil), y...)
			Add(got, x)
			sameBits(t, "Add", got, want)
			// Add equals Axpy with a = 1 (1·x is exact)
			got2 := append([]float32(nil), y...)
			Axpy(1, x, got2)
			sameBits(t, "Axpy(1)", got2, want)
		}
	}
}

func TestShortDestinationPanics(t *testing.T) {
	cases := map[string]func(){
		"Add":  func() { Add(make([]float32, 3), make([]float32, 40)) },
		"Axpy": func() { Axpy(2, make([]float32, 40), make([]float32, 39)) },
	}
	for name, f := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with a short destination did not panic", name)
				}
			}()
			f()
		}()
	}
}

func BenchmarkAdd100(b *testing.B) {
	x, y := make([]float32, 100), make([]float32, 100)
	for range b.N {
		Add(y, x)
	}
}

func BenchmarkAxpy1000(b *testing.B) {
	x, y := make([]float32, 1000), make([]float32, 1000)
	for range b.N {
		Axpy(0.5, x, y)
	}
}

// TestSumRowsBitIdentical compares SumRows (both kernels on amd64) with one
// Add per row, for destination lengths around the 96/64/32/16/8/4/1 chunk
// sizes.
func TestSumRowsBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	w, _ := vectors(r, 5000, 0)
	for _, n := range []int{0, 1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 20, 31, 32, 36, 63, 64, 65, 88, 95, 96, 97, 100, 137, 199, 200, 260} {
		for _, rows := range []int{0, 1, 2, 17} {
			offs := make([]int32, rows)
			for k := range offs {
				offs[k] = int32(r.IntN(len(w) - n + 1))
			}
			d, _ := vectors(r, n, 1)
			want := append([]float32(nil), d...)
			for _, o := range offs {
				addGeneric(want, w[o:int(o)+n])
			}
			got := append([]float32(nil), d...)
			SumRows(got, w, offs)
			sameBits(t, "SumRows", got, want)
			got = append([]float32(nil), d...)
			sumRowsGeneric(got, w, offs)
			sameBits(t, "sumRowsGeneric", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("SumRows accepted a row past the end of w")
		}
	}()
	SumRows(make([]float32, 10), make([]float32, 20), []int32{11})
}

// TestAxpyRowsBitIdentical compares AxpyRows with one Axpy per row.
func TestAxpyRowsBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	src, _ := vectors(r, 5000, 0)
	for _, n := range []int{0, 1, 7, 8, 9, 63, 64, 65, 100, 1000} {
		for _, rows := range []int{0, 1, 3, 32} {
			offs := make([]int32, rows)
			coefs := make([]float32, rows)
			for k := range offs {
				offs[k] = int32(r.IntN(len(src) - n + 1))
				coefs[k] = float32(r.NormFloat64() * 1e-3)
			}
			d, _ := vectors(r, n, 2)
			want := append([]float32(nil), d...)
			for k, o := range offs {
				axpyGeneric(coefs[k], src[o:int(o)+n], want)
			}
			got := append([]float32(nil), d...)
			AxpyRows(got, src, offs, coefs)
			sameBits(t, "AxpyRows", got, want)
			got = append([]float32(nil), d...)
			axpyRowsGeneric(got, src, offs, coefs)
			sameBits(t, "axpyRowsGeneric", got, want)
		}
	}
}

// TestAxpyClipBitIdentical checks AxpyClip against the scalar loop (and so
// against plasticity.Bounds.Clip of the scalar update), bit for bit, for
// every length up to 70, several alignments and bounds, with values inside,
// below and above the bounds, −0, subnormals and NaN; elements past len(x)
// stay untouched.
func TestAxpyClipBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	bounds := [][2]float32{{0, 1}, {-1e-3, 1e-3}, {0, 0}, {-2, 8}}
	for n := 0; n <= 70; n++ {
		for off := 0; off < 3; off++ {
			for _, a := range []float32{-1e-4, 0.3, 0, -7} {
				b := bounds[(n+off)%len(bounds)]
				x, y := vectors(r, n, off)
				if n > 3 {
					y[n/2] = float32(math.NaN())
					y[1] = b[0] // exactly on a bound
				}
				want := append([]float32(nil), y...)
				axpyClipGeneric(a, x, want[:n], b[0], b[1])
				got := append([]float32(nil), y...)
				AxpyClip(a, x, got, b[0], b[1])
				sameBits(t, "AxpyClip", got, want)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("AxpyClip with a short y did not panic")
		}
	}()
	AxpyClip(1, make([]float32, 3), make([]float32, 2), 0, 1)
}

// TestMulScaleBitIdentical checks Mul and Scale against the scalar loops,
// bit for bit, for every length up to 70 and several alignments; elements
// past len(src) stay untouched.
func TestMulScaleBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n <= 70; n++ {
		for off := 0; off < 3; off++ {
			x, y := vectors(r, n, off)
			want := append([]float32(nil), y...)
			mulGeneric(want, x)
			got := append([]float32(nil), y...)
			Mul(got, x)
			sameBits(t, "Mul", got, want)
			for _, a := range []float32{0.97, -3, 0, 1e-30} {
				want := append([]float32(nil), y...)
				scaleGeneric(a, want[:n])
				got := append([]float32(nil), y...)
				Scale(a, got[:n])
				sameBits(t, "Scale", got, want)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Mul with a short dst did not panic")
		}
	}()
	Mul(make([]float32, 2), make([]float32, 3))
}
