package flagship

import (
	"math"

	"github.com/engram-lab/engram/internal/f32"
)

// Spike is one spike of a raster: step t (ms) and neuron id.
type Spike struct {
	T  int32
	ID int32
}

// steps returns the total simulated steps and the readout window for an input
// of len(x) values.
func (m *Model) steps(n int) (total, window int, seq bool) {
	if n <= m.inputDim {
		return m.cfg.T, m.cfg.T, false
	}
	total = n / m.inputDim * m.cfg.HoldSteps
	return total, min(m.cfg.T, total), true
}

// inputCurrent sets cur = W_inᵀ x (skipping zero inputs). One axpy per
// non-zero input streams W_in row by row; f32.AxpyRows (cur in registers
// across the ≈150 rows) was measured slower here, as its column chunks read
// the rows as that many interleaved streams.
func (m *Model) inputCurrent(cur, x []float32) {
	clear(cur)
	n0 := len(cur)
	for j, xj := range x {
		if xj == 0 {
			continue
		}
		axpy(xj, m.wIn[j*n0:j*n0+n0], cur)
	}
}

// simulate runs one sample through the network. learnSeq enables the exact
// per-synapse input eligibility of sequence mode. rec, if not nil, receives
// the spikes of every layer and of the readout (index K).
func (m *Model) simulate(s *state, x []float32, learnSeq bool, rec [][]Spike) [][]Spike {
	total, window, seq := m.steps(len(x))
	K := len(m.layers)
	for k := 0; k < K; k++ {
		clear(s.v[k])
		clear(s.a[k])
		clear(s.tr[k])
		clear(s.trSum[k])
		clear(s.trWin[k])
		clear(s.psi[k])
		clear(s.cnt[k])
		clear(s.cur[k])
		clear(s.rec[k])
		s.spk[k] = s.spk[k][:0]
	}
	clear(s.vo)
	clear(s.cnto)
	clear(s.io)
	dim := m.inputDim
	learnSeq = learnSeq && seq && m.cfg.HiddenLearning
	if learnSeq {
		s.ensureSeq(m)
		clear(s.eps)
		clear(s.elig)
		clear(s.epsA)
		for k := range m.layers {
			clear(s.recEps[k])
			clear(s.recEA[k])
			clear(s.recElig[k])
			clear(s.ffEps[k])
			clear(s.ffEA[k])
			clear(s.ffElig[k])
		}
	}
	eligWin := seq && m.cfg.EligWindow
	alpha, kappa, rhoA := m.alpha, m.kappa, m.rhoA
	beta := float32(m.cfg.AdaptBeta)
	gamma := float32(m.cfg.Gamma)
	in0 := s.recNext[0] // layer-0 input current (persistent within an input step)
	if !seq {
		m.inputCurrent(in0, x[:dim]) // W_in·x once per static sample
	}
	n0 := m.layers[0].n
	for t := 0; t < total; t++ {
		var xt []float32
		if seq {
			u := t / m.cfg.HoldSteps
			xt = x[u*dim : (u+1)*dim]
			if t%m.cfg.HoldSteps == 0 {
				m.inputCurrent(in0, xt)
			}
			if learnSeq {
				eps := s.eps[:len(xt)]
				for j := range eps {
					eps[j] = alpha*eps[j] + xt[j]
				}
			}
		}
		inWin := t >= total-window
		acc := inWin || !eligWin // accumulate ψ and eligibilities at this step
		for k, l := range m.layers {
			recElig := learnSeq && s.recEA[k] != nil
			if recElig {
				// ε_j[t] = α ε_j[t−1] + z_j[t−1] (the recurrence has a 1-step delay)
				filterSpikes(s.recEps[k][:l.n], s.spk[k], alpha)
			}
			ffElig := learnSeq && s.ffEA[k] != nil
			if ffElig {
				// ε_j[t] = α ε_j[t−1] + z^{k−1}_j[t]: layer k−1 has already
				// stepped at t, and the long-range projection has no delay
				filterSpikes(s.ffEps[k][:l.ff.nPre], s.spk[k-1], alpha)
			}
			var spk []int32
			if !learnSeq {
				ls := &s.step
				*ls = layerStep{v: s.v[k], a: s.a[k], tr: s.tr[k], trSum: s.trSum[k], psi: s.psi[k], cnt: s.cnt[k],
					cur: s.cur[k], rc: s.rec[k], th: l.theta, ith: l.invTheta, clearCur: k > 0, acc: acc, mask: s.mask}
				if k == 0 {
					ls.cur = in0
				}
				if inWin && window < total {
					ls.trWin = s.trWin[k] // else the window is the whole sample: trWin = trSum (see learnSample)
				}
				if beta == 0 && acc && ls.trWin == nil {
					spk = stepLIF(ls, s.spk[k][:0], alpha, kappa, gamma)
				} else {
					spk = stepFast(ls, s.spk[k][:0], alpha, kappa, rhoA, beta, gamma)
				}
				s.spk[k] = spk
			} else {
				v, a, tr, trSum, psi, cnt := s.v[k], s.a[k], s.tr[k], s.trSum[k], s.psi[k], s.cnt[k]
				cur, rc, th, ith := s.cur[k], s.rec[k], l.theta, l.invTheta
				if k == 0 {
					cur = in0
				}
				ith = ith[:len(th)]
				v = v[:len(th)]
				a = a[:len(th)]
				tr = tr[:len(th)]
				trSum = trSum[:len(th)]
				psi = psi[:len(th)]
				cnt = cnt[:len(th)]
				cur = cur[:len(th)]
				rc = rc[:len(th)]
				spk = s.spk[k][:0]
				doElig := k == 0 && learnSeq && acc && s.epsA == nil
				var psT []float32
				if learnSeq {
					psT = s.psiT[k][:len(th)]
				}
				for i := range th {
					vi := alpha*v[i] + cur[i] + rc[i]
					thr := th[i] + beta*a[i]
					// e-prop pseudo-derivative (see pseudoDeriv), 1/θ precomputed
					d := vi - thr
					if d < 0 {
						d = -d
					}
					ps := max(1-d*ith[i], 0) * gamma * ith[i]
					if acc {
						psi[i] += ps
					}
					if psT != nil {
						psT[i] = ps
					}
					ai := rhoA * a[i]
					ti := kappa * tr[i]
					if vi >= thr {
						vi -= thr
						ai++
						ti++
						cnt[i]++
						spk = append(spk, int32(i))
					}
					a[i] = ai
					tr[i] = ti
					trSum[i] += ti
					v[i] = vi
					if doElig && ps > 0 {
						// exact e-prop LIF eligibility: Σ_t ψ_i^t ε_j^t
						el := s.elig
						for j, e := range s.eps {
							if e != 0 {
								el[j*n0+i] += ps * e
							}
						}
					}
				}
				s.spk[k] = spk
				if k == 0 && learnSeq && s.epsA != nil {
					m.alifInputElig(s, psT, acc)
				}
				if recElig {
					m.alifProjElig(l.rec, s.recEps[k], s.recEA[k], s.recElig[k], psT, acc)
				}
				if ffElig {
					m.alifProjElig(l.ff, s.ffEps[k], s.ffEA[k], s.ffElig[k], psT, acc)
				}
				if inWin {
					w := s.trWin[k][:len(tr)]
					for i := range w {
						w[i] += tr[i]
					}
				}
				if k > 0 {
					clear(cur)
				}
				clear(rc)
			}
			rc := s.rec[k]
			// event-driven delivery
			var ffCur []float32
			var ff *proj
			if k+1 < K {
				ff = m.layers[k+1].ff
				ffCur = s.cur[k+1]
			}
			// one projection at a time: each buffer still receives its
			// spikes' rows in spike order (the three buffers are distinct),
			// while the weight rows are read as one ascending stream
			if l.rec != nil {
				l.rec.deliverAll(spk, rc, s.offs)
			}
			if ff != nil {
				ff.deliverAll(spk, ffCur, s.offs)
			}
			l.out.deliverAll(spk, s.io, s.offs)
			if rec != nil {
				for _, j := range spk {
					rec[k] = append(rec[k], Spike{int32(t), j})
				}
			}
		}
		// readout population (LIF, fixed threshold)
		th := m.thetaOut
		vo, cnto, io := s.vo, s.cnto, s.io[:len(s.vo)]
		cnto = cnto[:len(vo)]
		for o := range vo {
			vi := alpha*vo[o] + io[o]
			io[o] = 0
			if vi >= th {
				vi -= th
				if inWin {
					cnto[o]++
				}
				if rec != nil {
					rec[K] = append(rec[K], Spike{int32(t), int32(o)})
				}
			}
			vo[o] = vi
		}
	}
	// population scores: spikes in the window plus the residual charge
	P := m.cfg.ReadoutPerClass
	invP := 1 / float32(P)
	for c := range s.score {
		var sc float32
		for o := c * P; o < (c+1)*P; o++ {
			sc += s.cnto[o] + s.vo[o]/m.thetaOut
		}
		s.score[c] = sc * invP
	}
	return rec
}

