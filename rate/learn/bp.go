package learn

import "github.com/engram-lab/engram/rate"

// NewBP returns the backpropagation baseline MLP (Rumelhart, Hinton &
// Williams 1986): every hidden layer receives δ_k = (δ_{k+1} W_{k+1}) ⊙ f'(a_k).
func NewBP(sizes []int, act rate.Kind, seed uint64) *MLP { return NewMLP(BP, sizes, act, seed) }
