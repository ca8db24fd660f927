package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	gplot "gonum.org/v1/plot"

	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plot"
)

// scalePoint is one network size of the sweep.
type scalePoint struct {
	N    int
	Eng  childResult   // 1 worker
	Eng2 []childResult // further worker counts (-scale-workers), wall time compared
	B2   b2Result
}

// b2Result is one run of the compiled Brian2 binary.
type b2Result struct {
	BuildS   float64 // code generation + compilation, s
	LoopS    float64 // Brian2's loop timer (std::clock: CPU time), s
	BinaryS  float64 // wall time of the whole binary (construction included), s
	PeakRSS  int64   // the binary's peak resident set (getrusage), bytes
	Synapses int
	RateHz   float64
	Version  string
}

// brian2Scaled builds the Brian2 project of brian2_scaling.py for n neurons
// in dir and runs its binary once.
func brian2Scaled(python string, n int, dur float64, dir string) (b2Result, error) {
	var r b2Result
	cmd := exec.Command(python, filepath.Join("bench", "peers", "brian2_scaling.py"), strconv.Itoa(n), fmt.Sprint(dur), dir)
	out, err := cmd.Output()
	if err != nil {
		return r, fmt.Errorf("brian2 build n=%d: %w", n, err)
	}
	var built struct {
		BuildS  float64 `json:"build_s"`
		Version string  `json:"brian2"`
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "{") {
			if err := json.Unmarshal([]byte(l), &built); err != nil {
				return r, err
			}
		}
	}
	r.BuildS, r.Version = built.BuildS, built.Version
	bin := exec.Command("./main")
	bin.Dir = dir
	t0 := time.Now()
	if out, err := bin.CombinedOutput(); err != nil {
		return r, fmt.Errorf("brian2 binary n=%d: %w\n%s", n, err, out)
	}
	r.BinaryS = time.Since(t0).Seconds()
	if ru, ok := bin.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakRSS = ru.Maxrss << 10
	}
	info, err := os.ReadFile(filepath.Join(dir, "results", "last_run_info.txt"))
	if err != nil {
		return r, err
	}
	if f := strings.Fields(string(info)); len(f) > 0 {
		r.LoopS, _ = strconv.ParseFloat(f[0], 64)
	}
	readInt32 := func(pattern string) (int, error) {
		m, _ := filepath.Glob(filepath.Join(dir, "results", pattern))
		if len(m) != 1 {
			return 0, fmt.Errorf("brian2 results: %d files match %s", len(m), pattern)
		}
		b, err := os.ReadFile(m[0])
		if err != nil || len(b) < 4 {
			return 0, fmt.Errorf("brian2 results %s: %v", m[0], err)
		}
		return int(int32(binary.LittleEndian.Uint32(b))), nil
	}
	spikes, err := readInt32("_array_spikemonitor_N_*")
	if err != nil {
		return r, err
	}
	ne, err := readInt32("_array_synapses_N_*")
	if err != nil {
		return r, err
	}
	ni, err := readInt32("_array_synapses_1_N_*")
	if err != nil {
		return r, err
	}
	r.Synapses = ne + ni
	r.RateHz = float64(spikes) / float64(n) / dur
	return r, nil
}

