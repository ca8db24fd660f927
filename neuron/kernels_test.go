package neuron

import (
	"math"
	"slices"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
)

// kernelGuard is the number of sentinel elements after each slice given to a
// kernel; a write past the end of a slice changes one of them.
const kernelGuard = 16

// guarded returns a slice of n elements of a backing array with kernelGuard
// NaN sentinels behind them.
func guarded(n int) (s, back []float32) {
	back = make([]float32, n+kernelGuard)
	for i := n; i < len(back); i++ {
		back[i] = float32(math.NaN())
	}
	return back[:n:n], back
}

func sentinelsIntact(back []float32, n int) bool {
	for _, x := range back[n:] {
		if !math.IsNaN(float64(x)) {
			return false
		}
	}
	return true
}

// kernelInput is one random call of a kernel: state, input and the call's
// flags, drawn from stream key.
type kernelInput struct {
	n, off int
	ext    bool
	fused  bool
	prefix int // indices already in list
}

// kernelLens are the lengths tried: empty, below one vector, vector
// multiples and lengths with every tail length 1..7.
var kernelLens = []int{0, 1, 3, 7, 8, 9, 13, 15, 16, 17, 23, 24, 31, 33, 64, 67, 100, 255, 1001}

func uni(key, i, s uint64) float32 { return rng.Uniform(key, i, s) }

// TestKernelsMatchScalar calls the build's COBA and CUBA kernels (cobaSIMD,
// cubaSIMD: AVX2 assembly in the default amd64 build, archsimd with
// GOEXPERIMENT=simd, scalar otherwise) and the scalar kernels on the same
// random state and input: voltages near threshold, refractory neurons
// (including remaining times within rounding of dt/2 and negative step
// counts), zero and large conductances, with and without Ext, plain and
// fused (with a non-empty list before the call), for every tail length. State,
// spike flags and spike lists must be bit-identical and nothing may be
// written past the slices.
func TestKernelsMatchScalar(t *testing.T) {
	calls, spikes, refr := 0, 0, 0
	for trial := uint64(0); trial < 40; trial++ {
		for li, n := range kernelLens {
			ki := kernelInput{n: n, off: int(trial*7) % 50, ext: trial%2 == 1, fused: trial%4 >= 2, prefix: int(trial % 3)}
			key := trial*100 + uint64(li)
			sp, rf := checkCOBAKernel(t, ki, key)
			spikes += sp
			refr += rf
			sp, rf = checkCUBAKernel(t, ki, key)
			spikes += sp
			refr += rf
			calls += 2
			if t.Failed() {
				return
			}
		}
	}
	t.Logf("%s: %d calls, %d spikes, %d refractory neurons: identical to the scalar kernels", VectorKernels(), calls, spikes, refr)
	if spikes < 1000 || refr < 1000 {
		t.Fatalf("only %d spikes and %d refractory neurons exercised", spikes, refr)
	}
}

// cobaCase draws a random COBA kernel constant set from the defaults with
// dt in [0.05, 0.2] ms.
func cobaCase(key uint64) cobaK {
	m := NewCOBA(0, DefaultCOBA())
	m.Init(0.05+0.15*uni(1, key, 0), 1)
	return cobaConst(m)
}

func checkCOBAKernel(t *testing.T, ki kernelInput, key uint64) (spikes, refr int) {
	t.Helper()
	n := ki.n
	c := cobaCase(key)
	type arrays struct {
		v, ge, gi, ref, exc, inh, ext []float32
		back                          [][]float32
		s                             []uint8
	}
	mk := func() arrays {
		var a arrays
		for _, p := range []*[]float32{&a.v, &a.ge, &a.gi, &a.ref, &a.exc, &a.inh, &a.ext} {
			var b []float32
			*p, b = guarded(n)
			a.back = append(a.back, b)
		}
		a.s = make([]uint8, n)
		for i := range n {
			u := uint64(i)
			a.v[i] = -75 + 30*uni(2, u, key) // many above VTh = −50
			if uni(3, u, key) < 0.2 {
				a.v[i] = c.vth // exactly at threshold
			}
			a.ge[i] = 30 * uni(4, u, key) * uni(4, u, key+1)
			a.gi[i] = 60 * uni(5, u, key) * uni(5, u, key+1)
			switch r := uni(6, u, key); {
			case r < 0.4:
				a.ref[i] = 0
			case r < 0.5:
				a.ref[i] = c.halfDt // boundary: not refractory
			case r < 0.6:
				a.ref[i] = math.Nextafter32(c.halfDt, 1) // just refractory
			default:
				a.ref[i] = c.tref * uni(7, u, key)
			}
			if uni(8, u, key) < 0.3 {
				a.exc[i] = 50 * uni(9, u, key)
			}
			if uni(10, u, key) < 0.2 {
				a.inh[i] = 100 * uni(11, u, key)
			}
			if uni(12, u, key) < 0.01 {
				a.ge[i] = 1e6 // gT·a far below expMin: the clamp
			}
			a.ext[i] = 400*uni(13, u, key) - 100
			a.s[i] = 7 // stale flags must be overwritten
		}
		if !ki.ext {
			a.ext = nil
		}
		return a
	}
	a, b := mk(), mk()
	for i := range n {
		if a.ref[i] > c.halfDt {
			refr++
		}
	}
	list0 := make([]int32, ki.prefix, ki.prefix+n/3) // often too small: the kernel must grow it
	for i := range list0 {
		list0[i] = int32(-1 - i)
	}
	la := cobaSIMD(&c, a.v, a.ge, a.gi, a.ref, a.exc, a.inh, a.ext, a.s, ki.fused, slices.Clone(list0), ki.off)
	lb := cobaScalar(&c, b.v, b.ge, b.gi, b.ref, b.exc, b.inh, b.ext, b.s, ki.fused, slices.Clone(list0), ki.off)
	names := []string{"v", "ge", "gi", "ref", "exc", "inh", "ext"}
	for j, name := range names {
		if !sentinelsIntact(a.back[j], n) {
			t.Errorf("coba n=%d %+v: write past the end of %s", n, ki, name)
		}
		for i := range n {
			if math.Float32bits(a.back[j][i]) != math.Float32bits(b.back[j][i]) {
				t.Errorf("coba n=%d %+v: %s[%d] = %v, scalar %v", n, ki, name, i, a.back[j][i], b.back[j][i])
				return
			}
		}
	}
	return compareSpikes(t, "coba", ki, a.s, b.s, la, lb), refr
}

