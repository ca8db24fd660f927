// Package monitor records spikes, state variables and population rates from
// plain slices (it does not import the neuron package) and computes
// spike-train statistics.
//
// Storage: each monitor preallocates the capacity given to its constructor.
// Record allocates nothing while the stored data fit that capacity; beyond
// it, the backing slices grow by append (amortised doubling), so a run whose
// length is known should pass it up front. Time is step·dt in ms, with the
// dt given to the constructor. Monitors are not safe for concurrent Record
// calls; the engine records after each step from one goroutine.
package monitor

import (
	"bufio"
	"io"
	"strconv"
)

// SpikeMonitor records (step, id) pairs of spikes for selected neurons or
// for all of them.
type SpikeMonitor struct {
	Dt    float32 // time step, ms
	ids   []int32 // selected neurons; nil = all
	steps []int32
	who   []int32
}

// NewSpikeMonitor returns a monitor of the neurons in ids (nil: all) with
// room for capacity spikes before Record allocates.
func NewSpikeMonitor(dt float32, ids []int32, capacity int) *SpikeMonitor {
	return &SpikeMonitor{Dt: dt, ids: ids, steps: make([]int32, 0, capacity), who: make([]int32, 0, capacity)}
}

// Record stores the spikes of one step (spk[i] ≠ 0 means neuron i fired).
func (m *SpikeMonitor) Record(step int, spk []uint8) {
	s := int32(step)
	if m.ids == nil {
		for i, z := range spk {
			if z != 0 {
				m.steps = append(m.steps, s)
				m.who = append(m.who, int32(i))
			}
		}
		return
	}
	for _, i := range m.ids {
		if spk[i] != 0 {
			m.steps = append(m.steps, s)
			m.who = append(m.who, i)
		}
	}
}

// Len is the number of recorded spikes.
func (m *SpikeMonitor) Len() int { return len(m.who) }

// Reset forgets the recorded spikes and keeps the storage.
func (m *SpikeMonitor) Reset() { m.steps, m.who = m.steps[:0], m.who[:0] }

// Steps returns the step of each recorded spike (the monitor's storage).
func (m *SpikeMonitor) Steps() []int32 { return m.steps }

// IDs returns the neuron of each recorded spike (the monitor's storage).
func (m *SpikeMonitor) IDs() []int32 { return m.who }

// Times returns the time step·dt (ms) of each recorded spike in a new slice.
func (m *SpikeMonitor) Times(dt float32) []float32 {
	t := make([]float32, len(m.steps))
	for i, s := range m.steps {
		t[i] = float32(s) * dt
	}
	return t
}

// Train returns the spike times (ms, float64) of neuron id in a new slice.
func (m *SpikeMonitor) Train(id int32) []float64 {
	var t []float64
	for i, w := range m.who {
		if w == id {
			t = append(t, float64(m.steps[i])*float64(m.Dt))
		}
	}
	return t
}

