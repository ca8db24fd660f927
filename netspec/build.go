package netspec

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/engram-lab/engram/connect"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/network"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// pattern returns the connectivity pattern of a projection.
func (pr *Projection) pattern() (connect.Pattern, error) {
	switch pr.Connect {
	case "full":
		return connect.Full{Self: pr.Self}, nil
	case "one-to-one":
		return connect.OneToOne{}, nil
	case "fixed-prob":
		if !(pr.P >= 0 && pr.P <= 1) {
			return nil, fmt.Errorf("fixed-prob needs p in [0, 1], have %g", pr.P)
		}
		return connect.FixedProb{P: pr.P}, nil
	case "fixed-in-degree":
		if pr.K < 0 {
			return nil, fmt.Errorf("fixed-in-degree needs k ≥ 0, have %d", pr.K)
		}
		return connect.FixedInDegree{K: pr.K}, nil
	case "blocks":
		if pr.Size <= 0 || !(pr.P >= 0 && pr.P <= 1) {
			return nil, fmt.Errorf("blocks needs size > 0 and p in [0, 1], have size %d, p %g", pr.Size, pr.P)
		}
		return connect.Blocks{Size: pr.Size, P: pr.P}, nil
	case "small-world":
		if pr.K <= 0 || pr.K%2 != 0 || !(pr.Beta >= 0 && pr.Beta <= 1) {
			return nil, fmt.Errorf("small-world needs an even k > 0 and beta in [0, 1], have k %d, beta %g", pr.K, pr.Beta)
		}
		return connect.SmallWorld{K: pr.K, Beta: pr.Beta}, nil
	case "distance":
		if !(pr.Sigma > 0) || !(pr.PMax >= 0 && pr.PMax <= 1) || math.IsInf(pr.Sigma, 0) {
			return nil, fmt.Errorf("distance needs sigma > 0 and p_max in [0, 1], have sigma %g, p_max %g", pr.Sigma, pr.PMax)
		}
		return connect.Distance{PMax: pr.PMax, Sigma: pr.Sigma}, nil
	case "":
		return nil, fmt.Errorf("missing connect (full, one-to-one, fixed-prob, fixed-in-degree, blocks, small-world or distance)")
	}
	return nil, fmt.Errorf("unknown connect %q (want full, one-to-one, fixed-prob, fixed-in-degree, blocks, small-world or distance)", pr.Connect)
}

// Build constructs the network, builds it for s.Workers workers, applies
// the initial state and returns it with the monitors of the spec. The
// caller must Close the network.
func (s *Spec) Build() (*network.Network, *Monitors, error) {
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	net := network.New(s.Dt, s.Seed)
	net.MinNeuronsPerWorker = s.MinNeuronsPerWorker
	pops := make([]*network.Population, len(s.Population))
	for i := range s.Population {
		m, err := s.model(i)
		if err != nil {
			return nil, nil, err
		}
		if pops[i], err = net.AddPopulation(s.Population[i].Name, m); err != nil {
			return nil, nil, s.errf("population", i, "%v", err)
		}
	}
	for i := range s.Projection {
		pr := &s.Projection[i]
		a, b := pops[s.pop(pr.From)], pops[s.pop(pr.To)]
		c, err := s.matrix(i, a.Len(), b.Len(), pr.From == pr.To)
		if err != nil {
			return nil, nil, err
		}
		ch := network.Exc
		if pr.Channel == "inh" {
			ch = network.Inh
		}
		var rule plasticity.Rule
		if pr.Rule != "" {
			if rule, err = s.rule(i); err != nil {
				return nil, nil, err
			}
		}
		if _, err := net.Connect(pr.Name, a, b, c, ch, rule); err != nil {
			return nil, nil, s.errf("projection", i, "%v", err)
		}
	}
	if err := net.Build(s.Workers); err != nil {
		return nil, nil, err
	}
	for i := range s.Population {
		s.initState(i, pops[i])
	}
	return net, newMonitors(s, net), nil
}

// matrix draws projection i's synapses: pattern, weights and delays each
// from their own named stream, so changing one does not shift the others.
func (s *Spec) matrix(i, nPre, nPost int, same bool) (*synapse.CSR, error) {
	pr := &s.Projection[i]
	pat, err := pr.pattern()
	if err != nil {
		return nil, s.errf("projection", i, "%v", err)
	}
	if (pr.Connect == "full" || pr.Connect == "distance") && int64(nPre)*int64(nPost) > 1<<28 {
		return nil, s.errf("projection", i, "%s connectivity of %d×%d is too large", pr.Connect, nPre, nPost)
	}
	if pr.Connect == "fixed-in-degree" && int64(pr.K)*int64(nPost) > 1<<28 {
		return nil, s.errf("projection", i, "fixed-in-degree %d × %d targets is too large", pr.K, nPost)
	}
	edges, err := pat.Connect(nPre, nPost, same, s.stream("projection/"+pr.Name+"/structure"))
	if err != nil {
		return nil, s.errf("projection", i, "%v", err)
	}
	wr := s.stream("projection/" + pr.Name + "/weight")
	dr := s.stream("projection/" + pr.Name + "/delay")
	delay := pr.Delay
	if !delay.IsSet() {
		delay = Const(float64(s.Dt))
	}
	for k := range edges {
		edges[k].W = float32(pr.Weight.Draw(wr))
		d := math.Round(delay.Draw(dr) / float64(s.Dt))
		edges[k].Delay = uint16(min(max(d, 1), 60000))
	}
	c, err := synapse.FromEdges(nPre, nPost, edges)
	if err != nil {
		return nil, s.errf("projection", i, "%v", err)
	}
	if pr.Rule == "" && !pr.PerSynapseWeights {
		c.CompactWeights() // one weight for the projection when all are equal (static_synapse_hom_w)
	}
	return c, nil
}

// stream returns the random stream of the named part of the network. Its
// PCG state is seeded with rng.Key(seed, name), a splitmix-mixed 64-bit
// value, rather than with the spec's seed itself: with small seeds (1, 2, …)
// rng.Named(seed, name) gave the Brette et al. (2007) CUBA network
// measurably lower firing rates than Bernoulli graphs drawn elsewhere
// (BENCH.md, "Notes"), a sign that PCG streams whose seeds differ only in a
// few bits are not independent enough.
func (s *Spec) stream(name string) *rand.Rand {
	return rng.Named(rng.Key(s.Seed, name), name)
}

// initState applies v_init_uniform and init tables after Build (the
// engine's Build resets every model to its parameters' initial values).
func (s *Spec) initState(i int, p *network.Population) {
	sp := &s.Population[i]
	r := s.stream("population/" + sp.Name + "/init")
	if u := sp.VInitUniform; u != nil {
		d := Dist{Kind: "uniform", Lo: u[0], Hi: u[1], Min: math.Inf(-1), Max: math.Inf(1), set: true}
		for j, v := 0, p.Model.State("v"); j < len(v); j++ {
			v[j] = float32(d.Draw(r))
		}
	}
	for _, name := range sortedKeys(sp.Init) {
		d := sp.Init[name]
		x := p.Model.State(name)
		for j := range x {
			x[j] = float32(d.Draw(r))
		}
	}
}

func sortedKeys(m map[string]Dist) []string {
	k := make([]string, 0, len(m))
	for n := range m {
		k = append(k, n)
	}
	for a := 1; a < len(k); a++ {
		for b := a; b > 0 && k[b] < k[b-1]; b-- {
			k[b], k[b-1] = k[b-1], k[b]
		}
	}
	return k
}
