package train

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-lab/engram/modelfile"
)

// metricRows returns the per-epoch training metrics of a run folder, the
// timing columns left out.
func metricRows(t *testing.T, dir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, fmt.Sprint(r["epoch"], r["train_accuracy"], r["train_loss"], r["test_accuracy"]))
	}
	return rows
}

// TestRunRateResume interrupts rate runs after epoch k (context cancelled
// from AfterEpoch, as TestResumeMatchesUninterrupted does for the flagship),
// resumes them with RateOptions.Resume and checks that the final model file
// and every epoch's metrics equal those of an uninterrupted run bit for bit.
// k = 0 for softhebb resumes after the Hebbian phase.
func TestRunRateResume(t *testing.T) {
	cases := []struct {
		model, rule string
		k           int
	}{
		{"mlp", "bp", 1}, {"mlp", "dfa", 2}, {"cnn", "softhebb", 0}, {"cnn", "softhebb", 1}, {"cnn", "fa", 1},
	}
	if testing.Short() {
		cases = cases[:2]
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s-%s-k%d", c.model, c.rule, c.k), func(t *testing.T) {
			root := t.TempDir()
			rc := smallRate(c.model, c.rule)
			rc.Epochs = 3
			full, err := RunRate(context.Background(), opts(t, rc, root))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := opts(t, rc, root)
			o.Name = "cut"
			o.AfterEpoch = func(e int) {
				if e == c.k {
					cancel()
				}
			}
			cut, err := RunRate(ctx, o)
			if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "--resume "+cut.RunDir) {
				t.Fatalf("interrupted run returned %v, want context.Canceled naming the folder to resume", err)
			}
			if got, ok, err := ReadRateRun(cut.RunDir); err != nil || !ok || got.Rule != c.rule {
				t.Fatalf("ReadRateRun: %+v, %v, %v", got, ok, err)
			}
			o = opts(t, RateConfig{}, "")
			o.Resume = cut.RunDir
			resumed, err := RunRate(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if resumed.Epochs != 3 || resumed.TestAccuracy != full.TestAccuracy || resumed.TrainAccuracy != full.TrainAccuracy {
				t.Errorf("resumed: epoch %d, test %v, train %v; uninterrupted: test %v, train %v",
					resumed.Epochs, resumed.TestAccuracy, resumed.TrainAccuracy, full.TestAccuracy, full.TrainAccuracy)
			}
			a, b := tensors(t, full.ModelPath), tensors(t, resumed.ModelPath)
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("tensor sets differ: %d vs %d", len(a), len(b))
			}
			for name, x := range a {
				if !bytes.Equal(x, b[name]) {
					t.Errorf("tensor %s differs between the uninterrupted and the resumed run", name)
				}
			}
			ra, rb := metricRows(t, full.RunDir), metricRows(t, cut.RunDir)
			if len(ra) != 3 || strings.Join(ra, "\n") != strings.Join(rb, "\n") {
				t.Errorf("metrics differ:\nuninterrupted\n%s\nresumed\n%s", strings.Join(ra, "\n"), strings.Join(rb, "\n"))
			}
		})
	}
}

// TestRunRateResumeErrors: a corrupted checkpoint is refused with the
// checksum error, a flagship folder is not a rate run, and resuming a
// finished run trains nothing and reports its last epoch.
func TestRunRateResumeErrors(t *testing.T) {
	rc := smallRate("mlp", "dfa")
	rc.Epochs = 1
	res, err := RunRate(context.Background(), opts(t, rc, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	o := opts(t, RateConfig{}, "")
	o.Resume = res.RunDir
	again, err := RunRate(context.Background(), o)
	if err != nil || again.Epochs != 1 || again.TestAccuracy != res.TestAccuracy {
		t.Fatalf("resuming a finished run: %+v, %v", again, err)
	}
	ck := filepath.Join(res.RunDir, "checkpoints", checkpointName)
	b, err := os.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0x40 // one bit of the last weight
	if err := os.WriteFile(ck, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := RunRate(context.Background(), o); !errors.Is(err, modelfile.ErrChecksum) || !strings.HasPrefix(err.Error(), "resume: ") {
		t.Fatalf("corrupted checkpoint: %v, want a resume error wrapping modelfile.ErrChecksum", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte("data = \"mnist\"\n[model]\nepochs = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ReadRateRun(dir); ok || err != nil {
		t.Fatalf("flagship folder: rate %v, %v", ok, err)
	}
}
