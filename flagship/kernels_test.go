package flagship

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// scatterRow is the straightforward synapse-by-synapse delivery.
func scatterRow(p *proj, j int32, buf []float32) {
	for q := p.rowPtr[j]; q < p.rowPtr[j+1]; q++ {
		buf[p.post[q]] += p.w[q]
	}
}

// testProj builds a projection from explicit rows (targets need not be
// sorted or unique) with random weights.
func testProj(r *rand.Rand, nPost int, rows [][]int32) *proj {
	p := &proj{nPre: len(rows), nPost: nPost, rowPtr: make([]int32, len(rows)+1)}
	for j, row := range rows {
		p.post = append(p.post, row...)
		for range row {
			p.w = append(p.w, float32(r.NormFloat64()))
		}
		p.rowPtr[j+1] = int32(len(p.post))
	}
	p.index()
	return p
}

// TestDeliveryBitIdentical checks the optimised delivery paths (deliver and
// deliverAll: contiguous rows one by one and summed in groups, padded
// small-world rows, plain scatter) against the synapse-by-
// synapse loop, bit for bit, over random spike sequences into buffers that
// start at +0 as in simulate — on the default network's inter-layer
// projection and on hand-made rows (wrap-around, unsorted and duplicate
// targets, empty rows) — and again after weights change and syncPad.
func TestDeliveryBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	m, err := New(DefaultConfig(), 784, 10)
	if err != nil {
		t.Fatal(err)
	}
	var lattice []int32 // ring window 180…199, 0…49 with holes, stored sorted
	for i := int32(0); i < 70; i++ {
		if i%7 != 3 {
			lattice = append(lattice, (i+180)%200)
		}
	}
	slices.Sort(lattice)
	manual := testProj(r, 200, [][]int32{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, // contiguous
		lattice,      // two segments at both ends of the ring
		{5, 3, 9, 3}, // unsorted with a duplicate
		{},
		{10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 150, 199}, // half-filled segment + extras
	})
	manual.buildPad()
	if got := manual.pad.segPtr[2] - manual.pad.segPtr[1]; got != 2 {
		t.Fatalf("wrapped lattice row has %d segments, want 2", got)
	}
	cases := map[string]*proj{"default-ff": m.layers[1].ff, "manual": manual,
		"default-rec": m.layers[0].rec, "default-out": m.layers[0].out}
	for name, p := range cases {
		if p.pad == nil && p != m.layers[0].rec && p != m.layers[0].out {
			t.Fatalf("%s: no padded copy", name)
		}
		for round := 0; round < 2; round++ {
			if round == 1 { // learning changes weights; the copy must follow
				for q := range p.w {
					p.w[q] += float32(r.NormFloat64()) * 0.01
				}
				p.syncPad(0, p.nPre)
			}
			got, want := make([]float32, p.nPost), make([]float32, p.nPost)
			for step := 0; step < 20; step++ {
				clear(got)
				clear(want)
				var spk []int32
				for j := int32(0); j < int32(p.nPre); j++ {
					if r.IntN(4) != 0 {
						continue
					}
					spk = append(spk, j)
					scatterRow(p, j, want)
				}
				if step%2 == 0 {
					p.deliverAll(spk, got, make([]int32, 0, len(spk)))
				} else {
					for _, j := range spk {
						p.deliver(j, got)
					}
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s round %d step %d: target %d got %g, want %g", name, round, step, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestRowDotsBitIdentical compares rowDots with the one-row-at-a-time loop.
func TestRowDotsBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, n := range []int{0, 1, 3, 4, 5, 9, 64} {
		for _, m := range []int{1, 10, 16} {
			mat := make([]float32, n*m)
			vec := make([]float32, m)
			for i := range mat {
				mat[i] = float32(r.NormFloat64())
			}
			for i := range vec {
				vec[i] = float32(r.NormFloat64())
			}
			got := make([]float32, n)
			rowDots(got, mat, vec)
			for i := 0; i < n; i++ {
				var s float32
				for a := 0; a < m; a++ {
					s += mat[i*m+a] * vec[a]
				}
				if math.Float32bits(got[i]) != math.Float32bits(s) {
					t.Fatalf("n=%d m=%d row %d: %g, want %g", n, m, i, got[i], s)
				}
			}
		}
	}
}

// TestStepLIFKernels runs stepLIF with and without the AVX kernel (where the
// CPU has it) on identical random states — including neurons exactly at
// threshold, negative potentials and zero inputs — and requires the same
// spikes and bit-identical state.
func TestStepLIFKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	saved := lifAVX
	defer func() { lifAVX = saved }()
	for _, n := range []int{5, 37, 400, 2000} {
		for _, clearCur := range []bool{false, true} {
			mk := func() *layerStep {
				p := &layerStep{clearCur: clearCur, acc: true, mask: make([]uint8, n/8+1)}
				for _, f := range []*[]float32{&p.v, &p.a, &p.tr, &p.trSum, &p.psi, &p.cnt, &p.cur, &p.rc, &p.th, &p.ith} {
					*f = make([]float32, n)
				}
				return p
			}
			a, b := mk(), mk()
			for i := 0; i < n; i++ {
				th := 0.05 + r.Float32()*2
				a.th[i], a.ith[i] = th, 1/th
				a.v[i] = float32(r.NormFloat64())
				a.tr[i] = r.Float32() * 3
				a.trSum[i] = r.Float32() * 10
				a.psi[i] = r.Float32()
				a.cnt[i] = float32(r.IntN(4))
				if r.IntN(3) > 0 {
					a.cur[i] = float32(r.NormFloat64())
				}
				if r.IntN(3) > 0 {
					a.rc[i] = float32(r.NormFloat64())
				}
				if r.IntN(10) == 0 { // exactly at threshold
					a.v[i], a.cur[i], a.rc[i] = 0, th, 0
				}
			}
			for _, f := range [][2][]float32{{a.v, b.v}, {a.tr, b.tr}, {a.trSum, b.trSum}, {a.psi, b.psi},
				{a.cnt, b.cnt}, {a.cur, b.cur}, {a.rc, b.rc}, {a.th, b.th}, {a.ith, b.ith}} {
				copy(f[1], f[0])
			}
			lifAVX = false
			sa := stepLIF(a, nil, 0.95, 0.9, 0.3)
			lifAVX = saved
			sb := stepLIF(b, nil, 0.95, 0.9, 0.3)
			if !slices.Equal(sa, sb) {
				t.Fatalf("n=%d: spikes differ: %v vs %v", n, sa, sb)
			}
			if len(sa) == 0 {
				t.Fatalf("n=%d: no spikes, test is vacuous", n)
			}
			for k, f := range [][2][]float32{{a.v, b.v}, {a.tr, b.tr}, {a.trSum, b.trSum}, {a.psi, b.psi},
				{a.cnt, b.cnt}, {a.cur, b.cur}, {a.rc, b.rc}} {
				for i := range f[0] {
					if math.Float32bits(f[0][i]) != math.Float32bits(f[1][i]) {
						t.Fatalf("n=%d clear=%v: array %d neuron %d: %g vs %g", n, clearCur, k, i, f[0][i], f[1][i])
					}
				}
			}
		}
	}
	t.Logf("AVX kernel available: %v", saved)
}

// TestEligALIFKernels checks eligALIF and eligDecay (AVX where available)
// against their scalar loops bit for bit, over lengths that exercise the
// 8-lane body and the scalar tail, with zeros, negative traces, subnormals
// and NaN among the values.
func TestEligALIFKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-41, -3.5, float32(math.NaN()), 1e30}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 100, 257} {
		for trial := 0; trial < 20; trial++ {
			ps, a, el := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range ps {
				ps[i] = r.Float32() * 0.3
				a[i] = r.Float32()*2 - 0.5
				el[i] = r.Float32()*4 - 2
				if r.IntN(10) == 0 {
					ps[i] = special[r.IntN(len(special))]
				}
				if r.IntN(10) == 0 {
					a[i] = special[r.IntN(len(special))]
				}
			}
			e, beta, rho := r.Float32()*3, r.Float32()*0.5, float32(math.Exp(-1/100.0))
			if trial == 0 {
				e = 0
			}
			a1, el1 := append([]float32(nil), a...), append([]float32(nil), el...)
			a2, el2 := append([]float32(nil), a...), append([]float32(nil), el...)
			eligALIF(el1, a1, ps, e, beta, rho)
			eligALIFGeneric(el2, a2, ps, e, beta, rho)
			a3, a4 := append([]float32(nil), a...), append([]float32(nil), a...)
			eligDecay(a3, ps, e, beta, rho)
			eligDecayGeneric(a4, ps, e, beta, rho)
			for i := range ps {
				if math.Float32bits(el1[i]) != math.Float32bits(el2[i]) || math.Float32bits(a1[i]) != math.Float32bits(a2[i]) {
					t.Fatalf("n=%d eligALIF[%d]: el %v a %v, scalar el %v a %v", n, i, el1[i], a1[i], el2[i], a2[i])
				}
				if math.Float32bits(a3[i]) != math.Float32bits(a4[i]) {
					t.Fatalf("n=%d eligDecay[%d]: %v, scalar %v", n, i, a3[i], a4[i])
				}
			}
		}
	}
	if !eligAVX {
		t.Log("no AVX here: the scalar loops were compared with themselves")
	}
}
