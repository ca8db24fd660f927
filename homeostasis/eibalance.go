package homeostasis

// EIBalance is the local E/I self-adaptation of Srinivasan, Plenz & Girvan
// (2025, arXiv 2504.12480; RESEARCH.md §4.1): each neuron i scales the
// inhibition it receives by a gain g_i that grows while its running mean
// rate exceeds its own target ρ_i and shrinks below it,
//
//	g_i ← clip(g_i + Eta·(r̄_i − ρ_i), 0, GMax),   r̄_i ← r̄_i + (r_i − r̄_i)/TauSteps,
//
// with heterogeneous targets ρ_i (e.g. lognormal). The caller uses g_i as
// the factor on neuron i's inhibitory input (for a rate reservoir,
// r ← (1−a)r + a·σ(W_E r_E − g ⊙ W_I r_I + W_in u + b)).
//
// GMax bounds the integral's wind-up: while the neurons that inhibit i are
// themselves silenced, raising g_i has no effect and would otherwise grow
// without bound, then overshoot for a long time.
//
// Defaults (NewEIBalance): Eta = 0.002 per step, TauSteps = 100, g = 1,
// GMax = 50 (our choices; the paper's values were not retrieved).
type EIBalance struct {
	Target   []float32 // ρ_i, in the unit of the rates
	G        []float32 // inhibitory gain per neuron
	Mean     []float32 // r̄_i
	Eta      float32
	TauSteps float32
	GMax     float32
}

// NewEIBalance returns the mechanism for len(target) neurons.
func NewEIBalance(target []float32) *EIBalance {
	n := len(target)
	e := &EIBalance{Target: target, G: make([]float32, n), Mean: make([]float32, n), Eta: 0.002, TauSteps: 100, GMax: 50}
	for i := range e.G {
		e.G[i] = 1
		e.Mean[i] = target[i]
	}
	return e
}

// Step updates the running means with the rates r and adapts the gains.
func (e *EIBalance) Step(r []float32) {
	for i, x := range r {
		e.Mean[i] += (x - e.Mean[i]) / e.TauSteps
		g := e.G[i] + e.Eta*(e.Mean[i]-e.Target[i])
		g = min(max(g, 0), e.GMax)
		e.G[i] = g
	}
}
