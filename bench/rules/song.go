package rules

import (
	"math"
	"math/rand/v2"

	"github.com/engram-lab/engram/plasticity"
)

// SongDrive runs the weight-distribution experiment of Song, Miller &
// Abbott (2000) as TestSTDPBimodal does: one integrate-and-fire unit
// (τm = 20 ms, threshold 6, input gain 0.35) driven by nIn = 200 Poisson
// inputs at 10 Hz through plastic weights starting at 0.5, for seconds s
// of simulated time at dt = 1 ms. It returns the final weights and the
// number of output spikes.
func SongDrive(r plasticity.Rule, seconds int, seed uint64) ([]float32, int) {
	return SongDriveSnap(r, seconds, seed, nil)
}

// SongDriveSnap is SongDrive calling snap(second, weights) at the end of
// every 100 s.
func SongDriveSnap(r plasticity.Rule, seconds int, seed uint64, snap func(s int, w []float32)) ([]float32, int) {
	const nIn = 200
	h := newHarness(r, nIn, 1, 0.5, 1)
	rnd := rand.New(rand.NewPCG(seed, 2))
	v, nPost := 0.0, 0
	pre, post := make([]uint8, nIn), []uint8{0}
	leak := math.Exp(-1.0 / 20)
	for step := 0; step < seconds*1000; step++ {
		in := 0.0
		for i := range pre {
			pre[i] = 0
			if rnd.Float64() < 0.010 {
				pre[i] = 1
				in += float64(h.c.W[i])
			}
		}
		v = v*leak + in*0.35
		post[0] = 0
		if v > 6 {
			post[0] = 1
			v = 0
			nPost++
		}
		h.step(pre, post)
		if snap != nil && (step+1)%100000 == 0 {
			snap((step+1)/1000, h.c.W)
		}
	}
	return h.c.W, nPost
}

// Modality summarises a weight distribution on [0, 1]: the fractions near
// the bounds (< 0.2, > 0.8) and between, the mean, and whether it is
// bimodal (≥ 10 % at each bound and ≤ 1/3 between) or unimodal (≥ 80 % in
// one central band mean ± 0.25 and ≤ 10 % at either bound).
type Modality struct {
	Low, Mid, High float64
	Mean, SD       float64
	Bimodal        bool
	Unimodal       bool
}

// Modes computes the Modality of w.
func Modes(w []float32) Modality {
	var m Modality
	n := float64(len(w))
	for _, x := range w {
		m.Mean += float64(x) / n
	}
	band := 0.0
	for _, x := range w {
		d := float64(x) - m.Mean
		m.SD += d * d / n
		switch {
		case x < 0.2:
			m.Low++
		case x > 0.8:
			m.High++
		default:
			m.Mid++
		}
		if math.Abs(d) < 0.25 {
			band++
		}
	}
	m.SD = math.Sqrt(m.SD)
	m.Low, m.Mid, m.High, band = m.Low/n, m.Mid/n, m.High/n, band/n
	m.Bimodal = m.Low >= 0.1 && m.High >= 0.1 && m.Mid <= 1.0/3
	m.Unimodal = band >= 0.8 && m.Low <= 0.1 && m.High <= 0.1
	return m
}
