// Package netspec describes a spiking network in a TOML file and builds it
// into a *network.Network: `engram sim file.toml` is Load, then Run.
//
// A spec is decoded strictly (config.Decode): a key that matches nothing is
// an error naming the key and its line, and every validation error names the
// offending entry ("file.toml:12: projection \"EE\": …"). Units are those of
// the engine: ms, mV, nS, pF, Hz.
//
// # Schema
//
//	seed     = 1      # seed of every random stream (default 1)
//	dt       = 0.1    # time step, ms (default 0.1)
//	duration = 1000   # simulated time, ms
//	workers  = 1      # worker goroutines (default 1); results do not depend on it
//	min_neurons_per_worker = 6000  # use at most one worker per this many neurons (0: all)
//
//	[[population]]
//	name  = "E"                 # unique
//	model = "cuba"              # lif | cuba | coba | alif | izhikevich | poisson | spike-source
//	n     = 3200
//	cuba  = { tau_m = 20 }      # per-model table: keys are the toml tags of the model's
//	                            # Params struct (neuron.LIFParams, neuron.CUBAParams, neuron.COBAParams,
//	                            # neuron.ALIFParams, neuron.IzhikevichParams); absent keys keep
//	                            # the model's published defaults
//	preset = "rs"               # izhikevich only: defaults from rs | ib | ch | fs | lts
//	rate_hz = 20                # poisson only
//	times = [[1.0, 5.5], [2]]   # spike-source only: sorted spike times (ms), one list per neuron
//	v_init_uniform = [-60, -50] # optional: v drawn uniformly in [lo, hi) mV
//	init = { ge = { dist = "normal", mean = 40, sd = 15 } }  # optional: any state variable
//
//	[[projection]]
//	name    = "EE"              # default "<from>-><to>"
//	from    = "E"
//	to      = "E"
//	channel = "exc"             # exc (default) | inh; weights are magnitudes, inh subtracts
//	connect = "fixed-prob"      # full | one-to-one | fixed-prob | fixed-in-degree | blocks |
//	                            # small-world | distance
//	p = 0.02                    # fixed-prob, blocks
//	k = 80                      # fixed-in-degree (in-degree), small-world (lattice degree, even)
//	size = 100                  # blocks
//	beta = 0.1                  # small-world rewiring probability
//	sigma = 0.05                # distance: Gaussian width on the unit ring
//	p_max = 0.5                 # distance: peak probability
//	self = false                # full: allow self-connections
//	weight = 1.62               # or { dist = "normal", mean = 1, sd = 0.2, min = 0 }
//	                            # or { dist = "uniform", lo = 0, hi = 1 }
//	delay = 0.1                 # ms (number or distribution), rounded to steps, ≥ 1 step;
//	                            # default dt
//	rule = "stdp"               # optional: a registered plasticity rule (plasticity.Names);
//	                            # "stdp-lazy": the same weights without a column index
//	rule_params = { a_plus = 0.01, w = { min = 0, max = 1 } }  # the rule struct's toml tags
//	per_synapse_weights = false # keep one weight per synapse even when all are equal
//
//	[[monitor]]
//	kind = "spikes"             # spikes | state | rate
//	population = "E"
//	var = "v"                   # state only: a model state variable (v, ge, gi, i, u, a, …)
//	ids = [0, 1, 2]             # spikes: default all; state: default [0]
//	every = 1.0                 # ms: state sampling period (default dt), rate bin (default 1)
//	file = "E_spikes.csv"       # default <population>_<kind>[_<var>].csv, in the output folder
//
// A spike of weight w travels with its delay: with the minimum delay of one
// step it acts from the start of the next step, which is the schedule of a
// Brian2 synapse without delay. Spike times are the step index × dt (the
// start of the step in which the threshold was crossed, as Brian2 and the
// monitor package write them). State samples are taken at the end of their
// step (time (step+1)·dt) and at the end of exchange intervals, so `every` is
// rounded up to a multiple of the engine's interval.
//
// A projection without a rule whose drawn weights are all equal (a number
// as weight, the usual case) stores that weight once
// (synapse.CSR.CompactWeights, NEST's static_synapse_hom_w): 4 instead of 8
// bytes per synapse, with bit-identical results. per_synapse_weights = true
// keeps the per-synapse array (for code that edits Conn.W after Build).
//
// Random streams are named after the entry they serve (structure, weights
// and delays of each projection, the initial state of each population), so
// adding an entry never changes the draws of another. Each stream's PCG is
// seeded with rng.Key(seed, name), a mixed 64-bit value: seeding it with
// small integers directly (rng.Named(1, name), …) gave measurably biased
// networks (see BENCH.md).
//
// The model "cuba" is neuron.CUBA (aliased here as CUBA and CUBAParams), the
// current-based LIF with separate excitatory and inhibitory time constants of
// benchmark 2 of Brette et al. (2007).
package netspec
