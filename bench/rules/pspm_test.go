package rules

import (
	"strings"
	"testing"
)

// TestPSPMAblation measures what closes the gap between the paper's
// description of PSPM (every error corrected, ±5 ms pairing, 5 ms pool)
// and the bench default (earliest error only, exact pairing, 15 ms pool)
// on the reported seeds 1–3, and asserts that the default beats the
// all-errors variant on every seed. Run with -v for the table.
func TestPSPMAblation(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 21 runs of 1000 trials")
	}
	type variant struct {
		name         string
		all          bool
		window, pool int
	}
	vs := []variant{
		{"all errors, ±5 ms, pool 5 ms (previous default)", true, 5, 5},
		{"all errors, exact, pool 15 ms", true, 0, 15},
		{"earliest error, ±5 ms, pool 5 ms", false, 5, 5},
		{"earliest error, exact, pool 5 ms", false, 0, 5},
		{"earliest error, ±2 ms, pool 15 ms", false, 2, 15},
		{"earliest error, ±1 ms, pool 15 ms", false, 1, 15},
		{"earliest error, exact, pool 15 ms (default)", false, 0, 15},
	}
	seeds := []uint64{1, 2, 3}
	drops := make([][]float64, len(vs))
	for k, v := range vs {
		c := DefaultPSPMConfig()
		c.All, c.Window, c.Pool = v.all, v.window, v.pool
		mean := 0.0
		for _, s := range seeds {
			r, _ := PSPMRun(c, s)
			drops[k] = append(drops[k], r.Drop())
			mean += r.Drop() / float64(len(seeds))
		}
		t.Logf("%-50s drop %.0f/%.0f/%.0f %%, mean %.0f %%", v.name, 100*drops[k][0], 100*drops[k][1], 100*drops[k][2], 100*mean)
	}
	def := drops[len(vs)-1]
	for i := range seeds {
		if def[i] <= drops[0][i] || def[i] <= drops[1][i] {
			t.Errorf("seed %d: default drop %.2f not above the all-errors variants (%.2f, %.2f)", seeds[i], def[i], drops[0][i], drops[1][i])
		}
	}
}

// TestPSPMClaimRows runs the two PSPM rows of the rules bench exactly as
// `engram bench rules` does and checks that both hold.
func TestPSPMClaimRows(t *testing.T) {
	if testing.Short() {
		t.Skip("long: five 1000-trial runs")
	}
	n := 0
	for _, c := range Claims() {
		if !strings.HasPrefix(c.Rule, "PSPM") {
			continue
		}
		n++
		v, holds, err := c.Measure()
		t.Logf("%s: %s (holds %v)", c.Rule, v, holds)
		if err != nil || !holds {
			t.Errorf("%s: holds %v, err %v", c.Rule, holds, err)
		}
	}
	if n != 2 {
		t.Errorf("%d PSPM rows, want 2", n)
	}
}