// scaling runs the sweep: for each size an engram child process (1 worker,
// spikes recorded) and the Brian2 binary, alternately; writes the table
// into BENCH.md (peers-scaling section) and the two figures.
func scaling(python string, sizes, workers []int, dur float64, benchFile, figDir string) error {
	dir, err := os.MkdirTemp("", "engram-scaling-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	load0 := loadavg()
	started := time.Now().UTC()
	var pts []scalePoint
	for _, n := range sizes {
		e, err := child("-n", strconv.Itoa(n), "-duration", fmt.Sprint(dur), "-record")
		if err != nil {
			return err
		}
		log.Printf("n=%d engram: %d synapses, build %.1f s, loop CPU %.2f s wall %.2f s, %.2f Hz, peak RSS %.0f MB, settled %.0f MB",
			n, e.Synapses, e.BuildS, e.LoopCPUS, e.LoopWallS, e.RateHz, float64(e.ParentRSS)/1e6, float64(e.RSS1)/1e6)
		b, err := brian2Scaled(python, n, dur, filepath.Join(dir, strconv.Itoa(n)))
		if err != nil {
			return err
		}
		log.Printf("n=%d Brian2: %d synapses, compile %.0f s, loop %.2f s, binary %.2f s, %.2f Hz, peak RSS %.0f MB",
			n, b.Synapses, b.BuildS, b.LoopS, b.BinaryS, b.RateHz, float64(b.PeakRSS)/1e6)
		pt := scalePoint{N: n, Eng: e, B2: b}
		for _, w := range workers {
			if w == 1 {
				continue
			}
			e2, err := child("-n", strconv.Itoa(n), "-duration", fmt.Sprint(dur), "-record", "-workers-child", strconv.Itoa(w))
			if err != nil {
				return err
			}
			log.Printf("n=%d engram %d workers: loop CPU %.2f s wall %.2f s, %.2f Hz", n, w, e2.LoopCPUS, e2.LoopWallS, e2.RateHz)
			pt.Eng2 = append(pt.Eng2, e2)
		}
		pts = append(pts, pt)
		os.RemoveAll(filepath.Join(dir, strconv.Itoa(n)))
	}
	load1 := loadavg()
	if err := scalingFigures(pts, dur, figDir); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- peers-scaling:begin (written by go run ./bench/peers -scaling; do not edit by hand) -->\n")
	fmt.Fprintf(&b, "## Scaling with Brian2: COBA at fixed in-degree %d\n\n", inDegree)
	sz := make([]string, len(sizes))
	for i, n := range sizes {
		sz[i] = strconv.Itoa(n)
	}
	ws := make([]string, len(workers))
	for i, w := range workers {
		ws[i] = strconv.Itoa(w)
	}
	fmt.Fprintf(&b, "Command: `%sgo run ./bench/peers -scaling -sizes %s -scale-workers %s -scale-duration %g` (repository root), %s UTC; engram built with %s. ",
		cmdPrefix, strings.Join(sz, ","), strings.Join(ws, ","), dur, started.Format("2006-01-02 15:04"), kernels)
	fmt.Fprintf(&b, "Machine: nproc %d, CPU %q, load average %s at start and %s at the end (shared machine; one run per size, so each number carries the load of its moment).\n\n",
		runtime.NumCPU(), cpuModel(), load0, load1)
	fmt.Fprintf(&b, "Network: examples/coba.toml with n neurons (4/5 excitatory) and every neuron receiving %d excitatory and %d inhibitory synapses drawn without replacement "+
		"(engram: netspec fixed-in-degree; Brian2: `connect(i='k for k in sample(...)')`, bench/peers/brian2_scaling.py), %g s of biological time at dt = 0.1 ms, spikes of all neurons recorded, one engram worker, Brian2 C++ standalone with 1 thread. "+
		"Loop time per simulated second: engram's CPU time of `network.Run` and Brian2's loop timer (std::clock, CPU time), construction excluded. "+
		"Peak RSS: getrusage of each child process (engram's includes building the edge list; Brian2's binary includes its run-time construction); engram's settled RSS is after building and running, after a GC that returns free memory (VmRSS). Bytes per synapse = RSS / synapses.\n\n", kE, kI, dur)
	fmt.Fprintf(&b, "| neurons | synapses | engram CPU s / sim s | Brian2 CPU s / sim s | Brian2 / engram | engram wall s / sim s | rate Hz (engram / Brian2) | engram peak RSS B/syn | engram settled RSS B/syn | Brian2 peak RSS B/syn | engram build s | Brian2 compile s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, p := range pts {
		e, q := p.Eng, p.B2
		fmt.Fprintf(&b, "| %d | %d | %.3f | %.3f | **%.2f×** | %.3f | %.2f / %.2f | %.1f | %.1f | %.1f | %.1f | %.0f |\n", p.N, e.Synapses,
			e.LoopCPUS/dur, q.LoopS/dur, q.LoopS/e.LoopCPUS, e.LoopWallS/dur, e.RateHz, q.RateHz,
			float64(e.ParentRSS)/float64(e.Synapses), float64(e.RSS1)/float64(e.Synapses), float64(q.PeakRSS)/float64(q.Synapses), e.BuildS, q.BuildS)
	}
	if len(pts) > 0 && len(pts[0].Eng2) > 0 {
		fmt.Fprintf(&b, "\nMore workers (same network and seed; wall time of `network.Run`, against Brian2's loop time of the same size):\n\n| neurons | workers | engram wall s / sim s | engram CPU s / sim s | Brian2 CPU / engram wall | 1-worker wall / this wall |\n|---|---|---|---|---|---|\n")
		for _, p := range pts {
			for _, e := range p.Eng2 {
				fmt.Fprintf(&b, "| %d | %d | %.3f | %.3f | **%.2f×** | %.2f× |\n", p.N, e.Workers, e.LoopWallS/dur, e.LoopCPUS/dur, p.B2.LoopS/e.LoopWallS, p.Eng.LoopWallS/e.LoopWallS)
			}
		}
	}
	if len(pts) > 0 {
		fmt.Fprintf(&b, "\nBrian2 %s. Figures: [time per simulated second](bench/peers/scaling_time.png), [bytes per synapse](bench/peers/scaling_memory.png).\n\n", pts[0].B2.Version)
		fmt.Fprintf(&b, "![time per simulated second](bench/peers/scaling_time.png)\n![bytes per synapse](bench/peers/scaling_memory.png)\n")
	}
	section := b.String()
	if err := writeMarked(benchFile, "peers-scaling", section); err != nil {
		return err
	}
	fmt.Print(section)
	return nil
}

// scalingFigures draws loop time per simulated second and bytes per synapse
// against the number of neurons (log-log) as PNG files in dir.
func scalingFigures(pts []scalePoint, dur float64, dir string) error {
	var n, te, tb, me, ms, mb []float64
	for _, p := range pts {
		n = append(n, float64(p.N))
		te = append(te, p.Eng.LoopCPUS/dur)
		tb = append(tb, p.B2.LoopS/dur)
		me = append(me, float64(p.Eng.ParentRSS)/float64(p.Eng.Synapses))
		ms = append(ms, float64(p.Eng.RSS1)/float64(p.Eng.Synapses))
		mb = append(mb, float64(p.B2.PeakRSS)/float64(p.B2.Synapses))
	}
	figs := []struct {
		file, title, ylabel string
		series              []plot.Series
		logY                bool
	}{
		{"scaling_time.png", "COBA, in-degree 80: loop CPU time per simulated second", "CPU s per simulated s",
			[]plot.Series{{Name: "engram (1 worker, " + shortKernels() + ")", X: n, Y: te}, {Name: "Brian2 cpp_standalone (1 thread)", X: n, Y: tb}}, true},
		{"scaling_memory.png", "COBA, in-degree 80: resident memory per synapse", "bytes per synapse (RSS / synapses)",
			[]plot.Series{{Name: "engram, peak RSS", X: n, Y: me}, {Name: "engram, settled RSS", X: n, Y: ms}, {Name: "Brian2, peak RSS", X: n, Y: mb}}, false},
	}
	for _, f := range figs {
		fig, err := plot.LearningCurves(f.series, f.title, "neurons", f.ylabel)
		if err != nil {
			return err
		}
		fig.X.Scale = gplot.LogScale{}
		fig.X.Tick.Marker = gplot.LogTicks{Prec: -1}
		if f.logY {
			fig.Y.Scale = gplot.LogScale{}
			fig.Y.Tick.Marker = gplot.LogTicks{Prec: -1}
		} else {
			fig.Y.Min = 0 // legend at the bottom right, below the curves
		}
		png, err := plot.PNG(fig)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f.file), png, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func shortKernels() string {
	if strings.HasPrefix(cmdPrefix, "GOEXPERIMENT") || strings.HasPrefix(neuron.VectorKernels(), "AVX2") {
		return "AVX2 kernels"
	}
	return "scalar kernels"
}
