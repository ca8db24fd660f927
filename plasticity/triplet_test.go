package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
	"github.com/engram-lab/engram/plasticity"
)

// TestTripletFrequency checks the claim of Pfister & Gerstner (2006, Fig. 5)
// with their minimal all-to-all visual-cortex parameters against the sign
// pattern of Sjöström et al. (2001), 60 pairs per protocol: Δt = +10 ms
// gives no change at 0.1 Hz and potentiation growing with frequency;
// Δt = −10 ms depresses up to 20 Hz and potentiates at 50 Hz. Pair-based
// STDP (A3+ = 0) depresses at every frequency instead.
func TestTripletFrequency(t *testing.T) {
	for _, c := range rules.SjostromProtocols {
		r := plasticity.NewTriplet()
		r.W = plasticity.Bounds{Min: -10, Max: 10}
		dw := rules.Pairing(r, c.Hz, c.Lag, 60)
		t.Logf("%5.1f Hz Δt=%+3.0f ms: Δw/w0 = %+.3f (want %s)", c.Hz, c.Lag, dw, c.Want)
		if !c.Holds(float64(dw)) {
			t.Errorf("%.1f Hz, Δt = %+.0f ms: Δw/w0 = %+.4g, want %s", c.Hz, c.Lag, dw, c.Want)
		}
	}
	for _, hz := range []float64{0.1, 10, 50} {
		p := plasticity.NewTriplet()
		p.A3Plus, p.W = 0, plasticity.Bounds{Min: -10, Max: 10}
		if dw := rules.Pairing(p, hz, 10, 60); dw >= 0 && hz > 1 {
			t.Errorf("pair-only rule at %.0f Hz: Δw/w0 = %+.4f, want depression", hz, dw)
		}
	}
}
