// Package encode turns feature vectors into spikes (or input currents) step
// by step, and decodes a class from a readout population's activity.
//
// All encoders work on one sample at a time: the caller owns the feature
// slice x (float32 values in [0, 1]) and the output slice, and calls Encode
// once per time step. Decoders (SpikeCount, FirstSpike, MaxMembrane) are fed
// a readout population's spikes or potentials step by step and return a
// class at the end of the sample. Nothing allocates in steady state. Times
// are in ms, rates in Hz (see the engram package documentation for units).
package encode

import (
	"math"

	"github.com/engram-lab/engram/internal/rng"
)

// Encoder writes the spikes of one time step of one sample.
type Encoder interface {
	// Channels returns the number of output channels for n features.
	Channels(n int) int
	// Encode writes into out (len Channels(len(x))) a 1 for every channel
	// that spikes at this step and a 0 otherwise. offset identifies the
	// sample in counter-based noise: pass sampleIndex·len(x) so every
	// (sample, feature) pair draws its own stream, whichever worker encodes
	// it. step counts from 0 at the start of the sample.
	Encode(out []uint8, x []float32, offset uint64, step int)
	// Reset clears any per-sample state before a new sample.
	Reset()
}

// Poisson is a rate encoder: feature i fires at step t with probability
// x[i]·MaxHz·Dt/1000 (a Bernoulli approximation of a Poisson process of
// rate x·MaxHz, exact in the limit Dt → 0; e.g. Diehl & Cook 2015 use
// MaxHz = 63.75). The random number is rng.Uniform(Key, offset+i, step), so
// spikes are reproducible and independent of worker partitioning.
type Poisson struct {
	MaxHz float32 // rate at x = 1, Hz
	Dt    float32 // time step, ms
	Key   uint64  // noise stream, e.g. rng.Key(seed, "encode/poisson")
}

// Channels returns n: one channel per feature.
func (Poisson) Channels(n int) int { return n }

// Reset does nothing: Poisson is stateless.
func (Poisson) Reset() {}

// Encode writes the spikes of one step (see Encoder).
func (p Poisson) Encode(out []uint8, x []float32, offset uint64, step int) {
	scale := p.MaxHz * p.Dt * 1e-3
	out = out[:len(x)]
	for i, v := range x {
		var s uint8
		if rng.Uniform(p.Key, offset+uint64(i), uint64(step)) < v*scale {
			s = 1
		}
		out[i] = s
	}
}

// Latency is a time-to-first-spike encoder (Thorpe, Delorme & Van Rullen
// 2001, Neural Networks 14:715): feature x fires exactly once, at time
// TMax·(1−x) ms, i.e. at step round(TMax·(1−x)/Dt); strong features fire
// first. Features below Threshold never fire.
type Latency struct {
	TMax      float32 // spike time of x = 0, ms (x = 1 fires at 0)
	Dt        float32 // time step, ms
	Threshold float32 // features with x < Threshold do not spike
}

// Channels returns n: one channel per feature.
func (Latency) Channels(n int) int { return n }

// Reset does nothing: Latency is stateless.
func (Latency) Reset() {}

// SpikeStep returns the step at which feature value x fires, and false if it
// never fires.
func (l Latency) SpikeStep(x float32) (int, bool) {
	if !(x >= l.Threshold) || !(x >= 0) { // also rejects NaN
		return 0, false
	}
	x = min(x, 1) // values above 1 fire at step 0
	return int(math.Round(float64(l.TMax) * (1 - float64(x)) / float64(l.Dt))), true
}

// Encode writes the spikes of one step (see Encoder); offset is unused.
func (l Latency) Encode(out []uint8, x []float32, _ uint64, step int) {
	out = out[:len(x)]
	for i, v := range x {
		var s uint8
		if k, ok := l.SpikeStep(v); ok && k == step {
			s = 1
		}
		out[i] = s
	}
}

// Direct is direct-current input coding (e.g. Rueckauer et al. 2017,
// Front. Neurosci. 11:682, "analog input"): each feature is injected every
// step as a current x·Gain, expressed like all engram currents as the
// voltage increment it causes (mV). It produces no spikes.
type Direct struct {
	Gain float32 // current for x = 1, mV per step
}

// Current writes x[i]·Gain into out[i].
func (d Direct) Current(out []float32, x []float32) {
	out = out[:len(x)]
	for i, v := range x {
		out[i] = v * d.Gain
	}
}

// Delta is a temporal-contrast (send-on-delta) encoder, the principle of
// the dynamic vision sensor (Lichtsteiner, Posch & Delbruck 2008, IEEE JSSC
// 43:566): each feature keeps the value at its last event (its reference);
// when x − reference ≥ Threshold it emits an ON event, when reference − x ≥
// Threshold an OFF event, and the reference becomes x. The first step after
// Reset only sets the references (no events). Output channel i is the ON
// event of feature i and channel len(x)+i its OFF event; at most one event
// per feature per step.
type Delta struct {
	Threshold float32 // change that triggers an event, in feature units (≤ 0: any change)

	ref    []float32
	primed bool
}

// Channels returns 2n: ON and OFF channels per feature.
func (*Delta) Channels(n int) int { return 2 * n }

// Reset forgets the references; the next Encode sets them.
func (d *Delta) Reset() { d.primed = false }

// Encode writes the events of one step (see Encoder); offset and step are
// unused: the encoder compares x with its stored references.
func (d *Delta) Encode(out []uint8, x []float32, _ uint64, _ int) {
	n := len(x)
	out = out[:2*n]
	clear(out)
	if !d.primed || len(d.ref) != n {
		if cap(d.ref) < n {
			d.ref = make([]float32, n)
		}
		d.ref = d.ref[:n]
		copy(d.ref, x)
		d.primed = true
		return
	}
	on, off := out[:n], out[n:]
	for i, v := range x {
		switch diff := v - d.ref[i]; {
		case diff > 0 && diff >= d.Threshold:
			on[i] = 1
			d.ref[i] = v
		case diff < 0 && -diff >= d.Threshold:
			off[i] = 1
			d.ref[i] = v
		}
	}
}
