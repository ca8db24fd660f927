package continual

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/engram-lab/engram/dataset"
)

// ShiftValidationImages is the size of the validation pool of the tuned
// P16 comparison: the first 50000 MNIST training images. The test pool is
// the official 10000 test images plus the last 10000 training images, so
// no image is shared between validation and test streams.
const ShiftValidationImages = 50000

// ShiftPools splits MNIST into the validation pool (the first nval
// training images) and the test pool (the test images followed by the
// training images from nval on). It panics if nval ≥ train.N.
func ShiftPools(train, test *dataset.Set, nval int) (val, tst *dataset.Set) {
	if nval >= train.N {
		panic(fmt.Sprintf("continual: validation pool %d ≥ %d training images", nval, train.N))
	}
	val = train.Head(nval)
	val.Name = train.Name + "-shift-validation"
	d := train.Steps * train.Dim
	rest := train.N - nval
	tst = &dataset.Set{}
	*tst = *test
	tst.Name = train.Name + "-shift-test"
	tst.N = test.N + rest
	tst.X = append(append(make([]float32, 0, tst.N*d), test.X[:test.N*d]...), train.X[nval*d:train.N*d]...)
	tst.Y = append(append(make([]uint8, 0, tst.N), test.Y[:test.N]...), train.Y[nval:train.N]...)
	return val, tst
}

// Stat is a mean and sample standard deviation over seeds.
type Stat struct{ Mean, SD float64 }

func stat(v []float64) Stat {
	var s Stat
	for _, x := range v {
		s.Mean += x
	}
	s.Mean /= float64(len(v))
	if len(v) > 1 {
		for _, x := range v {
			s.SD += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(s.SD / float64(len(v)-1))
	}
	return s
}

// TunedOptions sets the tuned P16 comparison (ShiftTuned).
type TunedOptions struct {
	Stream    ShiftOptions      // Samples and Block of every stream (Rate, RateAt, Seed are set per stream)
	Rates     []float64         // constant shift probabilities per block
	Sched     func(int) float64 // changing rate (nil = none), named SchedName
	SchedName string
	// FixedLRs is the grid of the plain learner's fixed rate η.
	FixedLRs []float32
	// Need lists the need-modulated candidates (η₀, κ, signal, …); one of
	// them is chosen for every rate.
	Need []NeedConfig
	// ValSeeds seed the validation streams (drawn from the validation
	// pool) and their learners; TestSeeds the test streams and learners.
	ValSeeds, TestSeeds []uint64
	Workers             int // concurrent runs (0 = GOMAXPROCS)
	// ValidationOnly stops after the selection (sweeps); Rows stays empty.
	ValidationOnly bool
	Log            func(string)
}

// DefaultTuned returns the bench setting of the tuned comparison:
// 20000-sample streams in blocks of 100, the rates ShiftRates and the
// schedule ShiftSchedule, fixed η ∈ {0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5},
// the need candidates NeedGrid, validation seeds 101–103, test seeds 1–3.
func DefaultTuned() TunedOptions {
	return TunedOptions{Stream: ShiftOptions{Samples: 20000, Block: 100}, Rates: ShiftRates,
		Sched: ShiftSchedule, SchedName: ShiftScheduleName,
		FixedLRs: []float32{0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5}, Need: NeedGrid(),
		ValSeeds: []uint64{101, 102, 103}, TestSeeds: []uint64{1, 2, 3}}
}

// NeedGrid returns the need-modulated candidates of the bench (α = 0.3
// throughout), chosen around the best region of two wider validation
// sweeps (docs/continual.md): set point (e* = 0.1) with η₀ ∈ {0.15, 0.2,
// 0.3} × κ ∈ {2, 3}, and surprise with η₀ ∈ {0.2, 0.3} × κ ∈ {3, 10} ×
// β ∈ {0.1, 0.2}.
func NeedGrid() []NeedConfig {
	var g []NeedConfig
	for _, lr := range []float32{0.15, 0.2, 0.3} {
		for _, k := range []float32{2, 3} {
			c := DefaultNeed()
			c.LR, c.Gain, c.Signal = lr, k, NeedSetPoint
			g = append(g, c)
		}
	}
	for _, lr := range []float32{0.2, 0.3} {
		for _, k := range []float32{3, 10} {
			for _, b := range []float32{0.1, 0.2} {
				c := DefaultNeed()
				c.LR, c.Gain, c.Signal, c.Slow = lr, k, NeedSurprise, b
				g = append(g, c)
			}
		}
	}
	return g
}

// TunedRow is one shift rate of the tuned comparison, on the test streams.
type TunedRow struct {
	Rate     string
	Shifts   Stat    // shift events per test stream
	OracleLR float32 // best fixed η on validation at this rate
	// Oracle, Single and Need are the mean prequential accuracies of the
	// plain learner at OracleLR, at the single best fixed η over all rates,
	// and of the chosen need-modulated learner; AdvOracle = Need − Oracle
	// and AdvSingle = Need − Single, paired per seed.
	Oracle, Single, Need Stat
	AdvOracle, AdvSingle Stat
	NeedLR               Stat // the need-modulated learner's mean η over the stream
	// Alt[i] is the test accuracy of TunedResult.Alt[i] (the best
	// validation candidate of another need signal), AltAdv[i] = Alt[i] −
	// Oracle, paired per seed. Reported, not selected.
	Alt, AltAdv []Stat
	// Curves holds the runs of the first test seed: oracle, single, need.
	Curves [3]*ShiftRun
}

// TunedResult is the outcome of ShiftTuned.
type TunedResult struct {
	Rows     []TunedRow
	Names    []string // stream names, in row order
	SingleLR float32  // best fixed η over all rates (validation)
	NeedIdx  int      // index of the chosen need candidate
	// Alt lists, for every other signal among the candidates, its best
	// candidate on validation (scored on test for the record).
	Alt      []NeedConfig
	Need     NeedConfig  // the chosen need candidate
	FixedVal [][]float64 // [stream][η] mean validation accuracy over ValSeeds
	NeedVal  [][]float64 // [stream][candidate] likewise
}

// argmax returns the index of the largest value (the first on ties).
func argmax(v []float64) int { return slices.Index(v, slices.Max(v)) }

// colMeans returns the mean of each column of m.
func colMeans(m [][]float64) []float64 {
	out := make([]float64, len(m[0]))
	for _, row := range m {
		for j, x := range row {
			out[j] += x / float64(len(m))
		}
	}
	return out
}

// shiftJob is one learner on one stream.
type shiftJob struct {
	c    NeedConfig
	need bool
}

// runJobs runs every job on sh with learner seed seed, workers at a time.
func runJobs(sh *Shift, jobs []shiftJob, seed uint64, workers int) []*ShiftRun {
	out := make([]*ShiftRun, len(jobs))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			out[i] = RunShift(sh, j.c, j.need, seed)
			<-sem
		}()
	}
	wg.Wait()
	return out
}

