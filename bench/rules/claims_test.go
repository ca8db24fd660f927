package rules

import (
	"os"
	"testing"
	"time"
)

// TestClaimsTable runs every claim's measurement and logs the table the
// CLI will print. It takes about a minute, so it runs only with
// ENGRAM_BENCH_RULES=1 (the claims' own tests cover the same experiments).
func TestClaimsTable(t *testing.T) {
	if os.Getenv("ENGRAM_BENCH_RULES") == "" {
		t.Skip("set ENGRAM_BENCH_RULES=1 to run every measurement")
	}
	for _, c := range Claims() {
		t0 := time.Now()
		v, ok, err := c.Measure()
		if err != nil {
			t.Errorf("%s: %v", c.Rule, err)
		}
		t.Logf("%-22s | %s | %s | %s | holds=%v | %.1fs", c.Rule, c.Source, c.Claim, v, ok, time.Since(t0).Seconds())
		if !ok {
			t.Errorf("%s: claim does not hold: %s", c.Rule, v)
		}
	}
}
