package dataset

import (
	"fmt"
	"math/rand/v2"

	"github.com/engram-lab/engram/internal/rng"
)

// CueOptions configures CueAccumulation. Times are in ms; the time step is
// 1 ms, so a sample has Steps = Cues·(CueMs+GapMs) + DelayMs + RecallMs.
type CueOptions struct {
	N        int     // number of samples
	Seed     uint64  // generator seed; the same options give the same Set
	Cues     int     // number of cues, odd so there is never a tie (default 7, Bellec et al. 2020)
	CueMs    int     // length of one cue window, ms (default 100)
	GapMs    int     // silence after each cue, ms (default 50)
	DelayMs  int     // delay between the end of the last gap and the recall cue, ms (default 1000)
	RecallMs int     // recall window, ms (default 150)
	PerGroup int     // input channels per group; Dim = 4·PerGroup (default 10, so Dim = 40)
	CueHz    float64 // Poisson rate of the cued group during a cue, Hz (default 40)
	RecallHz float64 // Poisson rate of the recall group during recall, Hz (default 40)
	NoiseHz  float64 // Poisson rate of the background group throughout, Hz (default 10)
}

// DefaultCueOptions returns the evidence-accumulation task of Bellec et al.
// 2020 (e-prop, Nature Communications 11:3625, Fig. 3 and Methods): 7 cues
// of 100 ms separated by 50 ms, a 1000 ms delay, a 150 ms recall cue, groups
// of 10 channels firing at 40 Hz, background at 10 Hz; N = 1, Seed = 0.
// These timings are engram's specification of that task; they were not
// re-checked line by line against the paper's Methods.
func DefaultCueOptions() CueOptions {
	return CueOptions{N: 1, Cues: 7, CueMs: 100, GapMs: 50, DelayMs: 1000, RecallMs: 150,
		PerGroup: 10, CueHz: 40, RecallHz: 40, NoiseHz: 10}
}

// Steps returns the sample length in 1-ms steps.
func (o CueOptions) Steps() int { return o.Cues*(o.CueMs+o.GapMs) + o.DelayMs + o.RecallMs }

// CueWindow returns the first step and the end (exclusive) of cue k.
func (o CueOptions) CueWindow(k int) (start, end int) {
	start = k * (o.CueMs + o.GapMs)
	return start, start + o.CueMs
}

// RecallStart returns the first step of the recall window.
func (o CueOptions) RecallStart() int { return o.Steps() - o.RecallMs }

func (o CueOptions) validate() error {
	switch {
	case o.N < 0:
		return fmt.Errorf("dataset: cue accumulation: N=%d < 0", o.N)
	case o.Cues < 1 || o.Cues%2 == 0:
		return fmt.Errorf("dataset: cue accumulation: Cues=%d must be odd and ≥ 1 (no ties)", o.Cues)
	case o.CueMs < 1 || o.GapMs < 0 || o.DelayMs < 0 || o.RecallMs < 1 || o.PerGroup < 1:
		return fmt.Errorf("dataset: cue accumulation: need CueMs ≥ 1, GapMs ≥ 0, DelayMs ≥ 0, RecallMs ≥ 1, PerGroup ≥ 1 (got %+v)", o)
	case !validHz(o.CueHz) || !validHz(o.RecallHz) || !validHz(o.NoiseHz):
		return fmt.Errorf("dataset: cue accumulation: rates must lie in [0, 1000] Hz at dt = 1 ms (got %+v)", o)
	}
	return nil
}

func validHz(hz float64) bool { return hz >= 0 && hz <= 1000 }

// Channel groups of the cue-accumulation task, in channel order: channel c
// belongs to group c / PerGroup.
const (
	CueGroupLeft   = 0
	CueGroupRight  = 1
	CueGroupRecall = 2
	CueGroupNoise  = 3
)

// CueAccumulation generates the evidence-accumulation task of Bellec et al.
// 2020 (e-prop; after Morcos & Harvey 2016): each of o.Cues cue windows has
// either the left or the right group (chosen by a fair coin) fire as
// Poisson processes at CueHz; after a delay the recall group fires at
// RecallHz; the background group fires at NoiseHz throughout. Label 0 means
// more left cues, 1 more right cues. Values are spikes (0 or 1) per 1-ms
// step; Classes = 2.
func CueAccumulation(o CueOptions) (*Set, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	steps, dim := o.Steps(), 4*o.PerGroup
	s := &Set{Name: NameCueAccumulation, X: make([]float32, o.N*steps*dim), Y: make([]uint8, o.N),
		N: o.N, Steps: steps, Dim: dim, Classes: 2}
	r := rng.Named(o.Seed, "dataset/"+NameCueAccumulation)
	pCue, pRecall, pNoise := o.CueHz/1000, o.RecallHz/1000, o.NoiseHz/1000
	sides := make([]int, o.Cues)
	for i := range o.N {
		right := 0
		for k := range sides {
			sides[k] = r.IntN(2)
			right += sides[k]
		}
		if 2*right > o.Cues {
			s.Y[i] = 1
		}
		x := s.Sample(i)
		fire := func(t, group int, p float64) {
			poissonRow(r, x[t*dim+group*o.PerGroup:t*dim+(group+1)*o.PerGroup], p)
		}
		for k, side := range sides {
			a, b := o.CueWindow(k)
			for t := a; t < b; t++ {
				fire(t, CueGroupLeft+side, pCue)
			}
		}
		for t := o.RecallStart(); t < steps; t++ {
			fire(t, CueGroupRecall, pRecall)
		}
		for t := range steps {
			fire(t, CueGroupNoise, pNoise)
		}
	}
	return s, nil
}

// poissonRow sets each entry of row to 1 with probability p.
func poissonRow(r *rand.Rand, row []float32, p float64) {
	for c := range row {
		if r.Float64() < p {
			row[c] = 1
		}
	}
}
