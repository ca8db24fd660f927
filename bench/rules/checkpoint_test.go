package rules

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/modelfile"
)

// cancelAt cancels its context at the n-th progress line (lines announcing
// a resume do not count).
type cancelAt struct {
	n      int
	cancel context.CancelFunc
}

func (c *cancelAt) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, []byte("resuming")) {
		if c.n--; c.n == 0 {
			c.cancel()
		}
	}
	return len(p), nil
}

// smallRun is the short full-data run the checkpoint tests stop and resume:
// 20 neurons, 40 presentations of 60+20 ms, 20 test images.
func smallRun(rule string) MNISTConfig {
	cfg := DefaultMNIST(dataset.NameMNIST, rule, 20)
	cfg.Train, cfg.Test, cfg.Assign = 40, 20, 30
	cfg.PresentMS, cfg.RestMS = 60, 20
	cfg.LogEvery, cfg.CheckpointEvery = 7, 5
	return cfg
}

// sameState reports every tensor of the checkpoint want (wall times aside)
// that checkpoint got lacks or holds with other bytes.
func sameState(t *testing.T, want, got *modelfile.File, what string) {
	t.Helper()
	for _, tw := range want.Tensors {
		if strings.HasSuffix(tw.Name, "_ns") {
			continue // wall times
		}
		tg, ok := got.Get(tw.Name)
		if !ok || !bytes.Equal(tg.Data, tw.Data) {
			t.Errorf("%s: %s differs", what, tw.Name)
		}
	}
}

