// Command peers runs engram and Brian2 side by side on the two networks of
// Brette et al. (2007) (COBA and CUBA, 4000 neurons) and writes a markdown
// section into BENCH.md.
//
// For each model it compiles the Brian2 C++ standalone project once
// (brian2_coba_cuba.py, 1 thread; build time reported separately), then
// alternates engram and Brian2 runs (-reps each; engram with each worker
// count of -workers), each run with a new random network. It reports the
// median simulation-loop time of each side and their ratio, plus the mean
// rate, ISI CV and Fano factor of both sides' spike trains.
//
// Timed: engram's network.Run loop (spike recording included, network
// construction excluded); Brian2's own timer of its run loop
// (device._last_run_time, network construction excluded). Usage, from the
// repository root:
//
//	go run ./bench/peers -reps 3 -duration 10
//
// With -same-network MS it instead exports one CUBA network (connectivity
// and initial state) to Brian2, runs both for MS ms and reports how long
// their spike rasters stay identical (bench/peers/brian2_same_network.py).
//
// Other modes, each writing its own marked section of BENCH.md:
//
//	go run ./bench/peers -memory     # bytes per synapse at 10^7 synapses, per layout (memory.go)
//	go run ./bench/peers -scaling    # COBA at 4k–256k neurons vs Brian2, figures (scaling.go)
//	go run ./bench/peers -bptt       # PyTorch BPTT baseline vs the flagship at T = 25, 100, 400 (bptt.go)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/engram-lab/engram/monitor"
	"github.com/engram-lab/engram/netspec"
)

const nNeurons = 4000

type stats struct {
	Rate, CV, Fano float64
	Rates          []float64 // per-neuron rate over the whole run, Hz
}

type sample struct {
	wall time.Duration // engram: wall time of the loop; Brian2: wall time of the whole binary (construction and output included)
	cpu  time.Duration // CPU time of the loop (engram: process user+sys around network.Run; Brian2: its std::clock timer)
	st   stats
	used int // engram: workers the network ran on
}

