package continual

import (
	"math"
	"slices"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// The surprise need on a scripted error sequence, in closed form: steady
// error gives no need; a jump of the error by Δ gives n = (α − β)Δ/(1 − s)
// (then step by step below); once the error returns, the need decays
// geometrically as the fast state falls back towards the slow one. Under a persistently
// high error the surprise need decays to 0 (the set point adapts) while
// the fixed set-point need stays at (e − e*)/(1 − e*).
func TestNeedSignals(t *testing.T) {
	const alpha, beta = 0.5, 0.1
	c := DefaultNeed()
	c.Alpha, c.Slow, c.Signal = alpha, beta, NeedSurprise
	errs := []float32{0.2, 0.2, 0.6, 0.6, 0.2, 0.2}
	// hand-computed: fast, slow start at 0.2
	// t2: fast 0.4, slow 0.24           → n = 0.16/0.76
	// t3: fast 0.5, slow 0.276          → n = 0.224/0.724
	// t4: fast 0.35, slow 0.2684        → n = 0.0816/0.7316
	// t5: fast 0.275, slow 0.26156      → n = 0.01344/0.73844
	want := []float64{0, 0, 0.16 / 0.76, 0.224 / 0.724, 0.0816 / 0.7316, 0.01344 / 0.73844}
	h := needState{c: c}
	for i, e := range errs {
		if n := h.step(e); math.Abs(float64(n)-want[i]) > 1e-6 {
			t.Errorf("surprise step %d (e = %v): n = %v, want %v", i, e, n, want[i])
		}
	}
	// persistent high error: surprise → 0, set point stays
	sp := DefaultNeed()
	sp.Alpha = alpha
	hs, hp := needState{c: c}, needState{c: sp}
	hs.step(0.2)
	var ns, np float32
	for range 200 {
		ns, np = hs.step(0.7), hp.step(0.7)
	}
	if ns > 1e-3 {
		t.Errorf("surprise need after 200 blocks at error 0.7: %v, want → 0", ns)
	}
	if w := (0.7 - sp.SetPoint) / (1 - sp.SetPoint); math.Abs(float64(np-w)) > 1e-5 {
		t.Errorf("set-point need at error 0.7: %v, want %v", np, w)
	}
}

func TestArgmaxAndColMeans(t *testing.T) {
	for _, tc := range []struct {
		v    []float64
		want int
	}{{[]float64{0.1, 0.5, 0.3}, 1}, {[]float64{0.7, 0.7, 0.2}, 0}, {[]float64{-1, -2, 0}, 2}} {
		if got := argmax(tc.v); got != tc.want {
			t.Errorf("argmax(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
	m := colMeans([][]float64{{1, 2}, {3, 6}})
	if m[0] != 2 || m[1] != 4 {
		t.Errorf("colMeans = %v, want [2 4]", m)
	}
	s := stat([]float64{1, 2, 3})
	if s.Mean != 2 || math.Abs(s.SD-1) > 1e-12 {
		t.Errorf("stat = %+v, want mean 2, sd 1", s)
	}
}

func TestShiftPoolsDisjoint(t *testing.T) {
	tr, te := synth(50, 1), synth(20, 2)
	val, tst := ShiftPools(tr, te, 30)
	if val.N != 30 || tst.N != 40 || len(tst.X) != 40*784 || len(tst.Y) != 40 {
		t.Fatalf("pool sizes %d / %d, want 30 / 40", val.N, tst.N)
	}
	// test pool = the 20 test images then training images 30..49
	for i, want := range [][]float32{te.Sample(0), te.Sample(19), tr.Sample(30), tr.Sample(49)} {
		j := []int{0, 19, 20, 39}[i]
		got := tst.Sample(j)
		for k := range want {
			if got[k] != want[k] {
				t.Fatalf("test pool sample %d differs from its source", j)
			}
		}
	}
}

// ShiftTuned on a tiny synthetic stream: the validation table holds the
// accuracies RunShift gives on the validation streams, the choices are
// the argmax of that table (per rate for the oracle, over rates for the
// single η and the need setting), and the test rows use those choices.
func TestShiftTunedSelects(t *testing.T) {
	val, tst := synth(400, 1), synth(300, 2)
	need := []NeedConfig{DefaultNeed(), DefaultNeed()}
	need[0].Hidden, need[1].Hidden = 16, 16
	need[1].Signal, need[1].Gain, need[1].LR = NeedSurprise, 10, 0.05
	o := TunedOptions{Stream: ShiftOptions{Samples: 1200, Block: 100}, Rates: []float64{0, 0.5},
		FixedLRs: []float32{0.001, 0.05}, Need: need, ValSeeds: []uint64{11, 12}, TestSeeds: []uint64{1, 2}, Workers: 2}
	// fixed learners use DefaultNeed's 100 hidden units
	res := ShiftTuned(val, tst, o)
	if len(res.Rows) != 2 || len(res.FixedVal) != 2 || len(res.NeedVal[0]) != 2 {
		t.Fatalf("shape: %d rows, %d×%d validation", len(res.Rows), len(res.FixedVal), len(res.NeedVal[0]))
	}
	// recompute one validation entry by hand
	so := o.Stream
	so.Rate = 0.5
	var m float64
	for _, seed := range o.ValSeeds {
		so.Seed = seed
		m += RunShift(ConceptShift(val, so), need[1], true, seed).Mean / 2
	}
	if math.Abs(m-res.NeedVal[1][1]) > 1e-12 {
		t.Errorf("need validation at rate 0.5: table %v, recomputed %v", res.NeedVal[1][1], m)
	}
	if want := o.FixedLRs[argmax(colMeans(res.FixedVal))]; res.SingleLR != want {
		t.Errorf("single η %v, want argmax %v", res.SingleLR, want)
	}
	if want := argmax(colMeans(res.NeedVal)); res.NeedIdx != want {
		t.Errorf("need choice %d, want argmax %d", res.NeedIdx, want)
	}
	// the other signal's only candidate is scored for the record
	if other := need[1-res.NeedIdx]; len(res.Alt) != 1 || res.Alt[0] != other || len(res.Rows[0].Alt) != 1 {
		t.Errorf("alternative %v, want the other signal's candidate %v", res.Alt, other)
	}
	for i, r := range res.Rows {
		if want := o.FixedLRs[argmax(res.FixedVal[i])]; r.OracleLR != want {
			t.Errorf("row %s: oracle η %v, want %v", r.Rate, r.OracleLR, want)
		}
		if lo, hi := float64(res.Need.LR), float64(res.Need.LR*(1+res.Need.Gain)); r.NeedLR.Mean < lo-1e-6 || r.NeedLR.Mean > hi+1e-6 {
			t.Errorf("row %s: need mean η %v outside [η₀, η₀(1+κ)] = [%v, %v]", r.Rate, r.NeedLR.Mean, lo, hi)
		}
		if math.Abs(r.AdvOracle.Mean-(r.Need.Mean-r.Oracle.Mean)) > 1e-12 || r.Curves[2] == nil {
			t.Errorf("row %s: advantage %v ≠ need %v − oracle %v", r.Rate, r.AdvOracle.Mean, r.Need.Mean, r.Oracle.Mean)
		}
	}
	// the easy synthetic task is learned at the better rate
	if res.FixedVal[0][1] < 0.6 || res.FixedVal[0][1] <= res.FixedVal[0][0] {
		t.Errorf("no-shift validation accuracy %v at η = 0.05 (vs %v at 0.001), want ≥ 0.6 and better", res.FixedVal[0][1], res.FixedVal[0][0])
	}
}

// On real MNIST (long): one scripted shift at block 40 of a 70-block
// stream. The surprise need is ≈ 0 just before it, jumps on the shifted
// block and relaxes again once the swapped labels are relearned.
func TestSurpriseNeedAfterShiftMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("long: real MNIST")
	}
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		t.Skip(err)
	}
	val, _ := ShiftPools(tr, te, ShiftValidationImages)
	sh := ConceptShift(val, ShiftOptions{Samples: 7000, Block: 100, Seed: 5, RateAt: func(b int) float64 {
		if b == 40 {
			return 1
		}
		return 0
	}})
	if !sh.Shifted[40] || countShifts(sh) != 1 {
		t.Fatalf("want exactly one shift, at block 40")
	}
	c := DefaultNeed()
	c.Signal, c.Gain = NeedSurprise, 3
	r := RunShift(sh, c, true, 5)
	mean := func(v []float64) float64 { return stat(v).Mean }
	before, peak, late := slices.Max(r.Need[35:40]), r.Need[40], slices.Max(r.Need[60:70])
	t.Logf("surprise need: max before %.4f, on the shifted block %.4f, max 20-29 blocks later %.4f; accuracy %.3f → %.3f → %.3f; need blocks 38-50 %.3f",
		before, peak, late, mean(r.Acc[35:40]), r.Acc[40], mean(r.Acc[60:70]), r.Need[38:51])
	if peak < 0.02 || peak < 3*before {
		t.Errorf("need on the shifted block %.4f, want ≥ 0.02 and ≥ 3 × the max of the 5 blocks before (%.4f)", peak, before)
	}
	if late > peak/4 {
		t.Errorf("need 20-29 blocks after the shift up to %.4f, want ≤ a quarter of %.4f", late, peak)
	}
	if r.Acc[40] > mean(r.Acc[35:40])-0.1 {
		t.Errorf("the swap of two labels should cost ≥ 10 points on the first block: %.3f vs %.3f", r.Acc[40], mean(r.Acc[35:40]))
	}
}
