package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"time"

	"github.com/engram-lab/engram/modelfile"
	"github.com/engram-lab/engram/plasticity"
)

// checkpointKind is the modelfile kind of a full-data run's checkpoint.
const checkpointKind = "rules-mnist-checkpoint"

// runState lists every array and counter a full-data run (MNISTRun) needs
// to continue after a kill: weights, neuron and synapse state, random
// streams, accumulated responses and counters. Each entry is saved under its
// name; loading copies the saved values back into the same arrays, so a
// resumed run ends with the same weights and accuracies, bit for bit, as an
// uninterrupted one (TestMNISTRunResume).
type runState struct {
	names []string
	vals  []any // []float32, []float64, []int32, []uint8, []int (saved as int32), *float32, *int, *int64, *rand.PCG
}

func (s *runState) add(name string, v any) {
	s.names = append(s.names, name)
	s.vals = append(s.vals, v)
}

// checkpointConfig is the configuration a checkpoint belongs to: cfg without
// the fields that only say how to log and checkpoint.
func checkpointConfig(cfg MNISTConfig) (string, error) {
	cfg.Log, cfg.LogEvery, cfg.Checkpoint, cfg.CheckpointEvery = nil, 0, "", 0
	b, err := json.Marshal(cfg)
	return string(b), err
}

// save writes the state to path atomically (modelfile.Write: temporary
// file, fsync, rename; SHA-256 checksum).
func (s *runState) save(path, config string) error {
	f := &modelfile.File{Meta: map[string]string{modelfile.KeyKind: checkpointKind, modelfile.KeyConfig: config}}
	for q, name := range s.names {
		switch v := s.vals[q].(type) {
		case []float32:
			f.Add(modelfile.F32(name, []int{len(v)}, v))
		case []float64:
			f.Add(modelfile.F64(name, []int{len(v)}, v))
		case []int32:
			f.Add(modelfile.I32(name, []int{len(v)}, v))
		case []uint8:
			f.Add(modelfile.U8(name, []int{len(v)}, v))
		case []int:
			w := make([]int32, len(v))
			for i, x := range v {
				w[i] = int32(x)
			}
			f.Add(modelfile.I32(name, []int{len(w)}, w))
		case *float32:
			f.Add(modelfile.F32(name, nil, []float32{*v}))
		case *int:
			f.Add(modelfile.I64(name, nil, []int64{int64(*v)}))
		case *int64:
			f.Add(modelfile.I64(name, nil, []int64{*v}))
		case *rand.PCG:
			b, err := v.MarshalBinary()
			if err != nil {
				return err
			}
			f.Add(modelfile.U8(name, []int{len(b)}, b))
		default:
			panic(fmt.Sprintf("rules: checkpoint entry %q has unsupported type %T", name, v))
		}
	}
	return modelfile.Write(path, f)
}

// load restores the state from path. It returns false (and no error) when
// path does not exist; a file of another kind or configuration, a missing
// entry or one of the wrong length is an error.
func (s *runState) load(path, config string) (bool, error) {
	f, err := modelfile.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	if f.Kind() != checkpointKind {
		return false, fmt.Errorf("checkpoint %s: kind %q, want %q", path, f.Kind(), checkpointKind)
	}
	if got := f.Meta[modelfile.KeyConfig]; got != config {
		return false, fmt.Errorf("checkpoint %s belongs to another run configuration:\n  saved: %s\n  now:   %s\n(use the same flags, or another --checkpoint path)", path, got, config)
	}
	for q, name := range s.names {
		t, ok := f.Get(name)
		if !ok {
			return false, fmt.Errorf("checkpoint %s: %q missing", path, name)
		}
		if err := restore(t, s.vals[q]); err != nil {
			return false, fmt.Errorf("checkpoint %s: %q: %w", path, name, err)
		}
	}
	return true, nil
}

func restore(t modelfile.Tensor, dst any) error {
	sameLen := func(got, want int) error {
		if got != want {
			return fmt.Errorf("%d values, the run has %d", got, want)
		}
		return nil
	}
	switch d := dst.(type) {
	case []float32:
		v, err := t.Float32s()
		if err == nil {
			err = sameLen(len(v), len(d))
		}
		if err != nil {
			return err
		}
		copy(d, v)
	case []float64:
		v, err := t.Float64s()
		if err == nil {
			err = sameLen(len(v), len(d))
		}
		if err != nil {
			return err
		}
		copy(d, v)
	case []int32:
		v, err := t.Int32s()
		if err == nil {
			err = sameLen(len(v), len(d))
		}
		if err != nil {
			return err
		}
		copy(d, v)
	case []uint8:
		v, err := t.Uint8s()
		if err == nil {
			err = sameLen(len(v), len(d))
		}
		if err != nil {
			return err
		}
		copy(d, v)
	case []int:
		v, err := t.Int32s()
		if err == nil {
			err = sameLen(len(v), len(d))
		}
		if err != nil {
			return err
		}
		for i, x := range v {
			if x < 0 || int(x) >= len(d) {
				return fmt.Errorf("index %d out of range", x)
			}
			d[i] = int(x)
		}
	case *float32:
		v, err := t.Float32s()
		if err == nil {
			err = sameLen(len(v), 1)
		}
		if err != nil {
			return err
		}
		*d = v[0]
	case *int:
		v, err := t.Int64s()
		if err == nil {
			err = sameLen(len(v), 1)
		}
		if err != nil {
			return err
		}
		*d = int(v[0])
	case *int64:
		v, err := t.Int64s()
		if err == nil {
			err = sameLen(len(v), 1)
		}
		if err != nil {
			return err
		}
		*d = v[0]
	case *rand.PCG:
		v, err := t.Uint8s()
		if err != nil {
			return err
		}
		return d.UnmarshalBinary(v)
	default:
		panic(fmt.Sprintf("rules: checkpoint entry of unsupported type %T", dst))
	}
	return nil
}

