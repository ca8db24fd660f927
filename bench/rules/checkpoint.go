package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strconv"
	"strings"
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
// the fields that only say how to log and checkpoint, and without Train
// (saved apart, so that a finished run can be extended) and AssignFrozen
// (saved apart, so that a trained run can be tested again).
func checkpointConfig(cfg MNISTConfig) (string, error) {
	cfg.Log, cfg.LogEvery, cfg.Checkpoint, cfg.CheckpointEvery, cfg.Train = nil, 0, "", 0, 0
	cfg.AssignFrozen = 0 // test phase only: saved apart (metaAssignFrozen), a run can be tested again
	b, err := json.Marshal(cfg)
	return string(b), err
}

// metaTrain is the metadata key of the number of training presentations,
// metaAssignFrozen that of MNISTConfig.AssignFrozen (absent: 0).
const (
	metaTrain        = "train"
	metaAssignFrozen = "assign_frozen"
)

// tensors copies the state into tensors named prefix + entry name.
func (s *runState) tensors(prefix string) ([]modelfile.Tensor, error) {
	ts := make([]modelfile.Tensor, 0, len(s.names))
	for q, name := range s.names {
		name = prefix + name
		switch v := s.vals[q].(type) {
		case []float32:
			ts = append(ts, modelfile.F32(name, []int{len(v)}, v))
		case []float64:
			ts = append(ts, modelfile.F64(name, []int{len(v)}, v))
		case []int32:
			ts = append(ts, modelfile.I32(name, []int{len(v)}, v))
		case []uint8:
			ts = append(ts, modelfile.U8(name, []int{len(v)}, v))
		case []int:
			w := make([]int32, len(v))
			for i, x := range v {
				w[i] = int32(x)
			}
			ts = append(ts, modelfile.I32(name, []int{len(w)}, w))
		case *float32:
			ts = append(ts, modelfile.F32(name, nil, []float32{*v}))
		case *int:
			ts = append(ts, modelfile.I64(name, nil, []int64{int64(*v)}))
		case *int64:
			ts = append(ts, modelfile.I64(name, nil, []int64{*v}))
		case *rand.PCG:
			b, err := v.MarshalBinary()
			if err != nil {
				return nil, err
			}
			ts = append(ts, modelfile.U8(name, []int{len(b)}, b))
		default:
			panic(fmt.Sprintf("rules: checkpoint entry %q has unsupported type %T", name, v))
		}
	}
	return ts, nil
}

// restoreFrom copies the tensors named prefix + entry name of f back into
// the state; a missing entry or one of the wrong length is an error.
func (s *runState) restoreFrom(f *modelfile.File, prefix string) error {
	for q, name := range s.names {
		t, ok := f.Get(prefix + name)
		if !ok {
			return fmt.Errorf("%q missing", prefix+name)
		}
		if err := restore(t, s.vals[q]); err != nil {
			return fmt.Errorf("%q: %w", prefix+name, err)
		}
	}
	return nil
}

