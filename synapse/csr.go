// Package synapse stores a projection's synapses as compressed sparse rows:
// one row per presynaptic neuron, its entries the postsynaptic targets with a
// float32 weight and an integer delay in time steps.
//
// # Memory
//
// A static synapse costs 8 bytes: its int32 target and float32 weight. Delays
// cost nothing more when every synapse of the matrix has the same one (the
// usual case: one delay per projection), which is then stored once (D); only
// a matrix with differing delays keeps a uint16 per synapse (10 bytes per
// synapse). Row pointers add 4 bytes per presynaptic neuron. The column index
// (BuildColumns), which plasticity rules need to find the synapses onto a
// neuron, adds 4 bytes per synapse for the synapse index and 4 more for the
// presynaptic index (BuildColumnsSyn builds the first alone); rules that
// update lazily from the presynaptic side (plasticity.LazySTDP) need none.
//
// A matrix whose weights are all equal can keep that weight once instead
// (W nil, the weight in HomW: NEST's static_synapse_hom_w): CompactWeights
// does it, and the synapse then costs 4 bytes (its target). Read weights with
// WeightOf or Dense, or expand them with Weights, which works for both
// layouts; code that indexes W directly must check Homogeneous first.
//
// Targets can be kept in 2 bytes instead of 4 (CompactTargets: a uint16 per
// synapse, rows cut into pages of 65536 targets, 4 bytes per presynaptic
// neuron and page beyond the first); the engine does it for every projection
// without a rule. A static synapse with its own weight then costs 6 bytes,
// with the projection's common weight 2.
package synapse

import (
	"fmt"
	"math"
	"slices"
)

// CSR is a sparse synapse matrix indexed by presynaptic neuron.
// Row r's synapses are Post[RowPtr[r]:RowPtr[r+1]], sorted by target
// (or Post16 and Page after CompactTargets).
type CSR struct {
	NPre, NPost int
	RowPtr      []int32   // len NPre+1
	Post        []int32   // target index per synapse, or nil when the targets are compact (CompactTargets)
	Post16      []uint16  // with Post nil: the low 16 bits of each synapse's target (see CompactTargets)
	Page        []int32   // with Post16 and more than 65536 targets: first synapse of each row on each page ≥ 1
	W           []float32 // weight per synapse, or nil when every synapse has weight HomW (see CompactWeights)
	HomW        float32   // the common weight of every synapse when W is nil (model units)
	// Delay is the delay of each synapse in steps (≥ 1), or nil when every
	// synapse has delay D. Use DelayOf to read and Delays to edit.
	Delay []uint16
	D     uint16 // the common delay, steps (≥ 1), when Delay is nil
}

// Edge is one synapse before it is packed into a CSR.
type Edge struct {
	Pre, Post int32
	W         float32
	Delay     uint16
}

// FromEdges packs edges into a CSR. Synapses are ordered by (pre, post),
// stably (a duplicate (pre, post) pair is kept: multapses are allowed); edges
// itself is not changed. Delays of 0 are raised to 1; when all delays are
// equal they are stored once (D, Delay nil). It returns an error for an
// index out of range.
//
// The order is made by a stable counting sort by pre, then a stable sort of
// each row by post that is skipped when the row is already in order (it is
// for edges generated post by post, as connect.FixedInDegree does): O(E)
// time and no copy of the edges for the 10^7-synapse networks of the
// scaling benchmark.
func FromEdges(nPre, nPost int, edges []Edge) (*CSR, error) {
	for _, e := range edges {
		if e.Pre < 0 || int(e.Pre) >= nPre || e.Post < 0 || int(e.Post) >= nPost {
			return nil, fmt.Errorf("synapse: edge %d→%d out of range %d×%d", e.Pre, e.Post, nPre, nPost)
		}
	}
	n := len(edges)
	c := &CSR{NPre: nPre, NPost: nPost, RowPtr: make([]int32, nPre+1),
		Post: make([]int32, n), W: make([]float32, n), D: 1}
	uniform := true
	for i, e := range edges {
		c.RowPtr[e.Pre+1]++
		if i == 0 {
			c.D = max(e.Delay, 1)
		} else if max(e.Delay, 1) != c.D {
			uniform = false
		}
	}
	for r := 0; r < nPre; r++ {
		c.RowPtr[r+1] += c.RowPtr[r]
	}
	if !uniform {
		c.Delay = make([]uint16, n)
	}
	next := slices.Clone(c.RowPtr[:nPre])
	for _, e := range edges {
		k := next[e.Pre]
		next[e.Pre]++
		c.Post[k], c.W[k] = e.Post, e.W
		if c.Delay != nil {
			c.Delay[k] = max(e.Delay, 1)
		}
	}
	var idx []int
	for r := 0; r < nPre; r++ {
		a, b := c.Row(r)
		if slices.IsSorted(c.Post[a:b]) {
			continue
		}
		idx = idx[:0]
		for s := a; s < b; s++ {
			idx = append(idx, s)
		}
		slices.SortStableFunc(idx, func(x, y int) int { return int(c.Post[x]) - int(c.Post[y]) })
		post, w := slices.Clone(c.Post[a:b]), slices.Clone(c.W[a:b])
		var d []uint16
		if c.Delay != nil {
			d = slices.Clone(c.Delay[a:b])
		}
		for k, s := range idx {
			c.Post[a+k], c.W[a+k] = post[s-a], w[s-a]
			if d != nil {
				c.Delay[a+k] = d[s-a]
			}
		}
	}
	return c, nil
}

