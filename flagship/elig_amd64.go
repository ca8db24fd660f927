//go:build amd64 && !purego

package flagship

import "github.com/engram-lab/engram/internal/f32"

// eligAVX reports whether eligALIF and eligDecay may use their AVX forms.
var eligAVX = f32.HasAVX()

//go:noescape
func eligALIFAVX(el, a, ps []float32, e, beta, rho float32)

//go:noescape
func eligDecayAVX(a, ps []float32, e, beta, rho float32)
