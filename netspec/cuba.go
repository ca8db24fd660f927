package netspec

import "github.com/engram-lab/engram/neuron"

// CUBAParams are the parameters of netspec's model "cuba", the current-based
// LIF with separate excitatory and inhibitory time constants of benchmark 2
// of Brette et al. (2007); the model is neuron.CUBA (see neuron.CUBAParams).
type CUBAParams = neuron.CUBAParams

// CUBA is neuron.CUBA, kept under its netspec name.
type CUBA = neuron.CUBA

// DefaultCUBA returns the parameters of Brian2's examples/CUBA.py.
func DefaultCUBA() CUBAParams { return neuron.DefaultCUBA() }

// NewCUBA returns n CUBA neurons with parameters p (neuron.NewCUBA).
func NewCUBA(n int, p CUBAParams) *CUBA { return neuron.NewCUBA(n, p) }
