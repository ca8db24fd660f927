package spiking

import (
	"math"

	"github.com/engram-lab/engram/internal/rng"
)

// Net is a feed-forward spiking network trained with local three-factor
// rules and random broadcast feedback:
//
//	input x (Dim features in [0, 1], direct current, constant over the T steps)
//	→ K LIF hidden layers → C leaky-integrator readout neurons.
//
// Dynamics per hidden layer k and step t (α = e^{−Δt/τ_m}, θ = 1):
//
//	ṽ_i[t] = α v_i[t−1] + I_i[t],   I^1 = W¹ᵀ x,   I^k[t] = Wᵏᵀ z^{k−1}[t]  (k > 1, same step)
//	z_i[t] = H(ṽ_i[t] − θ);   v_i[t] = ṽ_i[t] − z_i[t] θ   (soft reset)
//	x̄_i[t] = α x̄_i[t−1] + z_i[t]   (presynaptic trace);   X̂_i = (1/T) Σ_t x̄_i[t]
//	ψ_i[t] = γ max(0, 1 − |ṽ_i[t] − θ|/θ)   (post factor);   Ψ_i = (1/T) Σ_t ψ_i[t]
//
// Readout neuron c is a leaky integrator with the same α and no threshold,
// u_c[t] = α u_c[t−1] + Σ_j W^o_jc z^K_j[t]; its score is the mean potential
// s_c = (1/T) Σ_t u_c[t] = Σ_j W^o_jc X̂^K_j — exactly linear in the trace
// vector X̂^K, so keeping W^o fixed on span{X̂^K of old samples} keeps old
// scores fixed.
//
// Learning (per sample, summed over a minibatch of B, no backpropagation
// through time or layers):
//
//	p = softmax(β s),   δ = onehot(label) − p           (soft WTA teaching signal)
//	ΔW^o_jc = η_out δ_c P_K X̂^K_j                        (delta rule)
//	ΔWᵏ_ji  = η_k (Bᵏ δ)_i Ψᵏ_i P_{k−1} pre_j             (third factor × post × pre)
//
// with pre = x for k = 1 and X̂^{k−1} otherwise, Bᵏ fixed random N(0, 1)
// (broadcast alignment; Nøkland 2016, Bellec et al. 2020), and P_l = I
// without HLOP or the lateral projection I − H_lᵀH_l with it (Lateral). The
// input-layer update is the exact static-input factorisation of the e-prop
// eligibility Σ_t ψ_i[t] x_j (x constant), as in flagship. Thresholds are
// fixed (no homeostasis): a threshold change would alter old tasks'
// responses in every direction, and P14 likewise trains only weights after
// the first task.
type Net struct {
	cfg     Config
	dims    []int       // [Dim, N1, …, NK]
	classes int         // C
	W       [][]float32 // W[k]: dims[k]×dims[k+1], row j = outgoing weights of presynaptic neuron j
	Wout    []float32   // dims[K]×C
	B       [][]float32 // B[k]: dims[k+1]×C, fixed random feedback
	Lat     []*Lateral  // Lat[l]: presynaptic population l (0 = input, l = hidden layer l)
	alpha   float32
}

// NewNet builds a network for dim inputs and classes outputs. Weights are
// drawn from rng.Named(seed, "w<k>") as N(0, gain²/fan-in); the readout
// starts at zero; the feedback matrices come from rng.Named(seed, "b<k>").
func NewNet(cfg Config, dim, classes int) *Net {
	n := &Net{cfg: cfg, classes: classes}
	n.dims = append([]int{dim}, cfg.Hidden...)
	K := len(cfg.Hidden)
	n.alpha = float32(math.Exp(-1 / cfg.TauMem))
	for k := 0; k < K; k++ {
		r := rng.Named(cfg.Seed, "w"+itoa(k))
		g := cfg.HiddenGain
		if k == 0 {
			g = cfg.InputGain
		}
		sd := g / math.Sqrt(float64(n.dims[k]))
		w := make([]float32, n.dims[k]*n.dims[k+1])
		for i := range w {
			w[i] = float32(r.NormFloat64() * sd)
		}
		n.W = append(n.W, w)
		rb := rng.Named(cfg.Seed, "b"+itoa(k))
		b := make([]float32, n.dims[k+1]*classes)
		for i := range b {
			b[i] = float32(rb.NormFloat64())
		}
		n.B = append(n.B, b)
	}
	n.Wout = make([]float32, n.dims[K]*classes)
	for l := 0; l <= K; l++ {
		n.Lat = append(n.Lat, NewLateral(n.dims[l]))
	}
	return n
}

