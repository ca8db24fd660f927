// Package raterules measures the published claims of the rate-network
// learning rules in package rate/learn, and compares backpropagation with
// the local rules on MNIST and Fashion-MNIST with the same MLP, for the
// `engram bench rate-rules` table. Each Claim's Measure runs the same
// experiment code as the claim's test; the synthetic claims take seconds,
// the MNIST claims train on the full data (minutes each) and share their
// runs with Compare through a cache, so a run is never trained twice.
package raterules

import (
	"fmt"
	"math"
	"strings"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/rate/learn"
)

// Claim is one row of the rate-rules benchmark.
type Claim struct {
	Rule    string // rule name
	Source  string // paper
	Claim   string // what the paper claims, as tested
	Test    string // the test that asserts it (package rate/learn)
	Measure func() (value string, holds bool, err error)
}

// Claims returns the claims in the order. epochs is the number of
// training epochs for the MNIST claims (0 means DefaultEpochs). The DFA
// claim trains DFARecipe for its own DFARecipe.Epochs (the horizon of its
// cosine schedule) unless epochs < DefaultEpochs (a reduced run), then for
// epochs.
func Claims(epochs int) []Claim {
	if epochs <= 0 {
		epochs = DefaultEpochs
	}
	dfaEpochs := DFARecipe.Epochs
	if epochs < DefaultEpochs {
		dfaEpochs = epochs
	}
	return []Claim{
		{"oja (+hebb)", "Oja 1982", "Oja's weight vector converges to the first principal component (angle < 2°) with unit norm; plain Hebb aligns but its norm diverges",
			"TestOjaFirstPC", func() (string, bool, error) {
				o := learn.OjaExperiment(false, 300000, 1)
				h := learn.OjaExperiment(true, 300000, 1)
				return fmt.Sprintf("Oja: %.2f°, |w| = %.4f; Hebb: %.2f°, |w| = %.3g", o.AngleDeg, o.Norms[0], h.AngleDeg, h.Norms[0]),
					o.AngleDeg < 2 && math.Abs(o.Norms[0]-1) < 0.02, nil
			}},
		{"sanger (GHA)", "Sanger 1989", "extracts the top-k principal subspace (largest principal angle < 5°), k = 3 of 10",
			"TestSangerSubspace", func() (string, bool, error) {
				r := learn.SangerExperiment(3, 300000, 1)
				return fmt.Sprintf("%.2f°, row norms %.3f", r.AngleDeg, r.Norms), r.AngleDeg < 5, nil
			}},
		{"foldiak", "Földiák 1990", "Hebbian feedforward + anti-Hebbian lateral decorrelation extracts the top-k principal subspace (< 5°), k = 3 of 10",
			"TestFoldiakSubspace", func() (string, bool, error) {
				r := learn.FoldiakExperiment(3, 300000, 1)
				return fmt.Sprintf("%.2f°, row norms %.3f", r.AngleDeg, r.Norms), r.AngleDeg < 5, nil
			}},
		{"bcm", "Bienenstock, Cooper & Munro 1982", "with a sliding threshold θ = E[y²], neurons become selective to one of several input patterns",
			"TestBCMSelectivity", func() (string, bool, error) {
				r := learn.BCMExperiment(learn.DefaultBCM())
				return r.String(), r.Holds(), nil
			}},
		{"softhebb", "Journé et al. 2023", "unsupervised soft-WTA Hebbian layer + linear readout on MNIST ≥ 97 % (paper: 99.4 % with deep conv nets); here one conv SoftHebb layer, with the random-kernel control and the 784-1000 dense SoftHebb layer beside it",
			"TestSoftHebbSubset, TestSoftHebbConvSubset (subsets); bench: full MNIST", func() (string, bool, error) {
				c, err := RunSoftHebbConv(epochs, false)
				if err != nil {
					return "", false, err
				}
				rnd, err := RunSoftHebbConv(epochs, true)
				if err != nil {
					return "", false, err
				}
				d, err := Run("softhebb", dataset.NameMNIST, epochs)
				if err != nil {
					return "", false, err
				}
				return fmt.Sprintf("conv SoftHebb %.2f %% (random kernels %.2f %%); dense 1000 units %.2f %%; %d readout epochs",
					100*c.TestAcc, 100*rnd.TestAcc, 100*d.TestAcc, epochs), c.TestAcc >= 0.97, nil
			}},
		{"dfa", "Nøkland 2016", "MNIST 784-800-800-10 tanh: DFA ≥ 98.0 % (Nøkland: 98.55 %); FA, DRTP and BP on the same two-hidden-layer net and recipe (raterules.DFARecipe)",
			"TestMLPRulesLearnMNISTSubset (subset); bench: full MNIST", func() (string, bool, error) {
				var parts []string
				var dfa float64
				for _, rule := range []string{"dfa", "bp", "fa", "drtp"} {
					r, err := RunDFANet(rule, dfaEpochs)
					if err != nil {
						return "", false, err
					}
					if rule == "dfa" {
						dfa = r.TestAcc
					}
					parts = append(parts, fmt.Sprintf("%s %.2f %%", strings.ToUpper(rule), 100*r.TestAcc))
				}
				return strings.Join(parts, ", ") + fmt.Sprintf(" (%d epochs)", dfaEpochs), dfa >= 0.98, nil
			}},
		{"eqprop (gradient)", "Scellier & Bengio 2017", "the EP update matches the true gradient: cosine ≥ 0.99 vs finite differences on a small network, symmetric nudging, β → 0",
			"TestEPMatchesGradient", func() (string, bool, error) {
				var parts []string
				ok := true
				for _, b := range []float32{0.1, 0.01} {
					c, rel := learn.EPGradCheck(b, true, 1)
					ok = ok && c >= 0.99
					parts = append(parts, fmt.Sprintf("β=±%g: cos %.5f, rel. err %.4f", b, c, rel))
				}
				c, rel := learn.EPGradCheck(0.5, false, 1)
				parts = append(parts, fmt.Sprintf("one-sided β=0.5: cos %.5f, rel. err %.3f", c, rel))
				return strings.Join(parts, "; "), ok, nil
			}},
		{"eqprop (MNIST)", "Scellier & Bengio 2017", "MNIST with one hidden layer ≥ 97 % (paper: ≈ 97–98 %)",
			"bench: full MNIST", func() (string, bool, error) {
				r, err := Run("ep", dataset.NameMNIST, epochs)
				return r.String(), r.TestAcc >= 0.97, err
			}},
		{"dale (exponentiated)", "P29 (Dale meets Langevin); Cornford et al. 2021", "under Dale's law, exponentiated updates never flip signs and make weights log-normal (KS of log|w|); accuracy vs additive projected updates",
			"TestDaleExponentiated", func() (string, bool, error) {
				m, a, err := DaleComparison()
				if err != nil {
					return "", false, err
				}
				v := fmt.Sprintf("exponentiated: %.2f %%, %d sign flips, KS(log|w|) %.3f → %.3f; additive: %.2f %%, %d zeroed, KS → %.3f (n = %d)",
					100*m.TestAcc, m.SignFlips, m.KSInit, m.KSFinal, 100*a.TestAcc, a.Zeroed, a.KSFinal, m.Weights)
				return v, m.SignFlips == 0 && m.Zeroed == 0 && m.KSFinal < m.KSInit/2 && m.KSFinal < a.KSFinal, nil
			}},
		{"curl", "P20 (curl descent)", "student–teacher: a small flipped fraction converges like GD; above a critical fraction learning destabilises",
			"TestCurlTransition", func() (string, bool, error) {
				rs := learn.CurlSweep(learn.DefaultCurl(), learn.CurlFractions)
				crit, ok := learn.CurlTransition(rs)
				return fmt.Sprintf("critical flipped fraction %.2f; %s", crit, CurlTable(rs)), ok, nil
			}},
	}
}

