package continual

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// Scenario says how a task's test samples are scored (van de Ven & Tolias
// 2019).
type Scenario int

const (
	// DomainIL: one shared output head, argmax over all classes; the task
	// changes the input distribution (permuted, rotated MNIST).
	DomainIL Scenario = iota
	// TaskIL: the task identity is given at test time; argmax over the
	// task's own classes only (Task.Classes).
	TaskIL
	// ClassIL: argmax over all classes seen in the stream, no task identity.
	ClassIL
)

var scenarioNames = [...]string{"domain-il", "task-il", "class-il"}

func (s Scenario) String() string { return scenarioNames[s] }

// Task is one stage of a stream: its own training and test sets.
type Task struct {
	Name        string
	Train, Test *dataset.Set
	// Classes lists the labels this task contains (all classes for
	// permuted/rotated tasks). Under TaskIL prediction is restricted to
	// them.
	Classes []int
}

// Stream is an ordered sequence of tasks over one label space.
type Stream struct {
	Name     string
	Scenario Scenario
	Classes  int // output units (size of the shared label space)
	Dim      int // input features per sample
	Tasks    []Task
}

// Stream names accepted by Build.
const (
	PermutedMNIST     = "permuted-mnist"
	SplitMNIST        = "split-mnist"         // task-incremental
	SplitMNISTClass   = "split-mnist-class"   // class-incremental
	RotatedMNIST      = "rotated-mnist"       // 0° → MaxAngle
	SplitFashion      = "split-fashion"       // task-incremental
	SplitFashionClass = "split-fashion-class" // class-incremental
	DefaultTasks      = 10                    // permuted / rotated MNIST (Goodfellow et al. 2013; Kirkpatrick et al. 2017 use 10)
	DefaultMaxAngle   = 45.0                  // degrees, rotated MNIST range of the issue
	DefaultTrainLimit = 30000                 // training samples per task
	DefaultTestLimit  = 2000                  // test samples per task
	splitPairs        = 5                     // split streams: {0,1},{2,3},…,{8,9}
)

// StreamNames lists the names Build accepts.
var StreamNames = []string{PermutedMNIST, SplitMNIST, SplitMNISTClass, RotatedMNIST, SplitFashion, SplitFashionClass}

// Options sets the size of a generated stream.
type Options struct {
	Tasks      int     // number of tasks (permuted, rotated; ≤ 5 for split streams); 0 = default
	TrainLimit int     // training samples per task (0 = all available)
	TestLimit  int     // test samples per task (0 = all available)
	Seed       uint64  // seeds the permutations and the per-task sample choice
	MaxAngle   float64 // rotated stream: last task's angle in degrees (0 = DefaultMaxAngle)
	// Shots, when > 0, replaces TrainLimit: each task's training set holds
	// Shots samples of each of its classes (few-shot continual learning,
	// P18 uses 5).
	Shots int
	// Validation, when > 0, holds out that many samples of the dataset's
	// training split (chosen by rng.Named(Seed, "validation")) and uses
	// them in place of the test split: tasks draw their training samples
	// from the rest and are scored on the held-out ones. Hyper-parameters
	// are tuned this way without touching the test set.
	Validation int
}

// Loader returns the training and test splits of a named dataset;
// dataset.Load is the default. Tests pass small synthetic sets.
type Loader func(name string) (train, test *dataset.Set, err error)

// Build returns the named stream (see StreamNames) generated from MNIST or
// Fashion-MNIST loaded with load (nil = dataset.Load).
func Build(name string, o Options, load Loader) (*Stream, error) {
	if load == nil {
		load = dataset.Load
	}
	data := dataset.NameMNIST
	if name == SplitFashion || name == SplitFashionClass {
		data = dataset.NameFashionMNIST
	}
	tr, te, err := load(data)
	if err != nil {
		return nil, err
	}
	if o.Validation > 0 {
		if tr, te, err = holdOut(tr, o.Validation, o.Seed); err != nil {
			return nil, err
		}
	}
	switch name {
	case PermutedMNIST:
		return Permuted(tr, te, o), nil
	case RotatedMNIST:
		return Rotated(tr, te, o), nil
	case SplitMNIST, SplitFashion:
		return Split(tr, te, o, TaskIL, name), nil
	case SplitMNISTClass, SplitFashionClass:
		return Split(tr, te, o, ClassIL, name), nil
	}
	return nil, fmt.Errorf("continual: unknown stream %q (want one of %v)", name, StreamNames)
}

