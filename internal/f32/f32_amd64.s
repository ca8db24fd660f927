//go:build amd64 && !purego

#include "textflag.h"

// func hasAVX() bool
// CPUID.1:ECX bits 27 (OSXSAVE) and 28 (AVX), and XCR0 bits 1–2 (XMM and
// YMM state enabled by the OS).
TEXT ·hasAVX(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18000000, CX
	CMPL CX, $0x18000000
	JNE  no
	XORL CX, CX
	BYTE $0x0f; BYTE $0x01; BYTE $0xd0 // XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET

// func cpuAVX2POPCNT() bool
// CPUID.1:ECX bit 23 (POPCNT) and CPUID.(7,0):EBX bit 5 (AVX2); the OS
// support of the YMM state is hasAVX's part.
TEXT ·cpuAVX2POPCNT(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x00800000, CX
	JEQ  no2
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX
	JEQ  no2
	MOVB $1, ret+0(FP)
	RET
no2:
	MOVB $0, ret+0(FP)
	RET

// func Add(dst, src []float32)
// dst[i] += src[i] for i < len(src); panics (panicShort) if len(dst) < len(src).
TEXT ·Add(SB), NOSPLIT, $0-48
	MOVQ dst_len+8(FP), DX
	MOVQ src_len+32(FP), CX
	CMPQ DX, CX
	JLT  addShort
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	XORQ AX, AX
	CMPB ·useAVX(SB), $0
	JEQ  sadd16

add32:
	CMPQ    CX, $32
	JL      add8
	VMOVUPS (SI)(AX*4), Y1
	VMOVUPS 32(SI)(AX*4), Y2
	VMOVUPS 64(SI)(AX*4), Y3
	VMOVUPS 96(SI)(AX*4), Y4
	VADDPS  (DI)(AX*4), Y1, Y1
	VADDPS  32(DI)(AX*4), Y2, Y2
	VADDPS  64(DI)(AX*4), Y3, Y3
	VADDPS  96(DI)(AX*4), Y4, Y4
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	VMOVUPS Y3, 64(DI)(AX*4)
	VMOVUPS Y4, 96(DI)(AX*4)
	ADDQ    $32, AX
	SUBQ    $32, CX
	JMP     add32

add8:
	CMPQ    CX, $8
	JL      add1
	VMOVUPS (SI)(AX*4), Y1
	VADDPS  (DI)(AX*4), Y1, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     add8

add1:
	TESTQ  CX, CX
	JE     addDone
	VMOVSS (SI)(AX*4), X1
	VADDSS (DI)(AX*4), X1, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    add1

addDone:
	VZEROUPPER
	RET

addShort:
	JMP ·panicShort(SB)

	// SSE path of Add (no AVX): same loop structure, 4 floats per instruction.
sadd16:
	CMPQ   CX, $16
	JL     sadd4
	MOVUPS (SI)(AX*4), X1
	MOVUPS 16(SI)(AX*4), X2
	MOVUPS 32(SI)(AX*4), X3
	MOVUPS 48(SI)(AX*4), X4
	MOVUPS (DI)(AX*4), X5
	MOVUPS 16(DI)(AX*4), X6
	MOVUPS 32(DI)(AX*4), X7
	MOVUPS 48(DI)(AX*4), X8
	ADDPS  X5, X1
	ADDPS  X6, X2
	ADDPS  X7, X3
	ADDPS  X8, X4
	MOVUPS X1, (DI)(AX*4)
	MOVUPS X2, 16(DI)(AX*4)
	MOVUPS X3, 32(DI)(AX*4)
	MOVUPS X4, 48(DI)(AX*4)
	ADDQ   $16, AX
	SUBQ   $16, CX
	JMP    sadd16

sadd4:
	CMPQ   CX, $4
	JL     sadd1
	MOVUPS (SI)(AX*4), X1
	MOVUPS (DI)(AX*4), X5
	ADDPS  X5, X1
	MOVUPS X1, (DI)(AX*4)
	ADDQ   $4, AX
	SUBQ   $4, CX
	JMP    sadd4

sadd1:
	TESTQ CX, CX
	JE    saddDone
	MOVSS (SI)(AX*4), X1
	ADDSS (DI)(AX*4), X1
	MOVSS X1, (DI)(AX*4)
	INCQ  AX
	DECQ  CX
	JMP   sadd1

saddDone:
	RET


// func Axpy(a float32, x, y []float32)
// y[i] += a·x[i] for i < len(x): VMULPS then VADDPS (no FMA), so every
// element is rounded exactly as in the scalar loop; panics (panicShort) if
// len(y) < len(x).
TEXT ·Axpy(SB), NOSPLIT, $0-56
	MOVQ x_len+16(FP), CX
	MOVQ y_len+40(FP), DX
	CMPQ DX, CX
	JLT  axpyShort
	MOVQ x_base+8(FP), SI
	MOVQ y_base+32(FP), DI
	XORQ AX, AX
	CMPB ·useAVX(SB), $0
	JEQ  saxpyEntry
	VBROADCASTSS a+0(FP), Y0

axpy32:
	CMPQ    CX, $32
	JL      axpy8
	VMULPS  (SI)(AX*4), Y0, Y1
	VMULPS  32(SI)(AX*4), Y0, Y2
	VMULPS  64(SI)(AX*4), Y0, Y3
	VMULPS  96(SI)(AX*4), Y0, Y4
	VADDPS  (DI)(AX*4), Y1, Y1
	VADDPS  32(DI)(AX*4), Y2, Y2
	VADDPS  64(DI)(AX*4), Y3, Y3
	VADDPS  96(DI)(AX*4), Y4, Y4
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	VMOVUPS Y3, 64(DI)(AX*4)
	VMOVUPS Y4, 96(DI)(AX*4)
	ADDQ    $32, AX
	SUBQ    $32, CX
	JMP     axpy32

axpy8:
	CMPQ    CX, $8
	JL      axpy1
	VMULPS  (SI)(AX*4), Y0, Y1
	VADDPS  (DI)(AX*4), Y1, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     axpy8

axpy1:
	TESTQ  CX, CX
	JE     axpyDone
	VMULSS (SI)(AX*4), X0, X1
	VADDSS (DI)(AX*4), X1, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    axpy1

axpyDone:
	VZEROUPPER
	RET

axpyShort:
	JMP ·panicShort(SB)

	// SSE path of Axpy (no AVX).
saxpyEntry:
	MOVSS  a+0(FP), X0
	SHUFPS $0, X0, X0

saxpy16:
	CMPQ   CX, $16
	JL     saxpy4
	MOVUPS (SI)(AX*4), X1
	MOVUPS 16(SI)(AX*4), X2
	MOVUPS 32(SI)(AX*4), X3
	MOVUPS 48(SI)(AX*4), X4
	MULPS  X0, X1
	MULPS  X0, X2
	MULPS  X0, X3
	MULPS  X0, X4
	MOVUPS (DI)(AX*4), X5
	MOVUPS 16(DI)(AX*4), X6
	MOVUPS 32(DI)(AX*4), X7
	MOVUPS 48(DI)(AX*4), X8
	ADDPS  X5, X1
	ADDPS  X6, X2
	ADDPS  X7, X3
	ADDPS  X8, X4
	MOVUPS X1, (DI)(AX*4)
	MOVUPS X2, 16(DI)(AX*4)
	MOVUPS X3, 32(DI)(AX*4)
	MOVUPS X4, 48(DI)(AX*4)
	ADDQ   $16, AX
	SUBQ   $16, CX
	JMP    saxpy16

saxpy4:
	CMPQ   CX, $4
	JL     saxpy1
	MOVUPS (SI)(AX*4), X1
	MULPS  X0, X1
	MOVUPS (DI)(AX*4), X5
	ADDPS  X5, X1
	MOVUPS X1, (DI)(AX*4)
	ADDQ   $4, AX
	SUBQ   $4, CX
	JMP    saxpy4

saxpy1:
	TESTQ CX, CX
	JE    saxpyDone
	MOVSS (SI)(AX*4), X1
	MULSS X0, X1
	ADDSS (DI)(AX*4), X1
	MOVSS X1, (DI)(AX*4)
	INCQ  AX
	DECQ  CX
	JMP   saxpy1

saxpyDone:
	RET

// func sumRowsAVX(dst, w []float32, offs []int32)
// For each k in order: dst[i] += w[offs[k]+i] for i < len(dst). dst is
// processed in chunks held in registers (96, 64, 32, 16, 8, 4 floats, then
// one), so each element receives the rows' values in row order — the
// additions of calling Add once per row — while dst is loaded and stored
// once per chunk. The wide chunks keep a row of 100 (a dense block, the
// dense readout) to two passes over the rows instead of nine. The caller
// guarantees offs[k] ≥ 0 and offs[k]+len(dst) ≤ len(w).
TEXT ·sumRowsAVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), DX
	MOVQ w_base+24(FP), SI
	MOVQ offs_base+48(FP), R8
	MOVQ offs_len+56(FP), R9
	XORQ AX, AX

sr96:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $96
	JL      sr64
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VMOVUPS 128(DI)(AX*4), Y4
	VMOVUPS 160(DI)(AX*4), Y5
	VMOVUPS 192(DI)(AX*4), Y6
	VMOVUPS 224(DI)(AX*4), Y7
	VMOVUPS 256(DI)(AX*4), Y8
	VMOVUPS 288(DI)(AX*4), Y9
	VMOVUPS 320(DI)(AX*4), Y10
	VMOVUPS 352(DI)(AX*4), Y11
	XORQ    BX, BX

sr96row:
	CMPQ    BX, R9
	JGE     sr96store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDPS  (SI)(R10*4), Y0, Y0
	VADDPS  32(SI)(R10*4), Y1, Y1
	VADDPS  64(SI)(R10*4), Y2, Y2
	VADDPS  96(SI)(R10*4), Y3, Y3
	VADDPS  128(SI)(R10*4), Y4, Y4
	VADDPS  160(SI)(R10*4), Y5, Y5
	VADDPS  192(SI)(R10*4), Y6, Y6
	VADDPS  224(SI)(R10*4), Y7, Y7
	VADDPS  256(SI)(R10*4), Y8, Y8
	VADDPS  288(SI)(R10*4), Y9, Y9
	VADDPS  320(SI)(R10*4), Y10, Y10
	VADDPS  352(SI)(R10*4), Y11, Y11
	INCQ    BX
	JMP     sr96row

sr96store:
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	VMOVUPS Y4, 128(DI)(AX*4)
	VMOVUPS Y5, 160(DI)(AX*4)
	VMOVUPS Y6, 192(DI)(AX*4)
	VMOVUPS Y7, 224(DI)(AX*4)
	VMOVUPS Y8, 256(DI)(AX*4)
	VMOVUPS Y9, 288(DI)(AX*4)
	VMOVUPS Y10, 320(DI)(AX*4)
	VMOVUPS Y11, 352(DI)(AX*4)
	ADDQ    $96, AX
	JMP     sr96

sr64:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $64
	JL      sr32
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VMOVUPS 128(DI)(AX*4), Y4
	VMOVUPS 160(DI)(AX*4), Y5
	VMOVUPS 192(DI)(AX*4), Y6
	VMOVUPS 224(DI)(AX*4), Y7
	XORQ    BX, BX

sr64row:
	CMPQ    BX, R9
	JGE     sr64store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDPS  (SI)(R10*4), Y0, Y0
	VADDPS  32(SI)(R10*4), Y1, Y1
	VADDPS  64(SI)(R10*4), Y2, Y2
	VADDPS  96(SI)(R10*4), Y3, Y3
	VADDPS  128(SI)(R10*4), Y4, Y4
	VADDPS  160(SI)(R10*4), Y5, Y5
	VADDPS  192(SI)(R10*4), Y6, Y6
	VADDPS  224(SI)(R10*4), Y7, Y7
	INCQ    BX
	JMP     sr64row

sr64store:
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	VMOVUPS Y4, 128(DI)(AX*4)
	VMOVUPS Y5, 160(DI)(AX*4)
	VMOVUPS Y6, 192(DI)(AX*4)
	VMOVUPS Y7, 224(DI)(AX*4)
	ADDQ    $64, AX
	JMP     sr64

sr32:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $32
	JL      sr16
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	XORQ    BX, BX

sr32row:
	CMPQ    BX, R9
	JGE     sr32store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDPS  (SI)(R10*4), Y0, Y0
	VADDPS  32(SI)(R10*4), Y1, Y1
	VADDPS  64(SI)(R10*4), Y2, Y2
	VADDPS  96(SI)(R10*4), Y3, Y3
	INCQ    BX
	JMP     sr32row

sr32store:
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	ADDQ    $32, AX
	JMP     sr16

sr16:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $16
	JL      sr8
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	XORQ    BX, BX

sr16row:
	CMPQ    BX, R9
	JGE     sr16store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDPS  (SI)(R10*4), Y0, Y0
	VADDPS  32(SI)(R10*4), Y1, Y1
	INCQ    BX
	JMP     sr16row

sr16store:
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	ADDQ    $16, AX
	JMP     sr8

sr8:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $8
	JL      sr4
	VMOVUPS (DI)(AX*4), Y0
	XORQ    BX, BX

sr8row:
	CMPQ    BX, R9
	JGE     sr8store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDPS  (SI)(R10*4), Y0, Y0
	INCQ    BX
	JMP     sr8row

sr8store:
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     sr8

sr4:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $4
	JL      sr1
	VMOVUPS (DI)(AX*4), X0
	XORQ    BX, BX

sr4row:
	CMPQ    BX, R9
	JGE     sr4store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDPS  (SI)(R10*4), X0, X0
	INCQ    BX
	JMP     sr4row

sr4store:
	VMOVUPS X0, (DI)(AX*4)
	ADDQ    $4, AX

sr1:
	CMPQ   AX, DX
	JGE    srDone
	VMOVSS (DI)(AX*4), X0
	XORQ   BX, BX

sr1row:
	CMPQ    BX, R9
	JGE     sr1store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VADDSS  (SI)(R10*4), X0, X0
	INCQ    BX
	JMP     sr1row

sr1store:
	VMOVSS X0, (DI)(AX*4)
	INCQ   AX
	JMP    sr1

srDone:
	VZEROUPPER
	RET

// func axpyRowsAVX(dst, src []float32, offs []int32, coefs []float32)
// For each k in order: dst[i] += coefs[k]·src[offs[k]+i] for i < len(dst)
// (VMULPS then VADDPS: the rounding of one Axpy per row), with dst held in
// registers across the rows in chunks of 64, 8 and 1 values.
TEXT ·axpyRowsAVX(SB), NOSPLIT, $0-96
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), DX
	MOVQ src_base+24(FP), SI
	MOVQ offs_base+48(FP), R8
	MOVQ offs_len+56(FP), R9
	MOVQ coefs_base+72(FP), R11
	XORQ AX, AX

