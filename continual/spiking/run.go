package spiking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/engram-lab/engram/continual"
	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// Progress reports how far Run is. Phase is "train" (Done/Total count the
// training samples of task Task over all its epochs), "hebb" (lateral
// learning after task Task; Done = layers finished), or "eval" (Done/Total
// count the tasks evaluated after task Task; Task = −1 for the evaluation of
// the untrained network).
type Progress struct {
	Task, Tasks int
	Phase       string
	Done, Total int
	// TrainAcc is the running training accuracy of the current task (train
	// phase only).
	TrainAcc float64
}

// Result is the outcome of one Run.
type Result struct {
	Matrix *continual.Matrix `json:"matrix"`
	ACC    float64           `json:"acc"`
	BWT    float64           `json:"bwt"`
	FWT    float64           `json:"fwt"`
	// Subspace[t][l] is the number of lateral neurons of projected layer l
	// after task t (HLOP only).
	Subspace [][]int `json:"subspace,omitempty"`
	// Captured[t][l] is the fraction of the residual presynaptic energy of
	// task t that the lateral neurons added after task t capture (HLOP only).
	Captured [][]float64 `json:"captured,omitempty"`
	// Energy[t][l] is the fraction of the energy of task t's presynaptic
	// vectors (the Hebbian samples) that layer l's whole lateral population
	// captures after task t, 1 − Σ‖p − HᵀHp‖²/Σ‖p‖² (HLOP only).
	Energy  [][]float64 `json:"energy,omitempty"`
	Seconds float64     `json:"seconds"`
	Net     *Net        `json:"-"`
}

