package netspec

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
)

const small = `
seed = 3
dt = 0.1
duration = 200
workers = 1

[[population]]
name = "in"
model = "poisson"
n = 100
rate_hz = 20

[[population]]
name = "E"
model = "lif"
n = 80
lif = { tau_m = 10 }
v_init_uniform = [-60, -50]

[[population]]
name = "I"
model = "coba"
n = 20
init = { v = { dist = "uniform", lo = -60, hi = -55 } }

[[projection]]
from = "in"
to = "E"
connect = "fixed-prob"
p = 0.2
weight = { dist = "normal", mean = 3, sd = 0.5, min = 0 }
delay = { dist = "uniform", lo = 0.5, hi = 2 }

[[projection]]
name = "EI"
from = "E"
to = "I"
connect = "fixed-in-degree"
k = 10
weight = 5
delay = 1

[[projection]]
name = "IE"
from = "I"
to = "E"
channel = "inh"
connect = "full"
weight = 0.5
delay = 1.5
rule = "stdp"
rule_params = { a_plus = 0.01, w = { min = 0, max = 2 } }

[[monitor]]
kind = "spikes"
population = "E"

[[monitor]]
kind = "state"
population = "E"
var = "v"
ids = [0, 5]
every = 1

[[monitor]]
kind = "rate"
population = "in"
every = 10
file = "input_rate.csv"
`

func TestParseDefaults(t *testing.T) {
	s, err := Parse("small", small)
	if err != nil {
		t.Fatal(err)
	}
	want := neuron.DefaultLIF()
	want.TauM = 10
	if *s.Population[1].LIF != want {
		t.Errorf("lif params %+v, want defaults with tau_m 10: %+v", *s.Population[1].LIF, want)
	}
	if s.Projection[0].Name != "in->E" {
		t.Errorf("default projection name %q", s.Projection[0].Name)
	}
	if s.Monitor[0].File != "E_spikes.csv" || s.Monitor[1].File != "E_state_v.csv" {
		t.Errorf("default files %q %q", s.Monitor[0].File, s.Monitor[1].File)
	}
	r, err := s.rule(2)
	if err != nil {
		t.Fatal(err)
	}
	st := r.(*plasticity.STDP)
	if st.APlus != 0.01 || st.W.Max != 2 || st.TauPre != 20 {
		t.Errorf("rule params not applied over defaults: %+v", st)
	}
}

