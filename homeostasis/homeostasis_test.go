package homeostasis_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestScalingReachesTargets: multiplicative synaptic scaling (Turrigiano
// 1998) brings 20 LIF neurons with very different input strengths to their
// own targets (5–20 Hz) and keeps each neuron's weight ratios.
func TestScalingReachesTargets(t *testing.T) {
	r, err := rules.ScalingExperiment(100, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if !r.Holds() {
		t.Errorf("scaling: %v", r)
	}
}

// TestThresholdReachesTargets: the adaptive threshold brings 20 LIF neurons
// with drives of 12–40 mV to their own targets (5–30 Hz).
func TestThresholdReachesTargets(t *testing.T) {
	r, err := rules.ThresholdExperiment(100, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if !r.Holds() {
		t.Errorf("threshold: %v", r)
	}
}

// TestIntrinsicExponential: Triesch (2005) intrinsic plasticity makes a
// sigmoid unit's output distribution approach an exponential of mean μ.
func TestIntrinsicExponential(t *testing.T) {
	r := rules.IPExperiment(200000, 1)
	t.Log(r)
	if !r.Holds() {
		t.Errorf("intrinsic plasticity: %v", r)
	}
}

// TestEIBalanceHeterogeneousTargets: per-neuron E/I self-adaptation (P8)
// brings each of 250 reservoir units to its own lognormal target rate.
func TestEIBalanceHeterogeneousTargets(t *testing.T) {
	r := rules.EIExperiment(200000, 1)
	t.Log(r)
	if !r.Holds() {
		t.Errorf("E/I self-adaptation: %v", r)
	}
}

// TestMultiScaleRecovery: after a 50 % step in drive, the four-scale
// controller (MSTH, Hakim 2026, our reading) recovers faster and with a
// smaller peak and undershoot than any single scale alone; the table is
// logged.
func TestMultiScaleRecovery(t *testing.T) {
	tb := rules.MultiScaleExperiment(120, 1)
	t.Log("\n" + tb.String())
	if !tb.Holds() {
		t.Errorf("multi-scale controller does not beat every single scale")
	}
}
