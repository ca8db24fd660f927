//go:build !(goexperiment.simd && amd64)

package main

import "github.com/engram-lab/engram/neuron"

// kernels names the neuron kernels this binary was built with: the AVX2
// assembly of package neuron on amd64 CPUs that have it, else the scalar
// kernels (neuron.VectorKernels says which).
var kernels = "default build: " + neuron.VectorKernels() + " neuron kernels for COBA and CUBA"

const cmdPrefix = ""
