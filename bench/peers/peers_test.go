package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteMarked: a tagged section is appended once, then replaced in
// place, leaving the rest of the file and other tags' sections alone.
func TestWriteMarked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCH.md")
	if err := os.WriteFile(path, []byte("# B\n\nintro\n<!-- peers:begin x -->\nold peers\n<!-- peers:end -->\ntail\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		tag, section string
		want         string
	}{
		{"peers-memory", "<!-- peers-memory:begin -->\nm1\n",
			"# B\n\nintro\n<!-- peers:begin x -->\nold peers\n<!-- peers:end -->\ntail\n\n<!-- peers-memory:begin -->\nm1\n<!-- peers-memory:end -->\n"},
		{"peers-memory", "<!-- peers-memory:begin -->\nm2\n",
			"# B\n\nintro\n<!-- peers:begin x -->\nold peers\n<!-- peers:end -->\ntail\n\n<!-- peers-memory:begin -->\nm2\n<!-- peers-memory:end -->\n"},
		{"peers", "<!-- peers:begin y -->\nnew peers\n",
			"# B\n\nintro\n<!-- peers:begin y -->\nnew peers\n<!-- peers:end -->\ntail\n\n<!-- peers-memory:begin -->\nm2\n<!-- peers-memory:end -->\n"},
	}
	for i, s := range steps {
		if err := writeMarked(path, s.tag, s.section); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != s.want {
			t.Fatalf("step %d (%s):\n%s\nwant\n%s", i, s.tag, got, s.want)
		}
	}
}

// TestCobaScaled: every neuron of the scaled network receives exactly kE
// excitatory and kI inhibitory synapses, and the populations split 4:1.
func TestCobaScaled(t *testing.T) {
	wd, _ := os.Getwd()
	if err := os.Chdir(filepath.Join(wd, "..", "..")); err != nil { // examples/ is at the repository root
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	s, err := cobaScaled(1000, "", 1, 1, 0.001, false)
	if err != nil {
		t.Fatal(err)
	}
	net, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	sizes := map[string]int{}
	for _, p := range net.Populations() {
		sizes[p.Name] = p.Len()
	}
	if sizes["E"] != 800 || sizes["I"] != 200 {
		t.Fatalf("populations %v, want E 800, I 200", sizes)
	}
	in := map[string][]int{"E": make([]int, 800), "I": make([]int, 200)}
	for _, pr := range net.Projections() {
		k := kI
		if pr.Pre.Name == "E" {
			k = kE
		}
		for j, d := range pr.Conn.InDegree() {
			if d != k {
				t.Fatalf("projection %s: neuron %d has in-degree %d, want %d", pr.Name, j, d, k)
			}
			in[pr.Post.Name][j] += d
		}
		if pr.Conn.Delay != nil {
			t.Errorf("projection %s keeps per-synapse delays for one common delay", pr.Name)
		}
	}
	for name, d := range in {
		for j, x := range d {
			if x != inDegree {
				t.Fatalf("%s neuron %d: total in-degree %d, want %d", name, j, x, inDegree)
			}
		}
	}
}
