package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/engram-lab/engram/netspec"
)

// sameNetwork runs examples/cuba.toml in engram for ms milliseconds, exports
// its connectivity and initial v to dir, runs Brian2 (brian2_same_network.py,
// numpy target) on exactly that network and compares the two spike rasters
// step by step. It returns a one-paragraph summary.
func sameNetwork(python, dir string, ms float64) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	s, err := netspec.Load(filepath.Join("examples", "cuba.toml"))
	if err != nil {
		return "", err
	}
	s.Duration = float32(ms)
	s.Monitor = []netspec.Monitor{{Kind: "spikes", Population: "E", File: "E.csv"}, {Kind: "spikes", Population: "I", File: "I.csv"}}
	net, mons, err := s.Build()
	if err != nil {
		return "", err
	}
	defer net.Close()
	off := map[string]int{}
	n := 0
	for _, p := range net.Populations() {
		off[p.Name] = n
		n += p.Len()
	}
	var conn strings.Builder
	for _, pr := range net.Projections() {
		c := pr.Conn
		for r := 0; r < c.NPre; r++ {
			a, b := c.Row(r)
			for q := a; q < b; q++ {
				fmt.Fprintf(&conn, "%d,%d,%d,%g\n", r+off[pr.Pre.Name], c.Target(r, q)+off[pr.Post.Name], int(pr.Channel), c.WeightOf(q))
			}
		}
	}
	var v0 strings.Builder
	for _, p := range net.Populations() {
		for _, v := range p.Model.State("v") {
			fmt.Fprintf(&v0, "%.9g\n", v)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "conn.csv"), []byte(conn.String()), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "v0.csv"), []byte(v0.String()), 0o644); err != nil {
		return "", err
	}
	net.Run(s.Steps(), mons.Probe)
	var eng [][2]int
	for _, name := range []string{"E", "I"} {
		st, ids := mons.Spikes(name)
		for i := range st {
			eng = append(eng, [2]int{int(st[i]), int(ids[i]) + off[name]})
		}
	}
	cmd := exec.Command(python, filepath.Join("bench", "peers", "brian2_same_network.py"), dir, fmt.Sprint(ms))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("brian2: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "brian2_spikes.csv"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	var bri [][2]int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), ",")
		if !ok {
			continue
		}
		st, _ := strconv.Atoi(a)
		id, _ := strconv.Atoi(b)
		bri = append(bri, [2]int{st, id})
	}
	cmp := func(x, y [2]int) int {
		if x[0] != y[0] {
			return x[0] - y[0]
		}
		return x[1] - y[1]
	}
	slices.SortFunc(eng, cmp)
	slices.SortFunc(bri, cmp)
	inE, inB := map[[2]int]bool{}, map[[2]int]bool{}
	for _, x := range eng {
		inE[x] = true
	}
	for _, x := range bri {
		inB[x] = true
	}
	first := -1
	for _, x := range append(slices.Clone(eng), bri...) {
		if inE[x] != inB[x] && (first < 0 || x[0] < first) {
			first = x[0]
		}
	}
	// per 50 ms window: spikes of each side and spikes present in both
	var win strings.Builder
	w := 500 // steps
	for lo := 0; lo < int(ms*10); lo += w {
		ne, nb, both := 0, 0, 0
		for _, x := range eng {
			if x[0] >= lo && x[0] < lo+w {
				ne++
				if inB[x] {
					both++
				}
			}
		}
		for _, x := range bri {
			if x[0] >= lo && x[0] < lo+w {
				nb++
			}
		}
		fmt.Fprintf(&win, "| %g–%g | %d | %d | %d |\n", float64(lo)/10, float64(lo+w)/10, ne, nb, both)
	}
	return fmt.Sprintf("Same network (examples/cuba.toml, seed %d; its connectivity and initial v exported to Brian2's CUBA neuron, numpy target, refractory t_ref + dt): engram %d spikes, Brian2 %d in %g ms; first difference at step %d (%.1f ms).\n\n| window, ms | engram spikes | Brian2 spikes | identical (step, neuron) |\n|---|---|---|---|\n%s",
		s.Seed, len(eng), len(bri), ms, first, float64(first)*0.1, win.String()), nil
}
