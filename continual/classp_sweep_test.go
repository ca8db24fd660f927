package continual

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// TestCLASSPSweep runs CLASSP (and, for the reference, EWC) on the
// validation split of real MNIST at the bench setting (5000 training
// samples per task, 1 epoch, 1000 scored held-out samples, seed 1). It is a
// tuning tool, not a check: it runs only when CLASSP_SWEEP names the
// settings, e.g.
//
//	CLASSP_SWEEP='ewc;0.03,1,1e-4,1e-5;0.1,2,0,1e-5' CLASSP_STREAMS=permuted-mnist \
//	  go test -run TestCLASSPSweep -v -timeout 0 ./continual/
//
// Each setting is "ewc" or "η,p,θ_g,ε". CLASSP_VALIDATION (default 10000)
// is the number of held-out training samples. One line per run is printed:
// stream, setting, ACC, BWT, FWT in %, wall seconds.
func TestCLASSPSweep(t *testing.T) {
	spec := os.Getenv("CLASSP_SWEEP")
	if spec == "" || testing.Short() {
		t.Skip("set CLASSP_SWEEP to run the CLASSP validation sweep")
	}
	streams := strings.Split(envOr("CLASSP_STREAMS", PermutedMNIST), ",")
	val := 10000
	if v := os.Getenv("CLASSP_VALIDATION"); v != "" {
		if _, err := fmt.Sscan(v, &val); err != nil {
			t.Fatalf("CLASSP_VALIDATION: %v", err)
		}
	}
	for _, name := range streams {
		s, err := Build(name, Options{TrainLimit: 5000, TestLimit: 1000, Seed: 1, Validation: val}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, set := range strings.Split(spec, ";") {
			method, h := MCLASSP, DefaultHyper()
			if set == MEWC {
				method = MEWC
			} else {
				c := &h.CLASSP
				if _, err := fmt.Sscanf(set, "%g,%g,%g,%g", &c.LR, &c.Power, &c.Threshold, &c.Eps); err != nil {
					t.Fatalf("setting %q: %v", set, err)
				}
			}
			c := DefaultConfig()
			c.Epochs = 1 // the bench setting
			l, err := New(method, s, c, h)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			r := Run(s, l, nil, nil)
			fmt.Printf("SWEEP %s %s ACC %.2f BWT %+.2f FWT %+.2f wall %.0f s\n", name, set,
				100*r.ACC, 100*r.BWT, 100*r.FWT, time.Since(start).Seconds())
			if r.ACC <= 0 || r.ACC > 1 {
				t.Errorf("%s %s: ACC %v out of (0, 1]", name, set, r.ACC)
			}
		}
	}
}

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

// TestCLASSPStepPowers: for p = 2 CLASSPStep gives bit for bit the
// formula s ← s + |g|^p, w ← w − η g/(s+ε)^{1/p} written out with math.Pow
// (and leaves weights under θ_g alone), and p = 3 matches a hand value.
func TestCLASSPStepPowers(t *testing.T) {
	c := CLASSPConfig{LR: 0.02, Threshold: 1e-4, Eps: 1e-5, Power: 2}
	cases := []struct{ w, g, s float32 }{
		{0.3, 0.004, 0}, {-1, -0.25, 0.01}, {0, 3e-3, 2.5e-4}, {0.5, 1e-3, 7}, {1, 5e-5, 0.2}, // last: under θ_g
	}
	for _, k := range cases {
		w, s := []float32{k.w}, []float32{k.s}
		CLASSPStep(w, []float32{k.g}, s, c)
		ws, ss := k.w, k.s
		if a := math.Abs(float64(k.g)); a > float64(c.Threshold) {
			ss += float32(math.Pow(a, 2))
			ws -= c.LR * k.g / float32(math.Pow(float64(ss+c.Eps), 0.5))
		}
		if w[0] != ws || s[0] != ss {
			t.Errorf("p=2 g=%v: w %v s %v, want %v %v", k.g, w[0], s[0], ws, ss)
		}
	}
	c.Power = 3
	w, s := []float32{0}, []float32{0.875} // 0.875 + 0.5³ = 1
	CLASSPStep(w, []float32{0.5}, s, c)
	if !near(float64(s[0]), 1, 1e-6) || !near(float64(w[0]), -0.02*0.5/math.Cbrt(1+1e-5), 1e-7) {
		t.Errorf("p=3: w %v s %v", w[0], s[0])
	}
}
