//go:build amd64 && !purego

package rules

import "github.com/engram-lab/engram/internal/f32"

// condAVX2 reports whether condStepAVX2 may run.
var condAVX2 = f32.HasAVX2()

// condStepAVX2 is the vector form of the conductance LIF update for the
// first 8·⌊len(v)/8⌋ neurons (condstep_amd64.s); it returns their spike
// count.
//
//go:noescape
func condStepAVX2(v, ge, gi, theta, self []float32, refrac []int32, spk []uint8, k *condConsts, hao bool) int
