package connect

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/engram-lab/engram/synapse"
)

func rnd(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 99)) }

func build(t *testing.T, p Pattern, nPre, nPost int, same bool) *synapse.CSR {
	t.Helper()
	c, err := Build(p, nPre, nPost, same, Constant(1), 1, rnd(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

func hasSelf(c *synapse.CSR) bool {
	for r := 0; r < c.NPre; r++ {
		lo, hi := c.Row(r)
		if slices.Contains(c.Post[lo:hi], int32(r)) {
			return true
		}
	}
	return false
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name       string
		p          Pattern
		nPre, nPos int
		same       bool
		want       int
	}{
		{"full", Full{}, 5, 7, false, 35},
		{"full same", Full{}, 6, 6, true, 30},
		{"full self", Full{Self: true}, 6, 6, true, 36},
		{"one-to-one", OneToOne{}, 9, 9, false, 9},
		{"in-degree", FixedInDegree{K: 4}, 50, 30, false, 120},
		{"in-degree same", FixedInDegree{K: 49}, 50, 50, true, 50 * 49},
		{"blocks dense", Blocks{Size: 10, P: 1}, 30, 30, true, 3 * 10 * 9},
		{"blocks ragged", Blocks{Size: 4, P: 1}, 10, 10, false, 4*4 + 4*4 + 2*2},
		{"small-world", SmallWorld{K: 6, Beta: 0.3}, 100, 100, true, 600},
		{"small-world between", SmallWorld{K: 4, Beta: 0.3}, 50, 200, false, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := build(t, tc.p, tc.nPre, tc.nPos, tc.same)
			if c.Len() != tc.want {
				t.Errorf("%d synapses, want %d", c.Len(), tc.want)
			}
			if tc.same && !(tc.p == Full{Self: true}) && hasSelf(c) {
				t.Error("self-connection in a pattern onto itself")
			}
		})
	}
}

func TestFixedInDegreeExact(t *testing.T) {
	c := build(t, FixedInDegree{K: 7}, 40, 25, false)
	for j, d := range c.InDegree() {
		if d != 7 {
			t.Fatalf("post %d has in-degree %d", j, d)
		}
	}
	// no duplicate pre per post
	col := c.BuildColumns()
	for j := 0; j < c.NPost; j++ {
		pre := slices.Clone(col.Pre[col.Ptr[j]:col.Ptr[j+1]])
		if len(slices.Compact(pre)) != 7 {
			t.Fatalf("post %d has duplicate presynaptic partners", j)
		}
	}
}

// TestFixedProbDensity: the number of synapses is Binomial(n², p); check
// within 5 standard deviations for several p (geometric skipping).
func TestFixedProbDensity(t *testing.T) {
	for _, p := range []float64{0.001, 0.02, 0.3, 0.9} {
		c := build(t, FixedProb{P: p}, 300, 400, false)
		n := 300.0 * 400
		mean, sd := n*p, math.Sqrt(n*p*(1-p))
		if math.Abs(float64(c.Len())-mean) > 5*sd {
			t.Errorf("p=%g: %d synapses, expected %.0f ± %.0f", p, c.Len(), mean, 5*sd)
		}
	}
	if c := build(t, FixedProb{P: 1}, 20, 20, true); c.Len() != 380 {
		t.Errorf("p=1 onto itself: %d synapses, want 380", c.Len())
	}
}

func TestBlocksStayInside(t *testing.T) {
	c := build(t, Blocks{Size: 25, P: 0.5}, 100, 100, true)
	for r := 0; r < c.NPre; r++ {
		lo, hi := c.Row(r)
		for _, q := range c.Post[lo:hi] {
			if int(q)/25 != r/25 {
				t.Fatalf("synapse %d→%d crosses blocks", r, q)
			}
		}
	}
	frac := float64(c.Len()) / (4 * 25 * 24)
	if math.Abs(frac-0.5) > 0.06 {
		t.Errorf("density %.3f inside blocks, want 0.5", frac)
	}
}

// TestSmallWorld checks the Watts–Strogatz construction: β = 0 is the ring
// lattice (each node linked to its K nearest neighbours), a fraction ≈ β of
// edges is rewired, and rewiring shortens paths while keeping clustering
// (Watts & Strogatz 1998, Fig. 2: at β ≈ 0.01–0.1 path length has fallen
// while clustering stays near the lattice's).
func TestSmallWorld(t *testing.T) {
	const n, k = 400, 10
	lattice := build(t, SmallWorld{K: k, Beta: 0}, n, n, true)
	for r := 0; r < n; r++ {
		lo, hi := lattice.Row(r)
		for _, q := range lattice.Post[lo:hi] {
			d := (int(q) - r + n) % n
			if d > k/2 && n-d > k/2 {
				t.Fatalf("lattice edge %d→%d spans %d", r, q, min(d, n-d))
			}
		}
	}
	for _, beta := range []float64{0.1, 0.5} {
		c, _ := Build(SmallWorld{K: k, Beta: beta}, n, n, true, Constant(1), 1, rnd(3))
		long := 0
		for r := 0; r < n; r++ {
			lo, hi := c.Row(r)
			for _, q := range c.Post[lo:hi] {
				if d := (int(q) - r + n) % n; d > k/2 && n-d > k/2 {
					long++
				}
			}
		}
		frac := float64(long) / float64(c.Len())
		// a rewired edge lands outside the lattice neighbourhood with
		// probability ≈ 1 − k/n
		if want := beta * (1 - float64(k)/n); math.Abs(frac-want) > 0.05 {
			t.Errorf("β=%g: %.3f of edges are long-range, want ≈ %.3f", beta, frac, want)
		}
	}
	l0, c0 := pathAndClustering(lattice)
	sw, _ := Build(SmallWorld{K: k, Beta: 0.05}, n, n, true, Constant(1), 1, rnd(4))
	l1, c1 := pathAndClustering(sw)
	if !(l1 < 0.6*l0 && c1 > 0.6*c0) {
		t.Errorf("β=0.05: path %.2f (lattice %.2f), clustering %.3f (lattice %.3f): not small-world", l1, l0, c1, c0)
	}
}

// pathAndClustering returns the mean shortest path (BFS on the undirected
// graph, from 40 sources) and the mean clustering coefficient.
func pathAndClustering(c *synapse.CSR) (float64, float64) {
	n := c.NPre
	adj := make([]map[int]bool, n)
	for i := range adj {
		adj[i] = map[int]bool{}
	}
	for r := 0; r < n; r++ {
		lo, hi := c.Row(r)
		for _, q := range c.Post[lo:hi] {
			adj[r][int(q)], adj[q][r] = true, true
		}
	}
	var total, count float64
	for s := 0; s < n; s += n / 40 {
		dist := make([]int, n)
		for i := range dist {
			dist[i] = -1
		}
		dist[s] = 0
		q := []int{s}
		for len(q) > 0 {
			u := q[0]
			q = q[1:]
			for v := range adj[u] {
				if dist[v] < 0 {
					dist[v] = dist[u] + 1
					q = append(q, v)
				}
			}
		}
		for _, d := range dist {
			if d > 0 {
				total += float64(d)
				count++
			}
		}
	}
	var cl float64
	for i := 0; i < n; i++ {
		var nb []int
		for v := range adj[i] {
			nb = append(nb, v)
		}
		links := 0
		for a := range nb {
			for b := a + 1; b < len(nb); b++ {
				if adj[nb[a]][nb[b]] {
					links++
				}
			}
		}
		if k := len(nb); k > 1 {
			cl += float64(links) / float64(k*(k-1)/2)
		}
	}
	return total / count, cl / float64(n)
}

func TestDistanceFallsOff(t *testing.T) {
	c := build(t, Distance{PMax: 0.8, Sigma: 0.05}, 200, 200, true)
	near, far := 0, 0
	for r := 0; r < c.NPre; r++ {
		lo, hi := c.Row(r)
		for _, q := range c.Post[lo:hi] {
			d := math.Abs(float64(r-int(q))) / 200
			d = math.Min(d, 1-d)
			if d < 0.05 {
				near++
			} else if d > 0.15 {
				far++
			}
		}
	}
	if near == 0 || far > near/50 {
		t.Errorf("%d near and %d far synapses: connection probability does not fall with distance", near, far)
	}
}

func TestDeterministicAndErrors(t *testing.T) {
	a, _ := Build(FixedProb{P: 0.1}, 100, 100, true, Normal(1, 0.2), 2, rnd(5))
	b, _ := Build(FixedProb{P: 0.1}, 100, 100, true, Normal(1, 0.2), 2, rnd(5))
	if !slices.Equal(a.Post, b.Post) || !slices.Equal(a.W, b.W) {
		t.Error("same generator seed gave different matrices")
	}
	bad := []struct {
		p          Pattern
		nPre, nPos int
	}{
		{FixedProb{P: 1.5}, 3, 3}, {FixedInDegree{K: 5}, 4, 4}, {OneToOne{}, 3, 4},
		{Blocks{Size: 0}, 4, 4}, {SmallWorld{K: 3}, 10, 10}, {SmallWorld{K: 10}, 10, 10}, {Distance{Sigma: 0}, 4, 4},
	}
	for _, c := range bad {
		if _, err := c.p.Connect(c.nPre, c.nPos, false, rnd(1)); err == nil {
			t.Errorf("%T%+v on %d×%d accepted", c.p, c.p, c.nPre, c.nPos)
		}
	}
}