// alifInputElig advances the exact e-prop ALIF eligibility of the input
// synapses by one step (Bellec et al. 2020, Methods):
//
//	e_ji[t]    = ψ_i[t] (ε_j[t] − β ε^a_ji[t])
//	ε^a_ji[t+1] = ψ_i[t] ε_j[t] + (ρ − ψ_i[t] β) ε^a_ji[t]
//
// and adds e_ji[t] to the accumulated eligibility when acc is set.
func (m *Model) alifInputElig(s *state, psT []float32, acc bool) {
	beta, rho := float32(m.cfg.AdaptBeta), m.rhoA
	n0 := len(psT)
	for j, e := range s.eps {
		ea := s.epsA[j*n0 : j*n0+n0]
		if acc {
			eligALIF(s.elig[j*n0:j*n0+n0], ea, psT, e, beta, rho)
		} else {
			eligDecay(ea, psT, e, beta, rho)
		}
	}
}

// filterSpikes advances the presynaptic traces eps by one step:
// ε_j ← α ε_j + z_j, with z the indices of the neurons that spiked.
func filterSpikes(eps []float32, spk []int32, alpha float32) {
	for j := range eps {
		eps[j] *= alpha
	}
	for _, j := range spk {
		eps[j]++
	}
}

// alifProjElig is alifInputElig for the synapses of projection p, whose
// presynaptic traces are re (block recurrence: ε_j[t] = α ε_j[t−1] +
// z_j[t−1]; long-range input: α ε_j[t−1] + z^{k−1}_j[t]), with ε^a in ea
// and the accumulated eligibility in el, one entry per synapse (β = 0:
// plain LIF).
func (m *Model) alifProjElig(p *proj, re, ea, el, psT []float32, acc bool) {
	beta, rho := float32(m.cfg.AdaptBeta), m.rhoA
	for j, e := range re[:p.nPre] {
		lo, hi := p.rowPtr[j], p.rowPtr[j+1]
		post := p.post[lo:hi]
		a := ea[lo:hi]
		a = a[:len(post)]
		if c0 := p.contig[j]; c0 >= 0 {
			// consecutive targets (dense blocks): ψ of the row is one slice
			ps := psT[c0 : int(c0)+len(post)]
			switch {
			case beta == 0:
				if e != 0 && acc {
					f32.Axpy(e, ps, el[lo:hi])
				}
			case acc:
				eligALIF(el[lo:hi], a, ps, e, beta, rho)
			default:
				eligDecay(a, ps, e, beta, rho)
			}
			continue
		}
		if beta == 0 {
			if e == 0 || !acc {
				continue
			}
			l := el[lo:hi]
			l = l[:len(post)]
			for q, i := range post {
				l[q] += psT[i] * e
			}
			continue
		}
		if acc {
			l := el[lo:hi]
			l = l[:len(post)]
			for q, i := range post {
				ps, aq := psT[i], a[q]
				l[q] += ps * (e - beta*aq)
				a[q] = ps*e + (rho-ps*beta)*aq
			}
		} else {
			for q, i := range post {
				ps := psT[i]
				a[q] = ps*e + (rho-ps*beta)*a[q]
			}
		}
	}
}