func restore(t modelfile.Tensor, dst any) error {
	switch d := dst.(type) {
	case []float32:
		return copyExact(d, t.Float32s)
	case []float64:
		return copyExact(d, t.Float64s)
	case []int32:
		return copyExact(d, t.Int32s)
	case []uint8:
		return copyExact(d, t.Uint8s)
	case []int:
		v := make([]int32, len(d))
		if err := copyExact(v, t.Int32s); err != nil {
			return err
		}
		for i, x := range v {
			if x < 0 || int(x) >= len(d) {
				return fmt.Errorf("index %d out of range", x)
			}
			d[i] = int(x)
		}
	case *float32:
		v := []float32{0}
		if err := copyExact(v, t.Float32s); err != nil {
			return err
		}
		*d = v[0]
	case *int:
		v := []int64{0}
		if err := copyExact(v, t.Int64s); err != nil {
			return err
		}
		*d = int(v[0])
	case *int64:
		v := []int64{0}
		if err := copyExact(v, t.Int64s); err != nil {
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

// copyExact copies the tensor's values (read by get) into dst, which must
// have exactly as many elements.
func copyExact[T any](dst []T, get func() ([]T, error)) error {
	v, err := get()
	if err != nil {
		return err
	}
	if len(v) != len(dst) {
		return fmt.Errorf("%d values, the run has %d", len(v), len(dst))
	}
	copy(dst, v)
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
//
// Once training is over, every save also holds a copy of the state at the
// end of training (tensors named "trained/…"). A finished or testing run
// can then be extended: started again with a larger Train (by at least
// Assign, so that the label-assignment window lies wholly in the new
// presentations), it continues training from that copy, exactly as a run
// started with the larger Train would have, and tests again. Started with
// the same Train but another AssignFrozen, it tests again from that copy,
// exactly as a run given that AssignFrozen from the start.
type checkpointer struct {
	st      *runState
	path    string // "" = no checkpoint file
	config  string
	train   int // cfg.Train
	frozen  int // cfg.AssignFrozen
	every   int
	trained []modelfile.Tensor // state at the end of training (nil before)
	mark    time.Time          // start of the time not yet added to progress
}

// openCheckpoint loads cfg.Checkpoint into st if it exists (see checkpointer
// for extending a finished run; resp and seen are the label-assignment
// accumulators, cleared on extension).
func openCheckpoint(cfg MNISTConfig, st *runState, pr *progress, resp, seen []float64) (*checkpointer, error) {
	ck := &checkpointer{st: st, path: cfg.Checkpoint, train: cfg.Train, every: cfg.CheckpointEvery, frozen: cfg.AssignFrozen}
	if ck.every <= 0 {
		ck.every = 1000
	}
	defer func() { ck.mark = time.Now() }()
	if ck.path == "" {
		return ck, nil
	}
	var err error
	if ck.config, err = checkpointConfig(cfg); err != nil {
		return nil, err
	}
	f, err := modelfile.Read(ck.path)
	if errors.Is(err, fs.ErrNotExist) {
		return ck, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if f.Kind() != checkpointKind {
		return nil, fmt.Errorf("checkpoint %s: kind %q, want %q", ck.path, f.Kind(), checkpointKind)
	}
	if got := f.Meta[modelfile.KeyConfig]; got != ck.config {
		return nil, fmt.Errorf("checkpoint %s belongs to another run configuration:\n  saved: %s\n  now:   %s\n(use the same flags, or another --checkpoint path)", ck.path, got, ck.config)
	}
	savedTrain, err := strconv.Atoi(f.Meta[metaTrain])
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: bad %q metadata: %w", ck.path, metaTrain, err)
	}
	savedFrozen := 0
	if v, ok := f.Meta[metaAssignFrozen]; ok {
		if savedFrozen, err = strconv.Atoi(v); err != nil {
			return nil, fmt.Errorf("checkpoint %s: bad %q metadata: %w", ck.path, metaAssignFrozen, err)
		}
	}
	for _, t := range f.Tensors {
		if strings.HasPrefix(t.Name, trainedPrefix) {
			ck.trained = append(ck.trained, t)
		}
	}
	switch {
	case savedTrain == cfg.Train && savedFrozen != cfg.AssignFrozen && ck.trained != nil:
		// another label assignment: test again from the end of training
		if err := st.restoreFrom(f, trainedPrefix); err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", ck.path, err)
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "testing checkpoint %s again from the end of training (label assignment: %d frozen presentations, was %d)\n",
				ck.path, cfg.AssignFrozen, savedFrozen)
		}
	case savedTrain == cfg.Train:
		if err := st.restoreFrom(f, ""); err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", ck.path, err)
		}
		if cfg.Log != nil {
			switch pr.phase {
			case 0:
				fmt.Fprintf(cfg.Log, "resuming from checkpoint %s at training presentation %d\n", ck.path, pr.next)
			case 1:
				fmt.Fprintf(cfg.Log, "resuming from checkpoint %s at test image %d\n", ck.path, pr.next)
			default:
				fmt.Fprintf(cfg.Log, "checkpoint %s holds the finished run; its result:\n", ck.path)
			}
		}
	case savedTrain < cfg.Train && ck.trained == nil:
		return nil, fmt.Errorf("checkpoint %s is still training to %d presentations: finish it (--train %d) before extending it to %d", ck.path, savedTrain, savedTrain, cfg.Train)
	case savedTrain < cfg.Train && cfg.Train-cfg.Assign < savedTrain:
		return nil, fmt.Errorf("checkpoint %s trained %d presentations: an extension must add at least the %d whose responses assign the labels (--train ≥ %d)", ck.path, savedTrain, cfg.Assign, savedTrain+cfg.Assign)
	case savedTrain < cfg.Train:
		if err := st.restoreFrom(f, trainedPrefix); err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", ck.path, err)
		}
		clear(resp) // the new assignment window starts after savedTrain
		clear(seen)
		ck.trained = nil
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "extending checkpoint %s from %d to %d training presentations\n", ck.path, savedTrain, cfg.Train)
		}
	default:
		return nil, fmt.Errorf("checkpoint %s trained %d presentations, more than --train %d", ck.path, savedTrain, cfg.Train)
	}
	return ck, nil
}

// trainedPrefix names the copy of the state at the end of training.
const trainedPrefix = "trained/"

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
	ts, err := ck.st.tensors("")
	if err != nil {
		return err
	}
	f := &modelfile.File{Meta: map[string]string{modelfile.KeyKind: checkpointKind,
		modelfile.KeyConfig: ck.config, metaTrain: strconv.Itoa(ck.train)}}
	if ck.frozen != 0 {
		f.Meta[metaAssignFrozen] = strconv.Itoa(ck.frozen)
	}
	f.Add(ts...)
	f.Add(ck.trained...)
	return modelfile.Write(ck.path, f)
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
	if ck.path != "" {
		pr.next = ck.train
		var err error
		if ck.trained, err = ck.st.tensors(trainedPrefix); err != nil {
			return err
		}
	}
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

// addRun lists what both full-data runs keep besides their layers and
// projections: the lateral inhibition, the spike and order streams, the
// image order, the label-assignment accumulators and the progress.
func (s *runState) addRun(inh *lateral, spikes, order *rand.PCG, perm []int, resp, seen []float64, p *progress, repeats *int) {
	s.add("inh.all", &inh.all)
	s.add("inh.self", inh.self)
	s.add("rng.spikes", spikes)
	s.add("rng.order", order)
	s.add("perm", perm)
	s.add("resp", resp)
	s.add("seen", seen)
	s.addProgress(p, repeats)
}
