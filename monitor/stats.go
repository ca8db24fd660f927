package monitor

import (
	"math"
	"slices"
)

// MeanRate is the mean firing rate in Hz of n neurons that fired nSpikes
// spikes in total over durationMs.
func MeanRate(nSpikes, n int, durationMs float64) float64 {
	if n <= 0 || durationMs <= 0 {
		return 0
	}
	return float64(nSpikes) / float64(n) / (durationMs / 1000)
}

// CVISI is the coefficient of variation (std/mean, population std) of the
// inter-spike intervals of one sorted spike train (ms). It is 0 for a
// regular train and ≈ 1 for a Poisson train; NaN with fewer than 3 spikes.
func CVISI(times []float64) float64 {
	if len(times) < 3 {
		return math.NaN()
	}
	n := float64(len(times) - 1)
	m := (times[len(times)-1] - times[0]) / n
	v := 0.0
	for i := 1; i < len(times); i++ {
		d := times[i] - times[i-1] - m
		v += d * d
	}
	return math.Sqrt(v/n) / m
}

// Fano is the Fano factor var/mean (population variance) of counts, for
// example a RateMonitor's population counts per bin. It is ≈ 1 for Poisson
// counts and 0 for constant ones; NaN if the mean is 0.
func Fano(counts []int32) float64 {
	if len(counts) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, c := range counts {
		s += float64(c)
	}
	m := s / float64(len(counts))
	if m == 0 {
		return math.NaN()
	}
	v := 0.0
	for _, c := range counts {
		d := float64(c) - m
		v += d * d
	}
	return v / float64(len(counts)) / m
}

// VanRossum is the van Rossum (2001) distance between spike trains a and b
// (times in ms) for an exponential kernel of time constant tau (ms):
//
//	D² = (1/τ) ∫₀^∞ (f_a(t) − f_b(t))² dt,   f(t) = Σ_i H(t − t_i) e^{−(t−t_i)/τ}
//
// evaluated in closed form with ∫ f_a f_b = (τ/2) Σ_ij e^{−|a_i − b_j|/τ}:
//
//	D² = ½ [Σ_ij e^{−|a_i−a_j|/τ} + Σ_ij e^{−|b_i−b_j|/τ} − 2 Σ_ij e^{−|a_i−b_j|/τ}]
//
// With this normalisation one extra, isolated spike gives D = 1/√2 and two
// spikes shifted by δ give D = √(1 − e^{−δ/τ}). Cost O(|a|·|b| + |a|² + |b|²).
func VanRossum(a, b []float64, tau float64) float64 {
	k := func(x, y []float64) float64 {
		s := 0.0
		for _, u := range x {
			for _, v := range y {
				s += math.Exp(-math.Abs(u-v) / tau)
			}
		}
		return s
	}
	d2 := 0.5 * (k(a, a) + k(b, b) - 2*k(a, b))
	return math.Sqrt(max(d2, 0))
}

// Avalanches returns the sizes of neuronal avalanches (Beggs & Plenz 2003)
// in binned population activity: an avalanche is a maximal run of
// consecutive non-empty bins, its size the total count in the run. Runs cut
// by the start or end of the record are included.
func Avalanches(counts []int32) []int {
	var sizes []int
	run := 0
	for _, c := range counts {
		if c > 0 {
			run += int(c)
		} else if run > 0 {
			sizes = append(sizes, run)
			run = 0
		}
	}
	if run > 0 {
		sizes = append(sizes, run)
	}
	return sizes
}

// KS2 is the two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) −
// F_b(x)| of the empirical distribution functions of a and b (for example
// per-neuron firing rates of two simulations); ties are handled by stepping
// both functions past every copy of a value. It sorts copies, not a or b.
// It is 0 for two samples with the same values and frequencies, 1 for two
// samples that do not overlap, NaN if either is empty. The 5 % critical
// value for large samples of sizes n and m is ≈ 1.358·√((n+m)/(n·m))
// (0.030 for two samples of 4000).
func KS2(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return math.NaN()
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	na, nb := float64(len(x)), float64(len(y))
	d := 0.0
	for i, j := 0, 0; i < len(x) && j < len(y); {
		v := min(x[i], y[j])
		for i < len(x) && x[i] == v {
			i++
		}
		for j < len(y) && y[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/na-float64(j)/nb))
	}
	return d
}
