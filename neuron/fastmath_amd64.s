//go:build amd64 && !purego && !goexperiment.simd

#include "textflag.h"

// AVX2 kernels of COBA and CUBA (declarations and dispatch in
// fastmath_amd64.go). Plan 9 operand order: OP src2, src1, dst computes
// dst = src1 OP src2; VBLENDVPS mask, a, b, dst sets dst = mask ? a : b;
// VCMPPS $pred, b, a, dst compares a with b. Every vector operation is the
// float32 operation of the scalar kernel, in its order, with no FMA.

// Frame of cobaAVX2: broadcast constants read as memory operands (the other
// constants live in Y10–Y15), the cursor into list and the loop limits.
#define C_GL 0(SP)
#define C_GLEL 32(SP)
#define C_EE 64(SP)
#define C_EI 96(SP)
#define C_A 128(SP)
#define C_AE 160(SP)
#define C_AI 192(SP)
#define C_HI 224(SP)
#define C_LO 256(SP)
#define C_BIAS 288(SP)
#define C_HALF 320(SP)
#define C_VTH 352(SP)
#define C_DT 384(SP)
#define C_TREF 416(SP)
#define C_VR 448(SP)
#define C_P0 480(SP)
#define C_P1 512(SP)
#define C_P2 544(SP)
#define C_P3 576(SP)
#define L_CUR 608(SP)
#define L_LIM2 616(SP)
#define L_LIM1 624(SP)

// BCAST broadcasts the float32 at off(base) to the frame slot dst via Y0.
#define BCAST(off, base, dst) \
	VBROADCASTSS off(base), Y0 \
	VMOVUPS      Y0, dst

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func cobaAVX2(c *cobaK, tab *[13]uint32, v, ge, gi, ref, exc, inh, ext *float32, s *uint8, n int, list *int32, off int, fused bool) int
//
// Two blocks of 8 neurons per iteration, their instructions interleaved
// (each block's update is one long dependency chain, the expf32 polynomial
// above all; two independent chains keep the FP units busy), then one block
// if n is an odd multiple of 8. Registers: DI v, SI ge, R8 gi, R9 ref, R10
// exc, R11 inh, R12 ext (0 if none), R13 s, BX neuron index; Y0–Y4 the
// first block's temporaries, Y5–Y9 the second's; Y10 expMin, Y11 expMagic,
// Y12 expLog2e, Y13 1, Y14 expP4, Y15 expP5; the other constants are
// memory operands in the frame. cobaK field offsets: gl 0, gLEL 4, ee 8,
// ei 12, negDtOverC 16, ae 20, ai 24, vth 28, vreset 32, tref 36, dt 40,
// halfDt 44 (checked by TestAsmLayout).
TEXT ·cobaAVX2(SB), 0, $632-120
	MOVQ c+0(FP), AX
	MOVQ tab+8(FP), DX
	BCAST(0, AX, C_GL)
	BCAST(4, AX, C_GLEL)
	BCAST(8, AX, C_EE)
	BCAST(12, AX, C_EI)
	BCAST(16, AX, C_A)
	BCAST(20, AX, C_AE)
	BCAST(24, AX, C_AI)
	BCAST(28, AX, C_VTH)
	BCAST(32, AX, C_VR)
	BCAST(36, AX, C_TREF)
	BCAST(40, AX, C_DT)
	BCAST(44, AX, C_HALF)
	BCAST(12, DX, C_HI)
	BCAST(16, DX, C_LO)
	BCAST(48, DX, C_BIAS)
	BCAST(20, DX, C_P0)
	BCAST(24, DX, C_P1)
	BCAST(28, DX, C_P2)
	BCAST(32, DX, C_P3)
	VBROADCASTSS 0(DX), Y10
	VBROADCASTSS 4(DX), Y11
	VBROADCASTSS 8(DX), Y12
	VBROADCASTSS 44(DX), Y13
	VBROADCASTSS 36(DX), Y14
	VBROADCASTSS 40(DX), Y15
	MOVQ list+88(FP), AX
	MOVQ AX, L_CUR
	MOVQ n+80(FP), AX
	LEAQ -16(AX), CX
	MOVQ CX, L_LIM2
	LEAQ -8(AX), CX
	MOVQ CX, L_LIM1
	MOVQ v+16(FP), DI
	MOVQ ge+24(FP), SI
	MOVQ gi+32(FP), R8
	MOVQ ref+40(FP), R9
	MOVQ exc+48(FP), R10
	MOVQ inh+56(FP), R11
	MOVQ ext+64(FP), R12
	MOVQ s+72(FP), R13
	XORQ BX, BX

	// Per block: gek = ge+exc, gik = gi+inh; gT = (gl+gek)+gik;
	// num = (gLEL+gek·ee)+gik·ei (+ext); ge ← gek·ae, gi ← gik·ai (if
	// fused: exc ← 0, inh ← 0); vinf = num/gT; x = max(expMin, gT·a) (x
	// kept if NaN, as the scalar clamp); expf32(x): t = x·log2e+magic,
	// nf = t−magic, r = (x−nf·hi)−nf·lo, p = ((((P0·r+P1)·r+P2)·r+P3)·r+P4)·r+P5,
	// p = (p·(r·r)+r)+1, e = p·2^n with 2^n = (bits(t)−(bits(magic)−127))<<23;
	// vk = vinf+(v−vinf)·e; refr = rk > half; spike = !refr && vk >= vth;
	// ref ← refr ? rk−dt : (spike ? tref : 0); v ← refr||spike ? vreset : vk;
	// s = spike lanes as bytes 0/1; if fused, off+k of each spike to list.

