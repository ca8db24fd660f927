package netspec

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readColumn reads the first column of a CSV file after '#' comment lines
// and a header line.
func readColumn(t *testing.T, path string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []float64
	sc := bufio.NewScanner(f)
	header := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !header {
			header = true
			continue
		}
		x, err := strconv.ParseFloat(strings.Split(line, ",")[0], 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, x)
	}
	return out
}

// TestBrian2Golden compares the spike times of one LIF, one Izhikevich and
// one CUBA neuron, driven through a netspec network by the same input spike
// trains (CUBA: a second, inhibitory one), to
// Brian2's (testdata/brian2, made by bench/peers/brian2_golden.py). Every
// spike must match within one time step.
func TestBrian2Golden(t *testing.T) {
	list := func(file string) string {
		var b strings.Builder
		for i, x := range readColumn(t, "../testdata/brian2/"+file) {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%g", x)
		}
		return b.String()
	}
	exc, inh := list("input.csv"), list("input_inh.csv")
	cases := []struct{ file, pop string }{
		{"lif.csv", `model = "lif"
lif = { tau_m = 20, tau_syn = 5, e_l = -60, v_th = -50, v_reset = -60, t_ref = 5, v_init = -60 }`},
		{"izhikevich.csv", `model = "izhikevich"
preset = "rs"
izhikevich = { v_init = -65 }`},
		{"cuba.csv", `model = "cuba"
cuba = { tau_m = 20, tau_e = 5, tau_i = 10, e_l = -49, v_th = -50, v_reset = -60, t_ref = 5, v_init = -60 }`},
	}
	weights := map[string]float64{"lif.csv": 3.0, "izhikevich.csv": 60, "cuba.csv": 1.62}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			want := readColumn(t, "../testdata/brian2/"+c.file)
			src := fmt.Sprintf(`dt = 0.1
duration = 2000
[[population]]
name = "in"
model = "spike-source"
times = [[%s]]
[[population]]
name = "inh"
model = "spike-source"
times = [[%s]]
[[population]]
name = "n"
n = 1
%s
[[projection]]
from = "in"
to = "n"
connect = "one-to-one"
weight = %g
delay = 0.1
[[monitor]]
kind = "spikes"
population = "n"
`, exc, inh, c.pop, weights[c.file])
			if c.file == "cuba.csv" {
				src += "[[projection]]\nfrom = \"inh\"\nto = \"n\"\nchannel = \"inh\"\nconnect = \"one-to-one\"\nweight = 9\ndelay = 0.1\n"
			}
			s, err := Parse("golden", src)
			if err != nil {
				t.Fatal(err)
			}
			net, mons, err := s.Build()
			if err != nil {
				t.Fatal(err)
			}
			defer net.Close()
			net.Run(s.Steps(), mons.Probe)
			steps, _ := mons.Spikes("n")
			got := make([]float64, len(steps))
			for i, st := range steps {
				got[i] = float64(st) * 0.1
			}
			if len(want) < 10 {
				t.Fatalf("golden file has only %d spikes", len(want))
			}
			if len(got) != len(want) {
				t.Fatalf("engram %d spikes, Brian2 %d\nengram %v\nBrian2 %v", len(got), len(want), got, want)
			}
			worst := 0.0
			for i := range want {
				d := math.Abs(got[i] - want[i])
				worst = max(worst, d)
				if d > 0.1+1e-6 {
					t.Errorf("spike %d: engram %.1f ms, Brian2 %.1f ms", i, got[i], want[i])
				}
			}
			t.Logf("%d spikes, largest difference %.1f ms", len(got), worst)
		})
	}
}
