// Package train runs a training job end to end: it resolves the
// configuration, loads the data, trains the flagship network epoch by epoch
// with a progress bar, logs metrics, writes checkpoints atomically after
// every epoch, resumes from them, and finally draws the run's pictures and
// report.html.
//
// Resuming: a checkpoint is written at the end of each epoch. A run that is
// interrupted (Ctrl-C, kill) keeps the last completed epoch's checkpoint;
// `engram train --resume DIR` reloads it and replays the interrupted epoch
// from its start. Because shuffling and every random stream are keyed by
// (seed, epoch), the resumed run ends with exactly the weights of an
// uninterrupted one (a test checks this).
package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/engram-lab/engram/config"
	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/flagship"
	"github.com/engram-lab/engram/modelfile"
	"github.com/engram-lab/engram/runlog"
)

// RunConfig is the resolved configuration of a training run, saved as the
// run folder's config.toml and accepted by `engram train --config`.
type RunConfig struct {
	// Data names the dataset: mnist, fashion-mnist, smnist, cue, idx:DIR
	// (see dataset.Load).
	Data string `toml:"data"`
	// TrainLimit, when > 0, trains on the first TrainLimit samples only.
	TrainLimit int `toml:"train_limit"`
	// TestLimit, when > 0, evaluates on the first TestLimit test samples only.
	TestLimit int `toml:"test_limit"`
	// Validation, when > 0, holds out the last Validation training samples
	// (after TrainLimit) as a validation set, scored after every epoch as
	// val_accuracy. Choose settings on it, never on the test set.
	Validation int `toml:"validation"`
	// Model is the flagship network's configuration (its Epochs field sets
	// the number of epochs).
	Model flagship.Config `toml:"model"`
	// Encoder, when its kind is set, is a front end learned without labels
	// on the training split that turns images into the flagship's input
	// features (EncoderDefaults gives each dataset's default).
	Encoder EncoderConfig `toml:"encoder"`
}

// DefaultRunConfig is the job `engram train` runs with no arguments.
func DefaultRunConfig() RunConfig {
	return RunConfig{Data: "mnist", Model: flagship.DefaultConfig()}
}

// Options are the command-line level settings of a run.
type Options struct {
	Config   RunConfig
	OutRoot  string    // folder that receives run folders (default "runs")
	Name     string    // run name prefix (default "flagship-<data>")
	Resume   string    // run folder to resume; Config is then read from it
	Progress io.Writer // progress bar destination; nil = none
	Log      io.Writer // one line per epoch; nil = none
	NoPlots  bool      // skip pictures and report
	// AfterEpoch, when not nil, is called after each epoch's checkpoint is
	// written (tests use it to interrupt a run at a known point).
	AfterEpoch func(epoch int)
}

// Result summarises a finished (or interrupted) run.
type Result struct {
	RunDir        string
	Epochs        int
	TrainAccuracy float64
	ValAccuracy   float64 // NaN without a validation split
	TestAccuracy  float64
	SamplesPerSec float64
	// SamplesPerCPUSec is the median over epochs of training samples per
	// CPU-second (user + system, all threads; 0 where unavailable).
	SamplesPerCPUSec float64
	WallSeconds      float64
	PeakRSS          int64
	ModelPath        string
	Report           string
}

const (
	checkpointName = "last.safetensors"
	modelName      = "model.safetensors"
	kindCheckpoint = "flagship-checkpoint"
	kindModel      = "flagship-model"
)

// LoadConfigFile decodes a run configuration file strictly over the
// defaults of the dataset the file names: a file saying data = "smnist"
// starts its [model] table from ModelDefaults("smnist"), exactly as
// `engram train --data smnist` does, and only the keys it sets override them.
func LoadConfigFile(path string) (RunConfig, error) {
	return LoadConfigFileData(path, "")
}

// LoadConfigFileData is LoadConfigFile with the dataset given on the command
// line: when data is not empty it replaces the file's data key, and the
// model defaults are those of data.
func LoadConfigFileData(path, data string) (RunConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return DefaultRunConfig(), err
	}
	text := string(b)
	// First pass, lenient: only the data key, to choose the model defaults.
	// Syntax errors are left to the strict pass, which reports their line.
	var head struct {
		Data string `toml:"data"`
	}
	_, _ = toml.Decode(text, &head)
	rc := DefaultRunConfig()
	if head.Data != "" {
		rc.Data = head.Data
	}
	if data != "" {
		rc.Data = data
	}
	rc.Model, rc.Encoder = ModelDefaults(rc.Data), EncoderDefaults(rc.Data)
	if err := config.Decode(path, text, &rc); err != nil {
		return rc, err
	}
	if data != "" {
		rc.Data = data
	}
	return rc, nil
}

