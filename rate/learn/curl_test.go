package learn

import "testing"

// TestCurlTransition: a small fraction of rule-flipped neurons converges
// like gradient descent; above a critical fraction learning destabilises.
func TestCurlTransition(t *testing.T) {
	rs := CurlSweep(DefaultCurl(), CurlFractions)
	for _, r := range rs {
		t.Logf("flip %.2f (%2d units): final/init loss %.3g, steps to 1e-3: %d, diverged %v",
			r.Flip, r.Flipped, r.FinalLoss/r.InitLoss, r.StepsTo, r.Diverged)
	}
	crit, ok := CurlTransition(rs)
	t.Logf("critical fraction %.2f", crit)
	if !ok {
		t.Fatal("no transition from GD-like convergence to instability")
	}
}
