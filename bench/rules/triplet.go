package rules

import "github.com/engram-lab/engram/plasticity"

// Pairing runs the pairing protocol of Sjöström et al. (2001) as simulated
// by Pfister & Gerstner (2006, Fig. 5): nPairs pre/post pairs at frequency
// hz, post lagging pre by lag ms (negative: post first), one synapse at
// dt = 0.1 ms starting at w = 1 (Pfister's amplitudes are fractions of
// the initial weight, so the result is the relative change Δw/w0). Give
// the rule bounds wide enough not to bind. It returns Δw/w0.
func Pairing(r plasticity.Rule, hz, lag float64, nPairs int) float32 {
	const dt = 0.1
	h := newHarness(r, 1, 1, 1, dt)
	period := int(1000/hz/dt + 0.5)
	l := int(lag/dt + sign(lag)*0.5)
	t0 := 100 + max(0, -l)
	end := t0 + nPairs*period + 2000
	pre, post := []uint8{0}, []uint8{0}
	for t := 0; t < end; t++ {
		pre[0], post[0] = 0, 0
		if k := t - t0; k >= 0 && k%period == 0 && k/period < nPairs {
			pre[0] = 1
		}
		if k := t - t0 - l; k >= 0 && k%period == 0 && k/period < nPairs {
			post[0] = 1
		}
		h.step(pre, post)
	}
	return h.c.W[0] - 1
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// Protocol is one pairing protocol of Sjöström et al. (2001) with the sign
// of the measured change.
type Protocol struct {
	Hz, Lag float64 // pairing frequency (Hz), post − pre lag (ms)
	Want    string  // "0" (|Δw/w0| < 0.05), "+" (> 0.05) or "−" (< −0.05)
}

// Holds reports whether dw has the protocol's sign.
func (p Protocol) Holds(dw float64) bool {
	switch p.Want {
	case "+":
		return dw > 0.05
	case "−":
		return dw < -0.05
	}
	return dw > -0.05 && dw < 0.05
}

// SjostromProtocols are the sign pattern of Sjöström et al. (2001, Fig. 1):
// Δt = +10 ms: no change at 0.1 Hz, LTP from 10 Hz up; Δt = −10 ms: LTD up
// to 20 Hz, LTP at 50 Hz.
var SjostromProtocols = []Protocol{
	{0.1, 10, "0"}, {10, 10, "+"}, {20, 10, "+"}, {40, 10, "+"}, {50, 10, "+"},
	{0.1, -10, "−"}, {10, -10, "−"}, {20, -10, "−"}, {50, -10, "+"},
}