// Data loads the train and test sets of rc, applying the limits (the
// validation split is taken by Split).
func Data(rc RunConfig) (train, test *dataset.Set, err error) {
	train, test, err = dataset.Load(rc.Data)
	if err != nil {
		return nil, nil, err
	}
	if rc.TestLimit > 0 && rc.TestLimit < test.N {
		test = test.Head(rc.TestLimit)
	}
	return train, test, nil
}

// Split applies TrainLimit and Validation to a training set: the
// validation samples are the last Validation ones, the training samples
// the first TrainLimit of the rest (all of them when TrainLimit is 0).
func Split(rc RunConfig, all *dataset.Set) (train, val *dataset.Set, err error) {
	n := all.N
	if rc.Validation < 0 || rc.Validation >= n {
		return nil, nil, fmt.Errorf("validation %d must lie in [0, %d)", rc.Validation, n)
	}
	if rc.Validation > 0 {
		idx := make([]int, rc.Validation)
		for i := range idx {
			idx[i] = n - rc.Validation + i
		}
		val = all.Subset(idx)
		n -= rc.Validation
	}
	if rc.TrainLimit > 0 && rc.TrainLimit < n {
		n = rc.TrainLimit
	}
	return all.Head(n), val, nil
}

// Run trains as opt says and returns the result. On cancellation of ctx it
// stops between minibatches, keeps the last epoch's checkpoint, and returns
// an error wrapping context.Canceled that names the folder to resume.
func Run(ctx context.Context, opt Options) (*Result, error) {
	start := time.Now()
	var (
		run   *runlog.Run
		model *flagship.Model
		err   error
	)
	rc := opt.Config
	if opt.Resume != "" {
		rc, err = LoadConfigFile(filepath.Join(opt.Resume, "config.toml"))
		if err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
	}
	if err := rc.Model.Validate(); err != nil {
		return nil, err
	}
	allTrain, testSet, err := Data(rc)
	if err != nil {
		return nil, err
	}
	trainSet, valSet, err := Split(rc, allTrain)
	if err != nil {
		return nil, err
	}
	if err := rc.Encoder.Validate(); err != nil {
		return nil, err
	}
	var enc *Encoder
	if opt.Resume != "" {
		run, err = runlog.Open(opt.Resume)
		if err != nil {
			return nil, err
		}
		f, _, err := ReadModel(filepath.Join(run.CheckpointDir(), checkpointName))
		if err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if enc, err = loadEncoder(rc, f); err != nil {
			// run folders written before the encoder existed have no
			// [encoder] table, so they get the dataset's encoder default
			return nil, fmt.Errorf("resume: %w (a run started without an encoder needs [encoder] kind = \"\" in its config.toml)", err)
		}
		if trainSet, valSet, testSet, err = encodeSets(enc, trainSet, valSet, testSet); err != nil {
			return nil, err
		}
		if model, err = modelFromFile(f, rc, trainSet.Dim, trainSet.Classes); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
	} else {
		if run, err = newRun(opt.OutRoot, opt.Name, "flagship-"+sanitize(rc.Data)); err != nil {
			return nil, err
		}
		if err := run.SaveConfig(rc); err != nil {
			return nil, err
		}
		if rc.Encoder.Active() {
			t0 := time.Now()
			if enc, err = TrainEncoder(rc.Encoder, trainSet, rc.Model.Seed); err != nil {
				return nil, err
			}
			if trainSet, valSet, testSet, err = encodeSets(enc, trainSet, valSet, testSet); err != nil {
				return nil, err
			}
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "encoder %s: learned without labels on %d images, %d features per image (%.1f s)\n",
					rc.Encoder.Kind, trainSet.N, trainSet.Dim, time.Since(t0).Seconds())
			}
		}
		if model, err = flagship.New(rc.Model, trainSet.Dim, trainSet.Classes); err != nil {
			return nil, err
		}
	}
	defer run.Close()
	if err := run.SaveInfo(rc.Model.Seed, map[string]any{"data": rc.Data, "train_samples": trainSet.N, "test_samples": testSet.N, "resumed_from_epoch": model.Epoch()}); err != nil {
		return nil, err
	}
	metrics, err := run.Metrics()
	if err != nil {
		return nil, err
	}
	res := &Result{RunDir: run.Dir(), ValAccuracy: math.NaN()}
	var sps, cpuRate []float64
	for model.Epoch() < rc.Model.Epochs {
		e := model.Epoch() + 1
		bar := newBar(opt.Progress, trainSet.N, fmt.Sprintf("epoch %d/%d", e, rc.Model.Epochs))
		cpu0 := runlog.CPUTime()
		st, err := model.TrainEpoch(ctx, trainSet, func(done, correct int) { bar.update(done, correct) })
		cpu := (runlog.CPUTime() - cpu0).Seconds()
		bar.finish()
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return res, fmt.Errorf("interrupted in epoch %d; the checkpoint of epoch %d is kept — resume with: engram train --resume %s: %w", e, e-1, run.Dir(), err)
			}
			return res, err
		}
		testAcc, _ := model.Evaluate(testSet)
		row := runlog.Row{
			"epoch": st.Epoch, "train_accuracy": st.Accuracy, "train_loss": st.Loss, "test_accuracy": testAcc,
			"samples_per_s": st.SamplesPerSec, "epoch_seconds": st.Seconds, "readout_rate_hz": st.ReadoutRate,
			"peak_rss_bytes": runlog.PeakRSS(), "wall_seconds": time.Since(start).Seconds(),
			"epoch_cpu_seconds": cpu,
		}
		if cpu > 0 {
			// load-independent throughput: samples per CPU-second of this
			// process (all threads); ×cores = the rate with dedicated cores
			row["samples_per_cpu_s"] = float64(st.Samples) / cpu
			cpuRate = append(cpuRate, float64(st.Samples)/cpu)
		}
		for k, r := range st.Rates {
			row["layer"+strconv.Itoa(k+1)+"_rate_hz"] = r
		}
		if valSet != nil {
			row["val_accuracy"], _ = model.Evaluate(valSet)
		}
		if err := metrics.Log(row); err != nil {
			return res, err
		}
		if err := SaveModel(filepath.Join(run.CheckpointDir(), checkpointName), kindCheckpoint, model, enc, rc); err != nil {
			return res, err
		}
		if opt.Log != nil {
			val := ""
			if v, ok := row["val_accuracy"].(float64); ok {
				val = fmt.Sprintf("  validation %.2f%%", 100*v)
			}
			fmt.Fprintf(opt.Log, "epoch %d: train %.2f%%%s  test %.2f%%  %.0f samples/s  (%.1f s)\n",
				st.Epoch, 100*st.Accuracy, val, 100*testAcc, st.SamplesPerSec, st.Seconds)
		}
		res.Epochs, res.TrainAccuracy, res.TestAccuracy = st.Epoch, st.Accuracy, testAcc
		if v, ok := row["val_accuracy"].(float64); ok {
			res.ValAccuracy = v
		}
		sps = append(sps, st.SamplesPerSec)
		if opt.AfterEpoch != nil {
			opt.AfterEpoch(st.Epoch)
		}
	}
	if res.Epochs == 0 { // resumed a finished run
		res.Epochs = model.Epoch()
		res.TestAccuracy, _ = model.Evaluate(testSet)
	}
	res.ModelPath = run.Path(modelName)
	if err := SaveModel(res.ModelPath, kindModel, model, enc, rc); err != nil {
		return res, err
	}
	res.SamplesPerSec = median(sps)
	res.SamplesPerCPUSec = median(cpuRate)
	if !opt.NoPlots {
		if res.Report, err = Pictures(run.Dir(), model, enc, testSet); err != nil {
			return res, fmt.Errorf("pictures: %w", err)
		}
	}
	res.WallSeconds = time.Since(start).Seconds()
	res.PeakRSS = runlog.PeakRSS()
	return res, nil
}