ar64:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $64
	JL      ar8
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VMOVUPS 128(DI)(AX*4), Y4
	VMOVUPS 160(DI)(AX*4), Y5
	VMOVUPS 192(DI)(AX*4), Y6
	VMOVUPS 224(DI)(AX*4), Y7
	XORQ    BX, BX

ar64row:
	CMPQ         BX, R9
	JGE          ar64store
	MOVLQSX      (R8)(BX*4), R10
	ADDQ         AX, R10
	VBROADCASTSS (R11)(BX*4), Y15
	VMULPS       (SI)(R10*4), Y15, Y8
	VMULPS       32(SI)(R10*4), Y15, Y9
	VMULPS       64(SI)(R10*4), Y15, Y10
	VMULPS       96(SI)(R10*4), Y15, Y11
	VADDPS       Y8, Y0, Y0
	VADDPS       Y9, Y1, Y1
	VADDPS       Y10, Y2, Y2
	VADDPS       Y11, Y3, Y3
	VMULPS       128(SI)(R10*4), Y15, Y8
	VMULPS       160(SI)(R10*4), Y15, Y9
	VMULPS       192(SI)(R10*4), Y15, Y10
	VMULPS       224(SI)(R10*4), Y15, Y11
	VADDPS       Y8, Y4, Y4
	VADDPS       Y9, Y5, Y5
	VADDPS       Y10, Y6, Y6
	VADDPS       Y11, Y7, Y7
	INCQ         BX
	JMP          ar64row