// argmax returns the index of the largest score (lowest index on ties).
func argmax(x []float32) int {
	b := 0
	for i, v := range x {
		if v > x[b] {
			b = i
		}
	}
	return b
}

// softWTA sets p = softmax(β·score) and returns −log p[label].
func softWTA(p, score []float32, beta float32, label int) float32 {
	mx := score[argmax(score)]
	var z float64
	for c, v := range score {
		e := math.Exp(float64(beta * (v - mx)))
		p[c] = float32(e)
		z += e
	}
	for c := range p {
		p[c] = float32(float64(p[c]) / z)
	}
	return float32(-math.Log(math.Max(float64(p[label]), 1e-30)))
}

// pseudoDeriv is the e-prop pseudo-derivative of the spike with respect to the
// membrane potential: ψ = (γ/θ)·max(0, 1 − |v − A|/θ), A the (adaptive)
// threshold and θ the neuron's homeostatic base threshold.
func pseudoDeriv(v, thr, theta, gamma float32) float32 {
	inv := 1 / theta
	d := v - thr
	if d < 0 {
		d = -d
	}
	ps := 1 - d*inv
	if ps < 0 {
		return 0
	}
	return ps * gamma * inv
}

// axpy sets y += a·x over len(x) elements (bit-identical to blas32.Axpy:
// product rounded, then sum; no fused multiply-add).
func axpy(a float32, x, y []float32) { f32.Axpy(a, x, y) }
