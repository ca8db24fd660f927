package learn

import (
	"math"
	"testing"
)

func TestOjaFirstPC(t *testing.T) {
	r := OjaExperiment(false, 300000, 1)
	t.Logf("Oja: angle to PC1 %.3f°, |w| = %.4f", r.AngleDeg, r.Norms[0])
	if r.AngleDeg >= 2 || math.Abs(r.Norms[0]-1) > 0.02 {
		t.Fatalf("Oja: angle %.3f° (want < 2°), |w| %.4f (want 1 ± 0.02)", r.AngleDeg, r.Norms[0])
	}
	h := OjaExperiment(true, 300000, 1)
	t.Logf("Hebb: angle to PC1 %.3f°, |w| = %.4g (unbounded growth)", h.AngleDeg, h.Norms[0])
	if h.AngleDeg >= 5 || h.Norms[0] < 10 {
		t.Fatalf("Hebb: angle %.3f°, |w| %.4g: want the PC1 direction with a growing norm", h.AngleDeg, h.Norms[0])
	}
}

func TestSangerSubspace(t *testing.T) {
	r := SangerExperiment(3, 300000, 1)
	t.Logf("Sanger k=3: largest principal angle %.3f°, norms %.3f", r.AngleDeg, r.Norms)
	if r.AngleDeg >= 5 {
		t.Fatalf("subspace angle %.3f° ≥ 5°", r.AngleDeg)
	}
}

func TestFoldiakSubspace(t *testing.T) {
	r := FoldiakExperiment(3, 300000, 1)
	t.Logf("Földiák k=3: largest principal angle %.3f°, norms %.3f", r.AngleDeg, r.Norms)
	if r.AngleDeg >= 5 {
		t.Fatalf("subspace angle %.3f° ≥ 5°", r.AngleDeg)
	}
}
