// Package engram is a Go engine for brain-inspired learning: spiking and rate
// neural networks simulated and trained with local plasticity instead of
// backpropagation.
//
// # Package map (imports flow downward only)
//
//	internal/rng   counter-based and named random streams from one seed
//	neuron         neuron models (LIF, conductance LIF, ALIF, Izhikevich, Poisson, rate), SoA float32
//	synapse        compressed sparse rows with per-synapse delays
//	connect        connectivity generators (full, fixed-prob, fixed in-degree, blocks, small-world, distance)
//	plasticity     local learning rules (one file each) behind the Rule interface
//	network        the engine: populations + projections, clock-driven updates, event-driven delivery,
//	               worker partitioning with min-delay exchange (the one package that wires the others)
//	encode         spike encoders and decoders
//	monitor        spike, state and rate monitors
//	dataset        MNIST, Fashion-MNIST, idx folders, generated tasks (never imported by the core)
//	modelfile      checksummed, atomically written model/checkpoint files (safetensors + JSON header)
//	flagship       the structured recurrent spiking network of P1 and its local learning
//	runlog, plot   run folders, metrics, pictures and report.html (never imported by the core)
//	cmd/engram     the command-line tool
//
// # Units
//
// Time is in milliseconds (float32), voltage in millivolts, currents are
// expressed as the voltage increment they cause (mV) unless a model says
// otherwise, conductances in nanosiemens, rates in hertz. Each parameter
// field names its unit and the source of its default in its doc comment.
//
// # Seeding
//
// There is no global random generator. Every component draws from a stream
// derived from the run's seed and the component's name (rng.Named), and
// per-neuron noise uses a counter-based generator keyed by (seed, neuron id,
// step) (rng.Uniform), so results are bit-identical for any number of workers.
package engram
