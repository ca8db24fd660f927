package runlog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestNewCreatesUniqueDirs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "runs") // created by New
	pat := regexp.MustCompile(`^train-\d{8}-\d{6}(-\d+)?$`)
	seen := map[string]bool{}
	for i := 0; i < 4; i++ {
		r, err := New(root, "train")
		if err != nil {
			t.Fatal(err)
		}
		if seen[r.Dir()] {
			t.Fatalf("duplicate run dir %s", r.Dir())
		}
		seen[r.Dir()] = true
		if filepath.Dir(r.Dir()) != root || !pat.MatchString(filepath.Base(r.Dir())) {
			t.Fatalf("bad run dir %s", r.Dir())
		}
		if st, err := os.Stat(r.CheckpointDir()); err != nil || !st.IsDir() {
			t.Fatalf("checkpoint dir: %v", err)
		}
		if time.Since(r.Start()) > time.Minute {
			t.Fatal("bad start time")
		}
	}
	for _, bad := range []string{"", ".", "..", "a/b", `a\b`} {
		if _, err := New(root, bad); err == nil {
			t.Fatalf("name %q accepted", bad)
		}
	}
}

func TestPathStaysInside(t *testing.T) {
	r := &Run{dir: filepath.FromSlash("/runs/x")}
	tests := []struct{ rel, want string }{
		{"metrics.csv", "/runs/x/metrics.csv"},
		{"plots/raster.png", "/runs/x/plots/raster.png"},
		{"../../etc/passwd", "/runs/x/etc/passwd"},
		{"/abs", "/runs/x/abs"},
		{"", "/runs/x"},
	}
	for _, tc := range tests {
		if got := r.Path(tc.rel); got != filepath.FromSlash(tc.want) {
			t.Errorf("Path(%q) = %q, want %q", tc.rel, got, tc.want)
		}
	}
}

type testConfig struct {
	Seed  uint64
	Name  string
	Rates []float64
	LIF   struct {
		TauMs   float64 `toml:"tau_ms"`
		Enabled bool
	}
}

func TestSaveConfigRoundTrips(t *testing.T) {
	r, err := New(t.TempDir(), "cfg")
	if err != nil {
		t.Fatal(err)
	}
	var in testConfig
	in.Seed, in.Name, in.Rates = 1<<62+5, "flagship", []float64{0.5, 20}
	in.LIF.TauMs, in.LIF.Enabled = 20, true
	if err := r.SaveConfig(in); err != nil {
		t.Fatal(err)
	}
	var out testConfig
	if _, err := toml.DecodeFile(r.Path("config.toml"), &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("config round trip: %+v vs %+v", out, in)
	}
	if err := r.SaveConfig(func() {}); err == nil {
		t.Fatal("unencodable config accepted")
	}
	entries, _ := os.ReadDir(r.Dir())
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temp file left: %s", e.Name())
		}
	}
}

func TestSaveInfo(t *testing.T) {
	r, err := New(t.TempDir(), "info")
	if err != nil {
		t.Fatal(err)
	}
	const seed = uint64(18446744073709551557) // > 2^53: must survive exactly
	if err := r.SaveInfo(seed, map[string]any{"dataset": "mnist", "bad": math.NaN()}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(r.Path("run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info Info
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"seed", info.Seed == seed},
		{"command", reflect.DeepEqual(info.Command, os.Args)},
		{"go version", info.GoVersion == runtime.Version()},
		{"goos/goarch", info.GOOS == runtime.GOOS && info.GOARCH == runtime.GOARCH},
		{"numcpu", info.NumCPU == runtime.NumCPU()},
		{"start", info.Start == r.Start().UTC().Format(time.RFC3339Nano)},
		{"vcs fields filled", info.Revision != "" && info.Modified != "" && info.VCSTime != "" && info.Version != ""},
		{"extra", info.Extra["dataset"] == "mnist" && info.Extra["bad"] == nil},
		{"dir", info.Dir == r.Dir()},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s wrong in %s", c.name, b)
		}
	}
}

