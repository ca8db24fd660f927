package synapse

import "fmt"

// PageBits is the width of a compact target: with CompactTargets a synapse
// keeps the low PageBits bits of its target in a uint16, and the targets
// of a row are cut into pages of 2^PageBits neurons.
const PageBits = 16

// Pages is the number of target pages of a matrix with nPost postsynaptic
// neurons (at least 1).
func Pages(nPost int) int { return max(1, (nPost+(1<<PageBits)-1)>>PageBits) }

// CompactTargets replaces the int32 targets by uint16 ones (Post16) and
// reports whether it did: 2 instead of 4 bytes per synapse. Rows are sorted
// by target, so a row's synapses onto page p (targets p·65536 … p·65536 +
// 65535) are consecutive; for a matrix with more than 65536 targets, Page
// keeps, for every row r and page p ≥ 1, the first synapse of row r whose
// target is on page p or later (4 bytes per presynaptic neuron and page
// beyond the first). Synapse indices, weights and delays are unchanged.
// It does nothing (false) to a matrix whose rows are not sorted by target
// (only a matrix edited by hand: FromEdges sorts them).
//
// Read targets with Target or RowTargets; Targets expands them back into
// Post for code that indexes Post directly (which must check Post != nil).
// The engine compacts the projections without a rule (network.Build).
func (c *CSR) CompactTargets() bool {
	if c.Post == nil {
		return c.Post16 != nil || c.Len() == 0
	}
	P := Pages(c.NPost)
	for r := 0; r < c.NPre; r++ {
		a, b := c.Row(r)
		for s := a + 1; s < b; s++ {
			if c.Post[s] < c.Post[s-1] {
				return false
			}
		}
	}
	p16 := make([]uint16, len(c.Post))
	for s, j := range c.Post {
		p16[s] = uint16(j)
	}
	var page []int32
	if P > 1 {
		page = make([]int32, c.NPre*(P-1))
		for r := 0; r < c.NPre; r++ {
			a, b := c.Row(r)
			s := a
			for p := 1; p < P; p++ {
				for s < b && int(c.Post[s])>>PageBits < p {
					s++
				}
				page[r*(P-1)+p-1] = int32(s)
			}
		}
	}
	c.Post16, c.Page, c.Post = p16, page, nil
	return true
}

// Compacted reports whether the targets are stored as uint16 (Post nil).
func (c *CSR) Compacted() bool { return c.Post == nil && c.Post16 != nil }

// Targets returns the int32 targets for editing, first expanding compact
// ones (CompactTargets undoes it).
func (c *CSR) Targets() []int32 {
	if c.Post == nil {
		c.Post = c.AppendTargets(make([]int32, 0, len(c.Post16)))
		c.Post16, c.Page = nil, nil
	}
	return c.Post
}

// AppendTargets appends the target of every synapse, in synapse order, to
// dst, without changing the matrix.
func (c *CSR) AppendTargets(dst []int32) []int32 {
	if c.Post != nil {
		return append(dst, c.Post...)
	}
	for r := 0; r < c.NPre; r++ {
		c.RowTargets(r, func(lo, hi, base int) {
			for _, j := range c.Post16[lo:hi] {
				dst = append(dst, int32(base+int(j)))
			}
		})
	}
	return dst
}

// RowTargets calls f for every page of row r that holds synapses, in
// order: synapses lo…hi−1 target base + Post16[s]. For a matrix that is not
// compacted it calls f once with the whole row and base 0 (targets Post[s]).
// (The engine's delivery walks the pages the same way, inline.)
func (c *CSR) RowTargets(r int, f func(lo, hi, base int)) {
	a, b := c.Row(r)
	if c.Post != nil || c.Page == nil {
		if a < b {
			f(a, b, 0)
		}
		return
	}
	P := Pages(c.NPost)
	lo := a
	for p := 0; p < P && lo < b; p++ {
		hi := b
		if p < P-1 {
			hi = min(b, int(c.Page[r*(P-1)+p]))
		}
		if lo < hi {
			f(lo, hi, p<<PageBits)
			lo = hi
		}
	}
}

// Target is the target of synapse s of row r.
func (c *CSR) Target(r, s int) int {
	if c.Post != nil {
		return int(c.Post[s])
	}
	base := 0
	if c.Page != nil {
		P := Pages(c.NPost)
		for p := 1; p < P && s >= int(c.Page[r*(P-1)+p-1]); p++ {
			base = p << PageBits
		}
	}
	return base + int(c.Post16[s])
}

// validateCompact checks the invariants of compact targets.
func (c *CSR) validateCompact() error {
	P := Pages(c.NPost)
	if (P > 1) != (c.Page != nil) || (c.Page != nil && len(c.Page) != c.NPre*(P-1)) {
		return fmt.Errorf("synapse: page index has %d entries for %d rows and %d pages", len(c.Page), c.NPre, P)
	}
	for r := 0; r < c.NPre; r++ {
		a, b := c.Row(r)
		prev := a
		for p := 1; p < P; p++ {
			s := int(c.Page[r*(P-1)+p-1])
			if s < prev || s > b {
				return fmt.Errorf("synapse: row %d page %d starts at synapse %d outside %d…%d", r, p, s, prev, b)
			}
			prev = s
		}
		var bad error
		c.RowTargets(r, func(lo, hi, base int) {
			for s := lo; s < hi && bad == nil; s++ {
				if j := base + int(c.Post16[s]); j >= c.NPost {
					bad = fmt.Errorf("synapse: synapse %d targets %d, out of range", s, j)
				}
			}
		})
		if bad != nil {
			return bad
		}
	}
	return nil
}
