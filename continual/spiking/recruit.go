package spiking

import (
	"math"
	"math/rand/v2"
)

// RecruitConfig sets the energy-based recruitment of one Lateral.Recruit
// call (the counterpart of continual.HLOPConfig's Energy rule for the rate
// networks).
type RecruitConfig struct {
	// Target is the fraction of the task's presynaptic energy Σ‖p‖² that
	// the whole lateral population (old and new neurons) must capture,
	// 1 − Σ‖p − HᵀHp‖²/Σ‖p‖² ≥ Target.
	Target float64
	// Chunk is the number of neurons learned together on one residual.
	Chunk int
	// Max caps the neurons added by this call (0 = no cap besides Limit).
	Max int
	// Limit caps the total population size (≤ Dim; 0 = Dim).
	Limit int
	// Hebb sets the Hebbian learning of each chunk (Sanger's rule; the
	// step is Hebb.LR/E‖r‖² as in Grow).
	Hebb HebbConfig
}

// minGrown is the smallest weight norm a newly learned neuron must reach to
// be kept. Rows start at norm ≈ Hebb.Init (0.1) and grow to 1 only along
// directions that carry presynaptic variance (Sanger's fixed point is unit
// norm); a row still below 0.5 after the Hebbian passes has not found such a
// direction.
const minGrown = 0.5

// Recruit adds lateral neurons until the population captures the fraction
// rc.Target of the energy of the n presynaptic vectors in data (n×Dim,
// row-major), or a cap is hit. It requires orthonormal rows in H (as every
// Recruit call leaves them; Grow's rows are only nearly orthonormal).
//
// The residual r = p − HᵀHp of each sample is the presynaptic vector after
// the existing neurons' feedback. Neurons are recruited in chunks of
// rc.Chunk; a chunk U (k×Dim, rows started as N(0, Init²/Dim)) learns on the
// residuals with Sanger's generalised Hebbian rule (Sanger 1989),
//
//	y = U r,   Δu_i = η y_i (r − Σ_{j≤i} y_j u_j),   η = η₀/E‖r‖²,
//
// whose rows converge in order to the leading eigenvectors of the residual
// second moment (η₀ = Hebb.LR, ×Hebb.Decay per pass, Hebb.Epochs passes in
// a fresh random order). The chunk's neurons are then kept in that order
// while the captured fraction is below the target. Each kept row is stored
// as the settled state of the lateral circuit: the recurrent anti-Hebbian
// loop y ← Hp − (HHᵀ − I)y settles at y = (HHᵀ)⁻¹Hp, the exact projection
// even when the Hebbian rows are not quite orthonormal; we compute that
// fixed point directly by Gram–Schmidt in recruitment order (as the rate
// HLOP of package continual does). The residual is then deflated,
// r ← r − (h·r) h, and the next chunk learns on it. A chunk none of whose
// neurons grew (norm < 0.5) ends the recruitment.
//
// It returns the number of neurons added and the captured fraction of the
// data's energy after recruitment (1 for data without energy).
func (l *Lateral) Recruit(data []float32, n int, rc RecruitConfig, r *rand.Rand) (int, float64) {
	d := l.Dim
	if n == 0 {
		return 0, 1
	}
	limit := d
	if rc.Limit > 0 {
		limit = min(limit, rc.Limit)
	}
	maxAdd := limit - l.K
	if rc.Max > 0 {
		maxAdd = min(maxAdd, rc.Max)
	}
	chunk := max(rc.Chunk, 1)
	res := make([]float32, n*d)
	y := make([]float32, max(l.K+maxAdd, chunk, 1))
	var total, left float64
	for s := 0; s < n; s++ {
		p := data[s*d : (s+1)*d]
		rs := res[s*d : (s+1)*d]
		total += float64(dot(p, p))
		l.Project(rs, p, y, nil)
		left += float64(dot(rs, rs))
	}
	if total == 0 {
		return 0, 1
	}
	captured := 1 - left/total
	added := 0
	col := make([]float32, n)
	for captured < rc.Target && added < maxAdd {
		k := min(chunk, maxAdd-added)
		U := sangerChunk(res, n, d, k, rc.Hebb, r, y)
		m := 0
		for i := 0; i < k && captured < rc.Target; i++ {
			h := U[i*d : (i+1)*d]
			n0 := math.Sqrt(float64(dot(h, h)))
			if n0 < minGrown {
				continue
			}
			for pass := 0; pass < 2; pass++ { // re-orthogonalise once against rounding
				l.Project(h, h, y, nil)
			}
			nh := math.Sqrt(float64(dot(h, h)))
			if nh < 1e-3*n0 || math.IsNaN(nh) {
				continue
			}
			scale32(h, float32(1/nh))
			var got float64
			for s := 0; s < n; s++ {
				rs := res[s*d : (s+1)*d]
				c := dot(h, rs)
				col[s] = c
				got += float64(c) * float64(c)
			}
			for s := 0; s < n; s++ {
				if col[s] != 0 {
					axpy(-col[s], h, res[s*d:(s+1)*d])
				}
			}
			captured += got / total
			l.H = append(l.H, h...)
			l.K++
			m++
		}
		added += m
		if m == 0 {
			break
		}
	}
	// Exact captured fraction of the final basis (removes the deflations'
	// rounding).
	left = 0
	for s := 0; s < n; s++ {
		rs := res[s*d : (s+1)*d]
		l.Project(rs, data[s*d:(s+1)*d], y, nil)
		left += float64(dot(rs, rs))
	}
	return added, 1 - left/total
}

// sangerChunk learns k neurons on the n×d residuals res with Sanger's rule
// (see Recruit) and returns their k×d weights; y (length ≥ k) is scratch.
func sangerChunk(res []float32, n, d, k int, hc HebbConfig, r *rand.Rand, y []float32) []float32 {
	var energy float64
	for s := 0; s < n; s++ {
		rs := res[s*d : (s+1)*d]
		energy += float64(dot(rs, rs))
	}
	energy /= float64(n)
	U := make([]float32, k*d)
	sd := hc.Init / math.Sqrt(float64(d))
	for i := range U {
		U[i] = float32(r.NormFloat64() * sd)
	}
	if energy == 0 {
		return U
	}
	e := make([]float32, d)
	eta := hc.LR / energy
	for ep := 0; ep < hc.Epochs; ep++ {
		for _, s := range r.Perm(n) {
			rs := res[s*d : (s+1)*d]
			for i := 0; i < k; i++ {
				y[i] = dot(U[i*d:(i+1)*d], rs)
			}
			copy(e, rs)
			for i := 0; i < k; i++ {
				ui := U[i*d : (i+1)*d]
				axpy(-y[i], ui, e) // e = r − Σ_{j≤i} y_j u_j (old u_j)
				axpy(float32(eta)*y[i], e, ui)
			}
		}
		eta *= hc.Decay
	}
	return U
}

// Captured returns the fraction of the energy of the n presynaptic vectors
// in data (n×Dim) that the lateral feedback removes,
// 1 − Σ‖p − HᵀHp‖²/Σ‖p‖² (1 for data without energy).
func (l *Lateral) Captured(data []float32, n int) float64 {
	d := l.Dim
	p := make([]float32, d)
	y := make([]float32, max(l.K, 1))
	var total, left float64
	for s := 0; s < n; s++ {
		x := data[s*d : (s+1)*d]
		total += float64(dot(x, x))
		l.Project(p, x, y, nil)
		left += float64(dot(p, p))
	}
	if total == 0 {
		return 1
	}
	return 1 - left/total
}

func scale32(x []float32, a float32) {
	for i := range x {
		x[i] *= a
	}
}