// WriteCSV writes the spikes as "t_ms,id" rows in recording order.
func (m *SpikeMonitor) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("t_ms,id\n")
	var buf []byte
	for i, s := range m.steps {
		buf = strconv.AppendFloat(buf[:0], float64(float32(s)*m.Dt), 'g', -1, 32)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(m.who[i]), 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// StateMonitor records one state variable of chosen neurons every Every
// steps (steps with step % Every == 0).
type StateMonitor struct {
	Name  string  // variable name, for example "v"
	Dt    float32 // time step, ms
	Every int     // record every Every steps (≥ 1)
	ids   []int32
	steps []int32
	vals  []float32 // row-major: one row of len(ids) values per recorded step
}

// NewStateMonitor records variable name of neurons ids every `every` steps,
// with room for capacity recorded steps before Record allocates.
func NewStateMonitor(name string, dt float32, ids []int32, every, capacity int) *StateMonitor {
	if every < 1 {
		every = 1
	}
	return &StateMonitor{Name: name, Dt: dt, Every: every, ids: ids,
		steps: make([]int32, 0, capacity), vals: make([]float32, 0, capacity*len(ids))}
}

// Record stores v[id] for the monitored ids if step is a recording step.
func (m *StateMonitor) Record(step int, v []float32) {
	if step%m.Every != 0 {
		return
	}
	m.steps = append(m.steps, int32(step))
	for _, i := range m.ids {
		m.vals = append(m.vals, v[i])
	}
}

// Len is the number of recorded steps.
func (m *StateMonitor) Len() int { return len(m.steps) }

// Reset forgets the recorded values and keeps the storage.
func (m *StateMonitor) Reset() { m.steps, m.vals = m.steps[:0], m.vals[:0] }

// Steps returns the recorded step indices (the monitor's storage).
func (m *StateMonitor) Steps() []int32 { return m.steps }

// Row returns the values recorded at the r-th recorded step, one per id
// (a view of the monitor's storage).
func (m *StateMonitor) Row(r int) []float32 {
	k := len(m.ids)
	return m.vals[r*k : (r+1)*k]
}

// Trace returns the values of the j-th monitored id over time (new slice).
func (m *StateMonitor) Trace(j int) []float32 {
	out := make([]float32, len(m.steps))
	for r := range out {
		out[r] = m.vals[r*len(m.ids)+j]
	}
	return out
}

// WriteCSV writes the wide format: a header "t_ms,<id0>,<id1>,…" with the
// neuron ids as column names, then one row per recorded step.
func (m *StateMonitor) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("t_ms")
	for _, id := range m.ids {
		bw.WriteString("," + strconv.Itoa(int(id)))
	}
	bw.WriteByte('\n')
	var buf []byte
	for r, s := range m.steps {
		buf = strconv.AppendFloat(buf[:0], float64(float32(s)*m.Dt), 'g', -1, 32)
		for _, x := range m.Row(r) {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, float64(x), 'g', -1, 32)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// RateMonitor counts the spikes of a population of N neurons in bins of
// BinSteps steps and reports the population rate in Hz per bin:
// count / (N · BinSteps·dt/1000).
type RateMonitor struct {
	N        int
	Dt       float32
	BinSteps int
	counts   []int32 // spikes per bin; bin b covers steps [b·BinSteps, (b+1)·BinSteps)
}

// NewRateMonitor returns a rate monitor for n neurons with bins of binSteps
// steps and room for capacity bins before Record allocates.
func NewRateMonitor(n int, dt float32, binSteps, capacity int) *RateMonitor {
	if binSteps < 1 {
		binSteps = 1
	}
	return &RateMonitor{N: n, Dt: dt, BinSteps: binSteps, counts: make([]int32, 0, capacity)}
}

// Record adds the spikes of step to its bin. Steps may be skipped; bins
// in between stay empty.
func (m *RateMonitor) Record(step int, spk []uint8) {
	b := step / m.BinSteps
	for len(m.counts) <= b {
		m.counts = append(m.counts, 0)
	}
	c := int32(0)
	for _, z := range spk {
		if z != 0 {
			c++
		}
	}
	m.counts[b] += c
}

// Reset forgets the counts and keeps the storage.
func (m *RateMonitor) Reset() { m.counts = m.counts[:0] }

// Counts returns the spike count of each bin (the monitor's storage).
func (m *RateMonitor) Counts() []int32 { return m.counts }

// BinMs is the bin width in ms.
func (m *RateMonitor) BinMs() float32 { return float32(m.BinSteps) * m.Dt }

// Rates returns the population rate (Hz) of each bin in a new slice.
func (m *RateMonitor) Rates() []float32 {
	out := make([]float32, len(m.counts))
	norm := 1000 / (float64(m.N) * float64(m.BinMs()))
	for i, c := range m.counts {
		out[i] = float32(float64(c) * norm)
	}
	return out
}

// WriteCSV writes "t_ms,rate_hz" rows, t_ms being the start of each bin.
func (m *RateMonitor) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("t_ms,rate_hz\n")
	var buf []byte
	bin := m.BinMs()
	for i, r := range m.Rates() {
		buf = strconv.AppendFloat(buf[:0], float64(float32(i)*bin), 'g', -1, 32)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, float64(r), 'g', -1, 32)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
