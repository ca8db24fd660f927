package netspec

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/engram-lab/engram/monitor"
	"github.com/engram-lab/engram/network"
)

// Monitors holds the recorders of a spec's [[monitor]] entries and a spike
// count per neuron of every population (kept for the run summary).
type Monitors struct {
	dt      float32
	pops    []*network.Population
	counts  [][]uint32 // per population, per neuron
	entries []*entry
	byPop   [][]*entry // spike monitors per population
}

type entry struct {
	spec  Monitor
	pop   int
	mask  []bool // spikes: selected neurons (nil = all)
	steps []int32
	ids   []int32
	state *monitor.StateMonitor
	rate  *monitor.RateMonitor
	v     []float32
}

func newMonitors(s *Spec, net *network.Network) *Monitors {
	ms := &Monitors{dt: s.Dt, pops: net.Populations()}
	ms.counts = make([][]uint32, len(ms.pops))
	ms.byPop = make([][]*entry, len(ms.pops))
	for i, p := range ms.pops {
		ms.counts[i] = make([]uint32, p.Len())
	}
	iv := net.Interval()
	steps := s.Steps()
	for _, m := range s.Monitor {
		pi := s.pop(m.Population)
		e := &entry{spec: m, pop: pi}
		switch m.Kind {
		case "spikes":
			if m.IDs != nil {
				e.mask = make([]bool, ms.pops[pi].Len())
				for _, id := range m.IDs {
					e.mask[id] = true
				}
			}
			ms.byPop[pi] = append(ms.byPop[pi], e)
		case "state":
			every := max(1, int(m.Every/float64(s.Dt)+0.5))
			every = (every + iv - 1) / iv * iv // state is known at interval ends
			ids := make([]int32, 0, len(m.IDs))
			for _, id := range m.IDs {
				ids = append(ids, int32(id))
			}
			if len(ids) == 0 {
				ids = append(ids, 0)
			}
			e.v = ms.pops[pi].Model.State(m.Var)
			e.state = monitor.NewStateMonitor(m.Var, s.Dt, ids, every, steps/every+1)
		case "rate":
			bin := m.Every
			if bin == 0 {
				bin = 1
			}
			bs := max(1, int(bin/float64(s.Dt)+0.5))
			e.rate = monitor.NewRateMonitor(ms.pops[pi].Len(), s.Dt, bs, steps/bs+1)
		}
		ms.entries = append(ms.entries, e)
	}
	return ms
}

// Probe is the function to pass to network.Run: it counts and records the
// spikes of substep k (global step) and samples state monitors.
func (ms *Monitors) Probe(step uint64, k int) {
	for pi, p := range ms.pops {
		cnt := ms.counts[pi]
		mons := ms.byPop[pi]
		p.ForEachSpiked(k, func(i int) { ms.spike(cnt, mons, step, i) })
	}
	for _, e := range ms.entries {
		switch {
		case e.state != nil:
			e.state.Record(int(step)+1, e.v)
		case e.rate != nil:
			e.rate.Record(int(step), ms.pops[e.pop].Spiked(k))
		}
	}
}

func (ms *Monitors) spike(cnt []uint32, mons []*entry, step uint64, i int) {
	cnt[i]++
	for _, e := range mons {
		if e.mask == nil || e.mask[i] {
			e.steps = append(e.steps, int32(step))
			e.ids = append(e.ids, int32(i))
		}
	}
}

// Counts returns the number of spikes of each neuron of the named
// population so far (the monitors' storage; nil for an unknown name).
func (ms *Monitors) Counts(population string) []uint32 {
	for i, p := range ms.pops {
		if p.Name == population {
			return ms.counts[i]
		}
	}
	return nil
}

// Spikes returns the steps and neuron indices recorded by the first spike
// monitor of the named population (nil if it has none).
func (ms *Monitors) Spikes(population string) (steps, ids []int32) {
	for i, p := range ms.pops {
		if p.Name == population && len(ms.byPop[i]) > 0 {
			e := ms.byPop[i][0]
			return e.steps, e.ids
		}
	}
	return nil, nil
}

// WriteCSV writes every monitor's file into dir (created if needed) and
// returns the paths written. Spikes are "t_ms,id" rows, state is one column
// per neuron ("t_ms,<id>,…", t the end of the sampled step), rate is
// "t_ms,rate_hz" per bin.
func (ms *Monitors) WriteCSV(dir string) ([]string, error) {
	if len(ms.entries) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, e := range ms.entries {
		path := filepath.Join(dir, e.spec.File)
		f, err := os.Create(path)
		if err != nil {
			return files, err
		}
		switch {
		case e.state != nil:
			err = e.state.WriteCSV(f)
		case e.rate != nil:
			err = e.rate.WriteCSV(f)
		default:
			err = writeSpikes(f, e, ms.dt)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return files, fmt.Errorf("netspec: write %s: %w", path, err)
		}
		files = append(files, path)
	}
	return files, nil
}

func writeSpikes(f *os.File, e *entry, dt float32) error {
	bw := bufio.NewWriter(f)
	bw.WriteString("t_ms,id\n")
	var buf []byte
	for i, s := range e.steps {
		buf = strconv.AppendFloat(buf[:0], float64(float32(s)*dt), 'g', -1, 32)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(e.ids[i]), 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
