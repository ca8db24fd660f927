// Package learn implements local learning rules for rate networks on the
// substrate of package rate, with backpropagation (bp.go) as the baseline
// every rule is compared against on the same code and data. One file per
// rule; each file's test checks the rule's published claim on small
// synthetic data or a small MNIST subset, and bench/raterules measures the
// full-data claims.
//
// Weight matrices are out×in row-major []float32 (rate's convention): row j
// is neuron j's incoming weight vector.
package learn
