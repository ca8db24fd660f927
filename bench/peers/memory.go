package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/engram-lab/engram/plasticity"
)

// memLayout is one row of the memory table: a synapse layout of the scaled
// COBA network measured in its own child process.
type memLayout struct {
	name       string
	rule       string // plasticity rule on every projection ("" static)
	perSynapse bool   // static: keep one weight per synapse (netspec per_synapse_weights)
	workers    int
}

// memLayouts are the rows of -memory: static synapses with per-synapse
// weights and with one weight per projection (the COBA weights are
// constants, so netspec stores them once by default), STDP with the column
// index (plasticity.STDP) and without it (plasticity.LazySTDP).
var memLayouts = []memLayout{
	{"static, per-synapse weights, 1 worker", "", true, 1},
	{"static, one weight per projection, 1 worker", "", false, 1},
	{"static, one weight per projection, 2 workers", "", false, 2},
	{"STDP with column index (stdp), 1 worker", "stdp", false, 1},
	{"STDP with column index (stdp), 2 workers", "stdp", false, 2},
	{"STDP lazy, no column index (stdp-lazy), 1 worker", "stdp-lazy", false, 1},
	{"STDP lazy, no column index (stdp-lazy), 2 workers", "stdp-lazy", false, 2},
}

// memResult is what a -memchild process reports: the scaled network's
// childResult plus the rules' own state (RuleBytes: traces, histories;
// per-neuron for both STDP variants) and the lazy rule's catch-ups.
type memResult struct {
	childResult
	RuleBytes int64
	CatchUps  int64
	Steps     int
}

// runMemChild builds the scaled COBA network in this process with layout
// (rule, perSynapse, workers), runs it for dur s and prints a memResult.
func runMemChild(n int, rule string, perSynapse bool, workers int, dur float64) error {
	rss0 := settledRSS()
	s, err := cobaScaled(n, rule, seedOf(0), workers, dur, false)
	if err != nil {
		return err
	}
	for i := range s.Projection {
		s.Projection[i].PerSynapseWeights = perSynapse
	}
	t0 := time.Now()
	net, _, err := s.Build()
	if err != nil {
		return err
	}
	build := time.Since(t0)
	runtime.GC()
	c1, t1 := cpuTime(), time.Now()
	if _, err := net.Run(s.Steps(), nil); err != nil {
		return err
	}
	wall, cpu := time.Since(t1), cpuTime()-c1
	net.Flush()
	res := memResult{childResult: childResult{N: n, Rule: rule, Workers: workers, BuildS: build.Seconds(), LoopCPUS: cpu.Seconds(), LoopWallS: wall.Seconds()}, Steps: s.Steps()}
	for _, pr := range net.Projections() {
		res.Synapses += pr.Conn.Len()
		res.Struct += pr.SynapseBytes()
		if b, ok := pr.Rule.(interface{ Bytes() int64 }); ok {
			res.RuleBytes += b.Bytes()
		}
		if l, ok := pr.Rule.(*plasticity.LazySTDP); ok {
			res.CatchUps += l.CatchUps()
		}
	}
	res.RSS0, res.RSS1, res.HWM = rss0, settledRSS(), procStatus("VmHWM")
	runtime.KeepAlive(net)
	net.Close()
	return json.NewEncoder(os.Stdout).Encode(res)
}