// Run trains a fresh Net on the tasks of stream in order and evaluates it on
// every task after each one (and once before training, for FWT). With
// cfg.HLOP, after each task but the last the lateral neurons of every
// projected layer are grown on that task's presynaptic traces (Lateral.Grow)
// and all later updates are projected orthogonally to them. progress may be
// nil. ctx cancels between minibatches (nil = never).
func Run(ctx context.Context, cfg Config, stream *continual.Stream, progress func(Progress)) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if stream == nil || len(stream.Tasks) == 0 {
		return Result{}, errors.New("spiking: empty stream")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	start := time.Now()
	T := len(stream.Tasks)
	names := make([]string, T)
	for t, tk := range stream.Tasks {
		names[t] = tk.Name
		if tk.Train.Steps != 1 || tk.Train.Dim != stream.Dim {
			return Result{}, fmt.Errorf("spiking: task %s: want static samples of dim %d", tk.Name, stream.Dim)
		}
	}
	net := NewNet(cfg, stream.Dim, stream.Classes)
	m := continual.NewMatrix(names)
	res := Result{Matrix: m, Net: net}
	for j := range stream.Tasks {
		m.Base[j] = net.Evaluate(stream, j)
		progress(Progress{Task: -1, Tasks: T, Phase: "eval", Done: j + 1, Total: T})
	}
	s := net.newState()
	g := net.newGrads()
	for t, tk := range stream.Tasks {
		tr := tk.Train
		total := cfg.Epochs * tr.N
		done, correct := 0, 0
		scale := 1.0
		for ep := 0; ep < cfg.Epochs; ep++ {
			order := rng.Named(cfg.Seed, fmt.Sprintf("order-%d-%d", t, ep)).Perm(tr.N)
			for b := 0; b < len(order); b += cfg.BatchSize {
				if err := ctx.Err(); err != nil {
					return res, err
				}
				e := min(b+cfg.BatchSize, len(order))
				for _, i := range order[b:e] {
					if net.learn(s, g, tr.Sample(i), int(tr.Y[i])) {
						correct++
					}
				}
				net.apply(g, e-b, scale)
				done += e - b
				progress(Progress{Task: t, Tasks: T, Phase: "train", Done: done, Total: total, TrainAcc: float64(correct) / float64(done)})
			}
			scale *= cfg.LRDecay
		}
		for j := 0; j < T; j++ {
			m.R[t][j] = net.Evaluate(stream, j)
			progress(Progress{Task: t, Tasks: T, Phase: "eval", Done: j + 1, Total: T})
		}
		if cfg.HLOP && t < T-1 {
			dims, capt, energy := net.GrowSubspaces(tr, t)
			res.Subspace = append(res.Subspace, dims)
			res.Captured = append(res.Captured, capt)
			res.Energy = append(res.Energy, energy)
			progress(Progress{Task: t, Tasks: T, Phase: "hebb", Done: len(dims), Total: len(dims)})
		}
	}
	res.ACC, res.BWT, res.FWT = m.ACC(), m.BWT(), m.FWT()
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// Evaluate returns the test accuracy on task j of stream, scored as the
// stream's scenario prescribes (continual.Stream.Mask).
func (n *Net) Evaluate(stream *continual.Stream, j int) float64 {
	te := stream.Tasks[j].Test
	s := n.newState()
	C := n.classes
	scores := make([]float32, te.N*C)
	for i := 0; i < te.N; i++ {
		n.forward(s, te.Sample(i))
		copy(scores[i*C:(i+1)*C], s.score)
	}
	return continual.Score(scores, te.Y, te.N, C, stream.Mask(j))
}

// GrowSubspaces adds the lateral neurons of task t to every projected layer,
// trained on the presynaptic vectors (x for the input, X̂ of each hidden
// layer) of up to cfg.HebbSamples training samples of tr simulated with the
// current weights. With cfg.Recruit = "fixed" each layer adds the scheduled
// number of neurons (Lateral.Grow); with "energy" it recruits neurons until
// its subspace captures cfg.Energy (input) or cfg.EnergyHidden (hidden
// layers) of the samples' energy (Lateral.Recruit). It returns, per layer,
// the new subspace size, the fraction of the residual energy (left by the
// old neurons) that the new neurons capture, and the fraction of the
// samples' energy that the whole subspace captures.
func (n *Net) GrowSubspaces(tr *dataset.Set, t int) (dims []int, capt, energy []float64) {
	cfg := n.cfg
	N := tr.N
	if cfg.HebbSamples > 0 {
		N = min(N, cfg.HebbSamples)
	}
	K := len(cfg.Hidden)
	data := make([][]float32, K+1)
	for l := range data {
		data[l] = make([]float32, N*n.dims[l])
	}
	s := n.newState()
	for i := 0; i < N; i++ {
		x := tr.Sample(i)
		copy(data[0][i*n.dims[0]:], x)
		n.forward(s, x)
		for k := 0; k < K; k++ {
			copy(data[k+1][i*n.dims[k+1]:], s.xhat[k])
		}
	}
	dims = make([]int, K+1)
	capt = make([]float64, K+1)
	energy = make([]float64, K+1)
	hc := HebbConfig{Epochs: cfg.HebbEpochs, LR: cfg.HebbLR, Decay: cfg.HebbDecay, Init: cfg.HebbInit}
	for l := 0; l <= K; l++ {
		lat := n.Lat[l]
		limit := lat.Dim
		if len(cfg.SubspaceMax) > l && cfg.SubspaceMax[l] > 0 {
			limit = min(limit, cfg.SubspaceMax[l])
		}
		r := rng.Named(cfg.Seed, fmt.Sprintf("lateral-%d-%d", l, t))
		if cfg.Recruit == RecruitEnergy {
			before := lat.Captured(data[l], N)
			target := cfg.EnergyHidden
			if l == 0 {
				target = cfg.Energy
			}
			rc := RecruitConfig{Target: target, Chunk: cfg.RecruitChunk, Max: cfg.RecruitMax, Limit: limit, Hebb: hc}
			_, energy[l] = lat.Recruit(data[l], N, rc, r)
			if before < 1 {
				capt[l] = (energy[l] - before) / (1 - before)
			}
			dims[l] = lat.K
			continue
		}
		k := cfg.SubspaceInc[l]
		if cfg.SubspaceDrop > 0 && cfg.SubspaceDropEvery > 0 {
			k = max(0, k-cfg.SubspaceDrop*(t/cfg.SubspaceDropEvery))
		}
		if t == 0 {
			k = cfg.SubspaceFirst[l]
		}
		k = min(k, limit-lat.K)
		capt[l] = lat.Grow(data[l], N, k, hc, r)
		energy[l] = lat.Captured(data[l], N)
		dims[l] = lat.K
	}
	return dims, capt, energy
}