// Homogeneous reports whether the matrix keeps one weight (HomW) for every
// synapse instead of one per synapse (W nil).
func (c *CSR) Homogeneous() bool { return c.W == nil }

// WeightOf is synapse s's weight.
func (c *CSR) WeightOf(s int) float32 {
	if c.W == nil {
		return c.HomW
	}
	return c.W[s]
}

// Weights returns the per-synapse weights for editing, first expanding a
// homogeneous weight into one entry per synapse (8 instead of 4 bytes per
// synapse; CompactWeights undoes it when the weights are still equal).
func (c *CSR) Weights() []float32 {
	if c.W == nil {
		c.W = make([]float32, c.Len())
		for s := range c.W {
			c.W[s] = c.HomW
		}
	}
	return c.W
}

// CompactWeights drops the per-synapse weights when they are all equal
// (the same float32 bits, so +0 and −0 or two NaNs of different payloads
// count as different), keeping the common value in HomW, and reports
// whether the matrix is now homogeneous. Delivery adds HomW where it added
// W[s], so results are bit-identical. A matrix without synapses becomes
// homogeneous with weight 0. Plasticity needs per-synapse weights: the
// engine expands (Weights) the matrix of a projection with a rule.
func (c *CSR) CompactWeights() bool {
	if c.W == nil {
		return true
	}
	if len(c.W) != c.Len() {
		return false
	}
	var w float32
	if len(c.W) > 0 {
		w = c.W[0]
		b := math.Float32bits(w)
		for _, x := range c.W {
			if math.Float32bits(x) != b {
				return false
			}
		}
	}
	c.W, c.HomW = nil, w
	return true
}

// Len is the number of synapses.
func (c *CSR) Len() int {
	if c.Post == nil {
		return len(c.Post16)
	}
	return len(c.Post)
}

// Row returns the index range of presynaptic neuron r's synapses.
func (c *CSR) Row(r int) (lo, hi int) { return int(c.RowPtr[r]), int(c.RowPtr[r+1]) }

// DelayOf is synapse s's delay in steps.
func (c *CSR) DelayOf(s int) int {
	if c.Delay == nil {
		return int(c.D)
	}
	return int(c.Delay[s])
}

// Delays returns the per-synapse delays for editing, first expanding a
// common delay into one entry per synapse (10 instead of 8 bytes per
// synapse; Compact undoes it when the delays are still equal).
func (c *CSR) Delays() []uint16 {
	if c.Delay == nil {
		c.Delay = make([]uint16, c.Len())
		for s := range c.Delay {
			c.Delay[s] = c.D
		}
	}
	return c.Delay
}

// Compact drops the per-synapse delays when they are all equal, keeping the
// common value in D.
func (c *CSR) Compact() {
	if c.Delay == nil || len(c.Delay) != c.Len() {
		return
	}
	if len(c.Delay) == 0 {
		c.Delay, c.D = nil, max(c.D, 1)
		return
	}
	d := c.Delay[0]
	for _, x := range c.Delay {
		if x != d {
			return
		}
	}
	c.Delay, c.D = nil, d
}

// MaxDelay and MinDelay return the largest and smallest delay, in steps
// (1 for an empty matrix).
func (c *CSR) MaxDelay() int {
	if c.Delay == nil {
		if c.Len() == 0 {
			return 1
		}
		return int(c.D)
	}
	m := 1
	for _, d := range c.Delay {
		m = max(m, int(d))
	}
	return m
}

func (c *CSR) MinDelay() int {
	if len(c.Delay) == 0 {
		if c.Delay == nil && c.Len() > 0 {
			return int(c.D)
		}
		return 1
	}
	m := int(c.Delay[0])
	for _, d := range c.Delay {
		m = min(m, int(d))
	}
	return m
}