ar64store:
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	VMOVUPS Y4, 128(DI)(AX*4)
	VMOVUPS Y5, 160(DI)(AX*4)
	VMOVUPS Y6, 192(DI)(AX*4)
	VMOVUPS Y7, 224(DI)(AX*4)
	ADDQ    $64, AX
	JMP     ar64

ar8:
	MOVQ    DX, CX
	SUBQ    AX, CX
	CMPQ    CX, $8
	JL      ar1
	VMOVUPS (DI)(AX*4), Y0
	XORQ    BX, BX

ar8row:
	CMPQ         BX, R9
	JGE          ar8store
	MOVLQSX      (R8)(BX*4), R10
	ADDQ         AX, R10
	VBROADCASTSS (R11)(BX*4), Y15
	VMULPS       (SI)(R10*4), Y15, Y8
	VADDPS       Y8, Y0, Y0
	INCQ         BX
	JMP          ar8row

ar8store:
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     ar8

ar1:
	CMPQ   AX, DX
	JGE    arDone
	VMOVSS (DI)(AX*4), X0
	XORQ   BX, BX

ar1row:
	CMPQ    BX, R9
	JGE     ar1store
	MOVLQSX (R8)(BX*4), R10
	ADDQ    AX, R10
	VMOVSS  (R11)(BX*4), X15
	VMULSS  (SI)(R10*4), X15, X8
	VADDSS  X8, X0, X0
	INCQ    BX
	JMP     ar1row

