// Package plasticity holds local learning rules for spiking projections.
//
// A rule sees only what is local to a synapse: the spikes and traces of its
// two neurons, its own weight and state, and a broadcast third factor. The
// engine (package network) calls a rule in three places each step:
//
//   - Advance, for the pre- and postsynaptic neurons a worker owns, after the
//     neuron update: traces decay and take this step's spikes;
//   - OnPre, for each presynaptic spike, over the synapses of its row whose
//     targets the calling worker owns;
//   - OnPost, for each postsynaptic spike of a neuron the worker owns, over
//     the synapses onto it (a column of the matrix).
//
// Traces read in OnPre/OnPost hold spikes strictly before the current step,
// so pre and post spikes in the same step are not paired. Every call touches
// only state owned by the calling worker (its neurons' traces, synapses onto
// its neurons), which is what makes results identical for any number of
// workers. Rules must not allocate after Init.
package plasticity

import (
	"fmt"
	"math"
	"sort"

	"github.com/engram-lab/engram/synapse"
)

// Rule changes one projection's weights from signals local to each synapse.
type Rule interface {
	// Init allocates the rule's state for matrix c and precomputes
	// per-step factors for time step dt (ms).
	Init(c *synapse.CSR, dt float32)
	// AdvancePre updates the traces of presynaptic neurons lo..hi-1 given
	// their spikes this step (spk indexed by presynaptic neuron).
	AdvancePre(lo, hi int, spk []uint8)
	// AdvancePost does the same for postsynaptic neurons.
	AdvancePost(lo, hi int, spk []uint8)
	// OnPre handles a spike of presynaptic neuron pre on synapses lo..hi-1.
	OnPre(c *synapse.CSR, pre int, lo, hi int)
	// OnPost handles a spike of postsynaptic neuron post on the synapses
	// listed in syn (indices into c's arrays), whose presynaptic neurons
	// are pre (same length, ascending).
	OnPost(c *synapse.CSR, post int, syn, pre []int32)
}

// Modulated is a rule gated by a broadcast third factor (reward, error,
// neuromodulator concentration). The engine's caller sets the factor
// between steps; the rule applies it in SynapseStep.
type Modulated interface {
	Rule
	SetModulator(m float32)
	// SynapseStep runs the per-step synapse update (eligibility decay and
	// weight change) on the synapses onto postsynaptic neurons lo..hi-1,
	// found through the column index cols.
	SynapseStep(c *synapse.CSR, cols *synapse.Columns, lo, hi int)
}

// Bounds are hard weight bounds.
type Bounds struct {
	Min float32 `toml:"min"` // lower bound (same unit as the weights)
	Max float32 `toml:"max"` // upper bound
}

// Clip returns w limited to [b.Min, b.Max].
func (b Bounds) Clip(w float32) float32 {
	if w < b.Min {
		return b.Min
	}
	if w > b.Max {
		return b.Max
	}
	return w
}

// identityRows reports whether every row of c holds exactly the targets 0, 1,
// …, NPost−1 in this order (an all-to-all matrix without multapses), so that
// synapse RowPtr[i]+j targets neuron j.
func identityRows(c *synapse.CSR) bool {
	if c.Post == nil || len(c.Post) != c.NPre*c.NPost {
		return false
	}
	for i := 0; i < c.NPre; i++ {
		lo, hi := int(c.RowPtr[i]), int(c.RowPtr[i+1])
		if hi-lo != c.NPost {
			return false
		}
		for j, p := range c.Post[lo:hi] {
			if int(p) != j {
				return false
			}
		}
	}
	return true
}

// decay returns exp(−dt/τ) (0 for τ ≤ 0).
func decay(dt, tau float32) float32 {
	if tau <= 0 {
		return 0
	}
	return float32(math.Exp(-float64(dt) / float64(tau)))
}

var registry = map[string]func() Rule{}

// Register makes a rule constructor available by name. It panics on a
// duplicate name (a programming error).
func Register(name string, f func() Rule) {
	if _, dup := registry[name]; dup {
		panic("plasticity: duplicate rule " + name)
	}
	registry[name] = f
}

// New returns a new rule with its published defaults.
func New(name string) (Rule, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("plasticity: unknown rule %q (known: %v)", name, Names())
	}
	return f(), nil
}

// Names lists the registered rules in sorted order.
func Names() []string {
	n := make([]string, 0, len(registry))
	for k := range registry {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Stateful is a rule whose internal state a checkpoint can save. State
// returns the rule's state arrays themselves (not copies), always the same
// ones in the same order after Init, so copying values out and back in
// restores the rule exactly (a resumed run then continues bit for bit).
type Stateful interface {
	State() [][]float32
}

// Flusher is a rule that updates some weights lazily (see ThreeFactor):
// Flush brings every weight up to date. Call it between steps before
// reading or saving weights; network.Network.Flush does so for every
// projection.
type Flusher interface {
	Flush()
}