// SaveModel writes the model, its encoder (nil: none) and its resolved
// configuration atomically as a checksummed safetensors file.
func SaveModel(path, kind string, m *flagship.Model, enc *Encoder, rc RunConfig) error {
	text, err := config.Encode(rc)
	if err != nil {
		return err
	}
	f := &modelfile.File{Meta: map[string]string{
		modelfile.KeyKind: kind, modelfile.KeyConfig: text, "epoch": strconv.Itoa(m.Epoch()),
	}}
	for _, t := range m.Tensors() {
		switch {
		case t.F32 != nil:
			f.Add(modelfile.F32(t.Name, t.Shape, t.F32))
		case t.I32 != nil:
			f.Add(modelfile.I32(t.Name, t.Shape, t.I32))
		default:
			f.Add(modelfile.F32(t.Name, t.Shape, nil))
		}
	}
	f.Add(enc.tensors()...)
	return modelfile.Write(path, f)
}

// ReadModel reads a model or checkpoint file and its configuration.
func ReadModel(path string) (*modelfile.File, RunConfig, error) {
	rc := DefaultRunConfig()
	f, err := modelfile.Read(path)
	if err != nil {
		return nil, rc, err
	}
	text, ok := f.Meta[modelfile.KeyConfig]
	if !ok {
		return nil, rc, fmt.Errorf("%s: no configuration in the file's metadata", path)
	}
	if err := config.Decode(path+" (embedded config)", text, &rc); err != nil {
		return nil, rc, err
	}
	return f, rc, nil
}

