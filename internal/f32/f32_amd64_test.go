//go:build amd64 && !purego

package f32

import (
	"math/rand/v2"
	"testing"
)

// TestSSEAndAVXAgree runs both assembly paths (the AVX one only where the
// CPU has it), so the SSE fallback is tested on AVX machines too.
func TestSSEAndAVXAgree(t *testing.T) {
	saved := useAVX
	defer func() { useAVX = saved }()
	axpySSE := func(a float32, x, y []float32) { useAVX = false; Axpy(a, x, y) }
	addSSE := func(dst, src []float32) { useAVX = false; Add(dst, src) }
	axpyAVX := func(a float32, x, y []float32) { useAVX = true; Axpy(a, x, y) }
	addAVX := func(dst, src []float32) { useAVX = true; Add(dst, src) }
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 70; n++ {
		x, y := vectors(r, n, n%3)
		want := append([]float32(nil), y...)
		axpyGeneric(-1.25, x, want)
		got := append([]float32(nil), y...)
		axpySSE(-1.25, x, got)
		sameBits(t, "axpySSE", got, want)
		wantAdd := append([]float32(nil), y...)
		addGeneric(wantAdd, x)
		got = append([]float32(nil), y...)
		addSSE(got, x)
		sameBits(t, "addSSE", got, wantAdd)
		if !saved {
			continue
		}
		got = append([]float32(nil), y...)
		axpyAVX(-1.25, x, got)
		sameBits(t, "axpyAVX", got, want)
		got = append([]float32(nil), y...)
		addAVX(got, x)
		sameBits(t, "addAVX", got, wantAdd)
	}
	t.Logf("AVX available: %v", saved)
}
