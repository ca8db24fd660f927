//go:build !(goexperiment.simd && amd64)

package main

// kernels names the neuron kernels this binary was built with.
const kernels = "default build: scalar neuron kernels (GOEXPERIMENT=simd would select the AVX2 ones)"

const cmdPrefix = ""
