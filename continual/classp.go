package continual

import "math"

// CLASSPConfig sets CLASSP (Ludwig 2024, P9).
type CLASSPConfig struct {
	// LR is the base step η (default 0.03, our choice from a sweep over
	// 0.01, 0.03, 0.1 on 3 permuted-MNIST tasks of 5000 samples: ACC 87.87,
	// 89.50, 88.27 %; the paper's code defaults to 0.2). Re-checked on the
	// validation split (10 permuted tasks, bench setting, 2026-11-27):
	// η ∈ {0.01, 0.03, 0.05, 0.1, 0.2} at p = 1 gave 74.32, 81.77, 80.51,
	// 80.33, 74.56 % — 0.03 stays best (docs/continual.md, "CLASSP sweep").
	LR float32 `toml:"lr"`
	// Threshold is θ_g on |g_i|: a weight moves only when the magnitude of
	// its loss gradient exceeds it (default 1e-4, our choice: ACC 89.50 %
	// vs 89.43 % with no threshold in the same setting; gradients here are
	// of the batch-mean loss).
	Threshold float32 `toml:"threshold"`
	// Eps is ε in the decaying rate (default 1e-5, the paper's code).
	Eps float32 `toml:"eps"`
	// Power is p (default 1, the paper's code; p = 2 gives AdaGrad's
	// accumulator of squares). On the validation split p = 2 (η = 0.02)
	// beats p = 1 on permuted MNIST (85.97 vs 81.77 %) but loses on rotated
	// MNIST (87.15 vs 87.82 %), split MNIST (96.66 vs 99.10 %) and
	// class-incremental split MNIST (19.48 vs 28.96 %), so p = 1 is kept.
	Power float32 `toml:"power"`
}

// DefaultCLASSP returns the defaults documented on CLASSPConfig.
func DefaultCLASSP() CLASSPConfig {
	return CLASSPConfig{LR: 0.03, Threshold: 1e-4, Eps: 1e-5, Power: 1}
}

// CLASSP is "continual learning through adjustment suppression and
// sparsity promotion" (Ludwig 2024): a per-weight accumulator s_i of past
// gradient magnitudes, kept across tasks, lowers the rate of weights that
// have already moved a lot (adjustment suppression, a generalised AdaGrad);
// a weight is updated only when its gradient is above a threshold
// (sparsity promotion). Per weight and step, as implemented (the paper's
// description; applied element-wise):
//
//	if |g_i| > θ_g:  s_i ← s_i + |g_i|^p,   w_i ← w_i − η g_i / (s_i + ε)^{1/p}
//
// Memory: one accumulator per weight, P floats (EWC keeps 2P).
type CLASSP struct {
	base
	C CLASSPConfig
	S [][]float32
}

// NewCLASSP returns CLASSP over the network of b.
func NewCLASSP(b base, c CLASSPConfig) *CLASSP {
	d := DefaultCLASSP()
	c.LR = orDefault(c.LR, d.LR)
	if c.Threshold < 0 {
		c.Threshold = d.Threshold
	}
	c.Eps = orDefault(c.Eps, d.Eps)
	c.Power = orDefault(c.Power, d.Power)
	l := &CLASSP{base: b, C: c}
	for _, p := range b.Net.Params() {
		l.S = append(l.S, make([]float32, len(p.W)))
	}
	return l
}

// CLASSPStep applies one CLASSP update to w with gradient g and
// accumulator s.
func CLASSPStep(w, g, s []float32, c CLASSPConfig) {
	p := float64(c.Power)
	for i, gi := range g {
		a := gi
		if a < 0 {
			a = -a
		}
		if a <= c.Threshold {
			continue
		}
		if p == 1 {
			s[i] += a
			w[i] -= c.LR * gi / (s[i] + c.Eps)
		} else {
			s[i] += float32(math.Pow(float64(a), p))
			w[i] -= c.LR * gi / float32(math.Pow(float64(s[i]+c.Eps), 1/p))
		}
	}
}

// Learn trains on task t.
func (l *CLASSP) Learn(s *Stream, t int, tick func()) {
	mask := s.Mask(t)
	ps := l.Net.Params()
	l.fit(s.Tasks[t].Train, mask, t, func(x []float32, y []uint8, nb int) {
		l.Net.Grad(x, y, nb, mask)
		for k, p := range ps {
			CLASSPStep(p.W, p.G, l.S[k], l.C)
		}
	}, tick)
}

// ExtraBytes is the accumulator, P floats.
func (l *CLASSP) ExtraBytes() int64 { return 4 * int64(l.Net.NumParams()) }
