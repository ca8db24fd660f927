package flagship

import (
	"math"
	"math/bits"
)

// layerStep holds one layer's per-step arrays for stepFast, all of the
// layer's length n (the struct keeps the call cheap and the loop free of
// bounds checks).
type layerStep struct {
	v, a, tr, trSum, psi, cnt, cur, rc, th, ith []float32
	trWin                                       []float32  // nil outside the readout window
	clearCur                                    bool       // zero cur after reading it (layers > 0)
	acc                                         bool       // accumulate ψ at this step
	mask                                        []uint8    // stepLIF scratch: spike bits of 8 neurons per byte (≥ n/8)
	consts                                      [8]float32 // stepLIF scratch: constants of the AVX kernel
}

// stepFast advances the LIF/ALIF neurons of one layer by one step when no
// per-step eligibility is needed (static samples, inference), appending the
// spiking neurons to spk. It computes exactly the same floating-point
// operations, in the same order, as the general loop of simulate, and
// additionally fuses the readout-window trace sum and the clearing of the
// input buffers (rc always, cur when clearCur) into the same pass.
func stepFast(p *layerStep, spk []int32, alpha, kappa, rhoA, beta, gamma float32) []int32 {
	th := p.th
	n := len(th)
	v, a, tr, trSum, psi, cnt := p.v[:n], p.a[:n], p.tr[:n], p.trSum[:n], p.psi[:n], p.cnt[:n]
	cur, rc, ith := p.cur[:n], p.rc[:n], p.ith[:n]
	adapt := beta != 0 // with β = 0, A = θ + 0·a = θ exactly (a ≥ 0 is finite), so a is not needed
	win := p.trWin != nil
	trWin := tr // never written unless win; keeps the loop free of bounds checks
	if win {
		trWin = p.trWin[:n]
	}
	for i := range th {
		vi := alpha*v[i] + cur[i] + rc[i]
		thr := th[i]
		if adapt {
			thr = th[i] + beta*a[i]
		}
		// e-prop pseudo-derivative (see pseudoDeriv), 1/θ precomputed;
		// |d| by clearing the sign bit (no data-dependent branch)
		d := math.Float32frombits(math.Float32bits(vi-thr) &^ (1 << 31))
		ps := max(1-d*ith[i], 0) * gamma * ith[i]
		if p.acc {
			psi[i] += ps
		}
		ti := kappa * tr[i]
		if adapt {
			ai := rhoA * a[i]
			if vi >= thr {
				ai++
			}
			a[i] = ai
		}
		if vi >= thr {
			vi -= thr
			ti++
			cnt[i]++
			spk = append(spk, int32(i))
		}
		tr[i] = ti
		trSum[i] += ti
		v[i] = vi
		if win {
			trWin[i] += ti
		}
		rc[i] = 0
		if p.clearCur {
			cur[i] = 0
		}
	}
	return spk
}

// stepLIF is stepFast for the common case β = 0 (LIF), ψ accumulated and no
// separate readout-window sum (static samples): the same operations in the
// same order, with fewer live arrays so the loop state stays in registers.
func stepLIF(p *layerStep, spk []int32, alpha, kappa, gamma float32) []int32 {
	th := p.th
	n := len(th)
	v, tr, trSum, psi, cnt := p.v[:n], p.tr[:n], p.trSum[:n], p.psi[:n], p.cnt[:n]
	cur, rc, ith := p.cur[:n], p.rc[:n], p.ith[:n]
	halfGamma := gamma / 2
	clearCur := p.clearCur
	i0 := 0
	if lifAVX && n >= 8 {
		// eight neurons per instruction, the same operations (step_amd64.s)
		nb := n / 8
		c := &p.consts
		*c = [8]float32{alpha, kappa, halfGamma, 1, math.Float32frombits(0x7fffffff)}
		cc := 0
		if clearCur {
			cc = 1
		}
		mask := p.mask[:nb]
		lifBlocksAVX(v, cur, rc, th, ith, tr, trSum, psi, cnt, mask, c, cc)
		for b, mb := range mask {
			for mb != 0 {
				spk = append(spk, int32(b*8+bits.TrailingZeros8(mb)))
				mb &= mb - 1
			}
		}
		i0 = nb * 8
	}
	for i := i0; i < n; i++ {
		vi := alpha*v[i] + cur[i] + rc[i]
		rc[i] = 0
		if clearCur {
			cur[i] = 0
		}
		thr := th[i]
		psi[i] += psiLIF(vi, thr, ith[i], halfGamma)
		ti := kappa * tr[i]
		if vi >= thr {
			vi -= thr
			ti++
			cnt[i]++
			spk = append(spk, int32(i))
		}
		tr[i] = ti
		trSum[i] += ti
		v[i] = vi
	}
	return spk
}

// psiLIF is the e-prop pseudo-derivative ψ = max(1 − |v − A|/θ, 0)·γ/θ of
// pseudoDeriv with 1/θ precomputed (ith), written without branches or
// min/max sequences: for x = 1 − |v − A|/θ (never −0, at most 1),
// max(x, 0) = (x + |x|)/2 exactly, and (x + |x|)·(γ/2) rounds the same exact
// product as max(x, 0)·γ, so ψ is bit-identical to max(x, 0)·γ·(1/θ) for
// every non-NaN input (a NaN stays NaN). |·| clears the sign bit.
func psiLIF(vi, thr, ith, halfGamma float32) float32 {
	d := math.Float32frombits(math.Float32bits(vi-thr) &^ (1 << 31))
	x := 1 - d*ith
	x += math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	return x * halfGamma * ith
}
