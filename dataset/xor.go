package dataset

import (
	"fmt"

	"github.com/engram-lab/engram/internal/rng"
)

// XOROptions configures DelayedXOR. Times are in ms with a 1-ms step:
// Steps = Bits·(PulseMs+DelayMs) + RecallMs.
type XOROptions struct {
	N        int     // number of samples
	Seed     uint64  // generator seed; the same options give the same Set
	Bits     int     // number of binary cue pulses; label = their parity (default 2: XOR)
	PulseMs  int     // length of one cue pulse, ms (default 50)
	DelayMs  int     // silence after each pulse, before the next pulse or the recall, ms (default 100)
	RecallMs int     // recall ("go") window, ms (default 50)
	PerGroup int     // channels per group; Dim = 3·PerGroup (default 10)
	RateHz   float64 // Poisson rate of an active group, Hz (default 100)
	NoiseHz  float64 // Poisson rate of every channel at all times, Hz (default 0)
}

// DefaultXOROptions returns a 2-bit delayed XOR with 50 ms pulses, 100 ms
// delays and a 50 ms recall; N = 1, Seed = 0.
func DefaultXOROptions() XOROptions {
	return XOROptions{N: 1, Bits: 2, PulseMs: 50, DelayMs: 100, RecallMs: 50, PerGroup: 10, RateHz: 100}
}

// Steps returns the sample length in 1-ms steps.
func (o XOROptions) Steps() int { return o.Bits*(o.PulseMs+o.DelayMs) + o.RecallMs }

// PulseWindow returns the first step and the end (exclusive) of pulse k.
func (o XOROptions) PulseWindow(k int) (start, end int) {
	start = k * (o.PulseMs + o.DelayMs)
	return start, start + o.PulseMs
}

// Channel groups of the delayed-XOR task: channel c belongs to group c / PerGroup.
const (
	XORGroupZero   = 0 // fires during a pulse that encodes bit 0
	XORGroupOne    = 1 // fires during a pulse that encodes bit 1
	XORGroupRecall = 2 // fires during the recall window
)

// DelayedXOR generates the delayed XOR / parity task used to test working
// memory in spiking networks (e.g. Huh & Sejnowski 2018, NeurIPS, "delayed
// XOR"; Bellec et al. 2018 LSNN): o.Bits binary cues are presented one after
// another, each as a PulseMs burst of the "0" or "1" channel group, separated
// by DelayMs of silence; then the recall group fires. Label = parity (sum of
// bits mod 2). Values are spikes (0/1); Classes = 2.
func DelayedXOR(o XOROptions) (*Set, error) {
	switch {
	case o.N < 0 || o.Bits < 1 || o.PulseMs < 1 || o.DelayMs < 0 || o.RecallMs < 1 || o.PerGroup < 1:
		return nil, fmt.Errorf("dataset: delayed XOR: need N ≥ 0, Bits ≥ 1, PulseMs ≥ 1, DelayMs ≥ 0, RecallMs ≥ 1, PerGroup ≥ 1 (got %+v)", o)
	case !validHz(o.RateHz) || !validHz(o.NoiseHz):
		return nil, fmt.Errorf("dataset: delayed XOR: rates must lie in [0, 1000] Hz (got %+v)", o)
	}
	steps, dim, g := o.Steps(), 3*o.PerGroup, o.PerGroup
	s := &Set{Name: NameDelayedXOR, X: make([]float32, o.N*steps*dim), Y: make([]uint8, o.N),
		N: o.N, Steps: steps, Dim: dim, Classes: 2}
	r := rng.Named(o.Seed, "dataset/"+NameDelayedXOR)
	p, pNoise := o.RateHz/1000, o.NoiseHz/1000
	for i := range o.N {
		x := s.Sample(i)
		parity := 0
		for k := range o.Bits {
			bit := r.IntN(2)
			parity ^= bit
			a, b := o.PulseWindow(k)
			for t := a; t < b; t++ {
				poissonRow(r, x[t*dim+bit*g:t*dim+(bit+1)*g], p)
			}
		}
		s.Y[i] = uint8(parity)
		for t := steps - o.RecallMs; t < steps; t++ {
			poissonRow(r, x[t*dim+XORGroupRecall*g:t*dim+(XORGroupRecall+1)*g], p)
		}
		if pNoise > 0 {
			poissonRow(r, x, pNoise)
		}
	}
	return s, nil
}
