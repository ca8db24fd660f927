package learn

import "github.com/engram-lab/engram/rate"

// NewFA returns an MLP trained by feedback alignment (Lillicrap, Cownden,
// Tweed & Akerman 2016): the backward pass uses fixed random matrices B_k in
// place of W_kᵀ, δ_k = (δ_{k+1} B_{k+1}) ⊙ f'(a_k).
func NewFA(sizes []int, act rate.Kind, seed uint64) *MLP { return NewMLP(FA, sizes, act, seed) }
