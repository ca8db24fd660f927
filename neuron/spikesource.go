package neuron

import "math"

// SpikeSource replays given spike times, one sorted list per neuron (ms from
// step 0). A spike at time t is emitted in step floor(q + 4e-7·q + 1e-6) with
// q = t/dt (the small relative tolerance keeps times written as multiples of
// dt, e.g. 7.7 ms at dt = 0.1, on their own step despite float32 rounding); several spikes falling in one step are emitted as
// one. Times before 0 are ignored. Replay is deterministic and partition
// invariant. Steps must be called with non-decreasing step per neuron; call
// Reset (or Init) to replay from the start.
type SpikeSource struct {
	Times [][]float32 // per-neuron sorted spike times, ms

	steps [][]int64 // per-neuron spike steps (set by Init)
	next  []int     // per-neuron cursor into steps
}

var _ Model = (*SpikeSource)(nil)

// NewSpikeSource returns a source replaying times (one sorted slice per neuron).
func NewSpikeSource(times [][]float32) *SpikeSource {
	return &SpikeSource{Times: times, next: make([]int, len(times))}
}

func (m *SpikeSource) Len() int { return len(m.Times) }

// Init converts the times to step indices for time step dt.
func (m *SpikeSource) Init(dt float32, key uint64) {
	m.steps = make([][]int64, len(m.Times))
	for i, ts := range m.Times {
		st := make([]int64, 0, len(ts))
		for _, t := range ts {
			if t < 0 {
				continue
			}
			q := float64(t) / float64(dt)
			st = append(st, int64(math.Floor(q+4e-7*q+1e-6)))
		}
		m.steps[i] = st
	}
	m.Reset()
}

func (m *SpikeSource) Reset() {
	for i := range m.next {
		m.next[i] = 0
	}
}

func (m *SpikeSource) State(string) []float32 { return nil }

func (m *SpikeSource) Step(lo, hi int, step uint64, _ Input, spk []uint8) {
	now := int64(step)
	for i := lo; i < hi; i++ {
		st, c := m.steps[i], m.next[i]
		for c < len(st) && st[c] < now {
			c++
		}
		var f uint8
		for c < len(st) && st[c] == now {
			f = 1
			c++
		}
		m.next[i] = c
		spk[i] = f
	}
}
