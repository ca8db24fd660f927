package neuron

import (
	"math"
	"testing"
)

// TestPoissonStatistics: total count within 5σ of its mean, and the Fano
// factor of per-neuron counts within 5 standard errors of 1 − p (the
// Bernoulli-per-step value; ≈ 1 for p ≪ 1).
func TestPoissonStatistics(t *testing.T) {
	const n, steps, dt = 1000, 10000, 0.1
	for _, rate := range []float32{5, 20, 80} {
		m := NewPoisson(n, rate)
		m.Init(dt, 12345)
		spk := make([]uint8, n)
		counts := make([]float64, n)
		for s := uint64(0); s < steps; s++ {
			m.Step(0, n, s, Input{}, spk)
			for i, z := range spk {
				counts[i] += float64(z)
			}
		}
		p := float64(rate) * dt / 1000
		total := 0.0
		for _, c := range counts {
			total += c
		}
		mu := float64(n*steps) * p
		sd := math.Sqrt(float64(n*steps) * p * (1 - p))
		if math.Abs(total-mu) > 5*sd {
			t.Errorf("rate %v: total %v, want %v ± 5·%.0f", rate, total, mu, sd)
		}
		mc := total / n
		v := 0.0
		for _, c := range counts {
			v += (c - mc) * (c - mc)
		}
		fano := v / (n - 1) / mc
		se := math.Sqrt(2.0 / (n - 1)) // standard error of a sample variance ratio (Gaussian approx.)
		if math.Abs(fano-(1-p)) > 5*se {
			t.Errorf("rate %v: Fano %.3f, want %.3f ± 5·%.3f", rate, fano, 1-p, se)
		}
		t.Logf("rate %v Hz: measured %.3f Hz (±%.3f), Fano %.3f (want %.3f ± %.3f)",
			rate, total/n/(steps*dt/1000), sd/n/(steps*dt/1000), fano, 1-p, se)
	}
}

// TestSpikeSourceReplay: spikes come out exactly on step floor(t/dt).
func TestSpikeSourceReplay(t *testing.T) {
	const dt = 0.1
	times := [][]float32{{0, 0.3, 0.35, 1.0, 2.5}, {}, {-1, 0.1, 7.7}}
	want := []map[int]bool{{0: true, 3: true, 10: true, 25: true}, {}, {1: true, 77: true}}
	m := NewSpikeSource(times)
	m.Init(dt, 0)
	spk := make([]uint8, 3)
	for rep := 0; rep < 2; rep++ {
		for s := 0; s < 100; s++ {
			m.Step(0, 3, uint64(s), Input{}, spk)
			for i := range spk {
				if (spk[i] == 1) != want[i][s] {
					t.Fatalf("rep %d step %d neuron %d: spike %d", rep, s, i, spk[i])
				}
			}
		}
		m.Reset()
	}
}
