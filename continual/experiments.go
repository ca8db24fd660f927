package continual

import (
	"fmt"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// NoisyLabels returns a copy of s in which a fraction frac of the samples
// (chosen by rng.Named(seed, "label-noise")) carry a label drawn uniformly
// from the other classes (symmetric label noise).
func NoisyLabels(s *dataset.Set, frac float64, seed uint64) *dataset.Set {
	r := rng.Named(seed, "label-noise")
	out := s.Subset(identity(s.N))
	n := int(frac*float64(s.N) + 0.5)
	for _, i := range r.Perm(s.N)[:n] {
		out.Y[i] = uint8((int(out.Y[i]) + 1 + r.IntN(s.Classes-1)) % s.Classes)
	}
	return out
}

func identity(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// LabelNoiseRow is one noise level: clean test accuracy of plain SGD and
// of the noisy-weight learner trained on the same noisy labels.
type LabelNoiseRow struct {
	Frac         float64
	Plain, Noisy float64
}

// LabelNoiseExperiment trains fine-tuning (plain SGD with momentum) and
// Noisy (the same optimizer with weight noise) on one task made of train
// with each fraction of noisy labels and scores them on the clean test
// set.
func LabelNoiseExperiment(train, test *dataset.Set, fracs []float64, c Config, h Hyper, log func(string)) ([]LabelNoiseRow, error) {
	var rows []LabelNoiseRow
	for _, f := range fracs {
		tr := NoisyLabels(train, f, c.Seed)
		s := &Stream{Name: fmt.Sprintf("label-noise-%g", f), Scenario: DomainIL, Classes: train.Classes, Dim: train.Dim,
			Tasks: []Task{{Name: "mnist", Train: tr, Test: test, Classes: allClasses(train.Classes)}}}
		row := LabelNoiseRow{Frac: f}
		for _, m := range []string{MFineTune, MNoisy} {
			l, err := New(m, s, c, h)
			if err != nil {
				return nil, err
			}
			res := Run(s, l, nil, nil)
			if m == MNoisy {
				row.Noisy = res.ACC
			} else {
				row.Plain = res.ACC
			}
		}
		if log != nil {
			log(fmt.Sprintf("label noise %.0f%%: plain %.2f%%, noisy weights %.2f%%", 100*f, 100*row.Plain, 100*row.Noisy))
		}
		rows = append(rows, row)
	}
	return rows, nil
}
