// Package rules measures each plasticity rule's and homeostatic
// mechanism's published claim, for the `engram bench rules` table. Each
// Claim's Measure runs the same experiment code as the claim's test (in
// packages plasticity and homeostasis) and reports the measured value and
// whether the claim holds. Every measurement takes well under 60 s on one
// core.
package rules

import (
	"fmt"

	"github.com/engram-lab/engram/plasticity"
)

// Claim is one row of the rules benchmark.
type Claim struct {
	Rule    string // registered rule name or homeostasis mechanism
	Source  string // paper
	Claim   string // what the paper claims, as tested
	Test    string // the test that asserts it
	Measure func() (value string, holds bool, err error)
}

// Claims returns the claims in priority order.
func Claims() []Claim {
	return []Claim{
		{"stdp", "Song, Miller & Abbott 2000", "additive STDP splits Poisson-driven weights to the bounds (bimodal)",
			"plasticity TestSTDPBimodal", func() (string, bool, error) {
				r := plasticity.NewSTDP()
				r.APlus, r.AMinus = 0.01, 0.0105
				w, _ := SongDrive(r, 1200, 1)
				m := Modes(w)
				return modesString(m), m.Bimodal, nil
			}},
		{"stdp-mult", "van Rossum, Bi & Turrigiano 2000", "weight-dependent STDP gives a stable unimodal distribution under the same drive",
			"plasticity TestMultSTDPUnimodal", func() (string, bool, error) {
				w, _ := SongDrive(plasticity.NewMultSTDP(), 1200, 1)
				m := Modes(w)
				return modesString(m), m.Unimodal, nil
			}},
		{"stdp-triplet", "Pfister & Gerstner 2006 (minimal all-to-all, visual cortex)", "pairing-frequency dependence with the sign pattern of Sjöström 2001",
			"plasticity TestTripletFrequency", func() (string, bool, error) {
				s, ok := "", true
				for _, p := range SjostromProtocols {
					r := plasticity.NewTriplet()
					r.W = plasticity.Bounds{Min: -10, Max: 10}
					dw := float64(Pairing(r, p.Hz, p.Lag, 60))
					ok = ok && p.Holds(dw)
					s += fmt.Sprintf("%g Hz %+g ms: %+.2f; ", p.Hz, p.Lag, dw)
				}
				return s[:len(s)-2], ok, nil
			}},
		{"rstdp", "Izhikevich 2007 (distal reward)", "the one rewarded synapse (reward 1–3 s after its pairing) is singled out in an 800/200 Izhikevich network",
			"plasticity TestRSTDPDistalReward", func() (string, bool, error) {
				r, err := Distal(DefaultDistal())
				return r.String(), r.Holds(), err
			}},
		{"eprop", "Bellec et al. 2020; Gerstner et al. 2018", "factorized eligibility equals the analytic trace; a scalar third factor teaches a target rate per input pattern",
			"plasticity TestEPropAnalyticTrace, TestEPropLearnsRates", func() (string, bool, error) {
				r := LearnRates(DefaultRateTask())
				return r.String(), r.Holds(), nil
			}},
		{"istdp", "Vogels, Sprekeler et al. 2011", "inhibitory STDP drives excitatory rates to ρ0 and balances E/I currents",
			"plasticity TestISTDPBalance", func() (string, bool, error) {
				r, err := Balance(DefaultBalance())
				return r.String(), r.Holds(), err
			}},
		{"homeostasis.Scaling", "Turrigiano et al. 1998", "multiplicative synaptic scaling brings each neuron to its own target rate, keeping weight ratios",
			"homeostasis TestScalingReachesTargets", func() (string, bool, error) {
				r, err := ScalingExperiment(100, 1)
				return r.String(), r.Holds(), err
			}},
		{"homeostasis.Threshold", "rate-homeostatic threshold (cf. Diehl & Cook 2015)", "an adaptive threshold brings each neuron to its own target rate",
			"homeostasis TestThresholdReachesTargets", func() (string, bool, error) {
				r, err := ThresholdExperiment(100, 1)
				return r.String(), r.Holds(), err
			}},
		{"homeostasis.Intrinsic", "Triesch 2005", "intrinsic plasticity makes a unit's output exponentially distributed with mean μ",
			"homeostasis TestIntrinsicExponential", func() (string, bool, error) {
				r := IPExperiment(200000, 1)
				return r.String(), r.Holds(), nil
			}},
		{"homeostasis.EIBalance", "Srinivasan, Plenz & Girvan 2025 (P8)", "per-neuron E/I self-adaptation: each neuron reaches its own heterogeneous target",
			"homeostasis TestEIBalanceHeterogeneousTargets", func() (string, bool, error) {
				r := EIExperiment(200000, 1)
				return r.String(), r.Holds(), nil
			}},
		msth(DriveUp50, "homeostasis TestMultiScaleRecovery"),
		msth(GainX3, "bench/rules TestMultiScalePerturbations"),
		msth(Silence20, "bench/rules TestMultiScalePerturbations"),
		{"stdp-sym", "Hao et al. 2020 (P32), small version", "symmetric STDP + weight normalisation + label-driven teacher learns to classify (10 noisy patterns)",
			"plasticity TestSymSTDPSupervised", func() (string, bool, error) {
				r := SymSTDPTask(500, 1)
				return r.String(), r.Holds(), nil
			}},
		{"PSPM (trial learner)", "Bagley et al. 2018 (P4)", "PSPM makes a recurrent LIF student's spike trains approach a teacher's (van Rossum distance falls ≥ 50 % on every seed) without recovering its weights",
			"plasticity TestPSPMTeacherStudent", func() (string, bool, error) {
				rs, mean, sd := PSPMSeeds(1000, []uint64{1, 2, 3})
				d, c, holds := "", "", true
				for k, r := range rs {
					if k > 0 {
						d, c = d+", ", c+"/"
					}
					d += fmt.Sprintf("%.2f → %.2f", r.DistBefore, r.DistAfter)
					c += fmt.Sprintf("%.2f", r.CorrW)
					holds = holds && r.Holds()
				}
				return fmt.Sprintf("van Rossum distance to targets %s (seeds 1–3): drop %.0f %% ± %.0f %% (mean ± sd); learnt vs true weight correlation %s",
					d, 100*mean, 100*sd, c), holds, nil
			}},
		{"PSPM homeostasis (trial learner)", "Bagley et al. 2018 (P4)", "homeostatic scaling alone learns the teacher's avalanche size distribution; spike-train similarity needs PSPM's local updates",
			"plasticity TestPSPMHomeostasisAvalanches", func() (string, bool, error) {
				r := PSPMHomeostasis(1000, 1)
				return r.String(), r.Holds(), nil
			}},
		{"stdp-dc", "Diehl & Cook 2015, small version", "unsupervised STDP + lateral inhibition + adaptive threshold + normalisation learns classes (labels assigned afterwards)",
			"plasticity TestDiehlCookUnsupervised", func() (string, bool, error) {
				r := DiehlCookTask(500, 1)
				return r.String(), r.Holds(), nil
			}},
	}
}

func modesString(m Modality) string {
	return fmt.Sprintf("%.0f %% < 0.2, %.0f %% between, %.0f %% > 0.8; mean %.2f sd %.2f",
		100*m.Low, 100*m.Mid, 100*m.High, m.Mean, m.SD)
}

// msth is the MultiScale row for perturbation p: recovery time and
// overshoot of the multi-scale controller and of each single scale.
func msth(p Perturbation, test string) Claim {
	return Claim{"homeostasis.MultiScale (" + p.String() + ")", "Hakim 2026 (MSTH, P25; our reading)",
		"after " + p.String() + ", 5 ms + 2 s + 5 min + 1 h control recovers faster and with less overshoot than any single scale",
		test, func() (string, bool, error) {
			t := MultiScaleSeeds(p, 120, MSTHSeeds)
			return t.Summary(), t.Holds(), nil
		}}
}
