package netspec

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/engram-lab/engram/plasticity"
)

// TestHomogeneousWeights checks which projections store one weight: a
// constant weight without a rule does, a weight distribution, a rule or
// per_synapse_weights does not; and the CUBA benchmark network gives the
// same spikes with one weight per projection as with one per synapse.
func TestHomogeneousWeights(t *testing.T) {
	s, err := Parse("small", small)
	if err != nil {
		t.Fatal(err)
	}
	net, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	net.Close()
	for _, pr := range net.Projections() {
		want := pr.Name == "EI" // weight = number, no rule (IE has a rule, in→E a distribution)
		if got := pr.Conn.Homogeneous(); got != want {
			t.Errorf("%s: homogeneous %v, want %v", pr.Name, got, want)
		}
	}

	spikes := func(perSynapse bool) ([]int32, []int32) {
		s, err := Load(filepath.Join("..", "examples", "cuba.toml"))
		if err != nil {
			t.Fatal(err)
		}
		s.Duration = 100
		for i := range s.Projection {
			s.Projection[i].PerSynapseWeights = perSynapse
		}
		net, mons, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		defer net.Close()
		for _, pr := range net.Projections() {
			if pr.Conn.Homogeneous() == perSynapse {
				t.Fatalf("per_synapse_weights=%v: %s homogeneous %v", perSynapse, pr.Name, pr.Conn.Homogeneous())
			}
		}
		net.Run(s.Steps(), mons.Probe)
		return mons.Spikes("E")
	}
	st0, id0 := spikes(false)
	st1, id1 := spikes(true)
	if len(id0) < 100 || !slices.Equal(st0, st1) || !slices.Equal(id0, id1) {
		t.Errorf("one weight: %d spikes, per-synapse weights: %d (must be identical and many)", len(id0), len(id1))
	}
}

// TestLazyRuleParams checks that rule_params reach LazySTDP's embedded
// STDP fields and its own.
func TestLazyRuleParams(t *testing.T) {
	src := small + `
[[projection]]
name = "EE"
from = "E"
to = "E"
connect = "fixed-prob"
p = 0.1
weight = 0.5
rule = "stdp-lazy"
rule_params = { a_plus = 0.02, history = 5, w = { min = 0, max = 2 } }
`
	s, err := Parse("lazy", src)
	if err != nil {
		t.Fatal(err)
	}
	net, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	for _, pr := range net.Projections() {
		if pr.Name != "EE" {
			continue
		}
		r, ok := pr.Rule.(*plasticity.LazySTDP)
		if !ok {
			t.Fatalf("rule %T", pr.Rule)
		}
		if r.APlus != 0.02 || r.History != 5 || r.W.Max != 2 || r.TauPre != 20 {
			t.Errorf("parameters %+v", r)
		}
		if pr.Conn.Homogeneous() {
			t.Error("a plastic projection kept one weight")
		}
	}
}
