package learn

import "testing"

func TestEPMatchesGradient(t *testing.T) {
	for _, c := range []struct {
		beta      float32
		symmetric bool
	}{{0.5, false}, {0.1, false}, {0.1, true}, {0.01, true}} {
		cos, rel := EPGradCheck(c.beta, c.symmetric, 1)
		t.Logf("β=%g symmetric=%v: cosine %.5f, relative error %.4f", c.beta, c.symmetric, cos, rel)
		if c.symmetric && cos < 0.99 {
			t.Errorf("β=%g symmetric: cosine %.5f < 0.99", c.beta, cos)
		}
	}
}
