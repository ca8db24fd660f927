package main

import (
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"
)

// memoryTable measures bytes per synapse of the scaled COBA network with n
// neurons (80·n synapses) in child processes: static synapses and STDP on
// every projection (plasticity.STDP keeps its traces per neuron), each with
// 1 and 2 workers. Each child builds the network, runs 10 ms and reports its
// settled RSS before and after; bytes per synapse from RSS = (RSS after −
// RSS before) / synapses, an upper bound (neuron state, ring buffers and the
// Go heap's slack included); from the data structures =
// network.Projection.SynapseBytes / synapses.
func memoryTable(n int, benchFile string) error {
	type row struct {
		name string
		r    childResult
	}
	var rows []row
	load0 := loadavg()
	started := time.Now().UTC()
	base, err := child("-n", strconv.Itoa(n), "-duration", "0.01", "-nosyn")
	if err != nil {
		return err
	}
	log.Printf("neurons only: RSS %d → %d B", base.RSS0, base.RSS1)
	neur := base.RSS1 - base.RSS0
	for _, c := range []struct {
		name, rule string
		workers    int
	}{{"static, 1 worker", "", 1}, {"static, 2 workers", "", 2}, {"STDP on every synapse, 1 worker", "stdp", 1}, {"STDP on every synapse, 2 workers", "stdp", 2}} {
		args := []string{"-n", strconv.Itoa(n), "-duration", "0.01", "-workers-child", strconv.Itoa(c.workers)}
		if c.rule != "" {
			args = append(args, "-rule", c.rule)
		}
		r, err := child(args...)
		if err != nil {
			return err
		}
		log.Printf("%s: %d synapses, RSS %d → %d B, structures %d B, peak %d B", c.name, r.Synapses, r.RSS0, r.RSS1, r.Struct, r.ParentRSS)
		rows = append(rows, row{c.name, r})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- peers-memory:begin (written by go run ./bench/peers -memory; do not edit by hand) -->\n")
	fmt.Fprintf(&b, "## Memory per synapse\n\n")
	fmt.Fprintf(&b, "Command: `go run ./bench/peers -memory -memory-n %d` (repository root), %s UTC, load average %s at start. ", n, started.Format("2006-01-02 15:04"), load0)
	fmt.Fprintf(&b, "Network: the scaled COBA network of the scaling sweep (examples/coba.toml, %d neurons, fixed in-degree %d, one delay per projection), built in a child process and run for 10 ms. "+
		"RSS: VmRSS after a GC that returns free memory to the OS, before building and after running; the difference holds the synapses and also the neuron state, ring buffers, spike lists and the Go heap's slack. "+
		"Structures: `network.Projection.SynapseBytes` summed over projections (CSR, column index, per-worker row ranges). Targets: ≤ 8 bytes per static synapse, ≤ 12 per plastic synapse with its trace.\n\n", n, inDegree)
	fmt.Fprintf(&b, "The same neurons without projections (`-nosyn` child) add %.1f MB; the second column subtracts it.\n\n", float64(neur)/1e6)
	fmt.Fprintf(&b, "| synapses | count | RSS after − before, MB | RSS bytes / synapse, neurons subtracted | RSS bytes / synapse, all | structure bytes / synapse | peak RSS (construction), MB |\n|---|---|---|---|---|---|---|\n")
	for _, x := range rows {
		r := x.r
		d := float64(r.RSS1 - r.RSS0)
		fmt.Fprintf(&b, "| %s | %d | %.1f | **%.2f** | %.2f | %.2f | %.0f |\n", x.name, r.Synapses, d/1e6,
			(d-float64(neur))/float64(r.Synapses), d/float64(r.Synapses), float64(r.Struct)/float64(r.Synapses), float64(r.ParentRSS)/1e6)
	}
	fmt.Fprintf(&b, "\nLayout (package synapse): per synapse an int32 target and a float32 weight (8 bytes); a delay shared by the whole projection is stored once (a uint16 per synapse only when delays differ); row pointers 4 bytes per presynaptic neuron. "+
		"A plastic projection adds the column index that OnPost walks: 4 bytes per synapse (the synapse index; the presynaptic index is recovered from the row pointers by binary search, `synapse.CSR.PreOf`) for plain rules, 8 for modulated rules whose SynapseStep reads `Columns.Pre`. "+
		"STDP's traces are per neuron (plasticity.STDP), so its synapse is weight + target + column entry. With 2 workers each worker keeps its sub-range of every row (8 bytes per presynaptic neuron and worker).\n")
	section := b.String()
	if err := writeMarked(benchFile, "peers-memory", section); err != nil {
		return err
	}
	fmt.Print(section)
	return nil
}