func TestBuildInfoKeys(t *testing.T) {
	m := BuildInfo()
	for _, k := range []string{"go_version", "goos", "goarch", "num_cpu", "module_path", "module_version", "vcs", "vcs.revision", "vcs.time", "vcs.modified"} {
		if m[k] == "" {
			t.Errorf("key %s empty", k)
		}
	}
	if m["go_version"] != runtime.Version() {
		t.Errorf("go_version %q", m["go_version"])
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestMetricsJSONLAndCSV(t *testing.T) {
	r, err := New(t.TempDir(), "m")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Metrics()
	if err != nil {
		t.Fatal(err)
	}
	if m2, _ := r.Metrics(); m2 != m {
		t.Fatal("Metrics() not cached")
	}
	rows := []struct {
		row      Row
		wantJSON string
		wantCSV  []string // columns: acc, epoch, loss, phase
	}{
		{Row{"epoch": 1, "acc": float32(0.1), "loss": 2.5, "phase": "train"}, `{"acc":0.1,"epoch":1,"loss":2.5,"phase":"train"}`, []string{"0.1", "1", "2.5", "train"}},
		{Row{"epoch": 2, "loss": math.NaN(), "phase": "a,\"b\""}, `{"epoch":2,"loss":null,"phase":"a,\"b\""}`, []string{"", "2", "NaN", "a,\"b\""}},
		{Row{"epoch": int64(3), "acc": 0.97, "new_key": true}, `{"acc":0.97,"epoch":3,"new_key":true}`, []string{"0.97", "3", "", ""}},
		{Row{"epoch": uint8(4), "loss": math.Inf(-1)}, `{"epoch":4,"loss":null}`, []string{"", "4", "-Inf", ""}},
	}
	for _, tc := range rows {
		if err := m.Log(tc.row); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Log(Row{}); err == nil {
		t.Fatal("empty row accepted")
	}
	// No Close yet: everything logged must already be on disk (kill-safe).
	lines := readLines(t, r.Path("metrics.jsonl"))
	recs := readCSV(t, r.Path("metrics.csv"))
	if len(lines) != len(rows) || len(recs) != len(rows)+1 {
		t.Fatalf("%d jsonl lines, %d csv records", len(lines), len(recs))
	}
	if want := []string{"acc", "epoch", "loss", "phase"}; !reflect.DeepEqual(recs[0], want) || !reflect.DeepEqual(m.Columns(), want) {
		t.Fatalf("header %v", recs[0])
	}
	for i, tc := range rows {
		if lines[i] != tc.wantJSON {
			t.Errorf("jsonl row %d = %s, want %s", i, lines[i], tc.wantJSON)
		}
		if !reflect.DeepEqual(recs[i+1], tc.wantCSV) {
			t.Errorf("csv row %d = %q, want %q", i, recs[i+1], tc.wantCSV)
		}
	}
	if d := m.Dropped(); !reflect.DeepEqual(d, []string{"new_key"}) {
		t.Fatalf("dropped %v", d)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Log(Row{"epoch": 5}); err == nil {
		t.Fatal("Log after Close succeeded")
	}

	// Reopening appends under the existing header.
	m3, err := OpenMetrics(r.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if err := m3.Log(Row{"loss": 1.0, "epoch": 5}); err != nil {
		t.Fatal(err)
	}
	m3.Close()
	recs = readCSV(t, r.Path("metrics.csv"))
	if len(recs) != len(rows)+2 || !reflect.DeepEqual(recs[len(recs)-1], []string{"", "5", "1", ""}) {
		t.Fatalf("after reopen: %q", recs)
	}
}

func TestMetricsConcurrentRowsStayWhole(t *testing.T) {
	r, _ := New(t.TempDir(), "c")
	m, _ := r.Metrics()
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; i < 50; i++ {
				m.Log(Row{"g": g, "i": i, "text": strings.Repeat("x", 100)})
			}
			done <- true
		}(g)
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	m.Close()
	lines := readLines(t, r.Path("metrics.jsonl"))
	if len(lines) != 200 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("torn line %q", l)
		}
	}
	if recs := readCSV(t, r.Path("metrics.csv")); len(recs) != 201 {
		t.Fatalf("%d csv records", len(recs))
	}
}

func TestPeakRSS(t *testing.T) {
	if runtime.GOOS == "linux" || runtime.GOOS == "darwin" {
		if v := PeakRSS(); v < 1<<20 || v > 1<<40 {
			t.Fatalf("PeakRSS = %d bytes, implausible", v)
		}
		if v := maxRSS(); v < 1<<20 {
			t.Fatalf("maxRSS fallback = %d", v)
		}
	}
	tests := []struct {
		in   string
		want int64
	}{
		{"Name:\tgo\nVmPeak:\t  999 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1 kB\n", 2048 * 1024},
		{"VmHWM: 7\n", 7},
		{"VmHWM:\n", 0},
		{"VmHWM: x kB\n", 0},
		{"Name: go\n", 0},
	}
	for _, tc := range tests {
		if got := parseVmHWM(bufio.NewScanner(strings.NewReader(tc.in))); got != tc.want {
			t.Errorf("parseVmHWM(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if vmHWM("/nonexistent/status") != 0 {
		t.Error("missing file should give 0")
	}
}

func TestWriteJSONLineSummary(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"summary", Summary{Command: "train", OK: true, Seed: 1 << 60, WallSeconds: 1.5, Metrics: map[string]float64{"acc": 0.9, "bad": math.Inf(1)}, Artifacts: map[string]string{"model": "a<b>.safetensors"}},
			`{"command":"train","ok":true,"seed":1152921504606846976,"wall_seconds":1.5,"peak_rss_bytes":0,"metrics":{"acc":0.9,"bad":null},"artifacts":{"model":"a<b>.safetensors"}}`},
		{"error", Summary{Command: "eval", Error: "boom"}, `{"command":"eval","ok":false,"error":"boom","seed":0,"wall_seconds":0,"peak_rss_bytes":0}`},
		{"map", map[string]int{"b": 2, "a": 1}, `{"a":1,"b":2}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSONLine(&b, tc.v); err != nil {
				t.Fatal(err)
			}
			s := b.String()
			if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
				t.Fatalf("not one line: %q", s)
			}
			if strings.TrimSuffix(s, "\n") != tc.want {
				t.Fatalf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
	if err := WriteJSONLine(&bytes.Buffer{}, math.NaN()); err == nil {
		t.Fatal("NaN accepted")
	}
}

func TestOpenExisting(t *testing.T) {
	root := t.TempDir()
	r, err := New(root, "resume")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(r.Dir()); err == nil {
		t.Fatal("Open accepted a folder without config.toml")
	}
	if err := r.SaveConfig(map[string]any{"a": 1}); err != nil {
		t.Fatal(err)
	}
	m, _ := r.Metrics()
	m.Log(Row{"epoch": 1})
	r.Close()
	r2, err := Open(r.Dir())
	if err != nil {
		t.Fatal(err)
	}
	m2, err := r2.Metrics()
	if err != nil {
		t.Fatal(err)
	}
	m2.Log(Row{"epoch": 2})
	r2.Close()
	b, err := os.ReadFile(filepath.Join(r.Dir(), "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != "epoch\n1\n2\n" {
		t.Errorf("metrics.csv after reopening = %q", got)
	}
}

func TestCPUTimeAdvances(t *testing.T) {
	c0 := CPUTime()
	if c0 == 0 && runtime.GOOS == "linux" {
		t.Fatal("CPUTime is 0 on Linux")
	}
	x := 1.0
	for i := 0; i < 30_000_000; i++ { // ≈ 30 ms of arithmetic
		x = x*1.0000001 + 1e-9
	}
	if c1 := CPUTime(); runtime.GOOS == "linux" && c1 <= c0 {
		t.Fatalf("CPUTime did not advance (%v → %v, x=%g)", c0, c1, x)
	}
}
