package synapse

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomCSR draws a matrix with nPre rows of up to deg random targets in
// [0, nPost) (duplicates allowed: multapses), random weights and, when
// delays is set, per-synapse delays.
func randomCSR(t *testing.T, nPre, nPost, deg int, delays bool, seed uint64) *CSR {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	var edges []Edge
	for i := 0; i < nPre; i++ {
		for k := r.IntN(deg + 1); k > 0; k-- {
			e := Edge{Pre: int32(i), Post: int32(r.IntN(nPost)), W: r.Float32(), Delay: 1}
			if delays {
				e.Delay = uint16(1 + r.IntN(5))
			}
			edges = append(edges, e)
		}
	}
	c, err := FromEdges(nPre, nPost, edges)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCompactTargets checks that compact targets read back exactly as the
// int32 ones through every accessor, on both sides of the page size.
func TestCompactTargets(t *testing.T) {
	for _, tc := range []struct {
		name          string
		nPre, nPost   int
		deg           int
		delays        bool
		wantPageBytes int
	}{
		{"small", 30, 10, 6, false, 0},
		{"one page exactly", 40, 1 << 16, 50, true, 0},
		{"one neuron past a page", 40, 1<<16 + 1, 50, false, 40 * 4},
		{"four pages", 60, 200000, 120, true, 60 * 3 * 4},
		{"empty rows only", 5, 300000, 0, false, 5 * 4 * 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := randomCSR(t, tc.nPre, tc.nPost, tc.deg, tc.delays, uint64(tc.nPost))
			ref := randomCSR(t, tc.nPre, tc.nPost, tc.deg, tc.delays, uint64(tc.nPost))
			before := c.Bytes()
			if !c.CompactTargets() {
				t.Fatal("sorted matrix not compacted")
			}
			if !c.Compacted() || c.Post != nil || c.Len() != ref.Len() {
				t.Fatalf("compacted %v, Post nil %v, len %d want %d", c.Compacted(), c.Post == nil, c.Len(), ref.Len())
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if got, want := before-c.Bytes(), int64(2*ref.Len()-tc.wantPageBytes); got != want {
				t.Errorf("saved %d bytes, want %d (2 per synapse less the page index)", got, want)
			}
			if !slices.Equal(c.AppendTargets(nil), ref.Post) {
				t.Fatal("AppendTargets differs from the int32 targets")
			}
			for r := 0; r < c.NPre; r++ {
				a, b := c.Row(r)
				for s := a; s < b; s++ {
					if got := c.Target(r, s); got != int(ref.Post[s]) {
						t.Fatalf("Target(%d, %d) = %d, want %d", r, s, got, ref.Post[s])
					}
				}
				var got []int32
				c.RowTargets(r, func(lo, hi, base int) {
					if lo >= hi {
						t.Errorf("row %d: empty page range %d…%d", r, lo, hi)
					}
					for s := lo; s < hi; s++ {
						got = append(got, int32(base+int(c.Post16[s])))
					}
				})
				if !slices.Equal(got, ref.Post[a:b]) {
					t.Fatalf("RowTargets(%d) = %v, want %v", r, got, ref.Post[a:b])
				}
			}
			if !slices.Equal(c.InDegree(), ref.InDegree()) {
				t.Error("InDegree differs")
			}
			if tc.nPost <= 1<<16 && !slices.Equal(c.Dense(), ref.Dense()) {
				t.Error("Dense differs")
			}
			col, rcol := c.BuildColumns(), ref.BuildColumns()
			if !slices.Equal(col.Ptr, rcol.Ptr) || !slices.Equal(col.Syn, rcol.Syn) || !slices.Equal(col.Pre, rcol.Pre) {
				t.Error("column index differs")
			}
			if !slices.Equal(c.Targets(), ref.Post) || c.Post16 != nil || c.Page != nil || c.Bytes() != before {
				t.Error("Targets does not restore the int32 layout")
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCompactTargetsRefusesUnsortedRows(t *testing.T) {
	c := randomCSR(t, 4, 100, 10, false, 1)
	a, b := c.Row(0)
	for a < b && c.Post[a] == c.Post[b-1] {
		a++
	}
	if a+1 >= b {
		t.Skip("row 0 has no two different targets")
	}
	c.Post[a], c.Post[b-1] = c.Post[b-1], c.Post[a]
	if c.CompactTargets() || c.Post == nil {
		t.Fatal("unsorted row compacted")
	}
}

func TestValidateCompactCatchesBadPages(t *testing.T) {
	c := randomCSR(t, 10, 150000, 40, false, 3)
	c.CompactTargets()
	c.Page[0] = c.RowPtr[1] + 1 // beyond row 0
	if c.Validate() == nil {
		t.Error("page start beyond its row accepted")
	}
	c = randomCSR(t, 10, 70000, 40, false, 4)
	c.CompactTargets()
	for s := range c.Post16 {
		c.Post16[s] = 0xffff // row's last page: 65536 + 65535 ≥ 70000 for synapses on page 1
	}
	if c.Validate() == nil {
		t.Error("target out of range accepted")
	}
}
