package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotRules draws every classic figure with short runs and checks that
// each PNG and SVG file is written and not empty.
func TestPlotRules(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates ~1 min of network activity")
	}
	dir := t.TempDir()
	var out, errb bytes.Buffer
	root, _ := newRoot(&out, &errb)
	root.SetArgs([]string{"plot", "rules", "--out", dir, "--song-seconds", "100", "--distal-seconds", "20", "--msth-after", "20"})
	if err := root.Execute(); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	pngs := strings.Fields(out.String())
	want := []string{"stdp-window", "weights-song-after", "weights-song-100s", "weights-vanrossum-after",
		"weights-vanrossum-100s", "rstdp-distal", "msth-drive", "msth-gain", "msth-silence"}
	if len(pngs) != len(want) {
		t.Fatalf("wrote %d figures, want %d: %v", len(pngs), len(want), pngs)
	}
	for _, name := range want {
		for _, ext := range []string{".png", ".svg"} {
			fi, err := os.Stat(filepath.Join(dir, name+ext))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Size() < 1000 {
				t.Errorf("%s%s: %d bytes", name, ext, fi.Size())
			}
		}
	}
}
