// Package spiking is continual learning for spiking networks with Hebbian
// learning based orthogonal projection (HLOP; Xiao et al. 2024, P14),
// trained with local rules only.
//
// A Net (direct-current input → LIF hidden layers → leaky-integrator
// readout) learns each task with a three-factor rule: a random
// broadcast of the readout error (third factor) × the e-prop pseudo-derivative
// of the postsynaptic neuron (post factor) × the presynaptic trace (pre
// factor); there is no backpropagation through time or layers. With HLOP,
// every presynaptic population (the input and each hidden layer) has a
// population of lateral neurons (Lateral). After each task, new lateral
// neurons learn the principal subspace of that task's presynaptic traces
// with a Hebbian/anti-Hebbian subspace rule — a fixed number per task with
// Oja's rule (Lateral.Grow, Config.Recruit = "fixed"), or, with Sanger's
// rule, as many as the subspace needs to capture a target fraction of the
// task's presynaptic energy (Lateral.Recruit, "energy"); their weights
// then stay fixed. During later tasks the lateral feedback turns every presynaptic
// factor p into (I − HᵀH) p, so each weight update ΔW = a p̃ᵀ is orthogonal
// to the kept subspaces and leaves the responses to old inputs unchanged.
//
// Run trains on a continual.Stream and returns the accuracy matrix with
// ACC, BWT and FWT (continual.Matrix). Equations, defaults and measured
// results: Net, Lateral, Config and docs/continual.md ("Spiking HLOP").
//
// All randomness comes from rng.Named(Config.Seed, …); runs are
// bit-identical for a given seed. The package is single-threaded.
package spiking
