package learn

import "testing"

// TestDaleExponentiated: exponentiated updates never flip a sign and move
// log|w| toward a normal distribution; additive projected updates are
// reported beside them.
func TestDaleExponentiated(t *testing.T) {
	tr, te := mnistSubset(t, 5000, 2000)
	var rs []DaleResult
	for _, c := range []DaleConfig{
		{Sizes: []int{784, 100, 10}, Multiplicative: true, LR: 2, Epochs: 3, Batch: 20, Seed: 1},
		{Sizes: []int{784, 100, 10}, Multiplicative: false, LR: 0.05, Epochs: 3, Batch: 20, Seed: 1},
	} {
		r := DaleExperiment(c, tr, te)
		t.Logf("multiplicative=%v: acc %.4f, sign flips %d, zeroed %d of %d, KS(log|w|) %.4f → %.4f",
			c.Multiplicative, r.TestAcc, r.SignFlips, r.Zeroed, r.Weights, r.KSInit, r.KSFinal)
		if c.Multiplicative && (r.SignFlips != 0 || r.Zeroed != 0) {
			t.Errorf("exponentiated update changed %d signs and zeroed %d weights", r.SignFlips, r.Zeroed)
		}
		rs = append(rs, r)
	}
	if m, a := rs[0], rs[1]; m.KSFinal >= m.KSInit || m.KSFinal >= a.KSFinal {
		t.Errorf("KS of log|w|: multiplicative %.4f → %.4f, additive → %.4f: want the multiplicative one closest to log-normal", m.KSInit, m.KSFinal, a.KSFinal)
	}
}