func countShifts(sh *Shift) int {
	n := 0
	for _, s := range sh.Shifted {
		if s {
			n++
		}
	}
	return n
}

// ShiftTuned runs the fair P16 comparison. On validation streams (from
// val, seeds o.ValSeeds) it picks, for the plain learner, the best fixed η
// of o.FixedLRs per rate (an oracle that knows the rate) and the single
// best η over all rates; for the need-modulated learner, the one candidate
// of o.Need with the best validation accuracy averaged over all rates (it
// does not know the rate). Selection criterion: mean prequential accuracy
// over the validation seeds (and, for the rate-blind choices, over the
// streams). It then scores the three choices on test streams (from tst,
// seeds o.TestSeeds); learner seeds equal stream seeds.
func ShiftTuned(val, tst *dataset.Set, o TunedOptions) *TunedResult {
	w := o.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	type stream struct {
		name string
		so   ShiftOptions
	}
	var streams []stream
	for _, r := range o.Rates {
		so := o.Stream
		so.Rate, so.RateAt = r, nil
		streams = append(streams, stream{fmt.Sprintf("%g", r), so})
	}
	if o.Sched != nil {
		so := o.Stream
		so.RateAt = o.Sched
		streams = append(streams, stream{o.SchedName, so})
	}
	log := func(s string) {
		if o.Log != nil {
			o.Log(s)
		}
	}
	res := &TunedResult{}
	var jobs []shiftJob
	for _, lr := range o.FixedLRs {
		c := DefaultNeed()
		c.LR = lr
		jobs = append(jobs, shiftJob{c: c})
	}
	for _, c := range o.Need {
		jobs = append(jobs, shiftJob{c: c, need: true})
	}
	nf := len(o.FixedLRs)
	for _, st := range streams {
		res.Names = append(res.Names, st.name)
		fv, nv := make([]float64, nf), make([]float64, len(o.Need))
		for _, seed := range o.ValSeeds {
			so := st.so
			so.Seed = seed
			runs := runJobs(ConceptShift(val, so), jobs, seed, w)
			for i, r := range runs {
				if i < nf {
					fv[i] += r.Mean / float64(len(o.ValSeeds))
				} else {
					nv[i-nf] += r.Mean / float64(len(o.ValSeeds))
				}
			}
		}
		res.FixedVal = append(res.FixedVal, fv)
		res.NeedVal = append(res.NeedVal, nv)
		log(fmt.Sprintf("P16 validation, rate %s: fixed η %v → %s; need → %s", st.name, o.FixedLRs, pct(fv), pct(nv)))
	}
	res.SingleLR = o.FixedLRs[argmax(colMeans(res.FixedVal))]
	res.NeedIdx = argmax(colMeans(res.NeedVal))
	res.Need = o.Need[res.NeedIdx]
	nm := colMeans(res.NeedVal)
	for _, sig := range []string{NeedSetPoint, NeedSurprise} {
		best := -1
		for i, c := range o.Need {
			if c.Signal == sig && (best < 0 || nm[i] > nm[best]) {
				best = i
			}
		}
		if best >= 0 && o.Need[best].Signal != res.Need.Signal {
			res.Alt = append(res.Alt, o.Need[best])
		}
	}
	log(fmt.Sprintf("P16 validation choice: single best fixed η = %g; need %s η₀ = %g, κ = %g", res.SingleLR, res.Need.Signal, res.Need.LR, res.Need.Gain))
	if o.ValidationOnly {
		return res
	}
	for si, st := range streams {
		row := TunedRow{Rate: st.name, OracleLR: o.FixedLRs[argmax(res.FixedVal[si])]}
		var shifts, or, sg, nd, ao, as, nl []float64
		co, cs := DefaultNeed(), DefaultNeed()
		co.LR, cs.LR = row.OracleLR, res.SingleLR
		tj := []shiftJob{{c: co}, {c: res.Need, need: true}, {c: cs}}
		for _, c := range res.Alt {
			tj = append(tj, shiftJob{c: c, need: true})
		}
		alt := make([][]float64, len(res.Alt))
		altAdv := make([][]float64, len(res.Alt))
		for k, seed := range o.TestSeeds {
			so := st.so
			so.Seed = seed
			sh := ConceptShift(tst, so)
			runs := runJobs(sh, tj, seed, w)
			ro, rn, rs := runs[0], runs[1], runs[2]
			for i, r := range runs[3:] {
				alt[i], altAdv[i] = append(alt[i], r.Mean), append(altAdv[i], r.Mean-ro.Mean)
			}
			if k == 0 {
				row.Curves = [3]*ShiftRun{ro, rs, rn}
			}
			shifts = append(shifts, float64(countShifts(sh)))
			or, sg, nd = append(or, ro.Mean), append(sg, rs.Mean), append(nd, rn.Mean)
			ao, as = append(ao, rn.Mean-ro.Mean), append(as, rn.Mean-rs.Mean)
			nl = append(nl, stat(rn.LR).Mean)
		}
		row.Shifts, row.Oracle, row.Single, row.Need = stat(shifts), stat(or), stat(sg), stat(nd)
		row.AdvOracle, row.AdvSingle, row.NeedLR = stat(ao), stat(as), stat(nl)
		for i := range alt {
			row.Alt, row.AltAdv = append(row.Alt, stat(alt[i])), append(row.AltAdv, stat(altAdv[i]))
		}
		log(fmt.Sprintf("P16 test, rate %s: oracle η %g %.2f ± %.2f %%, single η %g %.2f ± %.2f %%, need %.2f ± %.2f %%",
			st.name, row.OracleLR, 100*row.Oracle.Mean, 100*row.Oracle.SD, res.SingleLR, 100*row.Single.Mean, 100*row.Single.SD,
			100*row.Need.Mean, 100*row.Need.SD))
		res.Rows = append(res.Rows, row)
	}
	return res
}

// pct formats accuracies as percentages with two decimals.
func pct(v []float64) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.2f", 100*x)
	}
	return s + "]"
}