func checkCUBAKernel(t *testing.T, ki kernelInput, key uint64) (spikes, refr int) {
	t.Helper()
	n := ki.n
	m := NewCUBA(0, DefaultCUBA())
	m.Init(0.05+0.15*uni(20, key, 0), 1)
	c := m.consts()
	type arrays struct {
		v, ge, gi, exc, inh []float32
		back                [][]float32
		ref                 []int32
		s                   []uint8
	}
	mk := func() arrays {
		var a arrays
		for _, p := range []*[]float32{&a.v, &a.ge, &a.gi, &a.exc, &a.inh} {
			var b []float32
			*p, b = guarded(n)
			a.back = append(a.back, b)
		}
		a.ref = make([]int32, n+kernelGuard)
		for i := n; i < len(a.ref); i++ {
			a.ref[i] = math.MinInt32
		}
		a.s = make([]uint8, n+kernelGuard)
		for i := range n {
			u := uint64(i)
			a.v[i] = -62 + 14*uni(21, u, key)
			if uni(22, u, key) < 0.1 {
				a.v[i] = c.vth
			}
			a.ge[i] = 10 * uni(23, u, key)
			a.gi[i] = -10 * uni(24, u, key)
			switch r := uni(25, u, key); {
			case r < 0.5:
				a.ref[i] = 0
			case r < 0.55:
				a.ref[i] = -int32(1 + 3*uni(26, u, key)) // not refractory, kept as is
			case r < 0.65:
				a.ref[i] = 1
			default:
				a.ref[i] = int32(float32(c.refSteps) * uni(27, u, key))
			}
			if uni(28, u, key) < 0.3 {
				a.exc[i] = 5 * uni(29, u, key)
			}
			if uni(30, u, key) < 0.2 {
				a.inh[i] = 5 * uni(31, u, key)
			}
			a.s[i] = 7
		}
		for i := n; i < len(a.s); i++ {
			a.s[i] = 0xAA
		}
		return a
	}
	a, b := mk(), mk()
	for i := range n {
		if a.ref[i] > 0 {
			refr++
		}
	}
	list0 := make([]int32, ki.prefix, ki.prefix+n/3)
	for i := range list0 {
		list0[i] = int32(-1 - i)
	}
	la := cubaSIMD(&c, a.v, a.ge, a.gi, a.ref[:n:n], a.exc, a.inh, a.s[:n:n], ki.fused, slices.Clone(list0), ki.off)
	lb := cubaScalar(&c, b.v, b.ge, b.gi, b.ref[:n:n], b.exc, b.inh, b.s[:n:n], ki.fused, slices.Clone(list0), ki.off)
	for j, name := range []string{"v", "ge", "gi", "exc", "inh"} {
		if !sentinelsIntact(a.back[j], n) {
			t.Errorf("cuba n=%d %+v: write past the end of %s", n, ki, name)
		}
		for i := range n {
			if math.Float32bits(a.back[j][i]) != math.Float32bits(b.back[j][i]) {
				t.Errorf("cuba n=%d %+v: %s[%d] = %v, scalar %v", n, ki, name, i, a.back[j][i], b.back[j][i])
				return
			}
		}
	}
	if !slices.Equal(a.ref, b.ref) {
		t.Errorf("cuba n=%d %+v: ref %v, scalar %v", n, ki, a.ref, b.ref)
	}
	if !slices.Equal(a.s[n:], b.s[n:]) || a.s[n] != 0xAA {
		t.Errorf("cuba n=%d %+v: write past the end of s", n, ki)
	}
	return compareSpikes(t, "cuba", ki, a.s[:n], b.s[:n], la, lb), refr
}

// compareSpikes checks flags and lists of the two kernels (and, if fused,
// that the list holds the prefix then off+k for every flagged k) and returns
// the number of spikes.
func compareSpikes(t *testing.T, model string, ki kernelInput, sa, sb []uint8, la, lb []int32) int {
	t.Helper()
	spikes := 0
	var want []int32
	for i := range sa {
		if sa[i] != sb[i] || sa[i] > 1 {
			t.Errorf("%s n=%d %+v: s[%d] = %d, scalar %d", model, ki.n, ki, i, sa[i], sb[i])
			return 0
		}
		if sa[i] == 1 {
			spikes++
			want = append(want, int32(ki.off+i))
		}
	}
	if !slices.Equal(la, lb) {
		t.Errorf("%s n=%d %+v: list %v, scalar %v", model, ki.n, ki, la, lb)
	}
	if ki.fused && (len(la) != ki.prefix+len(want) || !slices.Equal(la[ki.prefix:], want)) {
		t.Errorf("%s n=%d %+v: list %v, want prefix of %d then %v", model, ki.n, ki, la, ki.prefix, want)
	}
	if !ki.fused && len(la) != ki.prefix {
		t.Errorf("%s n=%d %+v: unfused call changed the list: %v", model, ki.n, ki, la)
	}
	return spikes
}
