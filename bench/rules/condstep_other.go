//go:build !amd64 || purego

package rules

var condAVX2 = false

func condStepAVX2(v, ge, gi, theta, self []float32, refrac []int32, spk []uint8, k *condConsts, hao bool) int {
	panic("rules: no vector conductance kernel on this platform")
}
