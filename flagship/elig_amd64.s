//go:build amd64 && !purego

#include "textflag.h"

// func eligALIFAVX(el, a, ps []float32, e, beta, rho float32)
// For q < len(ps), with p = ps[q] and aq = a[q]:
//   el[q] = el[q] + p·(e − beta·aq)
//   a[q]  = p·e + (rho − p·beta)·aq
// one rounding per operation, in the order of eligALIFGeneric (no FMA).
// The caller guarantees len(el), len(a) ≥ len(ps).
TEXT ·eligALIFAVX(SB), NOSPLIT, $0-84
	MOVQ         el_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         ps_base+48(FP), DX
	MOVQ         ps_len+56(FP), CX
	XORQ         AX, AX
	VBROADCASTSS e+72(FP), Y0
	VBROADCASTSS beta+76(FP), Y1
	VBROADCASTSS rho+80(FP), Y2

el8:
	CMPQ    CX, $8
	JL      el1
	VMOVUPS (SI)(AX*4), Y3 // aq
	VMOVUPS (DX)(AX*4), Y4 // p
	VMULPS  Y3, Y1, Y5     // beta·aq
	VSUBPS  Y5, Y0, Y5     // e − beta·aq
	VMULPS  Y5, Y4, Y5     // p·(e − beta·aq)
	VADDPS  (DI)(AX*4), Y5, Y5
	VMOVUPS Y5, (DI)(AX*4)
	VMULPS  Y0, Y4, Y6     // p·e
	VMULPS  Y1, Y4, Y7     // p·beta
	VSUBPS  Y7, Y2, Y7     // rho − p·beta
	VMULPS  Y3, Y7, Y7     // (rho − p·beta)·aq
	VADDPS  Y7, Y6, Y6
	VMOVUPS Y6, (SI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     el8

el1:
	TESTQ  CX, CX
	JE     elDone
	VMOVSS (SI)(AX*4), X3
	VMOVSS (DX)(AX*4), X4
	VMULSS X3, X1, X5
	VSUBSS X5, X0, X5
	VMULSS X5, X4, X5
	VADDSS (DI)(AX*4), X5, X5
	VMOVSS X5, (DI)(AX*4)
	VMULSS X0, X4, X6
	VMULSS X1, X4, X7
	VSUBSS X7, X2, X7
	VMULSS X3, X7, X7
	VADDSS X7, X6, X6
	VMOVSS X6, (SI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    el1

elDone:
	VZEROUPPER
	RET

// func eligDecayAVX(a, ps []float32, e, beta, rho float32)
// a[q] = p·e + (rho − p·beta)·a[q] for q < len(ps), as eligDecayGeneric.
TEXT ·eligDecayAVX(SB), NOSPLIT, $0-60
	MOVQ         a_base+0(FP), SI
	MOVQ         ps_base+24(FP), DX
	MOVQ         ps_len+32(FP), CX
	XORQ         AX, AX
	VBROADCASTSS e+48(FP), Y0
	VBROADCASTSS beta+52(FP), Y1
	VBROADCASTSS rho+56(FP), Y2

de8:
	CMPQ    CX, $8
	JL      de1
	VMOVUPS (DX)(AX*4), Y4
	VMULPS  Y0, Y4, Y6
	VMULPS  Y1, Y4, Y7
	VSUBPS  Y7, Y2, Y7
	VMULPS  (SI)(AX*4), Y7, Y7
	VADDPS  Y7, Y6, Y6
	VMOVUPS Y6, (SI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     de8

de1:
	TESTQ  CX, CX
	JE     deDone
	VMOVSS (DX)(AX*4), X4
	VMULSS X0, X4, X6
	VMULSS X1, X4, X7
	VSUBSS X7, X2, X7
	VMULSS (SI)(AX*4), X7, X7
	VADDSS X7, X6, X6
	VMOVSS X6, (SI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    de1

deDone:
	VZEROUPPER
	RET
