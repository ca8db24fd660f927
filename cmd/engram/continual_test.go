package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// TestContinualCLI runs a two-task permuted-MNIST stream end to end and checks
// the JSON summary and the run folder's files.
func TestContinualCLI(t *testing.T) {
	if _, _, err := dataset.Load(dataset.NameMNIST); err != nil {
		t.Skip(err)
	}
	out := t.TempDir()
	stdout, stderr, err := runCmd(t, "continual", "--stream", "permuted-mnist", "--method", "ewc", "--tasks", "2",
		"--train-limit", "300", "--test-limit", "200", "--epochs", "1", "--hidden", "64", "--out", out, "--json", "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	s := lastJSON(t, stdout)
	if !s.OK || s.Metrics["tasks"] != 2 {
		t.Fatalf("summary %+v", s)
	}
	if acc := s.Metrics["acc"]; !(acc > 0.3 && acc <= 1) {
		t.Errorf("ACC %v after two tasks of 300 samples: not learning", acc)
	}
	for _, f := range []string{"config.toml", "run.json", "result.json", "accuracy_matrix.png"} {
		if _, err := os.Stat(filepath.Join(s.RunDir, f)); err != nil {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	// the spiking learner (local rules) with HLOP, same run folder files
	stdout, stderr, err = runCmd(t, "continual", "--stream", "permuted-mnist", "--method", "hlop-snn", "--tasks", "2",
		"--train-limit", "300", "--test-limit", "200", "--out", out, "--json", "--quiet")
	if err != nil {
		t.Fatalf("hlop-snn: %v\n%s", err, stderr)
	}
	s = lastJSON(t, stdout)
	if !s.OK || s.Metrics["tasks"] != 2 || !(s.Metrics["acc"] > 0.3) {
		t.Fatalf("hlop-snn summary %+v", s)
	}
	for _, f := range []string{"config.toml", "result.json", "accuracy_matrix.png", "metrics.csv"} {
		if _, err := os.Stat(filepath.Join(s.RunDir, f)); err != nil {
			t.Errorf("hlop-snn run folder lacks %s: %v", f, err)
		}
	}
	if _, _, err := runCmd(t, "continual", "--method", "nonsense", "--out", ""); err == nil {
		t.Error("an unknown method was accepted")
	}
}
