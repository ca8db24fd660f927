package learn

import (
	"math"
	"sort"

	"github.com/engram-lab/engram/dataset"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// Dale trains an MLP whose weights obey Dale's law: every presynaptic unit
// (input pixel or hidden neuron) is excitatory or inhibitory, so column j of
// each weight matrix carries one fixed sign s_j. Two updates are provided:
//
//	exponentiated (Multiplicative = true; Kivinen & Warmuth 1997, the Dale-law
//	  form of P29, Cornford et al.):  w ← w · exp(−η sign(w) g)
//	additive, projected:              w ← w − η g, set to 0 if its sign would flip
//
// where g is the backpropagated gradient. Under the exponentiated update
// log|w| performs additive steps, so signs never flip and |w| tends to a
// log-normal distribution. Biases use plain SGD in both cases.
type Dale struct {
	*MLP
	Multiplicative bool
	LR             float32
	Sign           [][]float32 // per layer, the fixed sign of each presynaptic unit
}

// NewDale returns an MLP whose weights have been given Dale signs: a
// fraction FracInhibitory = 0.2 of presynaptic units (Dale's 80/20 E/I
// split of cortex) are inhibitory, drawn from rng.Named(seed, "dale"). The
// magnitudes keep the default uniform init's |w| distribution.
func NewDale(sizes []int, act rate.Kind, multiplicative bool, lr float32, seed uint64) *Dale {
	m := NewMLP(BP, sizes, act, seed)
	r := rng.Named(seed, "dale")
	var signs [][]float32
	for _, d := range m.Dense {
		sign := make([]float32, d.In)
		for j := range sign {
			sign[j] = 1
			if r.Float64() < 0.2 {
				sign[j] = -1
			}
		}
		for o := 0; o < d.Out; o++ {
			row := d.W.W[o*d.In : (o+1)*d.In]
			for j := range row {
				row[j] = sign[j] * float32(math.Abs(float64(row[j])))
			}
		}
		signs = append(signs, sign)
	}
	return &Dale{MLP: m, Multiplicative: multiplicative, LR: lr, Sign: signs}
}

// Update applies the Dale-constrained step to the gradients last stored by
// Grad.
func (d *Dale) Update() {
	for k, l := range d.Dense {
		w, g, sign := l.W.W, l.W.G, d.Sign[k]
		for i, v := range w {
			if d.Multiplicative {
				s := float32(1)
				if v < 0 {
					s = -1
				}
				w[i] = v * float32(math.Exp(float64(-d.LR*s*g[i])))
			} else {
				nv := v - d.LR*g[i]
				if sign[i%l.In] > 0 {
					nv = max(nv, 0)
				} else {
					nv = min(nv, 0)
				}
				w[i] = nv
			}
		}
		rate.Axpy(-d.LR, l.B.G, l.B.W)
	}
}

// Signs returns the sign (−1, 0, +1) of every weight, layer by layer.
func (d *Dale) Signs() []int8 {
	var s []int8
	for _, l := range d.Dense {
		for _, v := range l.W.W {
			switch {
			case v > 0:
				s = append(s, 1)
			case v < 0:
				s = append(s, -1)
			default:
				s = append(s, 0)
			}
		}
	}
	return s
}

// KSLogNormal returns the Kolmogorov–Smirnov distance between the empirical
// distribution of log|w| over the non-zero weights and the normal
// distribution with the same mean and standard deviation (a log-normal fit
// test of |w|), and the number of weights used.
func KSLogNormal(w []float32) (D float64, n int) {
	var l []float64
	for _, v := range w {
		if v != 0 {
			l = append(l, math.Log(math.Abs(float64(v))))
		}
	}
	n = len(l)
	if n < 2 {
		return 1, n
	}
	var mu, sd float64
	for _, v := range l {
		mu += v
	}
	mu /= float64(n)
	for _, v := range l {
		sd += (v - mu) * (v - mu)
	}
	sd = math.Sqrt(sd / float64(n-1))
	sort.Float64s(l)
	for i, v := range l {
		c := 0.5 * math.Erfc(-(v-mu)/(sd*math.Sqrt2))
		D = math.Max(D, math.Max(math.Abs(float64(i+1)/float64(n)-c), math.Abs(c-float64(i)/float64(n))))
	}
	return D, n
}

// DaleConfig sets up the Dale experiment on an MLP.
type DaleConfig struct {
	Sizes          []int
	Multiplicative bool
	LR             float32
	Epochs, Batch  int
	Seed           uint64
}

// DaleResult reports one Dale-constrained training run.
type DaleResult struct {
	TestAcc   float64
	SignFlips int     // weights whose sign differs from the initial sign (zeros excluded)
	Zeroed    int     // weights clipped to 0 (additive update only)
	KSInit    float64 // KS distance of log|w| (first layer) to a normal, before training
	KSFinal   float64 // the same after training
	Weights   int
}

// DaleExperiment trains the network with SGD-sized steps of the chosen
// update and measures signs and the log-normality of the first layer.
func DaleExperiment(c DaleConfig, train, test *dataset.Set) DaleResult {
	d := NewDale(c.Sizes, rate.ReLU, c.Multiplicative, c.LR, c.Seed)
	s0 := d.Signs()
	var res DaleResult
	active := activeInputs(train, 0.1)
	res.KSInit, res.Weights = KSLogNormal(d.ksWeights(active))
	dim := train.Steps * train.Dim
	sh := rng.Named(c.Seed, "dale-shuffle")
	xb, yb := make([]float32, c.Batch*dim), make([]uint8, c.Batch)
	for ep := 0; ep < c.Epochs; ep++ {
		perm := sh.Perm(train.N)
		for i := 0; i+c.Batch <= train.N; i += c.Batch {
			for j := 0; j < c.Batch; j++ {
				s := perm[i+j]
				copy(xb[j*dim:(j+1)*dim], train.X[s*dim:(s+1)*dim])
				yb[j] = train.Y[s]
			}
			d.Grad(xb, yb, c.Batch)
			d.Update()
		}
	}
	for i, s := range d.Signs() {
		switch {
		case s == 0:
			res.Zeroed++
		case s != s0[i]:
			res.SignFlips++
		}
	}
	res.KSFinal, _ = KSLogNormal(d.ksWeights(active))
	res.TestAcc = Evaluate(d.MLP, test)
	return res
}

// activeInputs marks the inputs that are non-zero in at least frac of the
// samples (MNIST's border pixels are always 0, so their weights never move).
func activeInputs(s *dataset.Set, frac float64) []bool {
	d := s.Steps * s.Dim
	cnt := make([]int, d)
	for i := 0; i < s.N; i++ {
		for j, v := range s.X[i*d : (i+1)*d] {
			if v != 0 {
				cnt[j]++
			}
		}
	}
	a := make([]bool, d)
	for j, c := range cnt {
		a[j] = float64(c) >= frac*float64(s.N)
	}
	return a
}

// ksWeights returns the first layer's weights from active inputs and every
// later layer's weights.
func (d *Dale) ksWeights(active []bool) []float32 {
	var w []float32
	for k, l := range d.Dense {
		for i, v := range l.W.W {
			if k > 0 || active[i%l.In] {
				w = append(w, v)
			}
		}
	}
	return w
}
