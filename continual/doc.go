// Package continual trains rate networks on sequences of tasks and measures
// how much they forget (project issue 6).
//
// A Stream is an ordered list of Tasks built from MNIST or Fashion-MNIST
// (permuted, split, rotated); Shift is a single long stream whose label
// mapping changes over time (concept shift). A Learner is trained on the
// tasks in order; after each task it is evaluated on every task, giving the
// accuracy matrix R (Matrix) from which ACC, BWT and FWT follow (Lopez-Paz
// & Ranzato 2017). Methods: fine-tuning, joint (rehearsal of all seen
// data), EWC, CLASSP, HLOP, fast/slow weights, noisy weights, a
// need-modulated learning rate and a multi-scale homeostatic guard; see
// docs/continual.md for the equations and measured results.
//
// The sub-package continual/spiking reuses Stream, Task, Matrix and the
// metric functions; their exported API is kept stable.
package continual