func itoa(k int) string {
	if k < 10 {
		return string(rune('0' + k))
	}
	return itoa(k/10) + itoa(k%10)
}

// state holds the per-sample buffers of one simulation.
type state struct {
	cur   []float32   // input current of layer 1 (constant)
	v     [][]float32 // membrane potentials per hidden layer
	tr    [][]float32 // presynaptic traces x̄
	xhat  [][]float32 // X̂ (mean trace)
	psi   [][]float32 // Ψ (mean post factor)
	in    [][]float32 // per-step input current of layers k ≥ 2
	spk   [][]int32   // indices of the neurons that spiked this step, per layer
	score []float32
	delta []float32
	a     []float32 // (Bδ)∘Ψ of the current layer
	pre   []float32 // projected presynaptic vector
	y     []float32 // lateral responses
	nz    []int32
}

func (n *Net) newState() *state {
	s := &state{}
	K := len(n.cfg.Hidden)
	maxD := 0
	for _, d := range n.dims {
		maxD = max(maxD, d)
	}
	s.cur = make([]float32, n.dims[1])
	for k := 0; k < K; k++ {
		N := n.dims[k+1]
		s.v = append(s.v, make([]float32, N))
		s.tr = append(s.tr, make([]float32, N))
		s.xhat = append(s.xhat, make([]float32, N))
		s.psi = append(s.psi, make([]float32, N))
		s.in = append(s.in, make([]float32, N))
		s.spk = append(s.spk, make([]int32, 0, N))
	}
	s.score = make([]float32, n.classes)
	s.delta = make([]float32, n.classes)
	s.a = make([]float32, maxD)
	s.pre = make([]float32, maxD)
	s.y = make([]float32, maxD)
	s.nz = make([]int32, 0, maxD)
	return s
}

// forward simulates one sample and leaves X̂, Ψ and the readout scores in s.
func (n *Net) forward(s *state, x []float32) {
	K := len(n.cfg.Hidden)
	T := n.cfg.T
	a := n.alpha
	g := float32(n.cfg.Gamma)
	N1 := n.dims[1]
	clear(s.cur)
	for j, xj := range x {
		if xj != 0 {
			axpy(xj, n.W[0][j*N1:(j+1)*N1], s.cur)
		}
	}
	for k := 0; k < K; k++ {
		clear(s.v[k])
		clear(s.tr[k])
		clear(s.xhat[k])
		clear(s.psi[k])
	}
	for t := 0; t < T; t++ {
		for k := 0; k < K; k++ {
			I := s.cur
			if k > 0 {
				I = s.in[k]
				clear(I)
				Nk := n.dims[k+1]
				for _, j := range s.spk[k-1] {
					axpy(1, n.W[k][int(j)*Nk:(int(j)+1)*Nk], I)
				}
			}
			v, tr, xh, ps := s.v[k], s.tr[k], s.xhat[k], s.psi[k]
			sp := s.spk[k][:0]
			for i := range v {
				vi := a*v[i] + I[i]
				u := vi - 1
				if d := 1 - abs32(u); d > 0 {
					ps[i] += g * d
				}
				tr[i] *= a
				if u >= 0 {
					vi--
					tr[i]++
					sp = append(sp, int32(i))
				}
				v[i] = vi
				xh[i] += tr[i]
			}
			s.spk[k] = sp
		}
	}
	invT := 1 / float32(T)
	for k := 0; k < K; k++ {
		for i := range s.xhat[k] {
			s.xhat[k][i] *= invT
			s.psi[k][i] *= invT
		}
	}
	clear(s.score)
	C := n.classes
	for j, xj := range s.xhat[K-1] {
		if xj != 0 {
			axpy(xj, n.Wout[j*C:(j+1)*C], s.score)
		}
	}
}

// Scores writes the readout scores of sample x into out (length C).
func (n *Net) Scores(out, x []float32) {
	s := n.newState()
	n.forward(s, x)
	copy(out, s.score)
}

