package encode

import "math"

// Decoder reads a class from a readout population's activity over one
// sample. The readout uses a population code: Classes × PerClass neurons,
// neuron j voting for class j / PerClass. Each decoder has its own Add
// method fed once per step, then Decide returns the class (ties broken by
// the lowest class index) or -1 when there was no evidence (no spike, no
// Add). Reset prepares it for the next sample. Add and Decide do not
// allocate.
type Decoder interface {
	Decide() int
	Reset()
}

// SpikeCount decodes the class whose population fired most spikes.
type SpikeCount struct {
	Classes, PerClass int
	counts            []int
}

// NewSpikeCount returns a spike-count decoder for classes × perClass neurons.
func NewSpikeCount(classes, perClass int) *SpikeCount {
	return &SpikeCount{Classes: classes, PerClass: perClass, counts: make([]int, classes)}
}

// Add accumulates one step of the readout's spikes (len Classes·PerClass).
func (d *SpikeCount) Add(spikes []uint8) {
	spikes = spikes[:d.Classes*d.PerClass]
	for c := range d.counts {
		n := 0
		for _, s := range spikes[c*d.PerClass : (c+1)*d.PerClass] {
			n += int(s)
		}
		d.counts[c] += n
	}
}

// Counts returns the spike count of each class so far (a view).
func (d *SpikeCount) Counts() []int { return d.counts }

// Decide returns the class with most spikes, -1 if none fired.
func (d *SpikeCount) Decide() int {
	best := -1
	for c, n := range d.counts {
		if n > 0 && (best < 0 || n > d.counts[best]) {
			best = c
		}
	}
	return best
}

// Reset zeroes the counts.
func (d *SpikeCount) Reset() { clear(d.counts) }

// FirstSpike decodes the class whose population fired first
// (time-to-first-spike readout, e.g. Mostafa 2018, IEEE TNNLS 29:3227).
type FirstSpike struct {
	Classes, PerClass int
	first             []int // step of the first spike of each class, -1 if none
}

// NewFirstSpike returns a first-spike decoder for classes × perClass neurons.
func NewFirstSpike(classes, perClass int) *FirstSpike {
	d := &FirstSpike{Classes: classes, PerClass: perClass, first: make([]int, classes)}
	d.Reset()
	return d
}

// Add records the readout's spikes at step (steps must not decrease).
func (d *FirstSpike) Add(spikes []uint8, step int) {
	spikes = spikes[:d.Classes*d.PerClass]
	for j, s := range spikes {
		if c := j / d.PerClass; s != 0 && d.first[c] < 0 {
			d.first[c] = step
		}
	}
}

// FirstSteps returns each class's first spike step, -1 if none (a view).
func (d *FirstSpike) FirstSteps() []int { return d.first }

// Decide returns the class that fired earliest, -1 if none fired.
func (d *FirstSpike) Decide() int {
	best := -1
	for c, t := range d.first {
		if t >= 0 && (best < 0 || t < d.first[best]) {
			best = c
		}
	}
	return best
}

// Reset forgets all spikes.
func (d *FirstSpike) Reset() {
	for c := range d.first {
		d.first[c] = -1
	}
}

// MaxMembrane decodes the class whose population reached the highest
// membrane potential during the sample, for non-spiking (leaky integrator)
// readouts (e.g. the max-over-time readout of Cramer et al. 2022, IEEE
// TNNLS 33:2744).
type MaxMembrane struct {
	Classes, PerClass int
	max               []float32
	seen              bool
}

// NewMaxMembrane returns a max-membrane decoder for classes × perClass neurons.
func NewMaxMembrane(classes, perClass int) *MaxMembrane {
	return &MaxMembrane{Classes: classes, PerClass: perClass, max: make([]float32, classes)}
}

// Add records one step of the readout's membrane potentials v (mV, len
// Classes·PerClass).
func (d *MaxMembrane) Add(v []float32) {
	v = v[:d.Classes*d.PerClass]
	if !d.seen {
		for c := range d.max {
			d.max[c] = float32(math.Inf(-1))
		}
		d.seen = true
	}
	for j, x := range v {
		if c := j / d.PerClass; x > d.max[c] {
			d.max[c] = x
		}
	}
}

// Decide returns the class with the highest maximum potential, -1 before any Add.
func (d *MaxMembrane) Decide() int {
	if !d.seen {
		return -1
	}
	best := 0
	for c, m := range d.max {
		if m > d.max[best] {
			best = c
		}
	}
	return best
}

// Reset forgets the maxima.
func (d *MaxMembrane) Reset() { d.seen = false }