// addHarness lists a plastic projection: its weights, its rule's state and
// the previous step's spikes.
func (s *runState) addHarness(name string, h *harness) {
	s.add(name+".w", h.c.W)
	st, ok := h.r.(plasticity.Stateful)
	if !ok {
		panic(fmt.Sprintf("rules: rule %T of %s cannot be checkpointed (not plasticity.Stateful)", h.r, name))
	}
	for i, v := range st.State() {
		s.add(fmt.Sprintf("%s.rule%d", name, i), v)
	}
	s.add(name+".prev_pre", h.prevPre)
	s.add(name+".prev_post", h.prevPost)
}

// addLayer lists a conductance LIF layer's state.
func (s *runState) addLayer(name string, l *layer) {
	s.add(name+".v", l.v)
	s.add(name+".ge", l.ge)
	s.add(name+".gi", l.gi)
	s.add(name+".theta", l.theta)
	s.add(name+".refrac", l.refrac)
}

// progress is where a full-data run stands; it is saved with the state.
type progress struct {
	phase   int   // 0 training, 1 testing, 2 done
	next    int   // next presentation (training) or test image
	rightA  int   // test images right so far by assigned labels
	rightO  int   // … by the supervised output layer (stdp-sym)
	trainNS int64 // training wall time so far, ns (over all resumed parts)
	testNS  int64 // testing wall time so far, ns
}

func (s *runState) addProgress(p *progress, repeats *int) {
	s.add("progress.phase", &p.phase)
	s.add("progress.next", &p.next)
	s.add("progress.right_assigned", &p.rightA)
	s.add("progress.right_output", &p.rightO)
	s.add("progress.train_ns", &p.trainNS)
	s.add("progress.test_ns", &p.testNS)
	s.add("progress.repeats", repeats)
}

// checkpointer saves a run's state at presentation boundaries and keeps its
// wall-time accounts across resumed parts.
type checkpointer struct {
	st     *runState
	path   string // "" = no checkpoint file
	config string
	every  int
	mark   time.Time // start of the time not yet added to progress
}

// openCheckpoint loads cfg.Checkpoint into st if it exists.
func openCheckpoint(cfg MNISTConfig, st *runState, pr *progress) (*checkpointer, error) {
	ck := &checkpointer{st: st, path: cfg.Checkpoint, every: cfg.CheckpointEvery}
	if ck.every <= 0 {
		ck.every = 1000
	}
	if ck.path != "" {
		var err error
		if ck.config, err = checkpointConfig(cfg); err != nil {
			return nil, err
		}
		ok, err := st.load(ck.path, ck.config)
		if err != nil {
			return nil, err
		}
		if ok && cfg.Log != nil {
			what := [...]string{"training presentation", "test image", "end (done)"}[min(max(pr.phase, 0), 2)]
			fmt.Fprintf(cfg.Log, "resuming from checkpoint %s at %s %d\n", ck.path, what, pr.next)
		}
	}
	ck.mark = time.Now()
	return ck, nil
}

// account adds the time since the last mark to the current phase.
func (ck *checkpointer) account(pr *progress) {
	now := time.Now()
	d := int64(now.Sub(ck.mark))
	if pr.phase == 0 {
		pr.trainNS += d
	} else if pr.phase == 1 {
		pr.testNS += d
	}
	ck.mark = now
}

// elapsed is the wall time of the current phase so far.
func (ck *checkpointer) elapsed(pr *progress) time.Duration {
	base := pr.trainNS
	if pr.phase != 0 {
		base = pr.testNS
	}
	return time.Duration(base) + time.Since(ck.mark)
}

func (ck *checkpointer) save(pr *progress, next int) error {
	ck.account(pr)
	pr.next = next
	if ck.path == "" {
		return nil
	}
	return ck.st.save(ck.path, ck.config)
}

// step saves after done presentations of total every ck.every.
func (ck *checkpointer) step(pr *progress, done, total int) error {
	if ck.path == "" || done%ck.every != 0 || done >= total {
		return nil
	}
	return ck.save(pr, done)
}

// stop returns ctx's error, after saving the state at presentation next,
// once ctx is cancelled.
func (ck *checkpointer) stop(ctx context.Context, pr *progress, next int) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if ck.path == "" {
		return err
	}
	if serr := ck.save(pr, next); serr != nil {
		return errors.Join(err, serr)
	}
	return fmt.Errorf("%w (state saved in %s; run the same command again to resume)", err, ck.path)
}

// finishTraining moves a run that was training on to testing.
func (ck *checkpointer) finishTraining(pr *progress) error {
	if pr.phase != 0 {
		return nil
	}
	ck.account(pr)
	pr.phase = 1
	return ck.save(pr, 0)
}

// finishTesting marks a run that was testing as done.
func (ck *checkpointer) finishTesting(pr *progress) error {
	if pr.phase != 1 {
		return nil
	}
	ck.account(pr)
	pr.phase = 2
	return ck.save(pr, 0)
}
