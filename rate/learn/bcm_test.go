package learn

import "testing"

func TestBCMSelectivity(t *testing.T) {
	r := BCMExperiment(DefaultBCM())
	t.Log(r)
	if !r.Holds() {
		t.Fatalf("BCM neurons not selective: %v", r)
	}
}