coba_loop2:
	CMPQ         BX, L_LIM2
	JGT          coba_loop2_end
	VMOVUPS      (SI)(BX*4), Y0
	VMOVUPS      32(SI)(BX*4), Y5
	VADDPS       (R10)(BX*4), Y0, Y0
	VADDPS       32(R10)(BX*4), Y5, Y5
	VMOVUPS      (R8)(BX*4), Y1
	VMOVUPS      32(R8)(BX*4), Y6
	VADDPS       (R11)(BX*4), Y1, Y1
	VADDPS       32(R11)(BX*4), Y6, Y6
	VADDPS       C_GL, Y0, Y2
	VADDPS       C_GL, Y5, Y7
	VADDPS       Y1, Y2, Y2
	VADDPS       Y6, Y7, Y7
	VMULPS       C_EE, Y0, Y3
	VMULPS       C_EE, Y5, Y8
	VADDPS       C_GLEL, Y3, Y3
	VADDPS       C_GLEL, Y8, Y8
	VMULPS       C_EI, Y1, Y4
	VMULPS       C_EI, Y6, Y9
	VADDPS       Y4, Y3, Y3
	VADDPS       Y9, Y8, Y8
	TESTQ        R12, R12
	JZ           coba_loop2_noext
	VADDPS       (R12)(BX*4), Y3, Y3
	VADDPS       32(R12)(BX*4), Y8, Y8

coba_loop2_noext:
	VMULPS       C_AE, Y0, Y0
	VMULPS       C_AE, Y5, Y5
	VMOVUPS      Y0, (SI)(BX*4)
	VMOVUPS      Y5, 32(SI)(BX*4)
	VMULPS       C_AI, Y1, Y1
	VMULPS       C_AI, Y6, Y6
	VMOVUPS      Y1, (R8)(BX*4)
	VMOVUPS      Y6, 32(R8)(BX*4)
	CMPB         fused+104(FP), $0
	JEQ          coba_loop2_nozero
	VXORPS       Y0, Y0, Y0
	VMOVUPS      Y0, (R10)(BX*4)
	VMOVUPS      Y0, (R11)(BX*4)
	VMOVUPS      Y0, 32(R10)(BX*4)
	VMOVUPS      Y0, 32(R11)(BX*4)

