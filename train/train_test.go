package train

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/engram-lab/engram/modelfile"
)

// small is a configuration that trains in about a second.
func small() RunConfig {
	rc := DefaultRunConfig()
	rc.TrainLimit, rc.TestLimit = 400, 200
	rc.Model.Layers = []int{100}
	rc.Model.BlockSize = 50
	rc.Model.FFDegree = 8
	rc.Model.Epochs = 3
	rc.Model.BatchSize = 16
	return rc
}

func tensors(t *testing.T, path string) map[string][]byte {
	t.Helper()
	f, err := modelfile.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, x := range f.Tensors {
		m[x.Name] = x.Data
	}
	return m
}

// TestResumeMatchesUninterrupted interrupts a run during its second epoch,
// resumes it from the kept checkpoint, and checks that the final model is
// bit-identical to an uninterrupted run with the same seed.
// The run with an encoder also checks that the resumed run restores the
// encoder from the checkpoint instead of learning it again.
func TestResumeMatchesUninterrupted(t *testing.T) {
	for _, c := range []struct {
		name string
		rc   RunConfig
	}{{"pixels", small()}, {"encoder", smallEncoder()}} {
		t.Run(c.name, func(t *testing.T) { testResume(t, c.rc) })
	}
}

func testResume(t *testing.T, rc RunConfig) {
	root := t.TempDir()
	full, err := Run(context.Background(), Options{Config: rc, OutRoot: root, Name: "full", NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	_, err = Run(ctx, Options{Config: rc, OutRoot: root, Name: "cut", NoPlots: true,
		AfterEpoch: func(e int) {
			if e == 1 {
				cancel() // the next epoch stops at its first minibatch
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "--resume") {
		t.Errorf("interruption message %q does not say how to resume", err)
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "cut-*"))
	if len(dirs) != 1 {
		t.Fatalf("run folders %v", dirs)
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "checkpoints", checkpointName)); err != nil {
		t.Fatalf("no checkpoint kept: %v", err)
	}
	resumed, err := Run(context.Background(), Options{Resume: dirs[0], NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Epochs != 3 {
		t.Errorf("resumed run ended at epoch %d, want 3", resumed.Epochs)
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
	if full.TestAccuracy != resumed.TestAccuracy {
		t.Errorf("test accuracy %v vs %v", full.TestAccuracy, resumed.TestAccuracy)
	}
	// metrics.csv holds one row per epoch, none repeated
	b2, err := os.ReadFile(filepath.Join(dirs[0], "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.TrimSpace(string(b2)), "\n"); n != 3 {
		t.Errorf("metrics.csv has %d data rows, want 3:\n%s", n, b2)
	}
}

func TestSaveLoadPredictions(t *testing.T) {
	rc := small()
	rc.Model.Epochs = 1
	res, err := Run(context.Background(), Options{Config: rc, OutRoot: t.TempDir(), NoPlots: false})
	if err != nil {
		t.Fatal(err)
	}
	if res.TestAccuracy < 0.3 { // chance is 10 %
		t.Errorf("one epoch on 400 MNIST samples gives %.1f%% test accuracy; expected learning well above chance", 100*res.TestAccuracy)
	}
	f, rc2, err := ReadModel(res.ModelPath)
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind() != kindModel || rc2.TrainLimit != rc.TrainLimit {
		t.Errorf("kind %q, config %+v", f.Kind(), rc2)
	}
	_, test, err := Data(rc2)
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(res.ModelPath, rc2, test.Dim, test.Classes)
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := m.Evaluate(test)
	if acc != res.TestAccuracy {
		t.Errorf("reloaded model scores %v, trained model %v", acc, res.TestAccuracy)
	}
	for _, name := range []string{"report.html", "learning_curves.png", "receptive_fields.png", "raster_layer-1.png", "config.toml", "run.json", "metrics.jsonl"} {
		if _, err := os.Stat(filepath.Join(res.RunDir, name)); err != nil {
			t.Errorf("run folder lacks %s", name)
		}
	}
}

func TestCorruptModelFile(t *testing.T) {
	rc := small()
	rc.Model.Epochs = 1
	res, err := Run(context.Background(), Options{Config: rc, OutRoot: t.TempDir(), NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(res.ModelPath)
	b[len(b)/2] ^= 0x40
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	os.WriteFile(bad, b, 0o644)
	if _, _, err := ReadModel(bad); !errors.Is(err, modelfile.ErrChecksum) {
		t.Errorf("corrupted model: %v, want a checksum error", err)
	}
	os.WriteFile(bad, b[:len(b)/3], 0o644)
	if _, _, err := ReadModel(bad); err == nil {
		t.Error("truncated model accepted")
	}
}

func TestConfigFileStrict(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("data = \"mnist\"\n[model]\nepochs = 2\nlayerz = [10]\n"), 0o644)
	_, err := LoadConfigFile(p)
	if err == nil || !strings.Contains(err.Error(), "model.layerz") || !strings.Contains(err.Error(), ":4:") {
		t.Errorf("unknown key error = %v, want it to name model.layerz at line 4", err)
	}
}

func TestValidationSplit(t *testing.T) {
	rc := small()
	rc.Model.Epochs = 1
	rc.Validation = 150
	res, err := Run(context.Background(), Options{Config: rc, OutRoot: t.TempDir(), NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.ValAccuracy != res.ValAccuracy || res.ValAccuracy <= 0.1 {
		t.Errorf("validation accuracy %v", res.ValAccuracy)
	}
	all, _, err := Data(rc)
	if err != nil {
		t.Fatal(err)
	}
	tr, val, err := Split(rc, all)
	if err != nil {
		t.Fatal(err)
	}
	if tr.N != rc.TrainLimit || val.N != 150 {
		t.Errorf("split gives %d train, %d validation", tr.N, val.N)
	}
	if !bytes.Equal(val.Y, all.Y[all.N-150:all.N]) || !slices.Equal(val.Sample(0), all.Sample(all.N-150)) {
		t.Error("validation samples are not the last ones of the training set")
	}
	rc.Validation = all.N
	if _, _, err := Split(rc, all); err == nil {
		t.Error("a validation split as large as the training set was accepted")
	}
}

// A configuration file starts its [model] table from the defaults of the
// dataset it names (or of --data), so a file that changes one key of an
// sMNIST run still gets sMNIST's schedule.
func TestConfigFileTaskDefaults(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text, dataFlag, wantData string
	}{
		{"file names smnist", "data = \"smnist\"\n[model]\nepochs = 2\n", "", "smnist"},
		{"file names cue", "data = \"cue\"\n", "", "cue"},
		{"no data key", "[model]\nepochs = 2\n", "", "mnist"},
		{"--data overrides the file", "data = \"mnist\"\n[model]\nepochs = 2\n", "fashion-mnist", "fashion-mnist"},
	}
	for i, c := range cases {
		p := filepath.Join(dir, fmt.Sprintf("c%d.toml", i))
		if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		rc, err := LoadConfigFileData(p, c.dataFlag)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := ModelDefaults(c.wantData)
		if strings.Contains(c.text, "epochs = 2") {
			want.Epochs = 2
		}
		if rc.Data != c.wantData || !reflect.DeepEqual(rc.Model, want) {
			t.Errorf("%s: data %q, model %+v; want data %q and ModelDefaults(%q) with the file's keys", c.name, rc.Data, rc.Model, c.wantData, c.wantData)
		}
		if rc.Encoder != EncoderDefaults(c.wantData) {
			t.Errorf("%s: encoder %+v, want EncoderDefaults(%q)", c.name, rc.Encoder, c.wantData)
		}
	}
	if !EncoderDefaults("fashion-mnist").Active() || EncoderDefaults("mnist").Active() {
		t.Error("encoder defaults: fashion-mnist should have the SoftHebb front end, mnist pixels")
	}
	// an [encoder] table can switch the front end off
	p0 := filepath.Join(dir, "noenc.toml")
	os.WriteFile(p0, []byte("data = \"fashion-mnist\"\n[encoder]\nkind = \"\"\n"), 0o644)
	if rc, err := LoadConfigFile(p0); err != nil || rc.Encoder.Active() {
		t.Errorf("kind = \"\" in the file: encoder %+v, error %v", rc.Encoder, err)
	}
	// the file's keys still win over the task defaults, slices included
	p := filepath.Join(dir, "layers.toml")
	os.WriteFile(p, []byte("data = \"mnist\"\n[model]\nlayers = [50]\n"), 0o644)
	rc, err := LoadConfigFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rc.Model.Layers, []int{50}) {
		t.Errorf("layers %v, want [50]", rc.Model.Layers)
	}
}
