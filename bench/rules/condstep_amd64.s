//go:build amd64 && !purego

#include "textflag.h"

// func condStepAVX2(v, ge, gi, theta, self []float32, refrac []int32, spk []uint8, k *condConsts, hao bool) int
//
// Eight neurons per iteration of layer.step / haoStep (mnist.go,
// mnist_hao.go) for neurons [0, 8·⌊len(v)/8⌋), with the scalar loop's
// float32 operations in its order (no fused multiply–add):
//   gi' = gi + (gAll − self)          (hao: (gi + gAll) − self)
//   a = cE·ge, b = cI·gi'
//   vk = (v + c·((Vr + a·Ee) + b·Ei)) / (1 + c·((1 + a) + b))
//   spike = ref ≤ 0 and vk > Vth + θ
//   ref ← ref > 0 ? ref − 1 : (spike ? R : ref); v ← ref > 0 ? v : (spike ? Vr : vk)
//   ge ← ge·kE, gi ← gi·kI (the stored gi, without the lateral term)
//   spk ← spike as 0/1 bytes; returns the number of spikes.
// k holds each constant eight times (condConsts). All slices hold at least
// len(v) elements (checked by the caller).
TEXT ·condStepAVX2(SB), NOSPLIT, $0-192
	MOVQ    v_base+0(FP), DI
	MOVQ    v_len+8(FP), CX
	SHRQ    $3, CX
	MOVQ    ge_base+24(FP), SI
	MOVQ    gi_base+48(FP), R8
	MOVQ    theta_base+72(FP), R9
	MOVQ    self_base+96(FP), R10
	MOVQ    refrac_base+120(FP), R11
	MOVQ    spk_base+144(FP), R12
	MOVQ    k+168(FP), AX
	MOVBQZX hao+176(FP), R14
	VMOVUPS 0(AX), Y6              // cE
	VMOVUPS 32(AX), Y7             // cI
	VMOVUPS 64(AX), Y8             // Vr
	VMOVUPS 352(AX), Y9            // R (int32)
	VMOVUPS 160(AX), Y11           // c = dt/τm
	VMOVUPS 192(AX), Y12           // 1
	VMOVUPS 224(AX), Y13           // Vth
	VMOVUPS 256(AX), Y14           // gAll
	VPCMPEQD Y15, Y15, Y15         // −1 in every int32 lane
	XORQ    BX, BX
	XORQ    DX, DX

loop:
	TESTQ CX, CX
	JE    done

	// gi' with the lateral inhibition, in the scalar code's order
	VMOVUPS (R8)(BX*4), Y1         // gi
	TESTQ   R14, R14
	JNE     haoOrder
	VSUBPS  (R10)(BX*4), Y14, Y2   // gAll − self
	VADDPS  Y2, Y1, Y2             // gi + (gAll − self)
	JMP     giDone

haoOrder:
	VADDPS Y14, Y1, Y2             // gi + gAll
	VSUBPS (R10)(BX*4), Y2, Y2     // (gi + gAll) − self

giDone:
	// stored conductances decay
	VMOVUPS (SI)(BX*4), Y0         // ge
	VMULPS  288(AX), Y0, Y3
	VMOVUPS Y3, (SI)(BX*4)
	VMULPS  320(AX), Y1, Y3
	VMOVUPS Y3, (R8)(BX*4)

	// a = cE·ge, b = cI·gi'
	VMULPS Y6, Y0, Y0
	VMULPS Y7, Y2, Y2

	// numerator v + c·((Vr + a·Ee) + b·Ei)
	VMULPS  96(AX), Y0, Y3
	VADDPS  Y8, Y3, Y3
	VMULPS  128(AX), Y2, Y4
	VADDPS  Y4, Y3, Y3
	VMULPS  Y11, Y3, Y3
	VMOVUPS (DI)(BX*4), Y5         // v
	VADDPS  Y3, Y5, Y3

	// denominator 1 + c·((1 + a) + b); vk = num/den
	VADDPS Y12, Y0, Y4
	VADDPS Y2, Y4, Y4
	VMULPS Y11, Y4, Y4
	VADDPS Y12, Y4, Y4
	VDIVPS Y4, Y3, Y3

	// spike = !(ref > 0) && vk > Vth + θ (ordered: NaN never spikes)
	VADDPS   (R9)(BX*4), Y13, Y4
	VCMPPS   $0x1e, Y4, Y3, Y0
	VMOVDQU  (R11)(BX*4), Y1       // ref
	VPXOR    Y2, Y2, Y2
	VPCMPGTD Y2, Y1, Y2            // ref > 0
	VANDNPS  Y0, Y2, Y0

	// ref ← ref > 0 ? ref − 1 : (spike ? R : ref)
	VPADDD    Y15, Y1, Y4
	VBLENDVPS Y0, Y9, Y1, Y1
	VBLENDVPS Y2, Y4, Y1, Y1
	VMOVDQU   Y1, (R11)(BX*4)

	// v ← ref > 0 ? v : (spike ? Vr : vk)
	VBLENDVPS Y0, Y8, Y3, Y3
	VBLENDVPS Y2, Y5, Y3, Y3
	VMOVUPS   Y3, (DI)(BX*4)

	// spike bytes and count
	VMOVMSKPS    Y0, R13
	POPCNTL      R13, R13
	ADDQ         R13, DX
	VPSRLD       $31, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKSSDW    X1, X0, X0
	VPACKUSWB    X0, X0, X0
	VMOVQ        X0, (R12)(BX*1)

	ADDQ $8, BX
	DECQ CX
	JMP  loop

done:
	VZEROUPPER
	MOVQ DX, ret+184(FP)
	RET