// cpuTime is the CPU time (user + system) this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	reps := flag.Int("reps", 3, "runs of each side per model")
	dur := flag.Float64("duration", 10, "biological time per run, s")
	models := flag.String("models", "cuba,coba", "models to compare")
	workersFlag := flag.String("workers", "1,2", "engram worker counts")
	benchFile := flag.String("bench", "BENCH.md", "markdown file to write the section into")
	python := flag.String("python", "/usr/bin/python3", "Python with Brian2")
	work := flag.String("workdir", "", "Brian2 project folder (default: a temporary one)")
	same := flag.Float64("same-network", 0, "instead: run CUBA for this many ms on one network in both simulators and compare rasters")
	engramOnly := flag.Bool("engram-only", false, "run only engram's side and print the loop times (no Brian2, BENCH.md untouched)")
	cpuprofile := flag.String("cpuprofile", "", "with -engram-only: write a CPU profile of engram's first simulation loop to this file")
	memory := flag.Bool("memory", false, "instead: measure bytes per synapse (RSS and data structures) and write BENCH.md's memory section")
	memoryN := flag.Int("memory-n", 125000, "with -memory: neurons of the scaled COBA network (80 synapses each)")
	memoryDur := flag.Float64("memory-duration", 0.01, "with -memory: biological time each layout's network runs, s")
	scale := flag.Bool("scaling", false, "instead: run the scaling sweep against Brian2 and write BENCH.md's scaling section and figures")
	sizes := flag.String("sizes", "4000,16000,64000,256000", "with -scaling: network sizes (neurons)")
	scaleWorkers := flag.String("scale-workers", "1", "with -scaling: engram worker counts (1 is always run)")
	scaleDur := flag.Float64("scale-duration", 1, "with -scaling: biological time per run, s")
	figDir := flag.String("figdir", filepath.Join("bench", "peers"), "with -scaling: folder of the PNG figures")
	bptt := flag.Bool("bptt", false, "instead: BPTT baseline (PyTorch) vs the flagship at several T; writes BENCH.md's BPTT section")
	bpttT := flag.String("T", "25,100,400", "with -bptt: time steps per sample")
	bpttBatches := flag.String("bptt-batches", "30,8,2", "with -bptt: training minibatches of 128 per T for PyTorch (469 = one MNIST epoch)")
	flagLimit := flag.String("flagship-limit", "60000,6000,1500", "with -bptt: training samples per T for the flagship (60000 = one epoch)")
	// child mode (used by -memory and -scaling): one network in this process, JSON on stdout
	childMode := flag.Bool("child", false, "internal: build and run one scaled COBA network, print JSON")
	childN := flag.Int("n", 4000, "internal (-child): neurons")
	childRule := flag.String("rule", "", "internal (-child): plasticity rule on every projection")
	childWorkers := flag.Int("workers-child", 1, "internal (-child): workers")
	childRecord := flag.Bool("record", false, "internal (-child): record spikes")
	childNoSyn := flag.Bool("nosyn", false, "internal (-child): the neurons only, no projections")
	memChildMode := flag.Bool("memchild", false, "internal: like -child for -memory (layouts of memory.go), print JSON")
	childPerSyn := flag.Bool("per-synapse-weights", false, "internal (-memchild): keep one weight per synapse on static projections")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if *childMode {
		if err := runChild(*childN, *childRule, *childWorkers, *dur, *childRecord, *childNoSyn); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *memChildMode {
		if err := runMemChild(*childN, *childRule, *childPerSyn, *childWorkers, *dur); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *memory {
		if err := memoryTable(*memoryN, *memoryDur, *benchFile); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *scale {
		var ns []int
		for _, f := range strings.Split(*sizes, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || v < 100 {
				log.Fatalf("bad -sizes %q", *sizes)
			}
			ns = append(ns, v)
		}
		sw, err := ints(*scaleWorkers)
		if err != nil {
			log.Fatal(err)
		}
		if err := scaling(*python, ns, sw, *scaleDur, *benchFile, *figDir); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *bptt {
		if err := bpttTable(*python, *bpttT, *bpttBatches, *flagLimit, *benchFile); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *engramOnly {
		if err := engramOnlyRuns(*models, *workersFlag, *reps, *dur, *cpuprofile); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *same > 0 {
		d, err := os.MkdirTemp("", "engram-same-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		msg, err := sameNetwork(*python, d, *same)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(msg)
		return
	}

	workers, err := parseWorkers(*workersFlag)
	if err != nil {
		log.Fatal(err)
	}
	dir := *work
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "engram-peers-"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	script := filepath.Join("bench", "peers", "brian2_coba_cuba.py")
	load0 := loadavg()
	var md bytes.Buffer
	started := time.Now().UTC()
	for _, model := range strings.Split(*models, ",") {
		model = strings.TrimSpace(model)
		log.Printf("%s: building Brian2 standalone project", model)
		b2, err := startBrian2(*python, script, model, *dur, filepath.Join(dir, model))
		if err != nil {
			log.Fatal(err)
		}
		eng := map[int][]sample{}
		var bri []sample
		var engBuild []time.Duration
		for r := 0; r < *reps; r++ {
			for _, w := range workers {
				s, bt, err := runEngram(model, *dur, w, seedOf(r))
				if err != nil {
					log.Fatal(err)
				}
				engBuild = append(engBuild, bt)
				eng[w] = append(eng[w], s)
				log.Printf("%s rep %d: engram %s CPU %.3f s, wall %.3f s, %.2f Hz", model, r+1, workerLabel(w, s.used), s.cpu.Seconds(), s.wall.Seconds(), s.st.Rate)
			}
			s, err := b2.run(filepath.Join(dir, fmt.Sprintf("%s-%d.csv", model, r)), *dur)
			if err != nil {
				log.Fatal(err)
			}
			bri = append(bri, s)
			log.Printf("%s rep %d: Brian2 CPU %.3f s (binary wall %.3f s), %.2f Hz", model, r+1, s.cpu.Seconds(), s.wall.Seconds(), s.st.Rate)
		}
		b2.close()
		writeModel(&md, model, *dur, workers, eng, engBuild, bri, b2)
	}
	load1 := loadavg()
	section := header(started, *reps, *dur, *models, *workersFlag, load0, load1) + md.String()
	if err := writeSection(*benchFile, section); err != nil {
		log.Fatal(err)
	}
	fmt.Print(section)
}

// engramOnlyRuns times engram's runs alone (for profiling the loop as the
// comparison runs it); the profile covers only the simulation loops.
func engramOnlyRuns(models, workersFlag string, reps int, dur float64, cpuprofile string) error {
	var f *os.File
	if cpuprofile != "" {
		var err error
		if f, err = os.Create(cpuprofile); err != nil {
			return err
		}
		defer f.Close()
	}
	ws, err := parseWorkers(workersFlag)
	if err != nil {
		return err
	}
	for _, model := range strings.Split(models, ",") {
		for _, w := range ws {
			var walls []float64
			for r := 0; r < reps; r++ {
				if f != nil {
					profiling, f = f, nil // the first run only
				}
				s, _, err := runEngram(strings.TrimSpace(model), dur, w, seedOf(r))
				if err != nil {
					return err
				}
				walls = append(walls, s.wall.Seconds())
				log.Printf("%s, %s, rep %d: CPU %.3f s, wall %.3f s, %.2f Hz", model, workerLabel(w, s.used), r+1, s.cpu.Seconds(), s.wall.Seconds(), s.st.Rate)
			}
			fmt.Printf("%s, %s: loop time median %.3f s (%s) over %d runs\n", model, workerLabel(w, 0), median(walls), spread(walls), reps)
		}
	}
	return nil
}

// profiling, when not nil, receives a CPU profile of runEngram's loop.
var profiling *os.File

// seedOf is the engram seed of repetition r: splitmix64(r+1), so that
// seeds are well mixed (with the small seeds 1, 2, … the CUBA networks of
// examples/cuba.toml fired at lower rates on average; see BENCH.md).
func seedOf(r int) uint64 {
	z := uint64(r+1) + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// parseWorkers reads -workers: worker counts, each either n (netspec's
// default min_neurons_per_worker, so a small network may use fewer) or ns
// (every one of the n workers used: min_neurons_per_worker = 0), which is
// returned as −n.
func parseWorkers(flagValue string) ([]int, error) {
	var ws []int
	for _, f := range strings.Split(flagValue, ",") {
		f = strings.TrimSpace(f)
		split := strings.HasSuffix(f, "s")
		n, err := strconv.Atoi(strings.TrimSuffix(f, "s"))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad -workers %q: want counts like 1,2,2s", flagValue)
		}
		if split {
			n = -n
		}
		ws = append(ws, n)
	}
	return ws, nil
}

// workerLabel names a -workers entry (see parseWorkers) in tables and logs;
// used, if > 0, is the number of workers the network ran on.
func workerLabel(w, used int) string {
	switch {
	case w < 0:
		return fmt.Sprintf("%d workers, min_neurons_per_worker = 0", -w)
	case w == 1:
		return "1 worker"
	case used > 0:
		return fmt.Sprintf("%d workers requested, %d used", w, used)
	}
	return fmt.Sprintf("%d workers requested", w)
}

// runEngram builds examples/<model>.toml with the given seed and workers
// (see parseWorkers) and times the simulation loop.
func runEngram(model string, dur float64, workers int, seed uint64) (sample, time.Duration, error) {
	s, err := netspec.Load(filepath.Join("examples", model+".toml"))
	if err != nil {
		return sample{}, 0, err
	}
	s.Duration = float32(dur * 1000)
	s.Workers = workers
	if workers < 0 {
		s.Workers, s.MinNeuronsPerWorker = -workers, 0
	}
	s.Seed = seed
	// record spikes of both populations, nothing else
	s.Monitor = []netspec.Monitor{{Kind: "spikes", Population: "E", File: "E.csv"}, {Kind: "spikes", Population: "I", File: "I.csv"}}
	t0 := time.Now()
	net, mons, err := s.Build()
	if err != nil {
		return sample{}, 0, err
	}
	build := time.Since(t0)
	runtime.GC()
	if profiling != nil {
		if err := pprof.StartCPUProfile(profiling); err != nil {
			return sample{}, 0, err
		}
		profiling = nil
		defer pprof.StopCPUProfile()
	}
	c1, t1 := cpuTime(), time.Now()
	_, err = net.Run(s.Steps(), mons.Probe)
	wall, cpu := time.Since(t1), cpuTime()-c1
	used := net.Workers()
	net.Close()
	if err != nil {
		return sample{}, 0, err
	}
	trains := make([][]int32, nNeurons)
	off := 0
	for _, pop := range []string{"E", "I"} {
		steps, ids := mons.Spikes(pop)
		for i, st := range steps {
			trains[off+int(ids[i])] = append(trains[off+int(ids[i])], st)
		}
		off += len(mons.Counts(pop))
	}
	return sample{wall: wall, cpu: cpu, st: computeStats(trains, s.Steps(), float64(s.Dt)), used: used}, build, nil
}

// computeStats returns the mean rate (Hz, all neurons, whole run), the mean
// ISI CV over neurons with at least 3 spikes and the mean Fano factor of
// per-neuron spike counts in 100 ms windows over neurons that fired; CV and
// Fano skip the first 100 ms (initial transient).
func computeStats(trains [][]int32, steps int, dt float64) stats {
	total := 0
	skip := int32(math.Round(100 / dt))
	win := int32(math.Round(100 / dt))
	nwin := (int32(steps) - skip) / win
	var cvs, fanos []float64
	counts := make([]int32, nwin)
	rates := make([]float64, len(trains))
	for k, tr := range trains {
		total += len(tr)
		rates[k] = float64(len(tr)) / (float64(steps) * dt / 1000)
		var ts []float64
		clear(counts)
		n := 0
		for _, st := range tr {
			if st < skip {
				continue
			}
			ts = append(ts, float64(st)*dt)
			if w := (st - skip) / win; w < nwin {
				counts[w]++
				n++
			}
		}
		if len(ts) >= 3 {
			cvs = append(cvs, monitor.CVISI(ts))
		}
		if n > 0 && nwin > 1 {
			fanos = append(fanos, monitor.Fano(counts))
		}
	}
	return stats{
		Rate:  float64(total) / float64(len(trains)) / (float64(steps) * dt / 1000),
		CV:    mean(cvs),
		Fano:  mean(fanos),
		Rates: rates,
	}
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

type brian2 struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Scanner
	buildS  float64
	version string
}

func startBrian2(python, script, model string, dur float64, dir string) (*brian2, error) {
	cmd := exec.Command(python, script, "serve", model, fmt.Sprint(dur), dir)
	cmd.Stderr = io.Discard
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &brian2{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	var r struct {
		Event   string  `json:"event"`
		BuildS  float64 `json:"build_s"`
		Version string  `json:"brian2"`
	}
	if err := b.read(&r); err != nil {
		return nil, fmt.Errorf("brian2 build: %w", err)
	}
	b.buildS, b.version = r.BuildS, r.Version
	return b, nil
}

func (b *brian2) read(v any) error {
	for b.out.Scan() {
		line := b.out.Bytes()
		if len(line) > 0 && line[0] == '{' {
			return json.Unmarshal(line, v)
		}
	}
	if err := b.out.Err(); err != nil {
		return err
	}
	return io.ErrUnexpectedEOF
}

func (b *brian2) run(file string, dur float64) (sample, error) {
	fmt.Fprintf(b.in, "run %s\n", file)
	var r struct {
		RunS    float64 `json:"run_s"`
		BinaryS float64 `json:"binary_s"`
	}
	if err := b.read(&r); err != nil {
		return sample{}, fmt.Errorf("brian2 run: %w", err)
	}
	trains, err := readSteps(file)
	if err != nil {
		return sample{}, err
	}
	steps := int(math.Round(dur * 1000 / 0.1))
	// Brian2's run_s is std::clock() over the loop divided by the thread count
	// (network.cpp without OpenMP): the process's CPU time, not wall time.
	return sample{cpu: time.Duration(r.RunS * float64(time.Second)), wall: time.Duration(r.BinaryS * float64(time.Second)),
		st: computeStats(trains, steps, 0.1)}, nil
}

func (b *brian2) close() {
	fmt.Fprintln(b.in, "quit")
	b.in.Close()
	b.cmd.Wait()
}

// readSteps reads a "step,id" CSV into per-neuron step lists.
func readSteps(path string) ([][]int32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	trains := make([][]int32, nNeurons)
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), ",")
		if !ok {
			continue
		}
		st, err1 := strconv.Atoi(a)
		id, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || id < 0 || id >= nNeurons {
			return nil, fmt.Errorf("%s: bad row %q", path, sc.Text())
		}
		trains[id] = append(trains[id], int32(st))
	}
	return trains, sc.Err()
}

func median(d []float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func spread(d []float64) string {
	return fmt.Sprintf("%.3g–%.3g", slices.Min(d), slices.Max(d))
}

func col(ss []sample, f func(sample) float64) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

func writeModel(w io.Writer, model string, dur float64, workers []int, eng map[int][]sample, engBuild []time.Duration, bri []sample, b2 *brian2) {
	cpu := func(s sample) float64 { return s.cpu.Seconds() }
	wall := func(s sample) float64 { return s.wall.Seconds() }
	bmed := median(col(bri, cpu))
	fmt.Fprintf(w, "\n### %s, %g s biological time, %d runs each (alternated)\n\n", strings.ToUpper(model), dur, len(bri))
	fmt.Fprintf(w, "| side | loop CPU time, median (min–max) s | Brian2 / engram, CPU time | wall time, median (min–max) s | Brian2 CPU / engram wall | rate Hz | ISI CV | Fano (100 ms) |\n|---|---|---|---|---|---|---|---|\n")
	row := func(name string, ss []sample, ratio, wratio, wnote string) {
		c, t := col(ss, cpu), col(ss, wall)
		r := col(ss, func(s sample) float64 { return s.st.Rate })
		cv := col(ss, func(s sample) float64 { return s.st.CV })
		fa := col(ss, func(s sample) float64 { return s.st.Fano })
		fmt.Fprintf(w, "| %s | %.3f (%s) | %s | %s%.3f (%s) | %s | %.2f (%s) | %.3f (%s) | %.3f (%s) |\n", name, median(c), spread(c), ratio,
			wnote, median(t), spread(t), wratio, median(r), spread(r), median(cv), spread(cv), median(fa), spread(fa))
	}
	for _, k := range workers {
		ss := eng[k]
		row("engram, "+workerLabel(k, ss[0].used), ss, fmt.Sprintf("**%.2f×**", bmed/median(col(ss, cpu))),
			fmt.Sprintf("%.2f×", bmed/median(col(ss, wall))), "")
	}
	row("Brian2 "+b2.version+" cpp_standalone, 1 thread", bri, "1", "–", "whole binary: ")
	if eng1, ok := eng[1]; ok && len(eng1) == len(bri) && len(bri) > 1 {
		fmt.Fprintf(w, "\n%s\n", ksLine(eng1, bri))
	}
	bt := make([]float64, len(engBuild))
	for i, d := range engBuild {
		bt[i] = d.Seconds()
	}
	fmt.Fprintf(w, "\nSet-up: engram builds the network (connectivity included) in %.2f s (median); Brian2 generates and compiles its C++ project in %.1f s (once per model; its binary then builds the network at run time, outside the timed loop).\n", median(bt), b2.buildS)
}

// ksLine reports two-sample Kolmogorov–Smirnov statistics on the
// per-neuron rates: engram run r against Brian2 run r, and, for the
// run-to-run spread, every pair of Brian2 runs and every pair of engram
// runs (each run a different random network).
func ksLine(eng, bri []sample) string {
	var cross, bb, ee []float64
	for r := range bri {
		cross = append(cross, monitor.KS2(eng[r].st.Rates, bri[r].st.Rates))
		for q := r + 1; q < len(bri); q++ {
			bb = append(bb, monitor.KS2(bri[r].st.Rates, bri[q].st.Rates))
			ee = append(ee, monitor.KS2(eng[r].st.Rates, eng[q].st.Rates))
		}
	}
	n := float64(len(bri[0].st.Rates))
	return fmt.Sprintf("Two-sample Kolmogorov–Smirnov statistic D on the %d per-neuron rates (engram 1 worker): engram run r vs Brian2 run r: median %.4f (%s); Brian2 vs Brian2, every pair of runs: median %.4f (%s); engram vs engram: median %.4f (%s). 5 %% critical value for two samples of %d: %.4f.",
		int(n), median(cross), spread(cross), median(bb), spread(bb), median(ee), spread(ee), int(n), 1.358*math.Sqrt(2/n))
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if _, v, ok := strings.Cut(l, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "?"
}

func header(t time.Time, reps int, dur float64, models, workers, load0, load1 string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- peers:begin (written by go run ./bench/peers; do not edit by hand) -->\n")
	fmt.Fprintf(&b, "## Side by side with Brian2 (Brette et al. 2007 benchmarks 1 and 2)\n\n")
	fmt.Fprintf(&b, "Command: `%sgo run ./bench/peers -reps %d -duration %g -models %s -workers %s` (repository root), %s UTC; engram built with %s.\n", cmdPrefix, reps, dur, models, workers, t.Format("2006-01-02 15:04"), kernels)
	fmt.Fprintf(&b, "Machine: nproc %d, CPU %q, %s, load average %s at start and %s at the end (the machine is shared: other jobs ran alongside, so only the alternated medians mean anything).\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), load0, load1)
	fmt.Fprintf(&b, "\nLoop time, construction excluded: Brian2's own run-loop timer `device._last_run_time`, which its network.cpp takes with `std::clock()` (without OpenMP: the process's CPU time, not wall time); engram's `network.Run` over the whole duration with spike recording, as CPU time (getrusage user+system of the process around the call, the same measure) and as wall time. On this shared machine wall time includes the time the process waited for a CPU, so the CPU-time ratio is the like-for-like one; Brian2's wall time is known only for the whole binary (construction and output included). With 2 workers engram's CPU time adds both threads and their barrier spinning: compare its wall time. "+
		"\"n workers requested\": the spec's workers = n with netspec's default min_neurons_per_worker (%d), which runs a network of fewer than 2 × %d neurons on one worker (the measured crossover, scaling section below); \"n workers, min_neurons_per_worker = 0\": the 4000 neurons really split n ways. ", netspec.DefaultMinNeuronsPerWorker, netspec.DefaultMinNeuronsPerWorker)
	fmt.Fprintf(&b, "Networks: examples/cuba.toml vs Brian2's examples/CUBA.py (method 'exact'), examples/coba.toml vs Brette's 2007 COBA script ported to Brian2 (method 'exponential_euler'); see bench/peers/brian2_coba_cuba.py. Every run draws a new network (engram seeds splitmix64(1..reps), Brian2 random seeds). ")
	fmt.Fprintf(&b, "Statistics over all 4000 neurons: rate over the whole run; ISI CV (neurons with ≥ 3 spikes) and Fano factor of per-neuron counts in 100 ms windows, both after the first 100 ms.\n")
	return b.String()
}

// writeSection replaces the peers section of the file (between the begin
// marker and "<!-- peers:end -->") or appends it.
func writeSection(path, section string) error { return writeMarked(path, "peers", section) }

// writeMarked replaces the section tagged tag (between "<!-- tag:begin" and
// "<!-- tag:end -->") of the file, or appends it; section starts with the
// begin marker and the end marker is added.
func writeMarked(path, tag, section string) error {
	begin, end := "<!-- "+tag+":begin", "<!-- "+tag+":end -->"
	section += end + "\n"
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	if i := strings.Index(s, begin); i >= 0 {
		if j := strings.Index(s, end); j > i {
			s = s[:i] + section + s[j+len(end)+1:]
			return os.WriteFile(path, []byte(s), 0o644)
		}
	}
	if s == "" {
		s = "# Benchmarks\n\nEvery figure names the command that produced it and the machine it ran on.\n"
	}
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return os.WriteFile(path, []byte(s+"\n"+section), 0o644)
}
