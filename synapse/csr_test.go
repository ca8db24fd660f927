package synapse

import (
	"slices"
	"testing"
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
	c.Delay[0] = 0
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