// grads accumulates the minibatch updates. dW[k] and dWout are the summed
// unprojected/projected outer products; yOut accumulates H_K X̂ δᵀ so the
// readout projection is applied once per batch:
// Σ_s (X̂_s − H_Kᵀ H_K X̂_s) δ_sᵀ = Σ_s X̂_s δ_sᵀ − H_Kᵀ Σ_s (H_K X̂_s) δ_sᵀ.
type grads struct {
	dW    [][]float32
	dWout []float32
	yOut  []float32 // K_lat×C
}

func (n *Net) newGrads() *grads {
	g := &grads{}
	for _, w := range n.W {
		g.dW = append(g.dW, make([]float32, len(w)))
	}
	g.dWout = make([]float32, len(n.Wout))
	g.yOut = make([]float32, n.dims[len(n.dims)-1]*n.classes)
	return g
}

// learn runs sample (x, label) and adds its updates to g. It returns whether
// the prediction (argmax score before learning) was correct.
func (n *Net) learn(s *state, g *grads, x []float32, label int) bool {
	n.forward(s, x)
	K := len(n.cfg.Hidden)
	C := n.classes
	// Soft WTA teaching signal.
	beta := float32(n.cfg.WTABeta)
	mx, arg := s.score[0], 0
	for c, v := range s.score {
		if v > mx {
			mx, arg = v, c
		}
	}
	var z float64
	for c, v := range s.score {
		e := math.Exp(float64(beta * (v - mx)))
		s.delta[c] = float32(e)
		z += e
	}
	for c := range s.delta {
		s.delta[c] = -s.delta[c] / float32(z)
	}
	s.delta[label]++

	// Readout: delta rule on X̂^K (projection deferred to the batch end).
	xK := s.xhat[K-1]
	s.nz = s.nz[:0]
	for j, xj := range xK {
		if xj != 0 {
			s.nz = append(s.nz, int32(j))
			axpy(xj, s.delta, g.dWout[j*C:(j+1)*C])
		}
	}
	if lat := n.Lat[K]; n.cfg.HLOP && lat.K > 0 {
		y := lat.Response(s.y, xK, s.nz)
		for i, yi := range y {
			if yi != 0 {
				axpy(yi, s.delta, g.yOut[i*C:(i+1)*C])
			}
		}
	}
	// Hidden layers: third factor (Bδ) × post (Ψ) × projected pre.
	for k := 0; k < K; k++ {
		Nk := n.dims[k+1]
		a := s.a[:Nk]
		b := n.B[k]
		for i := range a {
			if s.psi[k][i] == 0 {
				a[i] = 0
				continue
			}
			a[i] = dot(b[i*C:(i+1)*C], s.delta) * s.psi[k][i]
		}
		var pre []float32
		if k == 0 {
			pre = x
		} else {
			pre = s.xhat[k-1]
		}
		d := n.dims[k]
		p := s.pre[:d]
		if lat := n.Lat[k]; n.cfg.HLOP && lat.K > 0 {
			s.nz = s.nz[:0]
			for j, v := range pre {
				if v != 0 {
					s.nz = append(s.nz, int32(j))
				}
			}
			lat.Project(p, pre, s.y, s.nz)
		} else {
			copy(p, pre)
		}
		dW := g.dW[k]
		for j, pj := range p {
			if pj != 0 {
				axpy(pj, a, dW[j*Nk:(j+1)*Nk])
			}
		}
	}
	return arg == label
}

// apply adds the minibatch updates, scaled by the learning rates over the
// batch size, and clears g.
func (n *Net) apply(g *grads, bs int, scale float64) {
	K := len(n.cfg.Hidden)
	C := n.classes
	for k := 0; k < K; k++ {
		lr := n.cfg.LRHidden
		if k == 0 {
			lr = n.cfg.LRIn
		}
		axpy(float32(lr*scale/float64(bs)), g.dW[k], n.W[k])
		clear(g.dW[k])
	}
	if lat := n.Lat[K]; n.cfg.HLOP && lat.K > 0 {
		// dWout −= H_Kᵀ (Σ y δᵀ): row j of dWout gets −Σ_i H_ij yOut_i.
		d := lat.Dim
		for i := 0; i < lat.K; i++ {
			yi := g.yOut[i*C : (i+1)*C]
			row := lat.H[i*d : (i+1)*d]
			for j, h := range row {
				dst := g.dWout[j*C : (j+1)*C]
				for c, v := range yi {
					dst[c] -= h * v
				}
			}
			clear(yi)
		}
	}
	axpy(float32(n.cfg.LROut*scale/float64(bs)), g.dWout, n.Wout)
	clear(g.dWout)
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
