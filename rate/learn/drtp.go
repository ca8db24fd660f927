package learn

import "github.com/engram-lab/engram/rate"

// NewDRTP returns an MLP trained by direct random target projection
// (Frenkel, Lefebvre & Bol 2021): hidden layers use the one-hot target in
// place of the error, taking e ≈ −y* (the sign of the error for the true
// class), δ_k = (−y* B_k) ⊙ f'(a_k); no feedback pathway and no update
// locking. The output layer uses its own error.
func NewDRTP(sizes []int, act rate.Kind, seed uint64) *MLP { return NewMLP(DRTP, sizes, act, seed) }
