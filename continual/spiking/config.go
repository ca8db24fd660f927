package spiking

import (
	"errors"
	"fmt"
)

// Config holds every setting of the spiking continual learner. Times are in
// milliseconds with a fixed step Δt = 1 ms; voltages are in units of the
// (fixed) firing threshold θ = 1. Defaults (DefaultConfig) were chosen on
// short permuted-MNIST runs whose commands are in docs/continual.md
// ("Spiking HLOP"); values marked "flagship" are taken over unchanged from
// flagship.DefaultConfig (docs/flagship.md).
type Config struct {
	// Seed derives every random stream (weights, feedback, lateral
	// initialisation, sample order).
	Seed uint64 `toml:"seed"`
	// Hidden lists the LIF neurons per hidden layer. Default [800] (the MLP
	// width of P14's permuted-MNIST network).
	Hidden []int `toml:"hidden"`
	// T is the simulated time per sample in steps of 1 ms. Default 10
	// (flagship).
	T int `toml:"t"`
	// TauMem is the membrane time constant of hidden and readout neurons and
	// of the presynaptic traces, ms. Default 20 (flagship, e-prop).
	TauMem float64 `toml:"tau_mem"`
	// Gamma is the pseudo-derivative dampening γ of the post factor. Default
	// 0.3 (flagship, e-prop).
	Gamma float64 `toml:"gamma"`
	// InputGain and HiddenGain scale the initial weights: std = gain/√fan-in.
	// Defaults 1 and 1 (input gain 0.5 and 2 scored 89.05 % and 90.10 % vs
	// 89.45 % on the single-task runs of docs/continual.md).
	InputGain  float64 `toml:"input_gain"`
	HiddenGain float64 `toml:"hidden_gain"`
	// WTABeta is the inverse temperature of the soft winner-take-all
	// (softmax) over readout scores. Default 1 (flagship).
	WTABeta float64 `toml:"wta_beta"`

	// Epochs is the number of passes over each task's training set.
	// Default 2: on validation data (docs/continual.md, energy targets
	// 0.85 / 0.90) 2 epochs scored ACC 95.55 %, BWT −1.43 % against
	// 94.50 %, −1.46 % for 1 epoch. P14's permuted-MNIST script uses 1, as
	// did the earlier default (`-epochs 1 -recruit fixed` reproduces its
	// rows).
	Epochs int `toml:"epochs"`
	// BatchSize is the number of samples whose updates are averaged before
	// the weights change. Default 16 (not tuned; 64 with doubled rates
	// scored lower, docs/continual.md).
	BatchSize int `toml:"batch_size"`
	// LRIn, LRHidden and LROut are the learning rates of the input, the
	// hidden→hidden and the readout weights (updates are averaged over the
	// minibatch). Defaults 0.1, 0.01, 0.001: LRIn and LROut from the
	// single-task sweep in docs/continual.md; LRHidden (only used with two
	// or more hidden layers) is flagship's lr_hidden, not tuned here.
	LRIn     float64 `toml:"lr_in"`
	LRHidden float64 `toml:"lr_hidden"`
	LROut    float64 `toml:"lr_out"`
	// LRDecay multiplies the learning rates after each epoch of a task
	// (they restart at every task). Default 0.7 (not tuned: the second
	// epoch runs at 0.7× the rates).
	LRDecay float64 `toml:"lr_decay"`

	// HLOP switches Hebbian-learning-based orthogonal projection on. Off,
	// the same learner fine-tunes on each task in turn (the baseline).
	HLOP bool `toml:"hlop"`
	// SubspaceFirst[l] ("fixed" recruitment only, see Recruit) is the
	// number of lateral neurons added to projected layer l after the first
	// task; SubspaceInc[l] the number added after each later task;
	// SubspaceMax[l] caps the total in both modes (0 = the layer width).
	// Layer 0 is the input (presynaptic to the first hidden layer), layer
	// l ≥ 1 the l-th hidden layer (presynaptic to layer l+1 or to the
	// readout); so each list has len(Hidden)+1 entries. Defaults
	// [80, 200] / [70, 70] / [0, 0], the first-task sizes and increments of
	// P14's permuted-MNIST setting (its code also lowers the increments: see SubspaceDrop).
	SubspaceFirst []int `toml:"subspace_first"`
	SubspaceInc   []int `toml:"subspace_inc"`
	SubspaceMax   []int `toml:"subspace_max"`
	// SubspaceDrop lowers every increment by this many neurons after each
	// SubspaceDropEvery tasks (P14's permuted-MNIST schedule: 20 every 3
	// tasks, giving +70, 70, 50, 50, 50, 30, …; floor 0). Default 0 (constant
	// increments); cmd/hlopsnn -drop 20 -drop-every 3 gives P14's schedule.
	SubspaceDrop      int `toml:"subspace_drop"`
	SubspaceDropEvery int `toml:"subspace_drop_every"`
	// Recruit selects how many lateral neurons each task adds: "fixed"
	// (SubspaceFirst / SubspaceInc / SubspaceDrop, learned together with
	// Oja's subspace rule, Lateral.Grow) or "energy" (neurons are recruited
	// in chunks until the layer's subspace captures Energy / EnergyHidden of
	// the finished task's presynaptic energy, Lateral.Recruit). Empty means
	// "fixed". Default "energy": on validation data (10 permuted-MNIST
	// tasks, 50,000 training images per task, 10,000 held out, one epoch;
	// docs/continual.md) it scored ACC 93.51–94.50 % for targets between
	// 0.93 / 0.97 and 0.85 / 0.90 against 92.94 % for the fixed +70
	// schedule.
	Recruit string `toml:"recruit"`
	// Energy is the fraction of a task's input energy Σ‖x‖² that the input
	// layer's lateral population (old and new neurons) must capture after
	// the task ("energy" mode); EnergyHidden the same for the hidden
	// layers' traces X̂. Defaults 0.93 and 0.90, chosen on validation data
	// (docs/continual.md) as the run with the highest BWT among those with
	// ACC ≥ 95 %: with 2 epochs 0.93 / 0.90 scored ACC 95.32 %, BWT
	// −1.22 %, and 0.85 / 0.90 95.55 %, −1.43 %; with 1 epoch 0.97 / 0.99
	// gave 90.51 %, −2.27 %, 0.93 / 0.97 (the rate HLOP's targets)
	// 93.51 %, −1.56 %, 0.90 / 0.95 93.95 %, −1.44 %, 0.85 / 0.90 94.50 %,
	// −1.46 %. A tight hidden target leaves the readout few free
	// directions: later tasks then learn less and, pushing harder on the
	// directions left, do not forget less.
	Energy       float64 `toml:"energy"`
	EnergyHidden float64 `toml:"energy_hidden"`
	// RecruitChunk is the number of lateral neurons learned together on
	// one residual ("energy" mode). Default 32 (the rate HLOP's chunk).
	RecruitChunk int `toml:"recruit_chunk"`
	// RecruitMax caps the neurons one task adds per layer ("energy" mode;
	// SubspaceMax still caps the total). Default 400 (the rate HLOP's K).
	RecruitMax int `toml:"recruit_max"`
	// HebbSamples is the number of a task's training samples whose
	// presynaptic traces train the new lateral neurons (0 = all).
	// Default 10000 (the lateral phase then costs less than a 60k-sample
	// training epoch; P14 learns the lateral weights on every training
	// batch instead).
	HebbSamples int `toml:"hebb_samples"`
	// HebbEpochs, HebbLR, HebbDecay and HebbInit set the lateral
	// Oja-subspace learning (HebbConfig). Defaults 3, 0.5, 0.5, 0.1
	// (η₀ = 0.05 captured 83 % of the first permuted-MNIST task's input
	// energy with 80 neurons, η₀ = 0.5 94 %; docs/continual.md). Epochs,
	// decay and init were set once, not tuned; an init of 1 (unit-norm
	// random rows) broke the projection on low-rank data (see HebbConfig).
	HebbEpochs int     `toml:"hebb_epochs"`
	HebbLR     float64 `toml:"hebb_lr"`
	HebbDecay  float64 `toml:"hebb_decay"`
	HebbInit   float64 `toml:"hebb_init"`
}