coba_loop2_nozero:
	VDIVPS       Y2, Y3, Y3
	VDIVPS       Y7, Y8, Y8
	VMULPS       C_A, Y2, Y2
	VMULPS       C_A, Y7, Y7
	VMAXPS       Y2, Y10, Y2
	VMAXPS       Y7, Y10, Y7
	VMULPS       Y12, Y2, Y4
	VMULPS       Y12, Y7, Y9
	VADDPS       Y11, Y4, Y4
	VADDPS       Y11, Y9, Y9
	VSUBPS       Y11, Y4, Y0
	VSUBPS       Y11, Y9, Y5
	VMULPS       C_HI, Y0, Y1
	VMULPS       C_HI, Y5, Y6
	VSUBPS       Y1, Y2, Y2
	VSUBPS       Y6, Y7, Y7
	VMULPS       C_LO, Y0, Y0
	VMULPS       C_LO, Y5, Y5
	VSUBPS       Y0, Y2, Y2
	VSUBPS       Y5, Y7, Y7
	VMULPS       C_P0, Y2, Y0
	VMULPS       C_P0, Y7, Y5
	VADDPS       C_P1, Y0, Y0
	VADDPS       C_P1, Y5, Y5
	VMULPS       Y2, Y0, Y0
	VMULPS       Y7, Y5, Y5
	VADDPS       C_P2, Y0, Y0
	VADDPS       C_P2, Y5, Y5
	VMULPS       Y2, Y0, Y0
	VMULPS       Y7, Y5, Y5
	VADDPS       C_P3, Y0, Y0
	VADDPS       C_P3, Y5, Y5
	VMULPS       Y2, Y0, Y0
	VMULPS       Y7, Y5, Y5
	VADDPS       Y14, Y0, Y0
	VADDPS       Y14, Y5, Y5
	VMULPS       Y2, Y0, Y0
	VMULPS       Y7, Y5, Y5
	VADDPS       Y15, Y0, Y0
	VADDPS       Y15, Y5, Y5
	VMULPS       Y2, Y2, Y1
	VMULPS       Y7, Y7, Y6
	VMULPS       Y1, Y0, Y0
	VMULPS       Y6, Y5, Y5
	VADDPS       Y2, Y0, Y0
	VADDPS       Y7, Y5, Y5
	VADDPS       Y13, Y0, Y0
	VADDPS       Y13, Y5, Y5
	VPSUBD       C_BIAS, Y4, Y4
	VPSUBD       C_BIAS, Y9, Y9
	VPSLLD       $23, Y4, Y4
	VPSLLD       $23, Y9, Y9
	VMULPS       Y4, Y0, Y0
	VMULPS       Y9, Y5, Y5
	VMOVUPS      (DI)(BX*4), Y1
	VMOVUPS      32(DI)(BX*4), Y6
	VSUBPS       Y3, Y1, Y1
	VSUBPS       Y8, Y6, Y6
	VMULPS       Y0, Y1, Y1
	VMULPS       Y5, Y6, Y6
	VADDPS       Y1, Y3, Y1
	VADDPS       Y6, Y8, Y6
	VMOVUPS      (R9)(BX*4), Y2
	VMOVUPS      32(R9)(BX*4), Y7
	VCMPPS       $0x0e, C_HALF, Y2, Y3
	VCMPPS       $0x0e, C_HALF, Y7, Y8
	VCMPPS       $0x0d, C_VTH, Y1, Y4
	VCMPPS       $0x0d, C_VTH, Y6, Y9
	VANDNPS      Y4, Y3, Y4
	VANDNPS      Y9, Y8, Y9
	VSUBPS       C_DT, Y2, Y2
	VSUBPS       C_DT, Y7, Y7
	VANDPS       C_TREF, Y4, Y0
	VANDPS       C_TREF, Y9, Y5
	VBLENDVPS    Y3, Y2, Y0, Y0
	VBLENDVPS    Y8, Y7, Y5, Y5
	VMOVUPS      Y0, (R9)(BX*4)
	VMOVUPS      Y5, 32(R9)(BX*4)
	VORPS        Y4, Y3, Y3
	VORPS        Y9, Y8, Y8
	VBLENDVPS    Y3, C_VR, Y1, Y1
	VBLENDVPS    Y8, C_VR, Y6, Y6
	VMOVUPS      Y1, (DI)(BX*4)
	VMOVUPS      Y6, 32(DI)(BX*4)
	VMOVMSKPS    Y4, AX
	VMOVMSKPS    Y9, CX
	VPSRLD       $31, Y4, Y4
	VPSRLD       $31, Y9, Y9
	VEXTRACTI128 $1, Y4, X0
	VEXTRACTI128 $1, Y9, X5
	VPACKSSDW    X0, X4, X4
	VPACKSSDW    X5, X9, X9
	VPACKUSWB    X4, X4, X4
	VPACKUSWB    X9, X9, X9
	VMOVQ        X4, (R13)(BX*1)
	VMOVQ        X9, 8(R13)(BX*1)
	SHLL         $8, CX
	ORL          CX, AX
	TESTL        AX, AX
	JZ           coba_loop2_next
	CMPB         fused+104(FP), $0
	JEQ          coba_loop2_next
	MOVQ         L_CUR, DX

