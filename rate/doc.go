// Package rate is the substrate for rate (non-spiking) networks: layers with
// explicit forward and backward passes, losses and optimizers, in float32 on
// gonum's BLAS (Sgemm). There is no general autograd: each layer stores what
// its Backward needs during Forward.
//
// # Conventions
//
// Every tensor is a []float32 in row-major order. A minibatch of n samples
// is an n×d matrix (sample i occupies x[i*d:(i+1)*d]). Images are stored
// channel-major per sample (C×H×W, the NCHW layout). Dense weights are
// out×in (row j holds the incoming weight vector of unit j, the layout of
// PyTorch's nn.Linear), so a local rule can treat one row as one neuron's
// synapses.
//
// Backward(dy) receives the gradient of the loss with respect to the layer's
// output, stores the parameter gradients in Param.G (overwriting them) and
// returns the gradient with respect to the input. Losses return gradients of
// the batch-mean loss, so parameter gradients are batch means too.
//
// Shape mismatches are programmer errors and panic.
//
// # Determinism
//
// Random initial weights come from a *rand.Rand passed in (use
// rng.Named(seed, name)). Matrix products go through gonum's Sgemm, which
// partitions the output into blocks and computes each block, including its
// sum over the inner dimension, in one goroutine in a fixed order; every
// other reduction in this package is a sequential loop. Results are
// therefore bit-identical for any GOMAXPROCS (tested by TestDeterminism).
package rate
