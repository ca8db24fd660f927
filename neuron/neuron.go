// Package neuron holds neuron models in struct-of-arrays layout (float32).
//
// Every spiking model implements Model: the engine calls Init once with the
// time step, then Step for disjoint index ranges from any number of workers.
// A model's Step touches only the neurons in [lo, hi), allocates nothing and
// draws random numbers only from the counter-based rng functions keyed by
// (key, neuron index, step), so a population gives identical results whatever
// the partition of its neurons over workers.
//
// Units: time ms, voltage mV, conductance nS, capacitance pF, current pA where
// a model is conductance-based; current-based models take their synaptic input
// as the voltage it would add (mV), the convention of Brette et al. (2007).
// Synaptic input arrives on two channels: Exc and Inh hold this step's summed
// weights of spikes delivered on excitatory and inhibitory projections. Weights
// on both channels are magnitudes (≥ 0) for models that respect Dale's law;
// current-based models add Exc and subtract Inh.
package neuron

// Input is the synaptic input delivered to a population for one step, one
// slot per neuron. Ext, when not nil, is an external drive held for the step
// (mV for current-based models, pA for conductance-based ones).
type Input struct {
	Exc, Inh, Ext []float32
}

// Model is a population of spiking neurons of one kind.
type Model interface {
	// Len is the number of neurons.
	Len() int
	// Init precomputes the per-step constants for time step dt (ms) and sets
	// the key of the population's counter-based random stream. It also resets
	// the state.
	Init(dt float32, key uint64)
	// Reset puts every neuron back to its initial state.
	Reset()
	// Step advances neurons lo..hi-1 by one time step. It reads the input
	// delivered for this step and writes spk[i] = 1 for each neuron that
	// fired, 0 otherwise. step is the global step index (for noise).
	Step(lo, hi int, step uint64, in Input, spk []uint8)
	// State returns the named state variable (for example "v"), or nil if
	// the model has none of that name. The slice is the model's own storage.
	State(name string) []float32
}

// decay returns exp(-dt/tau), the per-step decay factor of a time constant.
func decay(dt, tau float32) float32 {
	if tau <= 0 {
		return 0
	}
	return float32(exp(-float64(dt) / float64(tau)))
}