// holdOut splits s into a training part and v held-out validation
// samples, chosen by rng.Named(seed, "validation").
func holdOut(s *dataset.Set, v int, seed uint64) (train, val *dataset.Set, err error) {
	if v >= s.N {
		return nil, nil, fmt.Errorf("continual: validation %d ≥ %d training samples", v, s.N)
	}
	p := rng.Named(seed, "validation").Perm(s.N)
	train, val = s.Subset(p[v:]), s.Subset(p[:v])
	val.Name = s.Name + "-validation"
	return train, val, nil
}

// pickTrain is pick for a training set, honouring o.Shots.
func pickTrain(s *dataset.Set, o Options, r *rand.Rand) *dataset.Set {
	if o.Shots <= 0 {
		return pick(s, o.TrainLimit, r)
	}
	count := make([]int, s.Classes)
	var idx []int
	for _, i := range r.Perm(s.N) {
		if y := int(s.Y[i]); y < len(count) && count[y] < o.Shots {
			count[y]++
			idx = append(idx, i)
		}
	}
	return s.Subset(idx)
}

// pick returns up to limit samples of s drawn without replacement by r
// (all of s, shuffled, when limit is 0 or ≥ s.N).
func pick(s *dataset.Set, limit int, r *rand.Rand) *dataset.Set {
	p := r.Perm(s.N)
	if limit > 0 && limit < s.N {
		p = p[:limit]
	}
	return s.Subset(p)
}

// allClasses returns 0..k-1.
func allClasses(k int) []int {
	c := make([]int, k)
	for i := range c {
		c[i] = i
	}
	return c
}

// Permuted returns the permuted-MNIST stream (Goodfellow et al. 2013): task
// t applies a fixed random pixel permutation π_t, x'_i = x_{π_t(i)}, to
// every image; task 0 uses the identity. Permutations come from
// rng.Named(seed, "permute"); each task draws its own TrainLimit/TestLimit
// samples from rng.Named(seed, "task-samples").
func Permuted(train, test *dataset.Set, o Options) *Stream {
	T := orDefault(o.Tasks, DefaultTasks)
	pr := rng.Named(o.Seed, "permute")
	sr := rng.Named(o.Seed, "task-samples")
	s := &Stream{Name: PermutedMNIST, Scenario: DomainIL, Classes: train.Classes, Dim: train.Dim}
	for t := 0; t < T; t++ {
		perm := pr.Perm(train.Dim)
		if t == 0 {
			for i := range perm {
				perm[i] = i
			}
		}
		tr, te := pickTrain(train, o, sr), pick(test, o.TestLimit, sr)
		PermutePixels(tr, perm)
		PermutePixels(te, perm)
		tr.Name, te.Name = fmt.Sprintf("perm%d", t), fmt.Sprintf("perm%d", t)
		s.Tasks = append(s.Tasks, Task{Name: tr.Name, Train: tr, Test: te, Classes: allClasses(train.Classes)})
	}
	return s
}

// PermutePixels rewrites every sample of s in place as x'_i = x_{perm[i]}.
func PermutePixels(s *dataset.Set, perm []int) {
	d := s.Steps * s.Dim
	buf := make([]float32, d)
	for n := 0; n < s.N; n++ {
		x := s.X[n*d : (n+1)*d]
		for i, p := range perm {
			buf[i] = x[p]
		}
		copy(x, buf)
	}
}

// Rotated returns the rotated-MNIST stream: T tasks whose images are
// rotated by θ_t = MaxAngle·t/(T−1) degrees (0° … 45° by default; P5 and
// Lopez-Paz & Ranzato 2017 use rotations as a domain shift).
func Rotated(train, test *dataset.Set, o Options) *Stream {
	T := orDefault(o.Tasks, DefaultTasks)
	maxA := o.MaxAngle
	if maxA == 0 {
		maxA = DefaultMaxAngle
	}
	sr := rng.Named(o.Seed, "task-samples")
	s := &Stream{Name: RotatedMNIST, Scenario: DomainIL, Classes: train.Classes, Dim: train.Dim}
	for t := 0; t < T; t++ {
		a := 0.0
		if T > 1 {
			a = maxA * float64(t) / float64(T-1)
		}
		tr, te := pickTrain(train, o, sr), pick(test, o.TestLimit, sr)
		RotateImages(tr, a)
		RotateImages(te, a)
		tr.Name = fmt.Sprintf("rot%.0f", a)
		te.Name = tr.Name
		s.Tasks = append(s.Tasks, Task{Name: tr.Name, Train: tr, Test: te, Classes: allClasses(train.Classes)})
	}
	return s
}

