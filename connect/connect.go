// Package connect generates connectivity patterns as synapse edge lists.
//
// A Pattern lists (pre, post) pairs for populations of given sizes, drawing
// from the generator it is given (no global random state). Weights and delays
// are set afterwards by a WeightFunc and a delay (see Build), so one pattern
// serves any weight distribution.
package connect

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/engram-lab/engram/synapse"
)

// Pattern produces the synapses between a presynaptic population of nPre
// neurons and a postsynaptic one of nPost. same is true when both are the same
// population (self-connections are then excluded unless a pattern says so).
type Pattern interface {
	Connect(nPre, nPost int, same bool, r *rand.Rand) ([]synapse.Edge, error)
}

// Weights sets the weight of each synapse. Constant and Normal are provided.
type Weights func(r *rand.Rand) float32

// Constant returns a Weights that always gives w.
func Constant(w float32) Weights { return func(*rand.Rand) float32 { return w } }

// Normal returns a Weights drawing from N(mean, sd²).
func Normal(mean, sd float32) Weights {
	return func(r *rand.Rand) float32 { return mean + sd*float32(r.NormFloat64()) }
}

// Uniform returns a Weights drawing from U[lo, hi).
func Uniform(lo, hi float32) Weights {
	return func(r *rand.Rand) float32 { return lo + (hi-lo)*r.Float32() }
}

// Build runs the pattern, draws a weight per synapse (in edge order) and sets
// every delay to delay steps, returning the packed matrix.
func Build(p Pattern, nPre, nPost int, same bool, w Weights, delay uint16, r *rand.Rand) (*synapse.CSR, error) {
	edges, err := p.Connect(nPre, nPost, same, r)
	if err != nil {
		return nil, err
	}
	for i := range edges {
		edges[i].W = w(r)
		edges[i].Delay = delay
	}
	return synapse.FromEdges(nPre, nPost, edges)
}

// Full connects every pre to every post (no self-connections when same).
type Full struct{ Self bool }

func (f Full) Connect(nPre, nPost int, same bool, _ *rand.Rand) ([]synapse.Edge, error) {
	e := make([]synapse.Edge, 0, nPre*nPost)
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			if same && i == j && !f.Self {
				continue
			}
			e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j)})
		}
	}
	return e, nil
}

// OneToOne connects pre i to post i.
type OneToOne struct{}

func (OneToOne) Connect(nPre, nPost int, _ bool, _ *rand.Rand) ([]synapse.Edge, error) {
	if nPre != nPost {
		return nil, fmt.Errorf("connect: one-to-one needs equal sizes, have %d and %d", nPre, nPost)
	}
	e := make([]synapse.Edge, nPre)
	for i := range e {
		e[i] = synapse.Edge{Pre: int32(i), Post: int32(i)}
	}
	return e, nil
}

// FixedProb connects each pair independently with probability P.
type FixedProb struct{ P float64 }

func (f FixedProb) Connect(nPre, nPost int, same bool, r *rand.Rand) ([]synapse.Edge, error) {
	if f.P < 0 || f.P > 1 {
		return nil, fmt.Errorf("connect: probability %g outside [0,1]", f.P)
	}
	var e []synapse.Edge
	if f.P == 0 {
		return e, nil
	}
	// Geometric skipping: O(#synapses) instead of O(nPre·nPost).
	total := int64(nPre) * int64(nPost)
	lq := math.Log1p(-f.P)
	for k := int64(-1); ; {
		if f.P < 1 {
			k += 1 + int64(math.Floor(math.Log(1-r.Float64())/lq))
		} else {
			k++
		}
		if k >= total {
			break
		}
		i, j := int32(k/int64(nPost)), int32(k%int64(nPost))
		if same && i == j {
			continue
		}
		e = append(e, synapse.Edge{Pre: i, Post: j})
	}
	return e, nil
}

// FixedInDegree gives every post exactly K presynaptic partners, drawn
// without replacement (and excluding itself when same).
type FixedInDegree struct{ K int }

func (f FixedInDegree) Connect(nPre, nPost int, same bool, r *rand.Rand) ([]synapse.Edge, error) {
	avail := nPre
	if same {
		avail--
	}
	if f.K < 0 || f.K > avail {
		return nil, fmt.Errorf("connect: in-degree %d impossible with %d candidates", f.K, avail)
	}
	e := make([]synapse.Edge, 0, f.K*nPost)
	seen := make(map[int32]bool, f.K)
	for j := 0; j < nPost; j++ {
		clear(seen)
		for len(seen) < f.K {
			i := int32(r.IntN(nPre))
			if (same && int(i) == j) || seen[i] {
				continue
			}
			seen[i] = true
			e = append(e, synapse.Edge{Pre: i, Post: int32(j)})
		}
	}
	return e, nil
}

