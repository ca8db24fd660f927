package netspec

import (
	"context"
	"strconv"
	"time"

	"github.com/engram-lab/engram/network"
)

// Summary describes a finished run.
type Summary struct {
	Steps       int           // time steps simulated
	SimMs       float64       // simulated time, ms
	Workers     int           // worker goroutines used (at most the spec's workers; see min_neurons_per_worker)
	Interval    int           // spike exchange interval, steps
	Synapses    int           // synapses in all projections
	Populations []PopSummary  // in spec order
	BuildWall   time.Duration // network construction (connectivity, Build)
	RunWall     time.Duration // simulation loop, including monitors
	SynEvents   int64         // spikes × outgoing synapses, summed over projections
	Files       []string      // monitor files written
}

// PopSummary is one population's activity in a run.
type PopSummary struct {
	Name   string
	N      int
	Spikes int64
	RateHz float64 // mean rate per neuron
}

// SynEventsPerSec is the number of synaptic events delivered per second of
// wall time in the simulation loop.
func (s *Summary) SynEventsPerSec() float64 {
	if s.RunWall <= 0 {
		return 0
	}
	return float64(s.SynEvents) / s.RunWall.Seconds()
}

// Realtime is simulated seconds per wall-clock second of the loop.
func (s *Summary) Realtime() float64 {
	if s.RunWall <= 0 {
		return 0
	}
	return s.SimMs / 1000 / s.RunWall.Seconds()
}

// Run builds spec, simulates its duration, writes the monitors' CSV files
// into outDir (nothing is written when outDir is "") and returns a summary.
// progress, if not nil, is called with steps done and total steps about a
// hundred times during the run. It is the entry point of `engram sim`.
func Run(spec *Spec, outDir string, progress func(done, total int)) (*Summary, error) {
	return spec.Run(context.Background(), outDir, progress)
}

// Run is the package-level Run with a context: cancelling ctx stops the
// simulation at the next progress report and returns ctx.Err() (monitor
// files are then not written).
func (s *Spec) Run(ctx context.Context, outDir string, progress func(done, total int)) (*Summary, error) {
	t0 := time.Now()
	net, mons, err := s.Build()
	if err != nil {
		return nil, err
	}
	defer net.Close()
	sum := &Summary{Workers: net.Workers(), Interval: net.Interval(), BuildWall: time.Since(t0)}
	for _, pr := range net.Projections() {
		sum.Synapses += pr.Conn.Len()
	}
	total := s.Steps()
	iv := net.Interval()
	chunk := max(iv, (total/100+iv-1)/iv*iv)
	t1 := time.Now()
	done := 0
	for done < total {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := net.Run(min(chunk, total-done), mons.Probe)
		if err != nil {
			return nil, err
		}
		done += n
		if progress != nil {
			progress(min(done, total), total)
		}
	}
	sum.RunWall = time.Since(t1)
	sum.Steps = done
	sum.SimMs = float64(done) * dt64(s.Dt)
	fill(sum, net, mons)
	if outDir != "" {
		if sum.Files, err = mons.WriteCSV(outDir); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

func fill(sum *Summary, net *network.Network, mons *Monitors) {
	for i, p := range net.Populations() {
		var n int64
		for _, c := range mons.counts[i] {
			n += int64(c)
		}
		ps := PopSummary{Name: p.Name, N: p.Len(), Spikes: n}
		if sum.SimMs > 0 {
			ps.RateHz = float64(n) / float64(p.Len()) / (sum.SimMs / 1000)
		}
		sum.Populations = append(sum.Populations, ps)
	}
	for _, pr := range net.Projections() {
		cnt := mons.Counts(pr.Pre.Name)
		c := pr.Conn
		for r := 0; r < c.NPre; r++ {
			a, b := c.Row(r)
			sum.SynEvents += int64(cnt[r]) * int64(b-a)
		}
	}
}

// dt64 is the decimal value of a float32 time step (0.1, not 0.100000001).
func dt64(dt float32) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(float64(dt), 'g', -1, 32), 64)
	return x
}
