package continual

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// TestShiftNeedSweep scores need-modulated candidates and fixed rates on
// the P16 validation streams (first 50000 MNIST training images, seeds
// 101–103, every rate of the bench and the changing schedule). It is a
// tuning tool, not a check: it runs only when SHIFT_SWEEP names the
// candidates, e.g.
//
//	SHIFT_SWEEP='setpoint,0.3,2;surprise,0.3,3,0.1,0.6' SHIFT_FIXED=0.3,0.4 \
//	  GOMAXPROCS=1 go test -run TestShiftNeedSweep -v -timeout 0 ./continual/
//
// Each candidate is "signal,η₀,κ[,β[,α[,e*]]]" (omitted fields take the
// DefaultNeed values). One line per candidate: mean validation accuracy
// over the streams and per stream, in %.
func TestShiftNeedSweep(t *testing.T) {
	spec := os.Getenv("SHIFT_SWEEP")
	if spec == "" || testing.Short() {
		t.Skip("set SHIFT_SWEEP to run the P16 validation sweep")
	}
	var g []NeedConfig
	for _, s := range strings.Split(spec, ";") {
		f := strings.Split(s, ",")
		c := DefaultNeed()
		c.Signal = f[0]
		for i, p := range []*float32{&c.LR, &c.Gain, &c.Slow, &c.Alpha, &c.SetPoint} {
			if i+1 < len(f) {
				v, err := strconv.ParseFloat(f[i+1], 32)
				if err != nil {
					t.Fatalf("candidate %q: %v", s, err)
				}
				*p = float32(v)
			}
		}
		g = append(g, c)
	}
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		t.Skip(err)
	}
	val, _ := ShiftPools(tr, te, ShiftValidationImages)
	o := DefaultTuned()
	o.Need, o.ValidationOnly = g, true
	if v := os.Getenv("SHIFT_FIXED"); v != "" {
		o.FixedLRs = nil
		for _, x := range strings.Split(v, ",") {
			lr, err := strconv.ParseFloat(x, 32)
			if err != nil {
				t.Fatalf("SHIFT_FIXED: %v", err)
			}
			o.FixedLRs = append(o.FixedLRs, float32(lr))
		}
	}
	res := ShiftTuned(val, nil, o)
	col := func(m [][]float64, j int) []float64 {
		var c []float64
		for _, row := range m {
			c = append(c, row[j])
		}
		return c
	}
	fmt.Println("streams", res.Names)
	fm, nm := colMeans(res.FixedVal), colMeans(res.NeedVal)
	for j, lr := range o.FixedLRs {
		fmt.Printf("fixed η %g: mean %.2f per stream %s\n", lr, 100*fm[j], pct(col(res.FixedVal, j)))
	}
	for j, c := range g {
		fmt.Printf("%s η₀ %g κ %g β %g α %g e* %g: mean %.2f per stream %s\n", c.Signal, c.LR, c.Gain, c.Slow, c.Alpha, c.SetPoint, 100*nm[j], pct(col(res.NeedVal, j)))
	}
}

// TestShiftTunedSeeds reruns the bench's tuned P16 comparison (DefaultTuned:
// same validation choice) with more test seeds, 1…SHIFT_SEEDS. A tool,
// not a check; e.g.
//
//	SHIFT_SEEDS=10 GOMAXPROCS=1 go test -run TestShiftTunedSeeds -v -timeout 0 ./continual/
//
// prints one line per rate: oracle η, mean ± sd of oracle, single, need,
// need − oracle, need − single, the need learner's mean η (and the other
// signal's best candidate).
func TestShiftTunedSeeds(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("SHIFT_SEEDS"))
	if err != nil || n < 2 || testing.Short() {
		t.Skip("set SHIFT_SEEDS ≥ 2 to run the tuned P16 comparison on more test seeds")
	}
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		t.Skip(err)
	}
	val, tst := ShiftPools(tr, te, ShiftValidationImages)
	o := DefaultTuned()
	o.TestSeeds = nil
	for s := 1; s <= n; s++ {
		o.TestSeeds = append(o.TestSeeds, uint64(s))
	}
	res := ShiftTuned(val, tst, o)
	f := func(s Stat) string { return fmt.Sprintf("%.2f ± %.2f", 100*s.Mean, 100*s.SD) }
	fmt.Printf("single η %g, need %+v\n", res.SingleLR, res.Need)
	for _, r := range res.Rows {
		fmt.Printf("rate %s: oracle η %g %s | single %s | need %s | need − oracle %s | need − single %s | need mean η %.3f", r.Rate, r.OracleLR,
			f(r.Oracle), f(r.Single), f(r.Need), f(r.AdvOracle), f(r.AdvSingle), r.NeedLR.Mean)
		for i := range r.Alt {
			fmt.Printf(" | %s %s, − oracle %s", res.Alt[i].Signal, f(r.Alt[i]), f(r.AltAdv[i]))
		}
		fmt.Println()
	}
}
