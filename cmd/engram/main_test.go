package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/engram-lab/engram/runlog"
)

// TestMain lets the test binary act as the engram command when
// ENGRAM_TEST_MAIN is set, so tests can run (and kill) a real process.
func TestMain(m *testing.M) {
	if os.Getenv("ENGRAM_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const smallConfig = `data = "mnist"
train_limit = 400
test_limit = 200

[model]
epochs = 2
layers = [100]
block_size = 50
ff_degree = 8
batch_size = 16
`

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "run.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func lastJSON(t *testing.T, out string) runlog.Summary {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var s runlog.Summary
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil {
		t.Fatalf("last line %q is not a JSON summary: %v", lines[len(lines)-1], err)
	}
	return s
}

func TestVersion(t *testing.T) {
	out, _, err := runCmd(t, "version")
	if err != nil || !strings.Contains(out, "go_version") {
		t.Errorf("version: %q, %v", out, err)
	}
}

func TestTrainEvalJSON(t *testing.T) {
	root := t.TempDir()
	out, _, err := runCmd(t, "train", "--config", writeConfig(t, smallConfig), "--out", root, "--json", "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	s := lastJSON(t, out)
	if !s.OK || s.RunDir == "" || s.Metrics["test_accuracy"] <= 0.2 || s.Metrics["samples_per_s"] <= 0 || s.PeakRSSBytes <= 0 {
		t.Errorf("summary %+v", s)
	}
	model := s.Artifacts["model"]
	out, _, err = runCmd(t, "eval", "--model", model, "--limit", "200", "--json")
	if err != nil {
		t.Fatal(err)
	}
	e := lastJSON(t, out)
	if e.Metrics["test_accuracy"] != s.Metrics["test_accuracy"] {
		t.Errorf("eval accuracy %v, train reported %v", e.Metrics["test_accuracy"], s.Metrics["test_accuracy"])
	}
	if _, _, err := runCmd(t, "plot", s.RunDir); err != nil {
		t.Errorf("plot: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"train", "--config", writeConfig(t, smallConfig+"lr_outt = 1\n")}, `unknown key "model.lr_outt"`},
		{[]string{"train", "--data", "no-such-set", "--out", t.TempDir()}, "no-such-set"},
		{[]string{"eval", "--model", filepath.Join(t.TempDir(), "missing.safetensors")}, "missing.safetensors"},
		{[]string{"train", "--resume", t.TempDir()}, "config.toml"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"bench", "rules", "--full", "stdp-dc", "--v-thresh", "-60"}, "apply to --full stdp-sym"},
		{[]string{"bench", "rules", "--full", "stdp-sym", "--v-thresh", "-70"}, "--v-thresh -70 mV"},
		{[]string{"bench", "rules", "--full", "stdp-dc", "--tau-theta", "5e7"}, "apply to --full stdp-sym"},
		{[]string{"bench", "rules", "--full", "stdp-sym", "--tau-theta", "-1"}, "--tau-theta -1 ms"},
		{[]string{"bench", "rules", "--full", "stdp-sym", "--assign-frozen", "-1"}, "--assign-frozen -1"},
	}
	for _, c := range cases {
		_, _, err := runCmd(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want it to mention %q", c.args, err, c.want)
		}
	}
}

// TestKillAndResume kills a real training process with SIGKILL after its
// first checkpoint, resumes it, and checks the result equals an
// uninterrupted run of the same seed.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs training processes")
	}
	cfg := writeConfig(t, strings.Replace(smallConfig, "epochs = 2", "epochs = 4", 1))
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "train", "--config", cfg, "--out", root, "--quiet", "--no-plots", "--name", "killed")
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var dir string
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		m, _ := filepath.Glob(filepath.Join(root, "killed-*", "checkpoints", "last.safetensors"))
		if len(m) == 1 {
			dir = filepath.Dir(filepath.Dir(m[0]))
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if dir == "" {
		t.Fatal("no checkpoint appeared")
	}
	if _, err := os.Stat(filepath.Join(dir, "model.safetensors")); err == nil {
		t.Skip("the process finished before it was killed; nothing to resume")
	}
	out, _, err := runCmd(t, "train", "--resume", dir, "--json", "--quiet", "--no-plots")
	if err != nil {
		t.Fatal(err)
	}
	resumed := lastJSON(t, out)
	out, _, err = runCmd(t, "train", "--config", cfg, "--out", root, "--json", "--quiet", "--no-plots", "--name", "whole")
	if err != nil {
		t.Fatal(err)
	}
	whole := lastJSON(t, out)
	a, _ := os.ReadFile(resumed.Artifacts["model"])
	b, _ := os.ReadFile(whole.Artifacts["model"])
	// The files' metadata hold the same config and epoch, so equal weights
	// give byte-identical files.
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("resumed model differs from the uninterrupted one (%d vs %d bytes)", len(a), len(b))
	}
	if resumed.Metrics["epochs"] != 4 {
		t.Errorf("resumed run reports %v epochs", resumed.Metrics["epochs"])
	}
}

func TestSim(t *testing.T) {
	spec := `seed = 3
dt = 0.1
duration = 200

[[population]]
name = "in"
model = "poisson"
n = 100
rate_hz = 20

[[population]]
name = "e"
model = "lif"
n = 50

[[projection]]
from = "in"
to = "e"
connect = "fixed-prob"
p = 0.2
weight = 2.0
delay = 1.0

[[monitor]]
kind = "spikes"
population = "e"
`
	p := writeConfig(t, spec)
	out, _, err := runCmd(t, "sim", p, "--out", t.TempDir(), "--json", "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	s := lastJSON(t, out)
	if !s.OK || s.Metrics["steps"] != 2000 || s.Metrics["rate_hz_in"] < 10 || s.Metrics["rate_hz_in"] > 30 {
		t.Errorf("sim summary %+v", s)
	}
	files, _ := filepath.Glob(filepath.Join(s.RunDir, "*.csv"))
	if len(files) == 0 {
		t.Error("sim wrote no monitor file")
	}
}

// TestBenchFlagshipAblations runs the ablation table on a tiny budget: each
// row is a real child training process whose JSON summary is parsed.
func TestBenchFlagshipAblations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs seven training processes")
	}
	t.Setenv("ENGRAM_TEST_MAIN", "1") // children of the test binary act as engram
	md := filepath.Join(t.TempDir(), "BENCH.md")
	os.WriteFile(md, []byte("# Benchmarks\n\nkept text\n"), 0o644)
	out, errOut, err := runCmd(t, "bench", "flagship", "--only", "ablations", "--epochs", "1", "--limit", "1000", "--test-limit", "300", "--md", md)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	t.Log(out)
	rows := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| ablation") {
			rows++
			var acc float64
			f := strings.Split(l, "|")
			if _, err := fmt.Sscan(strings.TrimSpace(f[2]), &acc); err != nil || acc <= 10 || acc > 100 {
				t.Errorf("row %q: accuracy %v", l, acc)
			}
		}
	}
	if rows != len(flagshipAblations()) {
		t.Errorf("%d rows, want %d:\n%s", rows, len(flagshipAblations()), out)
	}
	b, _ := os.ReadFile(md)
	if !strings.Contains(string(b), "kept text") || !strings.Contains(string(b), "<!-- bench:flagship -->") {
		t.Errorf("markdown section not written or other text lost:\n%s", b)
	}
}

func TestWriteClaims(t *testing.T) {
	var b bytes.Buffer
	failed, err := writeClaims(context.Background(), &b, []claimRow{
		{"a", "src", "claim a", "TestA", func() (string, bool, error) { return "x|y", true, nil }},
		{"b", "src", "claim b", "TestB", func() (string, bool, error) { return "", false, fmt.Errorf("boom") }},
	})
	if err != nil || failed != 1 {
		t.Fatalf("failed %d, err %v", failed, err)
	}
	out := b.String()
	if !strings.Contains(out, "| a | src | claim a | x/y | yes |") || !strings.Contains(out, "| b | src | claim b | error: boom | no |") {
		t.Errorf("table:\n%s", out)
	}
}

// TestCPUProfile checks that --cpuprofile writes a profile that go tool
// pprof can read (a gzip-compressed protocol buffer) and that an unwritable
// path is a clear error before the command runs.
func TestCPUProfile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cpu.prof")
	if _, _, err := runCmd(t, "--cpuprofile", p, "version"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile %d bytes, does not start with the gzip magic", len(b))
	}
	bad := filepath.Join(t.TempDir(), "no-such-dir", "cpu.prof")
	if _, _, err := runCmd(t, "version", "--cpuprofile", bad); err == nil || !strings.Contains(err.Error(), "--cpuprofile") {
		t.Errorf("unwritable profile path: error %v", err)
	}
}
