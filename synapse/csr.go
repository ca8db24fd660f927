// Package synapse stores a projection's synapses as compressed sparse rows:
// one row per presynaptic neuron, its entries the postsynaptic targets with a
// float32 weight and an integer delay in time steps.
package synapse

import (
	"fmt"
	"sort"
)

// CSR is a sparse synapse matrix indexed by presynaptic neuron.
// Row r's synapses are Post[RowPtr[r]:RowPtr[r+1]], sorted by target.
type CSR struct {
	NPre, NPost int
	RowPtr      []int32   // len NPre+1
	Post        []int32   // target index per synapse
	W           []float32 // weight per synapse
	Delay       []uint16  // delay per synapse, in steps (≥ 1)
}

// Edge is one synapse before it is packed into a CSR.
type Edge struct {
	Pre, Post int32
	W         float32
	Delay     uint16
}

// FromEdges packs edges into a CSR. Edges are sorted by (pre, post); a
// duplicate (pre, post) pair is kept (multapses are allowed). Delays of 0 are
// raised to 1. It returns an error for an index out of range.
func FromEdges(nPre, nPost int, edges []Edge) (*CSR, error) {
	for _, e := range edges {
		if e.Pre < 0 || int(e.Pre) >= nPre || e.Post < 0 || int(e.Post) >= nPost {
			return nil, fmt.Errorf("synapse: edge %d→%d out of range %d×%d", e.Pre, e.Post, nPre, nPost)
		}
	}
	sort.SliceStable(edges, func(a, b int) bool {
		if edges[a].Pre != edges[b].Pre {
			return edges[a].Pre < edges[b].Pre
		}
		return edges[a].Post < edges[b].Post
	})
	c := &CSR{NPre: nPre, NPost: nPost, RowPtr: make([]int32, nPre+1),
		Post: make([]int32, len(edges)), W: make([]float32, len(edges)), Delay: make([]uint16, len(edges))}
	for i, e := range edges {
		c.RowPtr[e.Pre+1]++
		c.Post[i] = e.Post
		c.W[i] = e.W
		d := e.Delay
		if d == 0 {
			d = 1
		}
		c.Delay[i] = d
	}
	for r := 0; r < nPre; r++ {
		c.RowPtr[r+1] += c.RowPtr[r]
	}
	return c, nil
}

// Len is the number of synapses.
func (c *CSR) Len() int { return len(c.Post) }

// Row returns the index range of presynaptic neuron r's synapses.
func (c *CSR) Row(r int) (lo, hi int) { return int(c.RowPtr[r]), int(c.RowPtr[r+1]) }

// MaxDelay and MinDelay return the largest and smallest delay, in steps
// (1 for an empty matrix).
func (c *CSR) MaxDelay() int {
	m := 1
	for _, d := range c.Delay {
		m = max(m, int(d))
	}
	return m
}

func (c *CSR) MinDelay() int {
	if len(c.Delay) == 0 {
		return 1
	}
	m := int(c.Delay[0])
	for _, d := range c.Delay {
		m = min(m, int(d))
	}
	return m
}

// Dense returns the weights as a row-major NPre×NPost matrix (multapses
// summed), for tests and small pictures.
func (c *CSR) Dense() []float32 {
	d := make([]float32, c.NPre*c.NPost)
	for r := 0; r < c.NPre; r++ {
		lo, hi := c.Row(r)
		for s := lo; s < hi; s++ {
			d[r*c.NPost+int(c.Post[s])] += c.W[s]
		}
	}
	return d
}

// InDegree returns the number of synapses onto each postsynaptic neuron.
func (c *CSR) InDegree() []int {
	d := make([]int, c.NPost)
	for _, p := range c.Post {
		d[p]++
	}
	return d
}

// Validate checks the structural invariants and returns the first violation.
func (c *CSR) Validate() error {
	if len(c.RowPtr) != c.NPre+1 || c.RowPtr[0] != 0 || int(c.RowPtr[c.NPre]) != len(c.Post) {
		return fmt.Errorf("synapse: bad row pointers")
	}
	if len(c.W) != len(c.Post) || len(c.Delay) != len(c.Post) {
		return fmt.Errorf("synapse: weight/delay length mismatch")
	}
	for r := 0; r < c.NPre; r++ {
		if c.RowPtr[r] > c.RowPtr[r+1] {
			return fmt.Errorf("synapse: row %d pointers decrease", r)
		}
	}
	for i, p := range c.Post {
		if p < 0 || int(p) >= c.NPost {
			return fmt.Errorf("synapse: synapse %d targets %d, out of range", i, p)
		}
		if c.Delay[i] == 0 {
			return fmt.Errorf("synapse: synapse %d has zero delay", i)
		}
	}
	return nil
}

// Columns is a column (postsynaptic) index of a CSR: the synapses onto post
// neuron j are Syn[Ptr[j]:Ptr[j+1]], with presynaptic neurons Pre[...] in
// ascending order.
type Columns struct {
	Ptr      []int32 // len NPost+1
	Syn, Pre []int32 // len = number of synapses
}

// BuildColumns returns the column index of c.
func (c *CSR) BuildColumns() *Columns {
	n := c.Len()
	col := &Columns{Ptr: make([]int32, c.NPost+1), Syn: make([]int32, n), Pre: make([]int32, n)}
	for _, p := range c.Post {
		col.Ptr[p+1]++
	}
	for j := 0; j < c.NPost; j++ {
		col.Ptr[j+1] += col.Ptr[j]
	}
	next := make([]int32, c.NPost)
	copy(next, col.Ptr[:c.NPost])
	for r := 0; r < c.NPre; r++ {
		lo, hi := c.Row(r)
		for s := lo; s < hi; s++ {
			p := c.Post[s]
			k := next[p]
			col.Syn[k], col.Pre[k] = int32(s), int32(r)
			next[p]++
		}
	}
	return col
}