ar1store:
	VMOVSS X0, (DI)(AX*4)
	INCQ   AX
	JMP    ar1

arDone:
	VZEROUPPER
	RET

// func axpyClipAVX(a float32, x, y []float32, lo, hi float32)
// y[i] = min(hi, max(lo, y[i] + a·x[i])) with the operand order of the
// scalar clip: VMAXPS returns its second source (the sum) unless lo is
// larger, VMINPS its second source unless hi is smaller, so −0, NaN and
// values inside [lo, hi] come out exactly as the scalar loop leaves them.
// The caller guarantees len(y) ≥ len(x) (AxpyClip).
TEXT ·axpyClipAVX(SB), NOSPLIT, $0-64
	MOVQ         x_len+16(FP), CX
	MOVQ         x_base+8(FP), SI
	MOVQ         y_base+32(FP), DI
	XORQ         AX, AX
	VBROADCASTSS a+0(FP), Y0
	VBROADCASTSS lo+56(FP), Y5
	VBROADCASTSS hi+60(FP), Y6

clip16:
	CMPQ    CX, $16
	JL      clip8
	VMULPS  (SI)(AX*4), Y0, Y1
	VMULPS  32(SI)(AX*4), Y0, Y2
	VADDPS  (DI)(AX*4), Y1, Y1
	VADDPS  32(DI)(AX*4), Y2, Y2
	VMAXPS  Y1, Y5, Y1
	VMAXPS  Y2, Y5, Y2
	VMINPS  Y1, Y6, Y1
	VMINPS  Y2, Y6, Y2
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	ADDQ    $16, AX
	SUBQ    $16, CX
	JMP     clip16

