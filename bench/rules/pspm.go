package rules

import (
	"fmt"
	"math"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/monitor"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// PSPMResult is the outcome of the teacher–student task.
type PSPMResult struct {
	DistBefore, DistAfter float64 // mean van Rossum distance (τ = 10 ms) to the target trains
	CorrW                 float64 // correlation of learnt and ground-truth input weights
}

func (r PSPMResult) String() string {
	return fmt.Sprintf("van Rossum distance to targets %.2f → %.2f; learnt vs true weight correlation %.2f",
		r.DistBefore, r.DistAfter, r.CorrW)
}

// Holds: the distance falls by more than 20 % (Bagley et al. report an
// improvement without a number we could retrieve; the weights need not
// match the ground truth, and they report that they often do not).
func (r PSPMResult) Holds() bool { return r.DistAfter < 0.8*r.DistBefore }

// PSPMTask: a teacher network of 20 LIF neurons (Brette 2007 CUBA; 100
// frozen Poisson inputs at 20 Hz for 500 ms, input weights drawn in
// [0, 3] mV, recurrent excitatory weights in [0, 1.5] mV with p = 0.2)
// produces the target trains; a student with the same wiring and random
// weights learns them with PSPM (both projections; Delta = 0.05 mV,
// Window = 5 ms) over trials trials.
func PSPMTask(trials int, seed uint64) PSPMResult { return pspmTask(trials, seed, 0.05, 5) }

func pspmTask(trials int, seed uint64, delta float32, win int) PSPMResult {
	const nIn, n, T, dt = 100, 20, 500, 1
	r := rng.Named(seed, "pspm")
	inTimes := make([][]int32, nIn)
	for i := range inTimes {
		for t := 0; t < T; t++ {
			if r.Float64() < 20*dt/1000.0 {
				inTimes[i] = append(inTimes[i], int32(t))
			}
		}
	}
	build := func(nPre int, p float64, w func() float32, mask [][2]int32) (*synapse.CSR, [][2]int32) {
		var e []synapse.Edge
		if mask == nil {
			for i := 0; i < nPre; i++ {
				for j := 0; j < n; j++ {
					if (nPre != n || i != j) && r.Float64() < p {
						mask = append(mask, [2]int32{int32(i), int32(j)})
					}
				}
			}
		}
		for _, m := range mask {
			e = append(e, synapse.Edge{Pre: m[0], Post: m[1], W: w(), Delay: 1})
		}
		c, _ := synapse.FromEdges(nPre, n, e) // indices in range by construction
		return c, mask
	}
	tIn, mIn := build(nIn, 1, func() float32 { return 3 * r.Float32() }, nil)
	tRec, mRec := build(n, 0.2, func() float32 { return 1.5 * r.Float32() }, nil)
	sIn, _ := build(nIn, 1, func() float32 { return 3 * r.Float32() }, mIn)
	sRec, _ := build(n, 0.2, func() float32 { return 1.5 * r.Float32() }, mRec)
	colsIn, colsRec := sIn.BuildColumns(), sRec.BuildColumns()

	run := func(in, rec *synapse.CSR) [][]int32 {
		lif := neuron.NewLIF(n, neuron.DefaultLIF())
		lif.Init(dt, 0)
		out := make([][]int32, n)
		exc, next, inh := make([]float32, n), make([]float32, n), make([]float32, n)
		spk := make([]uint8, n)
		cur := make([]int, nIn)
		for t := int32(0); t < T; t++ {
			lif.Step(0, n, uint64(t), neuron.Input{Exc: exc, Inh: inh}, spk)
			clear(next)
			for i, ts := range inTimes {
				if cur[i] < len(ts) && ts[cur[i]] == t {
					cur[i]++
					lo, hi := in.Row(i)
					for s := lo; s < hi; s++ {
						next[in.Post[s]] += in.W[s]
					}
				}
			}
			for j, s := range spk {
				if s != 0 {
					out[j] = append(out[j], t)
					lo, hi := rec.Row(j)
					for k := lo; k < hi; k++ {
						next[rec.Post[k]] += rec.W[k]
					}
				}
			}
			exc, next = next, exc
		}
		return out
	}
	dist := func(a, b [][]int32) float64 {
		d := 0.0
		for j := range a {
			d += monitor.VanRossum(ms(a[j]), ms(b[j]), 10) / float64(len(a))
		}
		return d
	}
	target := run(tIn, tRec)
	rule := plasticity.NewPSPM()
	rule.Delta, rule.Window, rule.W = delta, win, plasticity.Bounds{Min: 0, Max: 4}
	var res PSPMResult
	res.DistBefore = dist(run(sIn, sRec), target)
	for k := 0; k < trials; k++ {
		out := run(sIn, sRec)
		rule.Trial(sIn, colsIn, inTimes, out, target, r)
		rule.Trial(sRec, colsRec, out, out, target, r)
	}
	res.DistAfter = dist(run(sIn, sRec), target)
	res.CorrW = corr(sIn.W, tIn.W)
	return res
}

func ms(t []int32) []float64 {
	x := make([]float64, len(t))
	for i, v := range t {
		x[i] = float64(v)
	}
	return x
}

func corr(a, b []float32) float64 {
	var ma, mb float64
	for i := range a {
		ma += float64(a[i]) / float64(len(a))
		mb += float64(b[i]) / float64(len(b))
	}
	var sab, saa, sbb float64
	for i := range a {
		x, y := float64(a[i])-ma, float64(b[i])-mb
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	return sab / math.Sqrt(saa*sbb)
}
