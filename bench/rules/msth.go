package rules

import (
	"fmt"
	"math"
	"strings"

	"github.com/engram-lab/engram/homeostasis"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
)

// Recovery is one controller's response to a step perturbation.
type Recovery struct {
	Name       string
	PreErr     float64 // mean |r−ρ|/ρ over the 10 s before the perturbation
	Peak       float64 // largest (r−ρ)/ρ after the perturbation
	Undershoot float64 // largest (ρ−r)/ρ after the rate first returns within 10 %
	Recovery   float64 // s until every later 1 s bin stays within 10 % of ρ (Inf: never)
}

// RecoveryTable runs MultiScaleExperiment's controllers.
type RecoveryTable []Recovery

func (t RecoveryTable) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %8s %8s %10s %10s\n", "controller", "pre err", "peak", "undershoot", "recovery")
	for _, r := range t {
		fmt.Fprintf(&b, "%-16s %8.3f %8.2f %10.3f %9.1fs\n", r.Name, r.PreErr, r.Peak, r.Undershoot, r.Recovery)
	}
	return b.String()
}

// Holds: the multi-scale controller recovers faster than every
// single-scale one, and with a smaller peak and undershoot than any
// single scale that recovers at all.
func (t RecoveryTable) Holds() bool {
	multi := t[len(t)-1]
	if math.IsInf(multi.Recovery, 1) {
		return false
	}
	for _, r := range t[:len(t)-1] {
		if r.Recovery <= multi.Recovery {
			return false
		}
		if !math.IsInf(r.Recovery, 1) && (r.Undershoot <= multi.Undershoot || r.Peak <= multi.Peak) {
			return false
		}
	}
	return true
}

// Summary is the multi-scale row against the best single scale.
func (t RecoveryTable) Summary() string {
	multi, best := t[len(t)-1], Recovery{Recovery: math.Inf(1)}
	for _, r := range t[:len(t)-1] {
		if r.Recovery < best.Recovery || best.Name == "" {
			best = r
		}
	}
	return fmt.Sprintf("multi-scale: recovery %.0f s, peak %+.2f, undershoot %.2f; best single (%s): %.0f s, %+.2f, %.2f; others never recover",
		multi.Recovery, multi.Peak, multi.Undershoot, best.Name, best.Recovery, best.Peak, best.Undershoot)
}

// MultiScaleExperiment: 20 LIF neurons (Brette 2007 CUBA) with a drive of
// 14 mV plus white noise (20 mV per step, ≈ 3 mV membrane sd) and a 10 Hz
// target are controlled for 120 s; then the drive jumps by 50 % and the
// population rate (5 s moving average of 1 s bins) is followed for
// after s. Controllers: each
// scale of homeostasis.MultiScale alone (the others' gains 0) and all four
// together.
func MultiScaleExperiment(after int, seed uint64) RecoveryTable {
	const n, dt, rho, warm = 20, 1, 10, 120
	type variant struct {
		name string
		set  func(m *homeostasis.MultiScale)
	}
	vs := []variant{
		{"ultra-fast 5 ms", func(m *homeostasis.MultiScale) { m.EtaF, m.EtaM = 0, 0 }},
		{"fast 2 s", func(m *homeostasis.MultiScale) { m.KUF, m.EtaM = 0, 0 }},
		{"medium 5 min", func(m *homeostasis.MultiScale) { m.KUF, m.EtaF = 0, 0 }},
		{"slow 1 h", func(m *homeostasis.MultiScale) { m.KUF, m.EtaF, m.EtaM, m.EtaS = 0, 0, 0, 1e-6 }},
		{"multi-scale", func(m *homeostasis.MultiScale) {}},
	}
	var table RecoveryTable
	for _, v := range vs {
		target, base := make([]float32, n), make([]float32, n)
		for j := range target {
			target[j], base[j] = rho, 14
		}
		m := homeostasis.NewMultiScale(target, base, dt)
		v.set(m)
		lif := neuron.NewLIF(n, neuron.DefaultLIF())
		lif.Init(dt, 0)
		key := rng.Key(seed, "msth/noise")
		ext, exc, inh, spk := make([]float32, n), make([]float32, n), make([]float32, n), make([]uint8, n)
		copy(ext, base)
		drive := make([]float32, n)
		var bins []float64
		count := 0
		total := (warm + after) * 1000
		for step := 0; step < total; step++ {
			if step == warm*1000 {
				for j := range m.Base {
					m.Base[j] *= 1.5
				}
			}
			for j := range drive {
				drive[j] = ext[j] + 20*rng.Normal(key, uint64(j), uint64(step))
			}
			lif.Step(0, n, uint64(step), neuron.Input{Exc: exc, Inh: inh, Ext: drive}, spk)
			m.Step(0, n, spk, ext)
			for _, s := range spk {
				count += int(s)
			}
			if (step+1)%1000 == 0 {
				bins = append(bins, float64(count)/n)
				count = 0
			}
		}
		r := Recovery{Name: v.name, Recovery: math.Inf(1)}
		for _, b := range bins[warm-10 : warm] {
			r.PreErr += math.Abs(b-rho) / rho / 10
		}
		post := smooth(bins[warm:], 5)
		back := -1
		for i, b := range post {
			r.Peak = max(r.Peak, (b-rho)/rho)
			if back < 0 && b <= 1.1*rho {
				back = i
			}
			if back >= 0 {
				r.Undershoot = max(r.Undershoot, (rho-b)/rho)
			}
		}
		last := -1 // last bin outside the band
		for i, b := range post {
			if math.Abs(b-rho) > 0.1*rho {
				last = i
			}
		}
		if last < len(post)-10 { // require at least 10 s in band at the end
			r.Recovery = float64(last + 1)
		}
		table = append(table, r)
	}
	return table
}

// smooth returns the causal moving average of x over w bins.
func smooth(x []float64, w int) []float64 {
	y := make([]float64, len(x))
	var s float64
	for i, v := range x {
		s += v
		if i >= w {
			s -= x[i-w]
		}
		y[i] = s / float64(min(i+1, w))
	}
	return y
}