coba_loop2_bit:
	BSFL         AX, CX
	ADDQ         BX, CX
	ADDQ         off+96(FP), CX
	MOVL         CX, (DX)
	ADDQ         $4, DX
	LEAL         -1(AX), CX
	ANDL         CX, AX
	JNZ          coba_loop2_bit
	MOVQ         DX, L_CUR

coba_loop2_next:
	ADDQ         $16, BX
	JMP          coba_loop2

coba_loop2_end:
coba_loop1:
	CMPQ         BX, L_LIM1
	JGT          coba_loop1_end
	VMOVUPS      (SI)(BX*4), Y0
	VADDPS       (R10)(BX*4), Y0, Y0
	VMOVUPS      (R8)(BX*4), Y1
	VADDPS       (R11)(BX*4), Y1, Y1
	VADDPS       C_GL, Y0, Y2
	VADDPS       Y1, Y2, Y2
	VMULPS       C_EE, Y0, Y3
	VADDPS       C_GLEL, Y3, Y3
	VMULPS       C_EI, Y1, Y4
	VADDPS       Y4, Y3, Y3
	TESTQ        R12, R12
	JZ           coba_loop1_noext
	VADDPS       (R12)(BX*4), Y3, Y3

coba_loop1_noext:
	VMULPS       C_AE, Y0, Y0
	VMOVUPS      Y0, (SI)(BX*4)
	VMULPS       C_AI, Y1, Y1
	VMOVUPS      Y1, (R8)(BX*4)
	CMPB         fused+104(FP), $0
	JEQ          coba_loop1_nozero
	VXORPS       Y0, Y0, Y0
	VMOVUPS      Y0, (R10)(BX*4)
	VMOVUPS      Y0, (R11)(BX*4)