// Blocks splits both populations into consecutive blocks of Size neurons
// (cortical-column-like groups) and connects pairs inside the same block with
// probability P (1 = dense). Only valid for a population onto itself or onto
// one of equal size.
type Blocks struct {
	Size int
	P    float64
}

func (b Blocks) Connect(nPre, nPost int, same bool, r *rand.Rand) ([]synapse.Edge, error) {
	if b.Size <= 0 {
		return nil, fmt.Errorf("connect: block size %d must be positive", b.Size)
	}
	if nPre != nPost {
		return nil, fmt.Errorf("connect: blocks need equal sizes, have %d and %d", nPre, nPost)
	}
	var e []synapse.Edge
	for i := 0; i < nPre; i++ {
		blk := i / b.Size
		lo, hi := blk*b.Size, min((blk+1)*b.Size, nPost)
		for j := lo; j < hi; j++ {
			if same && i == j {
				continue
			}
			if b.P >= 1 || r.Float64() < b.P {
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j)})
			}
		}
	}
	return e, nil
}

// SmallWorld is the Watts–Strogatz (1998) graph: a ring lattice in which each
// node connects to its K nearest neighbours (K/2 on each side), after which
// each edge's target is rewired with probability Beta to a uniformly chosen
// node (no self-loops, no duplicates). Edges are directed pre→post in both
// directions of each lattice pair. Between populations of different sizes the
// ring positions are scaled: pre i sits at i·nPost/nPre on the post ring.
type SmallWorld struct {
	K    int     // lattice degree (even), neighbours per node
	Beta float64 // rewiring probability
}

func (s SmallWorld) Connect(nPre, nPost int, same bool, r *rand.Rand) ([]synapse.Edge, error) {
	if s.K <= 0 || s.K%2 != 0 {
		return nil, fmt.Errorf("connect: small-world degree %d must be even and positive", s.K)
	}
	if s.K >= nPost {
		return nil, fmt.Errorf("connect: small-world degree %d too large for %d targets", s.K, nPost)
	}
	e := make([]synapse.Edge, 0, nPre*s.K)
	targets := make([]int32, 0, s.K)
	has := func(n int32) bool { return slices.Contains(targets, n) }
	for i := 0; i < nPre; i++ {
		centre := int(int64(i) * int64(nPost) / int64(nPre))
		targets = targets[:0]
		// Onto itself the lattice is ±1..±K/2; between populations the
		// home target (offset 0) is included and the ±K/2 edge dropped.
		for d := 1; len(targets) < s.K; d++ {
			off := d
			if !same {
				off = d - 1
			}
			targets = append(targets, int32((centre+off)%nPost))
			if len(targets) < s.K && off != 0 {
				targets = append(targets, int32(((centre-off)%nPost+nPost)%nPost))
			}
		}
		for k := range targets {
			if r.Float64() >= s.Beta {
				continue
			}
			for tries := 0; tries < 100; tries++ {
				n := int32(r.IntN(nPost))
				if (same && int(n) == i) || has(n) {
					continue
				}
				targets[k] = n
				break
			}
		}
		slices.Sort(targets)
		for _, t := range targets {
			e = append(e, synapse.Edge{Pre: int32(i), Post: t})
		}
	}
	return e, nil
}

// Distance places both populations on a unit ring (neuron i of n at i/n) and
// connects a pair with probability PMax·exp(−d²/(2σ²)), d the ring distance.
type Distance struct {
	PMax, Sigma float64
}

func (g Distance) Connect(nPre, nPost int, same bool, r *rand.Rand) ([]synapse.Edge, error) {
	if g.Sigma <= 0 || g.PMax < 0 || g.PMax > 1 {
		return nil, fmt.Errorf("connect: distance pattern needs σ > 0 and p_max in [0,1]")
	}
	var e []synapse.Edge
	for i := 0; i < nPre; i++ {
		xi := float64(i) / float64(nPre)
		for j := 0; j < nPost; j++ {
			if same && i == j {
				continue
			}
			d := math.Abs(xi - float64(j)/float64(nPost))
			d = math.Min(d, 1-d)
			if r.Float64() < g.PMax*math.Exp(-d*d/(2*g.Sigma*g.Sigma)) {
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j)})
			}
		}
	}
	return e, nil
}