// CurlTable formats a curl sweep as "fraction: final/initial loss (steps to
// 1e-3)" entries.
func CurlTable(rs []learn.CurlResult) string {
	var parts []string
	for _, r := range rs {
		if r.Diverged {
			parts = append(parts, fmt.Sprintf("%.2f: diverged", r.Flip))
			continue
		}
		parts = append(parts, fmt.Sprintf("%.2f: %.1e (%d)", r.Flip, r.FinalLoss/r.InitLoss, r.StepsTo))
	}
	return strings.Join(parts, ", ")
}

// DaleComparison trains 784-100-10 ReLU MLPs under Dale's law on full
// MNIST for 3 epochs (batch 20) with exponentiated (LR 2) and additive
// projected (LR 0.05) updates.
func DaleComparison() (mult, add learn.DaleResult, err error) {
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		return mult, add, err
	}
	c := learn.DaleConfig{Sizes: []int{784, 100, 10}, Multiplicative: true, LR: 2, Epochs: 3, Batch: 20, Seed: 1}
	mult = learn.DaleExperiment(c, tr, te)
	c.Multiplicative, c.LR = false, 0.05
	add = learn.DaleExperiment(c, tr, te)
	return mult, add, nil
}

// OnMNIST reports whether the claim of the named rule trains on MNIST
// (minutes) rather than on synthetic data (seconds).
func OnMNIST(rule string) bool {
	switch rule {
	case "softhebb", "dfa", "eqprop (MNIST)", "dale (exponentiated)":
		return true
	}
	return false
}