coba_loop1_nozero:
	VDIVPS       Y2, Y3, Y3
	VMULPS       C_A, Y2, Y2
	VMAXPS       Y2, Y10, Y2
	VMULPS       Y12, Y2, Y4
	VADDPS       Y11, Y4, Y4
	VSUBPS       Y11, Y4, Y0
	VMULPS       C_HI, Y0, Y1
	VSUBPS       Y1, Y2, Y2
	VMULPS       C_LO, Y0, Y0
	VSUBPS       Y0, Y2, Y2
	VMULPS       C_P0, Y2, Y0
	VADDPS       C_P1, Y0, Y0
	VMULPS       Y2, Y0, Y0
	VADDPS       C_P2, Y0, Y0
	VMULPS       Y2, Y0, Y0
	VADDPS       C_P3, Y0, Y0
	VMULPS       Y2, Y0, Y0
	VADDPS       Y14, Y0, Y0
	VMULPS       Y2, Y0, Y0
	VADDPS       Y15, Y0, Y0
	VMULPS       Y2, Y2, Y1
	VMULPS       Y1, Y0, Y0
	VADDPS       Y2, Y0, Y0
	VADDPS       Y13, Y0, Y0
	VPSUBD       C_BIAS, Y4, Y4
	VPSLLD       $23, Y4, Y4
	VMULPS       Y4, Y0, Y0
	VMOVUPS      (DI)(BX*4), Y1
	VSUBPS       Y3, Y1, Y1
	VMULPS       Y0, Y1, Y1
	VADDPS       Y1, Y3, Y1
	VMOVUPS      (R9)(BX*4), Y2
	VCMPPS       $0x0e, C_HALF, Y2, Y3
	VCMPPS       $0x0d, C_VTH, Y1, Y4
	VANDNPS      Y4, Y3, Y4
	VSUBPS       C_DT, Y2, Y2
	VANDPS       C_TREF, Y4, Y0
	VBLENDVPS    Y3, Y2, Y0, Y0
	VMOVUPS      Y0, (R9)(BX*4)
	VORPS        Y4, Y3, Y3
	VBLENDVPS    Y3, C_VR, Y1, Y1
	VMOVUPS      Y1, (DI)(BX*4)
	VMOVMSKPS    Y4, AX
	VPSRLD       $31, Y4, Y4
	VEXTRACTI128 $1, Y4, X0
	VPACKSSDW    X0, X4, X4
	VPACKUSWB    X4, X4, X4
	VMOVQ        X4, (R13)(BX*1)
	TESTL        AX, AX
	JZ           coba_loop1_next
	CMPB         fused+104(FP), $0
	JEQ          coba_loop1_next
	MOVQ         L_CUR, DX

coba_loop1_bit:
	BSFL         AX, CX
	ADDQ         BX, CX
	ADDQ         off+96(FP), CX
	MOVL         CX, (DX)
	ADDQ         $4, DX
	LEAL         -1(AX), CX
	ANDL         CX, AX
	JNZ          coba_loop1_bit
	MOVQ         DX, L_CUR

coba_loop1_next:
	ADDQ         $8, BX
	JMP          coba_loop1

coba_loop1_end:

	VZEROUPPER
	MOVQ L_CUR, AX
	SUBQ list+88(FP), AX
	SHRQ $2, AX
	MOVQ AX, ret+112(FP)
	RET

// func cubaAVX2(c *cubaK, v, ge, gi *float32, ref *int32, exc, inh *float32, s *uint8, n int, list *int32, off int, fused bool) int
//
// Registers: DI v, SI ge, R8 gi, R9 ref, R10 exc, R11 inh, R13 s, BX neuron
// index, DX cursor into list; Y0–Y5 temporaries; Y6 el, Y7 am, Y8 pe, Y9 pi,
// Y10 ae, Y11 ai, Y12 vth, Y13 vr, Y14 refSteps, Y15 int32 −1. cubaK field
// offsets: el 0, vth 4, vr 8, am 12, ae 16, ai 20, pe 24, pi 28, refSteps 32.
TEXT ·cubaAVX2(SB), NOSPLIT, $0-104
	MOVQ         c+0(FP), AX
	VBROADCASTSS 0(AX), Y6
	VBROADCASTSS 12(AX), Y7
	VBROADCASTSS 24(AX), Y8
	VBROADCASTSS 28(AX), Y9
	VBROADCASTSS 16(AX), Y10
	VBROADCASTSS 20(AX), Y11
	VBROADCASTSS 4(AX), Y12
	VBROADCASTSS 8(AX), Y13
	VBROADCASTSS 32(AX), Y14
	VPCMPEQD     Y15, Y15, Y15
	MOVQ         list+72(FP), DX
	MOVQ         v+8(FP), DI
	MOVQ         ge+16(FP), SI
	MOVQ         gi+24(FP), R8
	MOVQ         ref+32(FP), R9
	MOVQ         exc+40(FP), R10
	MOVQ         inh+48(FP), R11
	MOVQ         s+56(FP), R13
	XORQ         BX, BX

