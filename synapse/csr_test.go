package synapse

import (
	"slices"
	"sort"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
)

func TestFromEdgesSortsAndIndexes(t *testing.T) {
	c, err := FromEdges(3, 4, []Edge{
		{Pre: 2, Post: 1, W: 5, Delay: 3}, {Pre: 0, Post: 3, W: 1}, {Pre: 0, Post: 0, W: 2, Delay: 2}, {Pre: 2, Post: 0, W: 4, Delay: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.RowPtr, []int32{0, 2, 2, 4}) || !slices.Equal(c.Post, []int32{0, 3, 0, 1}) || !slices.Equal(c.W, []float32{2, 1, 4, 5}) {
		t.Errorf("CSR %+v", c)
	}
	if !slices.Equal(c.Delay, []uint16{2, 1, 1, 3}) {
		t.Errorf("delays %v (a zero delay must become 1)", c.Delay)
	}
	if c.MinDelay() != 1 || c.MaxDelay() != 3 {
		t.Errorf("min/max delay %d/%d", c.MinDelay(), c.MaxDelay())
	}
	want := []float32{2, 0, 0, 1, 0, 0, 0, 0, 4, 5, 0, 0}
	if !slices.Equal(c.Dense(), want) {
		t.Errorf("dense %v", c.Dense())
	}
	if !slices.Equal(c.InDegree(), []int{2, 1, 0, 1}) {
		t.Errorf("in-degree %v", c.InDegree())
	}
	col := c.BuildColumns()
	if !slices.Equal(col.Ptr, []int32{0, 2, 3, 3, 4}) || !slices.Equal(col.Pre, []int32{0, 2, 2, 0}) || !slices.Equal(col.Syn, []int32{0, 2, 3, 1}) {
		t.Errorf("columns %+v", col)
	}
	for j := 0; j < c.NPost; j++ {
		for k := col.Ptr[j]; k < col.Ptr[j+1]; k++ {
			if s := col.Syn[k]; c.Post[s] != int32(j) {
				t.Errorf("column %d lists synapse %d onto %d", j, s, c.Post[s])
			}
		}
	}
}

func TestInvalid(t *testing.T) {
	if _, err := FromEdges(2, 2, []Edge{{Pre: 2, Post: 0}}); err == nil {
		t.Error("pre out of range accepted")
	}
	if _, err := FromEdges(2, 2, []Edge{{Pre: 0, Post: -1}}); err == nil {
		t.Error("negative post accepted")
	}
	c, _ := FromEdges(2, 2, []Edge{{Pre: 0, Post: 1, W: 1}})
	c.D = 0
	if c.Validate() == nil {
		t.Error("zero common delay passes Validate")
	}
	c.Delays()[0] = 0
	if c.Validate() == nil {
		t.Error("zero delay passes Validate")
	}
	c.Delay[0] = 1
	c.Post[0] = 5
	if c.Validate() == nil {
		t.Error("target out of range passes Validate")
	}
	c.Post[0] = 1
	c.RowPtr[2] = 3
	if c.Validate() == nil {
		t.Error("bad row pointers pass Validate")
	}
}

// TestFromEdgesMatchesStableSort checks the counting sort against the
// definition: a stable sort of the edges by (pre, post), for edges in random
// order (with multapses) and in the post-by-post order of fixed in-degree.
func TestFromEdgesMatchesStableSort(t *testing.T) {
	r := rng.Named(1, "test/edges")
	random := make([]Edge, 3000)
	for i := range random {
		random[i] = Edge{Pre: int32(r.IntN(40)), Post: int32(r.IntN(30)), W: float32(i), Delay: uint16(r.IntN(4))}
	}
	var byPost []Edge
	for j := 0; j < 30; j++ {
		for k := 0; k < 8; k++ {
			byPost = append(byPost, Edge{Pre: int32(r.IntN(40)), Post: int32(j), W: float32(len(byPost)), Delay: 3})
		}
	}
	for _, tc := range []struct {
		name  string
		edges []Edge
	}{{"random order, delays differ", random}, {"post by post, one delay", byPost}, {"empty", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.edges)
			c, err := FromEdges(40, 30, in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(in, tc.edges) {
				t.Error("FromEdges changed its input")
			}
			want := slices.Clone(tc.edges)
			sort.SliceStable(want, func(a, b int) bool {
				if want[a].Pre != want[b].Pre {
					return want[a].Pre < want[b].Pre
				}
				return want[a].Post < want[b].Post
			})
			if c.Len() != len(want) {
				t.Fatalf("%d synapses, want %d", c.Len(), len(want))
			}
			for r := 0; r < c.NPre; r++ {
				lo, hi := c.Row(r)
				for s := lo; s < hi; s++ {
					e := want[s]
					if int(e.Pre) != r || e.Post != c.Post[s] || e.W != c.W[s] || c.DelayOf(s) != int(max(e.Delay, 1)) {
						t.Fatalf("synapse %d: row %d post %d w %g delay %d, want %+v", s, r, c.Post[s], c.W[s], c.DelayOf(s), e)
					}
				}
			}
			if err := c.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCommonDelay checks the 8-byte layout: one delay stored once, expanded
// by Delays for editing and compacted again by Compact.
func TestCommonDelay(t *testing.T) {
	edges := []Edge{{Pre: 0, Post: 1, W: 1, Delay: 4}, {Pre: 1, Post: 0, W: 2, Delay: 4}, {Pre: 1, Post: 1, W: 3, Delay: 4}}
	c, err := FromEdges(2, 2, edges)
	if err != nil {
		t.Fatal(err)
	}
	if c.Delay != nil || c.D != 4 || c.MinDelay() != 4 || c.MaxDelay() != 4 || c.DelayOf(2) != 4 {
		t.Fatalf("common delay: Delay %v D %d min %d max %d", c.Delay, c.D, c.MinDelay(), c.MaxDelay())
	}
	// 3 pointers (int32) + 3 targets (int32) + 3 weights (float32), no delays
	if got, want := c.Bytes(), int64(3*4+3*4+3*4); got != want {
		t.Errorf("Bytes %d, want %d", got, want)
	}
	ds := c.Delays()
	if !slices.Equal(ds, []uint16{4, 4, 4}) {
		t.Fatalf("expanded delays %v", ds)
	}
	c.Compact()
	if c.Delay != nil || c.D != 4 {
		t.Errorf("Compact kept per-synapse delays %v", c.Delay)
	}
	c.Delays()[1] = 6
	c.Compact()
	if c.Delay == nil || c.MinDelay() != 4 || c.MaxDelay() != 6 || c.DelayOf(1) != 6 {
		t.Errorf("Compact dropped differing delays: %v", c.Delay)
	}
	empty, _ := FromEdges(3, 3, nil)
	if empty.MinDelay() != 1 || empty.MaxDelay() != 1 || empty.Validate() != nil {
		t.Errorf("empty matrix: min %d max %d", empty.MinDelay(), empty.MaxDelay())
	}
}

// TestPreOf checks the presynaptic indices recovered from the row pointers
// (with empty rows) against the full column index.
func TestPreOf(t *testing.T) {
	r := rng.Named(1, "test/preof")
	var edges []Edge
	for i := 0; i < 500; i++ {
		pre := int32(r.IntN(60))
		if pre%7 == 0 { // leave some rows empty
			continue
		}
		edges = append(edges, Edge{Pre: pre, Post: int32(r.IntN(25)), W: 1, Delay: 1})
	}
	c, err := FromEdges(60, 25, edges)
	if err != nil {
		t.Fatal(err)
	}
	full, syn := c.BuildColumns(), c.BuildColumnsSyn()
	if syn.Pre != nil || !slices.Equal(syn.Syn, full.Syn) || !slices.Equal(syn.Ptr, full.Ptr) {
		t.Fatal("BuildColumnsSyn differs from BuildColumns")
	}
	for j := 0; j < c.NPost; j++ {
		s := full.Syn[full.Ptr[j]:full.Ptr[j+1]]
		got := make([]int32, len(s))
		c.PreOf(got, s)
		for k, q := range s {
			if lo, hi := c.Row(int(got[k])); int(q) < lo || int(q) >= hi {
				t.Fatalf("column %d: synapse %d not in row %d", j, q, got[k])
			}
		}
		if !slices.Equal(got, full.Pre[full.Ptr[j]:full.Ptr[j+1]]) {
			t.Fatalf("column %d: PreOf %v, want %v", j, got, full.Pre[full.Ptr[j]:full.Ptr[j+1]])
		}
	}
}