// RotateImages rotates every Height×Width image of s in place by deg
// degrees counter-clockwise about the image centre, sampling the source
// with bilinear interpolation (pixels outside the source are 0).
func RotateImages(s *dataset.Set, deg float64) {
	h, w := s.Height, s.Width
	if h*w != s.Dim || deg == 0 {
		return
	}
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cy, cx := float64(h-1)/2, float64(w-1)/2
	buf := make([]float32, h*w)
	for n := 0; n < s.N; n++ {
		x := s.X[n*h*w : (n+1)*h*w]
		for i := 0; i < h; i++ {
			for j := 0; j < w; j++ {
				// inverse map: output pixel (i, j) comes from the source
				// point rotated back by −deg.
				dy, dx := float64(i)-cy, float64(j)-cx
				sy := cy + cos*dy + sin*dx
				sx := cx - sin*dy + cos*dx
				buf[i*w+j] = bilinear(x, h, w, sy, sx)
			}
		}
		copy(x, buf)
	}
}

func bilinear(x []float32, h, w int, y, xx float64) float32 {
	y0, x0 := int(math.Floor(y)), int(math.Floor(xx))
	fy, fx := float32(y-float64(y0)), float32(xx-float64(x0))
	at := func(i, j int) float32 {
		if i < 0 || j < 0 || i >= h || j >= w {
			return 0
		}
		return x[i*w+j]
	}
	return (1-fy)*((1-fx)*at(y0, x0)+fx*at(y0, x0+1)) + fy*((1-fx)*at(y0+1, x0)+fx*at(y0+1, x0+1))
}

// Split returns the split stream over classes {0,1}, {2,3}, …, {8,9}
// (Zenke et al. 2017): task t holds only the samples of its two classes,
// labels kept as they are (0..9). sc is TaskIL (the task's two outputs
// compete at test time) or ClassIL (all ten do). Tasks ≤ 5.
func Split(train, test *dataset.Set, o Options, sc Scenario, name string) *Stream {
	T := min(orDefault(o.Tasks, splitPairs), splitPairs)
	sr := rng.Named(o.Seed, "task-samples")
	s := &Stream{Name: name, Scenario: sc, Classes: train.Classes, Dim: train.Dim}
	for t := 0; t < T; t++ {
		cl := []int{2 * t, 2*t + 1}
		tr := pickTrain(classSubset(train, cl), o, sr)
		te := pick(classSubset(test, cl), o.TestLimit, sr)
		tr.Name = fmt.Sprintf("%d/%d", cl[0], cl[1])
		te.Name = tr.Name
		s.Tasks = append(s.Tasks, Task{Name: tr.Name, Train: tr, Test: te, Classes: cl})
	}
	return s
}

func classSubset(s *dataset.Set, cl []int) *dataset.Set {
	var idx []int
	for i, y := range s.Y {
		for _, c := range cl {
			if int(y) == c {
				idx = append(idx, i)
				break
			}
		}
	}
	return s.Subset(idx)
}

// Mask returns, for scenario sc, which outputs compete when scoring task t:
// nil (all) for DomainIL and ClassIL, the task's classes for TaskIL.
func (s *Stream) Mask(t int) []int {
	if s.Scenario == TaskIL {
		return s.Tasks[t].Classes
	}
	return nil
}

// Score returns the accuracy of the n×Classes scores on labels y when only
// the outputs in mask compete (nil = all).
func Score(scores []float32, y []uint8, n, k int, mask []int) float64 {
	if n == 0 {
		return 0
	}
	c := 0
	for i := 0; i < n; i++ {
		row := scores[i*k : (i+1)*k]
		best, bi := float32(math.Inf(-1)), -1
		if mask == nil {
			for j, v := range row {
				if v > best {
					best, bi = v, j
				}
			}
		} else {
			for _, j := range mask {
				if row[j] > best {
					best, bi = row[j], j
				}
			}
		}
		if bi == int(y[i]) {
			c++
		}
	}
	return float64(c) / float64(n)
}
