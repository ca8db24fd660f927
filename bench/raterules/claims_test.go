package raterules

import (
	"strings"
	"testing"
)

// TestSyntheticClaimsHold runs the claims that need no MNIST training.
func TestSyntheticClaimsHold(t *testing.T) {
	fast := []string{"oja", "sanger", "foldiak", "bcm", "eqprop (gradient)", "curl"}
	n := 0
	for _, c := range Claims(1) {
		for _, f := range fast {
			if strings.HasPrefix(c.Rule, f) {
				v, ok, err := c.Measure()
				if err != nil || !ok {
					t.Errorf("%s: %s (holds %v, err %v)", c.Rule, v, ok, err)
				}
				n++
			}
		}
	}
	if n != len(fast) {
		t.Fatalf("ran %d fast claims, want %d", n, len(fast))
	}
}
