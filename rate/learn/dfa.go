package learn

import "github.com/engram-lab/engram/rate"

// NewDFA returns an MLP trained by direct feedback alignment (Nøkland 2016):
// the output error e = ŷ − y is sent to every hidden layer through a fixed
// random matrix, δ_k = (e B_k) ⊙ f'(a_k), ΔW_k = −η δ_kᵀ h_{k−1}.
func NewDFA(sizes []int, act rate.Kind, seed uint64) *MLP { return NewMLP(DFA, sizes, act, seed) }
