//go:build amd64 && !purego

#include "textflag.h"

// func lifBlocksAVX(v, cur, rc, th, ith, tr, trSum, psi, cnt []float32, mask []uint8, c *[8]float32, clearCur int)
// Advances 8·len(mask) LIF neurons exactly as stepLIF's loop body does,
// eight at a time: VMULPS/VADDPS/VSUBPS only (no FMA), so every value is
// rounded as in the scalar code. c = {α, κ, γ/2, 1, bits 0x7fffffff, …}. Spikes are written
// as one bit per neuron into mask (bit b of mask[k] = neuron 8k+b).
TEXT ·lifBlocksAVX(SB), NOSPLIT, $0-256
	MOVQ v_base+0(FP), SI
	MOVQ cur_base+24(FP), DI
	MOVQ rc_base+48(FP), R8
	MOVQ th_base+72(FP), R9
	MOVQ ith_base+96(FP), R10
	MOVQ tr_base+120(FP), R11
	MOVQ trSum_base+144(FP), R12
	MOVQ psi_base+168(FP), R13
	MOVQ cnt_base+192(FP), R14
	MOVQ mask_base+216(FP), BX
	MOVQ mask_len+224(FP), CX
	MOVQ c+240(FP), DX
	VBROADCASTSS 0(DX), Y12 // α
	VBROADCASTSS 4(DX), Y13 // κ
	VBROADCASTSS 8(DX), Y14 // γ/2
	VBROADCASTSS 12(DX), Y11 // 1
	VBROADCASTSS 16(DX), Y10 // |·| mask (0x7fffffff)
	VXORPS       Y9, Y9, Y9 // +0
	MOVQ         clearCur+248(FP), DX
	XORQ         AX, AX     // neuron index

loop:
	TESTQ   CX, CX
	JE      done
	VMULPS  (SI)(AX*4), Y12, Y0 // α·v
	VADDPS  (DI)(AX*4), Y0, Y0  // + cur
	VADDPS  (R8)(AX*4), Y0, Y0  // + rc  = vi
	VMOVUPS (R9)(AX*4), Y1      // thr = θ
	VSUBPS  Y1, Y0, Y2          // vi − thr
	VANDPS  Y10, Y2, Y2         // d = |vi − thr|
	VMOVUPS (R10)(AX*4), Y3     // 1/θ
	VMULPS  Y3, Y2, Y2          // d/θ
	VSUBPS  Y2, Y11, Y2         // x = 1 − d/θ
	VANDPS  Y10, Y2, Y4         // |x|
	VADDPS  Y4, Y2, Y2          // x + |x|
	VMULPS  Y14, Y2, Y2         // ·γ/2
	VMULPS  Y3, Y2, Y2          // ·1/θ  = ψ
	VADDPS  (R13)(AX*4), Y2, Y2 // psi + ψ
	VMOVUPS Y2, (R13)(AX*4)
	VMULPS  (R11)(AX*4), Y13, Y5 // ti = κ·tr
	VCMPPS  $13, Y1, Y0, Y6      // spike = vi ≥ thr (ordered: NaN never spikes)
	VANDPS  Y6, Y1, Y7           // thr where spiking, else +0
	VSUBPS  Y7, Y0, Y0           // vi − thr (vi − 0 = vi exactly otherwise)
	VANDPS  Y6, Y11, Y8          // 1 where spiking, else +0
	VADDPS  Y8, Y5, Y5           // ti + 1 (ti ≥ +0, so ti + 0 = ti)
	VMOVUPS Y5, (R11)(AX*4)      // tr = ti
	VADDPS  (R12)(AX*4), Y5, Y7  // trSum + ti
	VMOVUPS Y7, (R12)(AX*4)
	VADDPS  (R14)(AX*4), Y8, Y7  // cnt + 1 (cnt ≥ +0)
	VMOVUPS Y7, (R14)(AX*4)
	VMOVUPS Y0, (SI)(AX*4)       // v = vi
	VMOVUPS Y9, (R8)(AX*4)       // rc = 0
	TESTQ   DX, DX
	JE      keepCur
	VMOVUPS Y9, (DI)(AX*4)       // cur = 0

keepCur:
	VMOVMSKPS Y6, R15
	MOVB      R15, (BX)
	INCQ      BX
	ADDQ      $8, AX
	DECQ      CX
	JMP       loop

done:
	VZEROUPPER
	RET