// memChild runs this program again with -memchild and the given flags and
// decodes its result; the peak RSS from getrusage is added.
func memChild(args ...string) (memResult, error) {
	var r memResult
	exe, err := os.Executable()
	if err != nil {
		return r, err
	}
	cmd := exec.Command(exe, append([]string{"-memchild"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return r, fmt.Errorf("child %v: %w", args, err)
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &r); err != nil {
		return r, fmt.Errorf("child %v: %w (%q)", args, err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.ParentRSS = ru.Maxrss << 10 // KiB on Linux
	}
	return r, nil
}

// memoryTable measures bytes per synapse of the scaled COBA network with n
// neurons (80·n synapses) in child processes, one per layout of memLayouts.
// Each child builds the network, runs dur s (default 10 ms), flushes lazy
// rules and reports its settled RSS before and after; bytes per synapse
// from RSS = (RSS after − RSS before) / synapses, an upper bound (neuron
// state, ring buffers and the Go heap's slack included); from the data
// structures = (network.Projection.SynapseBytes + the rules' state) /
// synapses.
func memoryTable(n int, dur float64, benchFile string) error {
	type row struct {
		l memLayout
		r memResult
	}
	var rows []row
	load0 := loadavg()
	started := time.Now().UTC()
	ds := strconv.FormatFloat(dur, 'g', -1, 64)
	base, err := child("-n", strconv.Itoa(n), "-duration", ds, "-nosyn")
	if err != nil {
		return err
	}
	log.Printf("neurons only: RSS %d → %d B", base.RSS0, base.RSS1)
	neur := base.RSS1 - base.RSS0
	for _, l := range memLayouts {
		args := []string{"-n", strconv.Itoa(n), "-duration", ds, "-workers-child", strconv.Itoa(l.workers)}
		if l.rule != "" {
			args = append(args, "-rule", l.rule)
		}
		if l.perSynapse {
			args = append(args, "-per-synapse-weights")
		}
		r, err := memChild(args...)
		if err != nil {
			return err
		}
		log.Printf("%s: %d synapses, RSS %d → %d B, structures %d B, rule state %d B, %d catch-ups, loop %.2f s CPU, peak %d B",
			l.name, r.Synapses, r.RSS0, r.RSS1, r.Struct, r.RuleBytes, r.CatchUps, r.LoopCPUS, r.ParentRSS)
		rows = append(rows, row{l, r})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- peers-memory:begin (written by go run ./bench/peers -memory; do not edit by hand) -->\n")
	fmt.Fprintf(&b, "## Memory per synapse\n\n")
	fmt.Fprintf(&b, "Command: `go run ./bench/peers -memory -memory-n %d -memory-duration %s` (repository root), %s UTC, load average %s at start. ", n, ds, started.Format("2006-01-02 15:04"), load0)
	fmt.Fprintf(&b, "Network: the scaled COBA network of the scaling sweep (examples/coba.toml, %d neurons, fixed in-degree %d, one delay per projection, weights 6 and 67 nS), built in a child process and run for %s s. "+
		"RSS: VmRSS after a GC that returns free memory to the OS, before building and after running; the difference holds the synapses and also the neuron state, ring buffers, spike lists and the Go heap's slack. "+
		"Structures: `network.Projection.SynapseBytes` (CSR, column index, per-worker row ranges) plus the rule's own state (`Bytes()` of plasticity.STDP / LazySTDP: traces, spike histories), summed over projections. Targets: ≤ 8 bytes per static synapse, ≤ 12 per plastic synapse with its trace.\n\n", n, inDegree, ds)
	fmt.Fprintf(&b, "The same neurons without projections (`-nosyn` child) add %.1f MB; the second column subtracts it.\n\n", float64(neur)/1e6)
	fmt.Fprintf(&b, "| synapses | count | RSS after − before, MB | RSS bytes / synapse, neurons subtracted | RSS bytes / synapse, all | structure bytes / synapse | of which rule state | peak RSS (construction), MB | loop CPU, s |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, x := range rows {
		r := x.r
		d := float64(r.RSS1 - r.RSS0)
		syn := float64(r.Synapses)
		fmt.Fprintf(&b, "| %s | %d | %.1f | **%.2f** | %.2f | %.2f | %.2f | %.0f | %.2f |\n", x.l.name, r.Synapses, d/1e6,
			(d-float64(neur))/syn, d/syn, float64(r.Struct+r.RuleBytes)/syn, float64(r.RuleBytes)/syn, float64(r.ParentRSS)/1e6, r.LoopCPUS)
	}
	var catches []string
	for _, x := range rows {
		if x.l.rule == "stdp-lazy" {
			catches = append(catches, fmt.Sprintf("%d with %d worker(s)", x.r.CatchUps, x.l.workers))
		}
	}
	fmt.Fprintf(&b, "\nLayout (package synapse): per synapse a target and, unless all weights of the projection are equal, a float32 weight. The target is an int32 on projections with a rule; on static projections the engine keeps its low 16 bits (`synapse.CSR.CompactTargets`: rows sorted by target are cut into pages of 65,536 neurons, 4 bytes per presynaptic neuron and page beyond the first; network.TestCompactTargetsMatchInt32 requires the same rasters as with int32 targets), so a static synapse costs 2 bytes plus 4 for its own weight. A projection without a rule whose weights are all equal keeps one (`synapse.CSR.CompactWeights`, done by netspec unless `per_synapse_weights = true`; NEST's `static_synapse_hom_w`), with bit-identical delivery. "+
		"A delay shared by the whole projection is stored once (a uint16 per synapse only when delays differ); row pointers 4 bytes per presynaptic neuron. "+
		"STDP (`stdp`) adds the column index its OnPost walks: 4 bytes per synapse (the synapse index; the presynaptic index is recovered from the row pointers, `synapse.CSR.PreOf`). "+
		"Lazy STDP (`stdp-lazy`, plasticity.LazySTDP) has none: each postsynaptic neuron keeps its spike times since the last catch-up (16 × 2 bytes) and a synapse takes the potentiation they owe it at its presynaptic neuron's next spike, before delivery (NEST's archiving node, Morrison et al. 2008), with weights bit-identical to `stdp`'s (network.TestLazySTDPMatchesEager); a full history makes its share catch up (one pass over the share's synapses): %s in this run. "+
		"STDP's traces are per neuron in both. With 2 workers each worker keeps its sub-range of every row (8 bytes per presynaptic neuron and worker).\n", strings.Join(catches, ", "))
	section := b.String()
	if err := writeMarked(benchFile, "peers-memory", section); err != nil {
		return err
	}
	fmt.Print(section)
	return nil
}
