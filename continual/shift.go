package continual

import (
	"fmt"
	"math/rand/v2"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// ShiftOptions sets a concept-shift stream.
type ShiftOptions struct {
	Samples int // stream length in samples (default 20000)
	Block   int // samples per block; the mapping may change between blocks (default 100)
	// Rate is the probability per block that the label mapping changes
	// (one shift swaps the labels of two random classes). RateAt, when not
	// nil, overrides it with a rate that changes over the stream.
	Rate   float64
	RateAt func(block int) float64 `json:"-"`
	Seed   uint64
}

// Shift is a stream of blocks whose label mapping π_t changes over time
// (concept shift, P16): block t shows images x with labels π_t(y).
type Shift struct {
	Blocks  []*dataset.Set
	Maps    [][]uint8 // Maps[t][y] = π_t(y)
	Shifted []bool    // Shifted[t]: the mapping changed just before block t
	Classes int
}

// ConceptShift builds the stream from the samples of src (drawn in a
// seeded random order, rng.Named(seed, "shift-order"), wrapping around);
// the shift events come from rng.Named(seed, "shift-events"). π_0 is the
// identity. At the start of each block t > 0, with probability Rate (or
// RateAt(t)), two distinct classes a, b are drawn and π ← π∘(a b).
func ConceptShift(src *dataset.Set, o ShiftOptions) *Shift {
	o.Samples = orDefault(o.Samples, 20000)
	o.Block = orDefault(o.Block, 100)
	order := rng.Named(o.Seed, "shift-order").Perm(src.N)
	ev := rng.Named(o.Seed, "shift-events")
	k := src.Classes
	pi := make([]uint8, k)
	for i := range pi {
		pi[i] = uint8(i)
	}
	sh := &Shift{Classes: k}
	pos := 0
	for t := 0; t*o.Block < o.Samples; t++ {
		p := o.Rate
		if o.RateAt != nil {
			p = o.RateAt(t)
		}
		changed := false
		if t > 0 && ev.Float64() < p {
			a := ev.IntN(k)
			b := (a + 1 + ev.IntN(k-1)) % k
			for y := range pi {
				switch pi[y] {
				case uint8(a):
					pi[y] = uint8(b)
				case uint8(b):
					pi[y] = uint8(a)
				}
			}
			changed = true
		}
		idx := make([]int, o.Block)
		for i := range idx {
			idx[i] = order[pos%src.N]
			pos++
		}
		b := src.Subset(idx)
		for i, y := range b.Y {
			b.Y[i] = pi[y]
		}
		sh.Blocks = append(sh.Blocks, b)
		sh.Maps = append(sh.Maps, append([]uint8(nil), pi...))
		sh.Shifted = append(sh.Shifted, changed)
	}
	return sh
}

// NeedConfig sets the homeostatic, need-modulated learning rate (after
// Man, Damasio & Neven 2022, P16).
type NeedConfig struct {
	LR float32 `toml:"lr"` // base rate η₀ (default 0.02, our choice)
	// Gain κ: η = η₀(1 + κ n) (default 4, our choice).
	Gain float32 `toml:"gain"`
	// Alpha is the rate at which the need follows the error of each block,
	// n ← n + α(e − n) (default 0.3, our choice).
	Alpha float32 `toml:"alpha"`
	// SetPoint e* is the error the agent tolerates: the need is
	// max(0, ē − e*)/(1 − e*) (default 0.1, our choice).
	SetPoint float32 `toml:"set_point"`
	Batch    int     `toml:"batch"`  // SGD minibatch within a block (default 20)
	Hidden   int     `toml:"hidden"` // hidden units (default 100)
}

// DefaultNeed returns the defaults documented on NeedConfig.
func DefaultNeed() NeedConfig {
	return NeedConfig{LR: 0.02, Gain: 4, Alpha: 0.3, SetPoint: 0.1, Batch: 20, Hidden: 100}
}

// ShiftRun is one learner on one shift stream: prequential accuracy per
// block (each block is scored before it is trained on) and the learning
// rate used.
type ShiftRun struct {
	Acc  []float64
	LR   []float64
	Mean float64 // mean of Acc
}

// RunShift trains an MLP online on sh. With homeostatic false the rate is
// fixed at η₀ (c.LR); with true it is need-modulated. Per block t, as
// implemented (our reading of P16, where classification outcomes act on
// the learner's own internal state and that state sets its plasticity):
//
//	a_t = accuracy on block t before training on it,  e_t = 1 − a_t
//	ē   ← ē + α (e_t − ē)                     internal state driven by its own errors
//	n   = max(0, ē − e*) / (1 − e*)           need: deviation from the set point
//	η_t = η₀ (1 + κ n)                         plasticity follows the need
//
// then SGD with η_t over the block in minibatches of c.Batch.
func RunShift(sh *Shift, c NeedConfig, homeostatic bool, seed uint64) *ShiftRun {
	d := DefaultNeed()
	c.Batch = orDefault(c.Batch, d.Batch)
	c.Hidden = orDefault(c.Hidden, d.Hidden)
	b0 := sh.Blocks[0]
	net := NewNet(b0.Dim, []int{c.Hidden}, sh.Classes, seed)
	r := rng.Named(seed, "shift-shuffle")
	run := &ShiftRun{}
	var ebar float32
	for _, b := range sh.Blocks {
		sc := net.Predict(b.X, b.N)
		a := Score(sc, b.Y, b.N, sh.Classes, nil)
		run.Acc = append(run.Acc, a)
		lr := c.LR
		if homeostatic {
			ebar += c.Alpha * (float32(1-a) - ebar)
			n := max(0, ebar-c.SetPoint) / (1 - c.SetPoint)
			lr = c.LR * (1 + c.Gain*n)
		}
		run.LR = append(run.LR, float64(lr))
		onlineBlock(net, b, c.Batch, lr, r)
		run.Mean += a
	}
	run.Mean /= float64(len(sh.Blocks))
	return run
}

func onlineBlock(net *Net, b *dataset.Set, batch int, lr float32, r *rand.Rand) {
	batches(b, batch, 1, r, func(x []float32, y []uint8, nb int) {
		net.Grad(x, y, nb, nil)
		for _, p := range net.Params() {
			rate.Axpy(-lr, p.G, p.W)
		}
	})
}

// ShiftRow compares the need-modulated learner with fixed-rate learners
// at one shift rate.
type ShiftRow struct {
	Rate       string  // shift probability per block, or the schedule's name
	Shifts     int     // shift events in the stream
	Plain      float64 // mean prequential accuracy, fixed η₀
	PlainMax   float64 // fixed η₀(1 + κ), the homeostat's largest rate
	Need       float64 // need-modulated
	Advantage  float64 // Need − Plain
	AdvantageM float64 // Need − PlainMax
	runs       [3]*ShiftRun
}

// Runs returns the per-block runs (plain, plain-max, need) for curves.
func (r ShiftRow) Runs() [3]*ShiftRun { return r.runs }

// ShiftExperiment runs the three learners on one stream per rate (and one
// more for the changing-rate schedule sched, if not nil, named schedName).
func ShiftExperiment(src *dataset.Set, rates []float64, sched func(int) float64, schedName string, o ShiftOptions, c NeedConfig, seed uint64, log func(string)) []ShiftRow {
	def := DefaultNeed()
	c.LR = orDefault(c.LR, def.LR)
	var rows []ShiftRow
	do := func(name string, oo ShiftOptions) {
		sh := ConceptShift(src, oo)
		n := 0
		for _, s := range sh.Shifted {
			if s {
				n++
			}
		}
		cm := c
		cm.LR = c.LR * (1 + c.Gain)
		p, pm, h := RunShift(sh, c, false, seed), RunShift(sh, cm, false, seed), RunShift(sh, c, true, seed)
		row := ShiftRow{Rate: name, Shifts: n, Plain: p.Mean, PlainMax: pm.Mean, Need: h.Mean,
			Advantage: h.Mean - p.Mean, AdvantageM: h.Mean - pm.Mean, runs: [3]*ShiftRun{p, pm, h}}
		if log != nil {
			log(fmt.Sprintf("shift rate %s: %d shifts, plain %.2f%%, plain at η₀(1+κ) %.2f%%, need %.2f%%",
				name, n, 100*p.Mean, 100*pm.Mean, 100*h.Mean))
		}
		rows = append(rows, row)
	}
	for _, rt := range rates {
		oo := o
		oo.Rate, oo.RateAt = rt, nil
		do(fmt.Sprintf("%g", rt), oo)
	}
	if sched != nil {
		oo := o
		oo.RateAt = sched
		do(schedName, oo)
	}
	return rows
}
