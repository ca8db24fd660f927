package continual

import (
	"fmt"
	"math"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// PerturbConfig sets the perturbed online learner and its multi-scale
// homeostatic guard (after Hakim's multi-scale temporal homeostasis, P25,
// in our reading for a rate MLP trained online).
type PerturbConfig struct {
	LR     float32 `toml:"lr"`     // SGD rate (default 0.05)
	Batch  int     `toml:"batch"`  // minibatch within a block (default 20)
	Hidden int     `toml:"hidden"` // hidden units (default 100)
	// Shocks lists the blocks before which every weight is perturbed,
	// w ← w + Sigma·rms(W_l)·ξ, ξ ~ N(0, 1) (default every 30 blocks from 30).
	Shocks []int   `toml:"shocks"`
	Sigma  float32 `toml:"sigma"` // shock size relative to the layer's weight RMS (default 1.5)
	// Guard scales (0 switches one off):
	Clip     float32 `toml:"clip"`     // ultra-fast: clip ‖g‖ at Clip × its running mean (default 3)
	EtaAct   float32 `toml:"eta_act"`  // fast: hidden bias b_j −= EtaAct (m_j − m*_j) per block (default 0.5)
	Scale    float32 `toml:"scale"`    // medium: row-norm scaling exponent toward the set point (default 0.5)
	Rollback float32 `toml:"rollback"` // slow: on an activity surge θ ← θ + Rollback(θ̄ − θ) (default 0.9)
	Surge    float32 `toml:"surge"`    // loss surge: block loss > Surge × slow loss average (default 2)
}

// DefaultPerturb returns the defaults documented on PerturbConfig (all our
// choices).
func DefaultPerturb() PerturbConfig {
	return PerturbConfig{LR: 0.05, Batch: 20, Hidden: 100, Sigma: 1.5, Clip: 3, EtaAct: 0.1, Scale: 0.1, Rollback: 0.9, Surge: 1,
		Shocks: []int{30, 60, 90, 120, 150, 180}}
}

// PerturbRun is one online run: prequential accuracy per block and, per
// shock, whether the learner collapsed and how many blocks it took to
// recover.
type PerturbRun struct {
	Acc       []float64
	Collapsed []bool
	Recovery  []int // blocks until accuracy ≥ 95 % of the pre-shock level; −1 = not before the next shock
	Collapses int
	MeanRecov float64 // over recovered shocks
	Unrecov   int
	Mean      float64
	Rollbacks int
}

// RunPerturbed trains a 784-Hidden-10 MLP online over blocks (scored before
// training on each), applying the shocks; with guard true the multi-scale
// homeostatic guard runs at four time scales:
//
//	ultra-fast (every step):   ‖g‖ > Clip·ḡ  ⇒  g ← g·Clip·ḡ/‖g‖,  ḡ ← ḡ + (‖g‖ − ḡ)/20
//	fast (every block):        b_j ← b_j − EtaAct (m_j − m*_j)      hidden-unit activity m_j → set point m*_j
//	medium (every block):      W_j ← W_j (ν*_j/‖W_j‖)^Scale          synaptic scaling of each unit's input row
//	slow:                      m*, ν* (τ = 50 blocks) and the anchor weights θ̄ (τ = 10 blocks) are
//	                           running averages, frozen during surges;
//	                           Σ|m_j − m*_j|/Σm*_j > Surge on a new block (inputs only, before
//	                           predicting)  ⇒  θ ← θ + Rollback (θ̄ − θ)
//
// The first 5 blocks only initialise the set points. A shock collapses the
// learner when accuracy on one of the 3 blocks after it falls below 50 %.
func RunPerturbed(blocks []*dataset.Set, classes int, c PerturbConfig, guard bool, seed uint64) *PerturbRun {
	d := blocks[0].Dim
	net := NewNet(d, []int{c.Hidden}, classes, seed)
	r := rng.Named(seed, "perturb-shuffle")
	noise := rng.Named(seed, "perturb-shocks")
	shock := map[int]bool{}
	for _, s := range c.Shocks {
		shock[s] = true
	}
	ps := net.Params()
	W0, b0 := net.Dense[0].W.W, net.Dense[0].B.W
	H := c.Hidden
	anchor := net.Snapshot()
	setAct := make([]float64, H)
	setNorm := make([]float64, H)
	for j := 0; j < H; j++ {
		setNorm[j] = rate.Norm(W0[j*d : (j+1)*d])
	}
	var gbar float64
	warm := 5 // blocks before the slow averages are trusted
	run := &PerturbRun{}
	const tau, tauAnchor = 50.0, 10.0
	for t, b := range blocks {
		if shock[t] {
			for _, p := range ps {
				var ss float64
				for _, w := range p.W {
					ss += float64(w) * float64(w)
				}
				rms := float32(math.Sqrt(ss / float64(len(p.W))))
				for i := range p.W {
					p.W[i] += c.Sigma * rms * float32(noise.NormFloat64())
				}
			}
		}
		surge := false
		var h []float32
		if guard {
			// unlabelled look at the block: hidden activity of the current weights
			net.Seq.Forward(b.X, b.N)
			h = net.Acts[0].Output()
			dev := activityDeviation(h, b.N, H, setAct)
			surge = t >= warm && dev > float64(c.Surge)
			if surge && c.Rollback > 0 {
				k := 0
				for _, p := range ps {
					for i := range p.W {
						p.W[i] += c.Rollback * (anchor[k] - p.W[i])
						k++
					}
				}
				run.Rollbacks++
				net.Seq.Forward(b.X, b.N)
				h = net.Acts[0].Output()
			}
		}
		sc := net.Predict(b.X, b.N)
		acc := Score(sc, b.Y, b.N, classes, nil)
		run.Acc = append(run.Acc, acc)
		if guard {
			net.Seq.Forward(b.X, b.N)
			h = net.Acts[0].Output()
			for j := 0; j < H; j++ {
				m := 0.0
				for i := 0; i < b.N; i++ {
					m += float64(h[i*H+j])
				}
				m /= float64(b.N)
				row := W0[j*d : (j+1)*d]
				if t < warm {
					setAct[j] += (m - setAct[j]) / float64(t+1)
					setNorm[j] = rate.Norm(row)
					continue
				}
				if c.EtaAct > 0 {
					b0[j] -= c.EtaAct * float32(m-setAct[j])
				}
				if nv := rate.Norm(row); c.Scale > 0 && nv > 0 {
					rate.Scale(row, float32(math.Pow(setNorm[j]/nv, float64(c.Scale))))
				}
				if !surge {
					setAct[j] += (m - setAct[j]) / tau
					setNorm[j] += (rate.Norm(row) - setNorm[j]) / tau
				}
			}
			if !surge {
				k := 0
				for _, p := range ps {
					for i := range p.W {
						if t < warm {
							anchor[k] = p.W[i]
						} else {
							anchor[k] += (p.W[i] - anchor[k]) / tauAnchor
						}
						k++
					}
				}
			}
		}
		batches(b, c.Batch, 1, r, func(x []float32, y []uint8, nb int) {
			net.Grad(x, y, nb, nil)
			if guard && c.Clip > 0 {
				var ss float64
				for _, p := range ps {
					ss += rate.Dot(p.G, p.G)
				}
				g := math.Sqrt(ss)
				if gbar > 0 && g > float64(c.Clip)*gbar {
					f := float32(float64(c.Clip) * gbar / g)
					for _, p := range ps {
						rate.Scale(p.G, f)
					}
					g = float64(c.Clip) * gbar
				}
				if gbar == 0 {
					gbar = g
				}
				gbar += (g - gbar) / 20
			}
			for _, p := range ps {
				rate.Axpy(-c.LR, p.G, p.W)
			}
		})
		run.Mean += acc
	}
	run.Mean /= float64(len(blocks))
	// collapse and recovery per shock
	for si, s := range c.Shocks {
		if s >= len(run.Acc) || s < 5 {
			continue
		}
		pre := 0.0
		for _, a := range run.Acc[s-5 : s] {
			pre += a
		}
		pre /= 5
		coll := false
		for k := s; k < min(s+3, len(run.Acc)); k++ {
			coll = coll || run.Acc[k] < 0.5
		}
		end := len(run.Acc)
		if si+1 < len(c.Shocks) {
			end = min(end, c.Shocks[si+1])
		}
		rec := -1
		for k := s; k < end; k++ {
			if run.Acc[k] >= 0.95*pre {
				rec = k - s
				break
			}
		}
		run.Collapsed = append(run.Collapsed, coll)
		run.Recovery = append(run.Recovery, rec)
		if coll {
			run.Collapses++
		}
		if rec < 0 {
			run.Unrecov++
		} else {
			run.MeanRecov += float64(rec)
		}
	}
	if n := len(run.Recovery) - run.Unrecov; n > 0 {
		run.MeanRecov /= float64(n)
	}
	return run
}

// activityDeviation is Σ_j |m_j − m*_j| / Σ_j m*_j, the relative change of
// the hidden units' mean activities m_j on the n×H activities h from their
// set points.
func activityDeviation(h []float32, n, H int, set []float64) float64 {
	var num, den float64
	for j := 0; j < H; j++ {
		m := 0.0
		for i := 0; i < n; i++ {
			m += float64(h[i*H+j])
		}
		m /= float64(n)
		num += math.Abs(m - set[j])
		den += set[j]
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// PerturbSummary formats a run for logs.
func (p *PerturbRun) String() string {
	return fmt.Sprintf("mean acc %.2f%%, collapses %d/%d, mean recovery %.1f blocks, unrecovered %d, rollbacks %d, recovery per shock %v",
		100*p.Mean, p.Collapses, len(p.Collapsed), p.MeanRecov, p.Unrecov, p.Rollbacks, p.Recovery)
}