clip8:
	CMPQ    CX, $8
	JL      clip1
	VMULPS  (SI)(AX*4), Y0, Y1
	VADDPS  (DI)(AX*4), Y1, Y1
	VMAXPS  Y1, Y5, Y1
	VMINPS  Y1, Y6, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     clip8

clip1:
	TESTQ  CX, CX
	JE     clipDone
	VMULSS (SI)(AX*4), X0, X1
	VADDSS (DI)(AX*4), X1, X1
	VMAXSS X1, X5, X1
	VMINSS X1, X6, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    clip1

clipDone:
	VZEROUPPER
	RET

// func mulAVX(dst, src []float32)
// dst[i] *= src[i] for i < len(src); the caller guarantees len(dst) ≥ len(src).
TEXT ·mulAVX(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	XORQ AX, AX

mul16:
	CMPQ    CX, $16
	JL      mul8
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMULPS  (SI)(AX*4), Y0, Y0
	VMULPS  32(SI)(AX*4), Y1, Y1
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	ADDQ    $16, AX
	SUBQ    $16, CX
	JMP     mul16

mul8:
	CMPQ    CX, $8
	JL      mul1
	VMOVUPS (DI)(AX*4), Y0
	VMULPS  (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     mul8

mul1:
	TESTQ  CX, CX
	JE     mulDone
	VMOVSS (DI)(AX*4), X0
	VMULSS (SI)(AX*4), X0, X0
	VMOVSS X0, (DI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    mul1

mulDone:
	VZEROUPPER
	RET

// func scaleAVX(a float32, x []float32)
// x[i] *= a for every i.
TEXT ·scaleAVX(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), DI
	MOVQ         x_len+16(FP), CX
	XORQ         AX, AX
	VBROADCASTSS a+0(FP), Y2

scale16:
	CMPQ    CX, $16
	JL      scale8
	VMULPS  (DI)(AX*4), Y2, Y0
	VMULPS  32(DI)(AX*4), Y2, Y1
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	ADDQ    $16, AX
	SUBQ    $16, CX
	JMP     scale16

scale8:
	CMPQ    CX, $8
	JL      scale1
	VMULPS  (DI)(AX*4), Y2, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     scale8

scale1:
	TESTQ  CX, CX
	JE     scaleDone
	VMULSS (DI)(AX*4), X2, X0
	VMOVSS X0, (DI)(AX*4)
	INCQ   AX
	DECQ   CX
	JMP    scale1

scaleDone:
	VZEROUPPER
	RET
