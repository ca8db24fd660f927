package learn

import (
	"fmt"

	"github.com/engram-lab/engram/internal/rng"
)

// BCM is a linear neuron y = w·x with the
// Bienenstock–Cooper–Munro rule (Bienenstock, Cooper & Munro 1982; the
// Intrator & Cooper 1992 form with θ = E[y²]):
//
//	Δw = η x y (y − θ),   θ ← θ + (y² − θ)/TauTheta
//
// With linearly independent input patterns the stable fixed points respond
// to one pattern only (y = θ for it, y = 0 for the others): selectivity.
type BCM struct {
	W        []float32
	Theta    float32
	Eta      float32
	TauTheta float32 // averaging time of θ in presentations
}

// Step presents x, updates w and θ and returns y.
func (b *BCM) Step(x []float32) float32 {
	y := dot(b.W, x)
	g := b.Eta * y * (y - b.Theta)
	for i, v := range x {
		b.W[i] += g * v
	}
	b.Theta += (y*y - b.Theta) / b.TauTheta
	return y
}

// Response returns the rectified response [w·x]₊ without learning.
func (b *BCM) Response(x []float32) float32 { return max(dot(b.W, x), 0) }

// BCMConfig is the selectivity experiment: Patterns non-negative input
// patterns (each a random half of Dim inputs set to 1) are presented in
// random order to Neurons independent BCM neurons with random initial
// weights.
type BCMConfig struct {
	Dim, Patterns, Neurons int
	Steps                  int
	Eta, TauTheta          float32
	Seed                   uint64
}

// DefaultBCM returns 4 patterns over 20 inputs, 10 neurons, 100000
// presentations.
func DefaultBCM() BCMConfig {
	return BCMConfig{Dim: 20, Patterns: 4, Neurons: 10, Steps: 100000, Eta: 0.0005, TauTheta: 10, Seed: 1}
}

// BCMResult holds each neuron's final response to each pattern.
type BCMResult struct {
	Responses   [][]float32 // [neuron][pattern]
	Selectivity []float64   // (1 − mean/max)/(1 − 1/Patterns) per neuron: 1 = responds to one pattern only, 0 = equal responses
	Preferred   []int       // pattern with the largest response
}

// Holds reports whether every neuron is selective (selectivity > 0.9 with
// 4 patterns, i.e. at most ~0.13 of its peak response to the others on
// average) and at least two different patterns are preferred.
func (r BCMResult) Holds() bool {
	seen := map[int]bool{}
	for i, s := range r.Selectivity {
		if s < 0.9 {
			return false
		}
		seen[r.Preferred[i]] = true
	}
	return len(seen) >= 2
}

func (r BCMResult) String() string {
	minS := 1.0
	seen := map[int]int{}
	for i, s := range r.Selectivity {
		minS = min(minS, s)
		seen[r.Preferred[i]]++
	}
	return fmt.Sprintf("%d neurons, min selectivity %.3f, preferred-pattern counts %v", len(r.Selectivity), minS, seen)
}

// BCMExperiment runs the selectivity experiment.
func BCMExperiment(c BCMConfig) BCMResult {
	r := rng.Named(c.Seed, "bcm")
	pats := make([][]float32, c.Patterns)
	for p := range pats {
		pats[p] = make([]float32, c.Dim)
		for _, i := range r.Perm(c.Dim)[:c.Dim/2] {
			pats[p][i] = 1
		}
	}
	var res BCMResult
	for nn := 0; nn < c.Neurons; nn++ {
		b := &BCM{W: make([]float32, c.Dim), Eta: c.Eta, TauTheta: c.TauTheta}
		for i := range b.W {
			b.W[i] = float32(r.Float64() * 0.2)
		}
		for t := 0; t < c.Steps; t++ {
			b.Step(pats[r.IntN(c.Patterns)])
		}
		resp := make([]float32, c.Patterns)
		var sum, mx float32
		best := 0
		for p := range pats {
			resp[p] = b.Response(pats[p])
			sum += resp[p]
			if resp[p] > mx {
				mx, best = resp[p], p
			}
		}
		sel := 0.0
		if mx > 0 {
			sel = 1 - float64(sum/float32(c.Patterns)/mx)
			sel /= 1 - 1/float64(c.Patterns) // normalise so one-hot response gives 1
		}
		res.Responses = append(res.Responses, resp)
		res.Selectivity = append(res.Selectivity, sel)
		res.Preferred = append(res.Preferred, best)
	}
	return res
}