func TestRunWritesMonitors(t *testing.T) {
	s, err := Parse("small", small)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var calls int
	sum, err := s.Run(context.Background(), dir, func(done, total int) {
		calls++
		if done > total {
			t.Errorf("progress %d > %d", done, total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Steps != 2000 || sum.SimMs != 200 || calls == 0 {
		t.Errorf("steps %d, sim %g ms, %d progress calls", sum.Steps, sum.SimMs, calls)
	}
	if sum.Populations[0].Spikes == 0 || sum.Populations[1].Spikes == 0 || sum.SynEvents == 0 {
		t.Errorf("silent network: %+v", sum)
	}
	if r := sum.Populations[0].RateHz; r < 15 || r > 25 {
		t.Errorf("poisson rate %g Hz, want ≈ 20", r)
	}
	for _, f := range []string{"E_spikes.csv", "E_state_v.csv", "input_rate.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) < 2 {
			t.Errorf("%s: %d lines", f, len(lines))
		}
		switch f {
		case "E_spikes.csv":
			if lines[0] != "t_ms,id" || int64(len(lines)-1) != sum.Populations[1].Spikes {
				t.Errorf("%s: header %q, %d rows for %d spikes", f, lines[0], len(lines)-1, sum.Populations[1].Spikes)
			}
		case "E_state_v.csv":
			if lines[0] != "t_ms,0,5" || len(lines) != 201 {
				t.Errorf("%s: header %q, %d lines, want 200 samples", f, lines[0], len(lines))
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Run(ctx, "", nil); err == nil {
		t.Error("cancelled run returned no error")
	}
}

// TestWorkersAgree checks that a spec gives the same spikes for 1 and 2 workers.
func TestWorkersAgree(t *testing.T) {
	var ref []int32
	for _, w := range []int{1, 2} {
		s, err := Parse("small", small)
		if err != nil {
			t.Fatal(err)
		}
		s.Workers = w
		s.MinNeuronsPerWorker = 0 // split even this small network: the test is about worker counts
		net, mons, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		net.Run(s.Steps(), mons.Probe)
		net.Close()
		steps, ids := mons.Spikes("E")
		got := append(slices.Clone(steps), ids...)
		if ref == nil {
			ref = got
		} else if !slices.Equal(ref, got) {
			t.Errorf("workers=%d: spikes differ from 1 worker", w)
		}
	}
}

func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.toml")
	if len(files) < 3 {
		t.Fatalf("found %d examples", len(files))
	}
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		s.Duration = 20
		sum, err := s.Run(context.Background(), "", nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if sum.Steps != 200 {
			t.Errorf("%s: %d steps", f, sum.Steps)
		}
	}
}

// TestBenchmarkRates runs the two Brette et al. (2007) networks for 1 s and
// checks the rates stay in the range Brian2 gives (CUBA ≈ 5 Hz, COBA ≈ 15 Hz
// here, see BENCH.md).
func TestBenchmarkRates(t *testing.T) {
	if testing.Short() {
		t.Skip("1 s of two 4000-neuron networks")
	}
	for _, c := range []struct {
		file   string
		lo, hi float64
	}{{"cuba", 2, 10}, {"coba", 5, 30}} {
		s, err := Load("../examples/" + c.file + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Run(s, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sum.Populations {
			if p.RateHz < c.lo || p.RateHz > c.hi {
				t.Errorf("%s %s: %.2f Hz, want %g–%g", c.file, p.Name, p.RateHz, c.lo, c.hi)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	base := "dt = 0.1\nduration = 10\n[[population]]\nname = \"a\"\nmodel = \"lif\"\nn = 10\n"
	proj := "[[projection]]\nname = \"p\"\nfrom = \"a\"\nto = \"a\"\nconnect = \"fixed-prob\"\np = 0.1\nweight = 1\n"
	cases := []struct{ src, want string }{
		{base + "tau = 3\n", `t:7: unknown key "population.tau"`},
		{base + "lif = { tau_x = 3 }\n", `t:7: unknown key "population.lif.tau_x"`},
		{base + "coba = { c = 100 }\n", `t:3: population "a": parameter table "coba" does not belong to model "lif"`},
		{"[[population]]\nname = \"a\"\nmodel = \"hh\"\nn = 3\n", `population "a": unknown model "hh"`},
		{base + "[[population]]\nname = \"a\"\nmodel = \"lif\"\nn = 1\n", `t:7: population "a": duplicate name`},
		{base + strings.Replace(proj, `to = "a"`, `to = "b"`, 1), `t:7: projection "p": to = "b" names no population`},
		{base + strings.Replace(proj, "weight = 1\n", "", 1), `projection "p": missing weight`},
		{base + strings.Replace(proj, "weight = 1", `weight = { dist = "normal", mu = 1 }`, 1), `unknown key "mu"`},
		{base + strings.Replace(proj, "fixed-prob", "random", 1), `unknown connect "random"`},
		{base + strings.Replace(proj, "p = 0.1", "p = 1.5", 1), `fixed-prob needs p in [0, 1]`},
		{base + proj + "rule = \"stdp\"\nrule_params = { a_plux = 1 }\n", `projection "p": rule_params: unknown key "a_plux" for rule "stdp"`},
		{base + proj + "rule = \"bogus\"\n", `unknown rule "bogus"`},
		{base + "[[monitor]]\nkind = \"state\"\npopulation = \"a\"\nvar = \"w\"\n", `monitor 1: model lif has no state variable "w"`},
		{base + "[[monitor]]\nkind = \"spikes\"\npopulation = \"a\"\nids = [10]\n", `monitor 1: id 10 out of range`},
		{base + "[[monitor]]\nkind = \"spikes\"\npopulation = \"a\"\nfile = \"../x.csv\"\n", `must be a plain file name`},
		{base + "init = { q = 1 }\n", `init: model lif has no state variable "q"`},
		{"dt = -1\n[[population]]\nname = \"a\"\nmodel = \"lif\"\nn = 1\n", `dt = -1 ms must be in (0, 1000]`},
	}
	for _, c := range cases {
		_, err := Parse("t", c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v\nwant it to contain %q\nsource:\n%s", err, c.want, c.src)
		}
	}
}

func FuzzSpec(f *testing.F) {
	f.Add(small)
	for _, name := range []string{"cuba", "coba", "stdp_song2000"} {
		if b, err := os.ReadFile("../examples/" + name + ".toml"); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("[[population]]\nname=\"a\"\nmodel=\"spike-source\"\ntimes=[[1,2],[0.5]]\n")
	f.Add("weight = { dist = \"uniform\", lo = 1, hi = 0 }")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		// Build small valid specs too (bounded so the fuzzer stays fast).
		total := 0
		for _, p := range s.Population {
			total += p.N
		}
		ring := 1.0
		for _, pr := range s.Projection {
			ring = max(ring, pr.maxDelaySteps(s.Dt))
		}
		if total > 2000 || ring*float64(total) > 1e6 {
			return
		}
		s.Duration = min(s.Duration, 10*s.Dt)
		s.Workers = min(s.Workers, 2)
		s.MinNeuronsPerWorker = 0
		net, mons, err := s.Build()
		if err != nil {
			return
		}
		net.Run(s.Steps(), mons.Probe)
		net.Close()
	})
}

// TestMinNeuronsPerWorker checks the worker cap: the default keeps a small
// network on one worker, 0 uses every worker requested, a cap of n/2 uses
// two of four, and a negative value is an error.
func TestMinNeuronsPerWorker(t *testing.T) {
	s, err := Parse("small", small)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range s.Population {
		total += p.N
	}
	if total >= DefaultMinNeuronsPerWorker {
		t.Fatalf("the small spec has %d neurons, not below the default cap", total)
	}
	for _, tc := range []struct{ min, want int }{{DefaultMinNeuronsPerWorker, 1}, {0, 4}, {total / 2, 2}, {total + 1, 1}} {
		s.Workers, s.MinNeuronsPerWorker = 4, tc.min
		net, _, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		if got := net.Workers(); got != tc.want {
			t.Errorf("min_neurons_per_worker = %d, %d neurons, 4 workers requested: %d used, want %d", tc.min, total, got, tc.want)
		}
		net.Close()
	}
	if _, err := Parse("neg", "min_neurons_per_worker = -1\n"+small); err == nil || !strings.Contains(err.Error(), "min_neurons_per_worker") {
		t.Errorf("negative min_neurons_per_worker: error %v", err)
	}
}
