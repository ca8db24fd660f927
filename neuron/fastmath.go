package neuron

import (
	"encoding/binary"
	"math"
)

// Constants of expf32. The polynomial is Cephes' expf (S. L. Moshier):
// e^r ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2, P of degree 5.
const (
	expLog2e = 1.44269504088896341
	expLn2Hi = 0.693359375 // ln 2 split so that n·expLn2Hi is exact for |n| ≤ 2^9
	expLn2Lo = -2.12194440e-4
	expMagic = 12582912  // 1.5·2^23: adding it rounds a float32 in (−2^22, 2^22) to an integer
	expMin   = -87.33654 // ln(2^−126): below it the result would be subnormal; clamped
	expP0    = 1.9875691500e-4
	expP1    = 1.3981999507e-3
	expP2    = 8.3334519073e-3
	expP3    = 4.1665795894e-2
	expP4    = 1.6666665459e-1
	expP5    = 5.0000001201e-1
)

// expf32 returns e^x for x ≤ 0 in float32 arithmetic, without a branch on
// the argument beyond the clamp. Maximum relative error against math.Exp:
// 7.9e-8 (under 1 ulp of float32) on [−87.33, 0], measured by TestExpf32 on
// 2^20 points of that range, 2^20 of [−1, 0] and 2^14 per unit of [−10, 0]
// (the test fails above 2.5e-7). x below −87.34 returns e^−87.34 ≈ 1.2e−38
// instead of a smaller number.
//
// Argument reduction: x = n·ln2 + r with n = round(x·log2 e) (by adding and
// subtracting 1.5·2^23) and |r| ≤ ln2/2 (ln 2 in two parts, Cody–Waite);
// e^x = 2^n·e^r with 2^n built from its exponent bits. Every operation is a
// separately rounded float32 operation (the explicit conversions stop the
// compiler from fusing a multiply and an add), so the vector kernels, which
// perform the same operations lane by lane, give bit-identical results.
func expf32(x float32) float32 {
	if x < expMin {
		x = expMin
	}
	t := float32(x*expLog2e) + expMagic
	n := int32(math.Float32bits(t)) - int32(math.Float32bits(expMagic))
	nf := t - expMagic
	r := float32(x - float32(nf*expLn2Hi))
	r = float32(r - float32(nf*expLn2Lo))
	p := float32(expP0*r) + expP1
	p = float32(p*r) + expP2
	p = float32(p*r) + expP3
	p = float32(p*r) + expP4
	p = float32(p*r) + expP5
	p = float32(float32(p*float32(r*r))+r) + 1
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// reserve returns list with room for n more elements, so that the vector
// kernels can write spike indices without calling append (a call in a loop
// makes the compiler keep the loop's state on the stack).
func reserve(list []int32, n int) []int32 {
	if cap(list)-len(list) < n {
		list = append(make([]int32, 0, len(list)+n), list...)
	}
	return list
}

// fuseAfter does the fused part of StepFused after a scalar kernel: it zeroes
// exc and inh and appends off+i for each i with s[i] ≠ 0 to list, skipping
// eight silent neurons at a time. (Inside the scalar loops the extra pointers
// and counters would cost more in register spills than this second pass.)
func fuseAfter(exc, inh []float32, s []uint8, list []int32, off int) []int32 {
	clear(exc)
	clear(inh)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(s[i:]) == 0 {
			continue
		}
		for j := i; j < i+8; j++ {
			if s[j] != 0 {
				list = append(list, int32(off+j))
			}
		}
	}
	for ; i < len(s); i++ {
		if s[i] != 0 {
			list = append(list, int32(off+i))
		}
	}
	return list
}
