package train

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/modelfile"
)

var mnistSets [2]*dataset.Set

// opts returns options that reuse one loaded copy of MNIST.
func opts(t *testing.T, c RateConfig, root string) RateOptions {
	t.Helper()
	if mnistSets[0] == nil {
		tr, te, err := dataset.Load(dataset.NameMNIST)
		if err != nil {
			t.Skip(err)
		}
		mnistSets = [2]*dataset.Set{tr.Head(1000), te.Head(500)}
	}
	return RateOptions{Config: c, OutRoot: root, Train: mnistSets[0], Test: mnistSets[1]}
}

func smallRate(model, rule string) RateConfig {
	c := DefaultRateConfig(model, rule)
	c.TrainLimit, c.TestLimit, c.Epochs, c.Batch = 600, 200, 2, 20
	c.Hidden = []int{64}
	if model == "cnn" {
		c.Hidden = []int{8}
	}
	return c
}

// TestRunRate trains every model/rule pair on 600 MNIST samples for two
// epochs and checks the run folder, the model file and that each learns
// above chance (10 %).
func TestRunRate(t *testing.T) {
	cases := []struct{ model, rule string }{
		{"mlp", "bp"}, {"mlp", "fa"}, {"mlp", "dfa"}, {"mlp", "drtp"}, {"mlp", "ep"}, {"mlp", "softhebb"},
		{"cnn", "bp"}, {"cnn", "fa"}, {"cnn", "dfa"}, {"cnn", "drtp"}, {"cnn", "softhebb"},
	}
	if testing.Short() {
		cases = cases[:1]
	}
	root := t.TempDir()
	for _, c := range cases {
		t.Run(c.model+"-"+c.rule, func(t *testing.T) {
			res, err := RunRate(context.Background(), opts(t, smallRate(c.model, c.rule), root))
			if err != nil {
				t.Fatal(err)
			}
			if res.Epochs != 2 || res.TestAccuracy < 0.3 {
				t.Fatalf("epochs %d, test accuracy %.3f (want 2 epochs, ≥ 0.3)", res.Epochs, res.TestAccuracy)
			}
			for _, f := range []string{"config.toml", "run.json", "metrics.jsonl", "metrics.csv", "model.safetensors", "checkpoints/last.safetensors"} {
				if _, err := os.Stat(filepath.Join(res.RunDir, f)); err != nil {
					t.Error(err)
				}
			}
			m, err := modelfile.Read(res.ModelPath)
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind() != "rate-model" || len(m.Tensors) == 0 || !strings.Contains(m.Meta[modelfile.KeyConfig], `rule = "`+c.rule+`"`) {
				t.Fatalf("model file: kind %q, %d tensors, config %q", m.Kind(), len(m.Tensors), m.Meta[modelfile.KeyConfig])
			}
			t.Logf("%s/%s: test %.3f", c.model, c.rule, res.TestAccuracy)
		})
	}
}

// TestRunRateDeterministic trains the same DFA run twice and compares the
// saved weights bit for bit.
func TestRunRateDeterministic(t *testing.T) {
	root := t.TempDir()
	var got [2]map[string][]byte
	for i := range got {
		res, err := RunRate(context.Background(), opts(t, smallRate("mlp", "dfa"), root))
		if err != nil {
			t.Fatal(err)
		}
		got[i] = tensors(t, res.ModelPath)
	}
	for k, v := range got[0] {
		if string(v) != string(got[1][k]) {
			t.Fatalf("tensor %s differs between identical runs", k)
		}
	}
}

// TestRunRateErrors: unknown models and rules, and rules unavailable for
// cnn (ep), are errors; a cancelled context stops the run.
func TestRunRateErrors(t *testing.T) {
	for _, c := range []struct{ model, rule string }{{"rnn", "bp"}, {"mlp", "foo"}, {"cnn", "ep"}} {
		if _, err := RunRate(context.Background(), opts(t, smallRate(c.model, c.rule), t.TempDir())); err == nil {
			t.Errorf("%s/%s: no error", c.model, c.rule)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunRate(ctx, opts(t, smallRate("mlp", "bp"), t.TempDir())); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run returned %v", err)
	}
}