cuba_loop:
	CMPQ BX, n+64(FP)
	JGE  cuba_done

	// e = ge+exc, i = gi−inh; vk = ((el+(v−el)·am)+e·pe)+i·pi
	VMOVUPS (SI)(BX*4), Y0
	VADDPS  (R10)(BX*4), Y0, Y0
	VMOVUPS (R8)(BX*4), Y1
	VSUBPS  (R11)(BX*4), Y1, Y1
	VMOVUPS (DI)(BX*4), Y2
	VSUBPS  Y6, Y2, Y2
	VMULPS  Y7, Y2, Y2
	VADDPS  Y6, Y2, Y2
	VMULPS  Y8, Y0, Y3
	VADDPS  Y3, Y2, Y2
	VMULPS  Y9, Y1, Y3
	VADDPS  Y3, Y2, Y2

	// ge ← e·ae, gi ← i·ai; if fused, exc ← 0, inh ← 0
	VMULPS  Y10, Y0, Y0
	VMOVUPS Y0, (SI)(BX*4)
	VMULPS  Y11, Y1, Y1
	VMOVUPS Y1, (R8)(BX*4)
	VPXOR   Y5, Y5, Y5
	CMPB    fused+88(FP), $0
	JEQ     cuba_nozero
	VMOVUPS Y5, (R10)(BX*4)
	VMOVUPS Y5, (R11)(BX*4)

cuba_nozero:
	// refr = r > 0; spike = !refr && vk >= vth;
	// ref ← refr ? r−1 : (spike ? refSteps : r); v ← refr||spike ? vr : vk
	VMOVDQU   (R9)(BX*4), Y1
	VPCMPGTD  Y5, Y1, Y3
	VCMPPS    $0x0d, Y12, Y2, Y4
	VANDNPS   Y4, Y3, Y4
	VPADDD    Y15, Y1, Y5
	VBLENDVPS Y4, Y14, Y1, Y1
	VBLENDVPS Y3, Y5, Y1, Y1
	VMOVDQU   Y1, (R9)(BX*4)
	VORPS     Y4, Y3, Y3
	VBLENDVPS Y3, Y13, Y2, Y2
	VMOVUPS   Y2, (DI)(BX*4)

	// s[k..k+7] = spike lanes as bytes 0/1; indices of spikes to list
	VMOVMSKPS    Y4, AX
	VPSRLD       $31, Y4, Y4
	VEXTRACTI128 $1, Y4, X0
	VPACKSSDW    X0, X4, X4
	VPACKUSWB    X4, X4, X4
	VMOVQ        X4, (R13)(BX*1)
	TESTL        AX, AX
	JNZ          cuba_spikes

cuba_next:
	ADDQ $8, BX
	JMP  cuba_loop

cuba_spikes:
	CMPB fused+88(FP), $0
	JEQ  cuba_next

cuba_bit:
	BSFL AX, CX
	ADDQ BX, CX
	ADDQ off+80(FP), CX
	MOVL CX, (DX)
	ADDQ $4, DX
	LEAL -1(AX), CX
	ANDL CX, AX
	JNZ  cuba_bit
	JMP  cuba_next

cuba_done:
	VZEROUPPER
	MOVQ DX, AX
	SUBQ list+72(FP), AX
	SHRQ $2, AX
	MOVQ AX, ret+96(FP)
	RET