// Recruitment modes of Config.Recruit.
const (
	RecruitFixed  = "fixed"
	RecruitEnergy = "energy"
)

// DefaultConfig returns the defaults documented on Config, with HLOP on.
func DefaultConfig() Config {
	return Config{
		Seed:          1,
		Hidden:        []int{800},
		T:             10,
		TauMem:        20,
		Gamma:         0.3,
		InputGain:     1,
		HiddenGain:    1,
		WTABeta:       1,
		Epochs:        2,
		BatchSize:     16,
		LRIn:          0.1,
		LRHidden:      0.01,
		LROut:         0.001,
		LRDecay:       0.7,
		HLOP:          true,
		SubspaceFirst: []int{80, 200},
		SubspaceInc:   []int{70, 70},
		SubspaceMax:   []int{0, 0},
		Recruit:       RecruitEnergy,
		Energy:        0.93,
		EnergyHidden:  0.90,
		RecruitChunk:  32,
		RecruitMax:    400,
		HebbSamples:   10000,
		HebbEpochs:    3,
		HebbLR:        0.5,
		HebbDecay:     0.5,
		HebbInit:      0.1,
	}
}

// Validate reports the first invalid setting.
func (c *Config) Validate() error {
	if len(c.Hidden) == 0 {
		return errors.New("spiking: hidden must list at least one layer")
	}
	for _, n := range c.Hidden {
		if n <= 0 {
			return fmt.Errorf("spiking: hidden layer size %d ≤ 0", n)
		}
	}
	if c.T <= 0 || c.TauMem <= 0 || c.Epochs <= 0 || c.BatchSize <= 0 {
		return errors.New("spiking: t, tau_mem, epochs and batch_size must be > 0")
	}
	if c.HLOP {
		L := len(c.Hidden) + 1
		if c.Recruit != RecruitEnergy && (len(c.SubspaceFirst) != L || len(c.SubspaceInc) != L) {
			return fmt.Errorf("spiking: subspace_first and subspace_inc need %d entries (input + each hidden layer)", L)
		}
		if len(c.SubspaceMax) != 0 && len(c.SubspaceMax) != L {
			return fmt.Errorf("spiking: subspace_max needs 0 or %d entries", L)
		}
		switch c.Recruit {
		case "", RecruitFixed:
		case RecruitEnergy:
			if c.Energy <= 0 || c.Energy > 1 || c.EnergyHidden <= 0 || c.EnergyHidden > 1 || c.RecruitChunk <= 0 || c.RecruitMax < 0 {
				return errors.New("spiking: energy recruitment needs energy and energy_hidden in (0, 1], recruit_chunk > 0, recruit_max ≥ 0")
			}
		default:
			return fmt.Errorf("spiking: recruit %q: want %q or %q", c.Recruit, RecruitFixed, RecruitEnergy)
		}
		if c.HebbEpochs <= 0 || c.HebbLR <= 0 || c.HebbLR > 1 || c.HebbInit <= 0 {
			return errors.New("spiking: hebb_epochs and hebb_init must be > 0 and hebb_lr in (0, 1]")
		}
	}
	return nil
}