// Bytes is the memory held by the matrix's slices (their capacities), bytes
// (no weight array for a homogeneous matrix).
func (c *CSR) Bytes() int64 {
	return int64(cap(c.RowPtr))*4 + int64(cap(c.Post))*4 + int64(cap(c.Post16))*2 + int64(cap(c.Page))*4 +
		int64(cap(c.W))*4 + int64(cap(c.Delay))*2
}

// Dense returns the weights as a row-major NPre×NPost matrix (multapses
// summed, in synapse order), for tests and small pictures; it works for a
// homogeneous matrix too.
func (c *CSR) Dense() []float32 {
	d := make([]float32, c.NPre*c.NPost)
	for r := 0; r < c.NPre; r++ {
		lo, hi := c.Row(r)
		for s := lo; s < hi; s++ {
			d[r*c.NPost+c.Target(r, s)] += c.WeightOf(s)
		}
	}
	return d
}

// post is the targets as int32: Post itself, or a new expanded copy of
// compact targets.
func (c *CSR) post() []int32 {
	if c.Post != nil {
		return c.Post
	}
	return c.AppendTargets(nil)
}

// InDegree returns the number of synapses onto each postsynaptic neuron.
func (c *CSR) InDegree() []int {
	d := make([]int, c.NPost)
	for _, p := range c.post() {
		d[p]++
	}
	return d
}

// Validate checks the structural invariants and returns the first violation.
func (c *CSR) Validate() error {
	if c.Post != nil && c.Post16 != nil {
		return fmt.Errorf("synapse: both int32 and compact targets")
	}
	n := c.Len()
	if len(c.RowPtr) != c.NPre+1 || c.RowPtr[0] != 0 || int(c.RowPtr[c.NPre]) != n {
		return fmt.Errorf("synapse: bad row pointers")
	}
	if (c.W != nil && len(c.W) != n) || (c.Delay != nil && len(c.Delay) != n) {
		return fmt.Errorf("synapse: weight/delay length mismatch")
	}
	if c.Delay == nil && c.D == 0 && n > 0 {
		return fmt.Errorf("synapse: zero common delay")
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
	}
	if c.Post == nil {
		if err := c.validateCompact(); err != nil {
			return err
		}
	}
	for i, d := range c.Delay {
		if d == 0 {
			return fmt.Errorf("synapse: synapse %d has zero delay", i)
		}
	}
	return nil
}

// Columns is a column (postsynaptic) index of a CSR: the synapses onto post
// neuron j are Syn[Ptr[j]:Ptr[j+1]], in ascending order, with presynaptic
// neurons Pre[...] (also ascending). Pre is nil in an index built by
// BuildColumnsSyn; PreOf recovers it from the row pointers.
type Columns struct {
	Ptr      []int32 // len NPost+1
	Syn, Pre []int32 // len = number of synapses
}

// BuildColumns returns the column index of c.
func (c *CSR) BuildColumns() *Columns {
	col := c.BuildColumnsSyn()
	col.Pre = make([]int32, len(col.Syn))
	for j := 0; j < c.NPost; j++ {
		a, b := col.Ptr[j], col.Ptr[j+1]
		c.PreOf(col.Pre[a:b], col.Syn[a:b])
	}
	return col
}

// BuildColumnsSyn returns the column index of c without the presynaptic
// indices (Pre nil): 4 bytes per synapse instead of 8.
func (c *CSR) BuildColumnsSyn() *Columns {
	n := c.Len()
	col := &Columns{Ptr: make([]int32, c.NPost+1), Syn: make([]int32, n)}
	post := c.post()
	for _, p := range post {
		col.Ptr[p+1]++
	}
	for j := 0; j < c.NPost; j++ {
		col.Ptr[j+1] += col.Ptr[j]
	}
	next := make([]int32, c.NPost)
	copy(next, col.Ptr[:c.NPost])
	for s, p := range post {
		col.Syn[next[p]] = int32(s)
		next[p]++
	}
	return col
}

// PreOf writes into pre the presynaptic neuron of each synapse in syn
// (ascending synapse indices, as in a column), by binary search of the row
// pointers from the previous answer on: O(len(syn) · log NPre).
func (c *CSR) PreOf(pre, syn []int32) {
	r := 0
	for k, s := range syn {
		// the row r with RowPtr[r] ≤ s < RowPtr[r+1]: the last r with RowPtr[r] ≤ s
		lo, hi := r, c.NPre // answer in [lo, hi)
		for hi-lo > 1 {
			m := int(uint(lo+hi) >> 1)
			if c.RowPtr[m] <= s {
				lo = m
			} else {
				hi = m
			}
		}
		r = lo
		pre[k] = int32(r)
	}
}