// TestMNISTRunResume: a run killed once during training and once during
// testing, and resumed from its checkpoint each time, ends with the same
// accuracies, repeat count and saved state (weights, thresholds, traces,
// random streams) as an uninterrupted run, for both reproductions.
func TestMNISTRunResume(t *testing.T) {
	if _, err := dataset.MNISTDir(); err != nil {
		t.Skip(err)
	}
	for _, rule := range []string{"stdp-dc", "stdp-sym"} {
		t.Run(rule, func(t *testing.T) {
			dir := t.TempDir()
			cfg := smallRun(rule)

			whole := cfg
			whole.Checkpoint = filepath.Join(dir, "whole.ckpt")
			want, err := MNISTRun(context.Background(), whole)
			if err != nil {
				t.Fatal(err)
			}

			parts := cfg
			parts.Checkpoint = filepath.Join(dir, "parts.ckpt")
			// progress lines: training at 7, 14, …, 35 (5 lines), then test at 7, 14
			for _, stopAt := range []int{2, 5} { // training presentation 14; then test image 14
				ctx, cancel := context.WithCancel(context.Background())
				parts.Log = &cancelAt{n: stopAt, cancel: cancel}
				_, err := MNISTRun(ctx, parts)
				cancel()
				if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "state saved") {
					t.Fatalf("interrupted run: err = %v, want context.Canceled with the checkpoint named", err)
				}
			}
			parts.Log = nil
			got, err := MNISTRun(context.Background(), parts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Assigned != want.Assigned || got.Output != want.Output || got.Repeats != want.Repeats ||
				got.Trained != want.Trained || got.Tested != want.Tested {
				t.Errorf("resumed run: %v (repeats %d), uninterrupted: %v (repeats %d)", got, got.Repeats, want, want.Repeats)
			}
			fw, err := modelfile.Read(whole.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			fp, err := modelfile.Read(parts.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			sameState(t, fw, fp, "resumed against uninterrupted run")

			// a finished checkpoint gives the result again without running
			again, err := MNISTRun(context.Background(), parts)
			if err != nil || again.Assigned != want.Assigned || again.Output != want.Output {
				t.Errorf("rerun of a finished checkpoint: %v, %v", again, err)
			}
			// another configuration is refused, naming both
			other := parts
			other.Seed = 2
			if _, err := MNISTRun(context.Background(), other); err == nil || !strings.Contains(err.Error(), "another run configuration") {
				t.Errorf("checkpoint of another configuration: err = %v", err)
			}
			// a damaged file is refused
			b, err := os.ReadFile(parts.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-3] ^= 1
			if err := os.WriteFile(parts.Checkpoint, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := MNISTRun(context.Background(), parts); !errors.Is(err, modelfile.ErrChecksum) {
				t.Errorf("damaged checkpoint: err = %v, want a checksum error", err)
			}
		})
	}
}

// TestMNISTRunExtend: a finished run started again with a larger Train
// continues from its end-of-training state and ends exactly as a run given
// the larger Train from the start; extensions that cannot be exact are
// refused.
func TestMNISTRunExtend(t *testing.T) {
	if _, err := dataset.MNISTDir(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	cfg := DefaultMNIST(dataset.NameMNIST, "stdp-dc", 20)
	cfg.Train, cfg.Test, cfg.Assign = 70, 20, 30
	cfg.PresentMS, cfg.RestMS = 60, 20

	direct := cfg
	direct.Checkpoint = filepath.Join(dir, "direct.ckpt")
	want, err := MNISTRun(context.Background(), direct)
	if err != nil {
		t.Fatal(err)
	}

	ext := cfg
	ext.Checkpoint = filepath.Join(dir, "ext.ckpt")
	ext.Train = 40
	// an unfinished run cannot be extended
	ctx, cancel := context.WithCancel(context.Background())
	ext.Log, ext.LogEvery = &cancelAt{n: 1, cancel: cancel}, 10
	if _, err := MNISTRun(ctx, ext); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	cancel()
	ext.Log = nil
	longer := ext
	longer.Train = 70
	if _, err := MNISTRun(context.Background(), longer); err == nil || !strings.Contains(err.Error(), "still training") {
		t.Errorf("extending an unfinished run: err = %v", err)
	}
	if _, err := MNISTRun(context.Background(), ext); err != nil {
		t.Fatal(err)
	}
	short := ext
	short.Train = 50 // 50 − 30 < 40: the assignment window would reach back into the first run
	if _, err := MNISTRun(context.Background(), short); err == nil || !strings.Contains(err.Error(), "at least") {
		t.Errorf("too short an extension: err = %v", err)
	}
	got, err := MNISTRun(context.Background(), longer)
	if err != nil {
		t.Fatal(err)
	}
	if got.Assigned != want.Assigned || got.Repeats != want.Repeats || got.Trained != 70 {
		t.Errorf("extended run: %v (repeats %d), direct: %v (repeats %d)", got, got.Repeats, want, want.Repeats)
	}
	fw, err := modelfile.Read(direct.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	fe, err := modelfile.Read(longer.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	if len(fe.Tensors) != len(fw.Tensors) {
		t.Errorf("extended checkpoint has %d tensors, direct %d", len(fe.Tensors), len(fw.Tensors))
	}
	sameState(t, fw, fe, "extended against direct run")
	fewer := ext
	fewer.Train = 30
	if _, err := MNISTRun(context.Background(), fewer); err == nil {
		t.Error("a checkpoint with more presentations than --train was accepted")
	}
}

// TestMNISTRunAssignFrozen: labels assigned from training images shown
// with plasticity off (AssignFrozen) give, for both reproductions, the same
// result (a) run directly, (b) interrupted inside that pass and resumed,
// and (c) from a finished checkpoint of a run assigned the other way,
// tested again from its end of training; the training state is the same
// whichever assignment is used.
func TestMNISTRunAssignFrozen(t *testing.T) {
	if _, err := dataset.MNISTDir(); err != nil {
		t.Skip(err)
	}
	for _, rule := range []string{"stdp-dc", "stdp-sym"} {
		t.Run(rule, func(t *testing.T) {
			dir := t.TempDir()
			cfg := smallRun(rule)

			frozen := cfg
			frozen.AssignFrozen = 25
			frozen.Checkpoint = filepath.Join(dir, "direct.ckpt")
			want, err := MNISTRun(context.Background(), frozen)
			if err != nil {
				t.Fatal(err)
			}
			plain := cfg
			plain.Checkpoint = filepath.Join(dir, "plain.ckpt")
			before, err := MNISTRun(context.Background(), plain)
			if err != nil {
				t.Fatal(err)
			}
			if want.Trained != before.Trained || want.TrainSeconds == 0 {
				t.Fatalf("direct %v, plain %v", want, before)
			}

			// (b) progress lines: training 5, then frozen pass at 7, 14, 21: stop at 14
			resumed := frozen
			resumed.Checkpoint = filepath.Join(dir, "resumed.ckpt")
			ctx, cancel := context.WithCancel(context.Background())
			resumed.Log = &cancelAt{n: 7, cancel: cancel}
			if _, err := MNISTRun(ctx, resumed); !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %v", err)
			}
			cancel()
			resumed.Log = nil
			// (c) the plain run's finished checkpoint, tested again with frozen labels
			again := plain
			again.AssignFrozen = frozen.AssignFrozen
			for name, c := range map[string]MNISTConfig{"resumed": resumed, "tested again": again} {
				got, err := MNISTRun(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				if got.Assigned != want.Assigned || got.Output != want.Output || got.Repeats != want.Repeats || got.Tested != want.Tested {
					t.Errorf("%s: %v (repeats %d), direct: %v (repeats %d)", name, got, got.Repeats, want, want.Repeats)
				}
			}
			fw, err := modelfile.Read(frozen.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			// the labels came from the frozen presentations only
			ts, _ := fw.Get("seen")
			seen, err := ts.Float64s()
			if err != nil {
				t.Fatal(err)
			}
			if n := sumFloat(seen); n != float64(frozen.AssignFrozen) {
				t.Errorf("labels assigned from %v presentations, want the %d frozen ones", n, frozen.AssignFrozen)
			}
			for _, path := range []string{resumed.Checkpoint, again.Checkpoint} {
				fo, err := modelfile.Read(path)
				if err != nil {
					t.Fatal(err)
				}
				sameState(t, fw, fo, filepath.Base(path)+" against the direct run")
			}
		})
	}
}

func sumFloat(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}
