package neuron

// VectorKernels names the implementation of the COBA and CUBA updates that
// Step and StepFused use in this build on this CPU: the AVX2 assembly of
// fastmath_amd64.s (default amd64 build, CPU with AVX2), the simd/archsimd
// kernels (GOEXPERIMENT=simd), or the scalar Go loops (purego tag, other
// architectures, CPUs without AVX2). All give bit-identical results; the
// name is for benchmark reports.
func VectorKernels() string { return vectorKernels() }
