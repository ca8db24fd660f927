//go:build amd64 && !purego && !goexperiment.simd

package neuron

import "math"

// Vector kernels (AVX2, 8 float32 lanes) of the COBA and CUBA updates in Go
// assembly (fastmath_amd64.s) for the default amd64 build. They mirror
// fastmath_simd.go (the GOEXPERIMENT=simd kernels) instruction by
// instruction: each lane performs exactly the float32 operations of
// cobaScalar / cubaScalar in the same order, with no fused multiply–add, so
// results are bit-identical to the scalar kernels (TestKernelsMatchScalar).
// The assembly runs only if the CPU has AVX2 and the OS saves the YMM
// registers (CPUID and XGETBV, checked once at start-up); otherwise, and with
// the purego tag or on other architectures, Step uses the scalar kernels.

// hasAVX2 reports whether the assembly kernels can run on this machine.
var hasAVX2 = detectAVX2()

// detectAVX2 checks CPUID.1:ECX.OSXSAVE[27] and .AVX[28], that the OS
// enabled the SSE and AVX state in XCR0 (bits 1 and 2), and
// CPUID.(7,0):EBX.AVX2[5] (Intel SDM vol. 1 §14.7.1 "Detection of Intel AVX2").
func detectAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// cpuid executes CPUID with EAX = eaxArg, ECX = ecxArg.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// xgetbv returns XCR0 (XGETBV with ECX = 0). Only call it if CPUID reports
// OSXSAVE.
func xgetbv() (eax, edx uint32)

// expTab holds the constants of expf32 in the order the assembly reads them
// (bit patterns, so that the assembly needs no hex literals): expMin,
// expMagic, expLog2e, expLn2Hi, expLn2Lo, expP0..expP5, 1, and the bias
// bits(expMagic) − 127 subtracted from bits(t) to build 2^n.
var expTab = [13]uint32{
	math.Float32bits(expMin), math.Float32bits(expMagic), math.Float32bits(expLog2e),
	math.Float32bits(expLn2Hi), math.Float32bits(expLn2Lo),
	math.Float32bits(expP0), math.Float32bits(expP1), math.Float32bits(expP2),
	math.Float32bits(expP3), math.Float32bits(expP4), math.Float32bits(expP5),
	math.Float32bits(1), math.Float32bits(expMagic) - 127,
}

// cobaAVX2 updates the n neurons (n a multiple of 8) at v, ge, … as
// cobaScalar does. ext may be nil. If fused, it zeroes exc and inh and
// writes off+k for every neuron k that fired to list[0], list[1], …, which
// must have room for n indices; it returns the number written.
//
//go:noescape
func cobaAVX2(c *cobaK, tab *[13]uint32, v, ge, gi, ref, exc, inh, ext *float32, s *uint8, n int, list *int32, off int, fused bool) int

// cubaAVX2 is cobaAVX2 for CUBA (cubaScalar).
//
//go:noescape
func cubaAVX2(c *cubaK, v, ge, gi *float32, ref *int32, exc, inh *float32, s *uint8, n int, list *int32, off int, fused bool) int

func cobaSIMD(c *cobaK, v, ge, gi, ref, exc, inh, ext []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	n := len(v)
	if !hasAVX2 || n < 8 {
		return cobaScalar(c, v, ge, gi, ref, exc, inh, ext, s, fused, list, off)
	}
	// the reslicing checks that every slice has n elements: the assembly
	// trusts n
	ge, gi, ref, exc, inh, s = ge[:n], gi[:n], ref[:n], exc[:n], inh[:n], s[:n]
	var pext *float32
	if ext != nil {
		ext = ext[:n]
		pext = &ext[0]
	}
	var pl *int32
	if fused {
		list = reserve(list, n)
		pl = &list[:cap(list)][len(list)]
	}
	n8 := n &^ 7
	w := cobaAVX2(c, &expTab, &v[0], &ge[0], &gi[0], &ref[0], &exc[0], &inh[0], pext, &s[0], n8, pl, off, fused)
	list = list[:len(list)+w]
	if n8 < n {
		var et []float32
		if ext != nil {
			et = ext[n8:]
		}
		list = cobaScalar(c, v[n8:], ge[n8:], gi[n8:], ref[n8:], exc[n8:], inh[n8:], et, s[n8:], fused, list, off+n8)
	}
	return list
}

func cubaSIMD(c *cubaK, v, ge, gi []float32, ref []int32, exc, inh []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	n := len(v)
	if !hasAVX2 || n < 8 {
		return cubaScalar(c, v, ge, gi, ref, exc, inh, s, fused, list, off)
	}
	ge, gi, ref, exc, inh, s = ge[:n], gi[:n], ref[:n], exc[:n], inh[:n], s[:n]
	var pl *int32
	if fused {
		list = reserve(list, n)
		pl = &list[:cap(list)][len(list)]
	}
	n8 := n &^ 7
	w := cubaAVX2(c, &v[0], &ge[0], &gi[0], &ref[0], &exc[0], &inh[0], &s[0], n8, pl, off, fused)
	list = list[:len(list)+w]
	if n8 < n {
		list = cubaScalar(c, v[n8:], ge[n8:], gi[n8:], ref[n8:], exc[n8:], inh[n8:], s[n8:], fused, list, off+n8)
	}
	return list
}

func vectorKernels() string {
	if hasAVX2 {
		return "AVX2 assembly (fastmath_amd64.s)"
	}
	return "scalar (the CPU or OS lacks AVX2)"
}
