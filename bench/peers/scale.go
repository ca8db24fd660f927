package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/engram-lab/engram/netspec"
)

// Scaled COBA network of the scaling sweep and the memory measurement:
// examples/coba.toml (Brette et al. 2007, benchmark 1) with n neurons, 4/5
// excitatory, and a fixed in-degree of inDegree = 80 — kE = 64 excitatory
// and kI = 16 inhibitory partners per neuron, the mean in-degree of the
// 4000-neuron original (p = 0.02 of 3200 E and 800 I) — so that activity
// stays the same as n grows and the synapse count is 80·n.
const (
	inDegree = 80
	kE, kI   = 64, 16
)

// cobaScaled returns the spec of the scaled COBA network. rule, when not
// empty, is put on every projection (a registered plasticity rule, e.g.
// "stdp"). With record, spikes of both populations are monitored.
func cobaScaled(n int, rule string, seed uint64, workers int, dur float64, record bool) (*netspec.Spec, error) {
	s, err := netspec.Load(filepath.Join("examples", "coba.toml"))
	if err != nil {
		return nil, err
	}
	nE := n * 4 / 5
	for i := range s.Population {
		if s.Population[i].Name == "E" {
			s.Population[i].N = nE
		} else {
			s.Population[i].N = n - nE
		}
	}
	for i := range s.Projection {
		pr := &s.Projection[i]
		pr.Connect, pr.P = "fixed-in-degree", 0
		pr.K = kI
		if pr.From == "E" {
			pr.K = kE
		}
		pr.Rule = rule
	}
	s.Seed, s.Workers = seed, workers
	s.MinNeuronsPerWorker = 0 // every worker, at every size: the sweep measures where a second one pays
	s.Duration = float32(dur * 1000)
	s.Monitor = nil
	if record {
		s.Monitor = []netspec.Monitor{{Kind: "spikes", Population: "E", File: "E.csv"}, {Kind: "spikes", Population: "I", File: "I.csv"}}
	}
	return s, nil
}

// childResult is what one child process (-child) reports on stdout.
type childResult struct {
	N, Synapses int
	Rule        string
	Workers     int
	BuildS      float64 // network construction, wall s
	LoopCPUS    float64 // network.Run, CPU s (user+sys of the process)
	LoopWallS   float64 // network.Run, wall s
	RateHz      float64 // mean rate over all neurons and the whole run
	RSS0, RSS1  int64   // resident set before building and after building and running (both after GC and returning free memory to the OS), bytes
	Struct      int64   // engine's synapse memory (network.Projection.SynapseBytes), bytes
	HWM         int64   // peak resident set of the process (VmHWM), bytes
	ParentRSS   int64   // peak resident set from the parent's getrusage (set by the parent)
}

// procStatus returns a /proc/self/status field in bytes (VmRSS, VmHWM).
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return -1
}

// settledRSS is the resident set after a full GC that returns free pages
// to the OS.
func settledRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return procStatus("VmRSS")
}

// runChild builds the scaled network in this process, runs it and prints a
// childResult. steps < 0 means the spec's duration.
func runChild(n int, rule string, workers int, dur float64, record, nosyn bool) error {
	rss0 := settledRSS()
	s, err := cobaScaled(n, rule, seedOf(0), workers, dur, record)
	if err != nil {
		return err
	}
	if nosyn { // the same neurons without projections: the baseline of -memory
		s.Projection = nil
	}
	t0 := time.Now()
	net, mons, err := s.Build()
	if err != nil {
		return err
	}
	build := time.Since(t0)
	var probe func(uint64, int)
	if mons != nil && record {
		probe = mons.Probe
	}
	runtime.GC()
	c1, t1 := cpuTime(), time.Now()
	if _, err := net.Run(s.Steps(), probe); err != nil {
		return err
	}
	wall, cpu := time.Since(t1), cpuTime()-c1
	res := childResult{N: n, Rule: rule, Workers: workers, BuildS: build.Seconds(), LoopCPUS: cpu.Seconds(), LoopWallS: wall.Seconds()}
	for _, pr := range net.Projections() {
		res.Synapses += pr.Conn.Len()
		res.Struct += pr.SynapseBytes()
	}
	if record {
		spikes := 0
		for _, p := range []string{"E", "I"} {
			st, _ := mons.Spikes(p)
			spikes += len(st)
		}
		res.RateHz = float64(spikes) / float64(n) / (float64(s.Steps()) * float64(s.Dt) / 1000)
	}
	res.RSS0, res.RSS1, res.HWM = rss0, settledRSS(), procStatus("VmHWM")
	runtime.KeepAlive(net)
	net.Close()
	return json.NewEncoder(os.Stdout).Encode(res)
}

// child runs this program again with -child and the given flags and decodes
// its result; the peak RSS from getrusage is added.
func child(args ...string) (childResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return childResult{}, err
	}
	cmd := exec.Command(exe, append([]string{"-child"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return childResult{}, fmt.Errorf("child %v: %w", args, err)
	}
	var r childResult
	if err := json.Unmarshal(bytes.TrimSpace(out), &r); err != nil {
		return r, fmt.Errorf("child %v: %w (%q)", args, err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.ParentRSS = ru.Maxrss << 10 // KiB on Linux
	}
	return r, nil
}