// LoadModel restores a model from a file written by SaveModel. rc must be
// the configuration the file was trained with (ReadModel returns it);
// inputDim is the number of input features (the encoder's output size when
// the run has one).
func LoadModel(path string, rc RunConfig, inputDim, classes int) (*flagship.Model, error) {
	f, _, err := ReadModel(path)
	if err != nil {
		return nil, err
	}
	return modelFromFile(f, rc, inputDim, classes)
}

func modelFromFile(f *modelfile.File, rc RunConfig, inputDim, classes int) (*flagship.Model, error) {
	ts := make([]flagship.NamedTensor, 0, len(f.Tensors))
	for _, t := range f.Tensors {
		nt := flagship.NamedTensor{Name: t.Name, Shape: t.Shape}
		var err error
		switch t.DType {
		case modelfile.Int32:
			if nt.I32, err = t.Int32s(); err != nil {
				return nil, err
			}
		default:
			if nt.F32, err = t.Float32s(); err != nil {
				return nil, err
			}
		}
		ts = append(ts, nt)
	}
	return flagship.Load(rc.Model, inputDim, classes, ts)
}

// OpenModel restores a saved model with its encoder and returns them with
// the test set of rc (limits applied) mapped through the encoder: what
// `engram eval` and `engram plot` score and draw. rc is the file's
// configuration (ReadModel), possibly with another dataset or limits.
func OpenModel(path string, rc RunConfig) (*flagship.Model, *Encoder, *dataset.Set, error) {
	f, _, err := ReadModel(path)
	if err != nil {
		return nil, nil, nil, err
	}
	_, test, err := Data(rc)
	if err != nil {
		return nil, nil, nil, err
	}
	enc, err := loadEncoder(rc, f)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, _, test, err = encodeSets(enc, nil, nil, test); err != nil {
		return nil, nil, nil, err
	}
	m, err := modelFromFile(f, rc, test.Dim, test.Classes)
	if err != nil {
		return nil, nil, nil, err
	}
	return m, enc, test, nil
}

// encodeSets maps the non-nil sets through enc (all unchanged when enc is nil).
func encodeSets(enc *Encoder, train, val, test *dataset.Set) (*dataset.Set, *dataset.Set, *dataset.Set, error) {
	sets := [3]*dataset.Set{train, val, test}
	for i, s := range sets {
		if enc != nil && s != nil {
			var err error
			if sets[i], err = enc.Apply(s); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	return sets[0], sets[1], sets[2], nil
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return slices.Sorted(slices.Values(x))[len(x)/2]
}

func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}

// ModelDefaults returns the flagship configuration used for a dataset when
// no configuration file is given: flagship.TaskDefaults, the defaults chosen
// per task as described in docs/flagship.md.
func ModelDefaults(data string) flagship.Config {
	return flagship.TaskDefaults(data)
}

// EncoderDefaults returns the front end used for a dataset when no
// configuration file is given: the convolutional SoftHebb encoder for
// fashion-mnist (chosen on validation data, docs/flagship.md), pixels
// otherwise.
func EncoderDefaults(data string) EncoderConfig {
	if data == dataset.NameFashionMNIST {
		return EncoderConfig{Kind: EncoderSoftHebbConv}
	}
	return EncoderConfig{}
}

// RunDefaults is the run configuration of `engram train --data data`: the
// model and encoder defaults chosen for that dataset.
func RunDefaults(data string) RunConfig {
	rc := DefaultRunConfig()
	rc.Data, rc.Model, rc.Encoder = data, ModelDefaults(data), EncoderDefaults(data)
	return rc
}

// newRun creates a run folder under root (default "runs") named name, or
// fallback when name is empty.
func newRun(root, name, fallback string) (*runlog.Run, error) {
	if root == "" {
		root = "runs"
	}
	if name == "" {
		name = fallback
	}
	return runlog.New(root, name)
}
