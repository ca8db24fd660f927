package flagship

// eligALIF advances the e-prop ALIF eligibility of one presynaptic input
// over consecutive postsynaptic neurons q (Bellec et al. 2020, Methods):
//
//	el[q] += ψ_q·(ε − β·εᵃ_q)              eligibility, summed over the steps
//	εᵃ_q   = ψ_q·ε + (ρ − ψ_q·β)·εᵃ_q       adaptation trace
//
// with ψ = ps (pseudo-derivatives), ε = e (the presynaptic trace), β = beta
// and ρ = rho, each product and sum rounded to float32 in this order; the
// AVX form (elig_amd64.s) does the same operations bit for bit
// (TestEligALIFKernels). len(el) and len(a) must be ≥ len(ps).
func eligALIF(el, a, ps []float32, e, beta, rho float32) {
	if eligAVX && len(ps) >= 8 {
		eligALIFAVX(el, a, ps, e, beta, rho)
		return
	}
	eligALIFGeneric(el, a, ps, e, beta, rho)
}

// eligDecay advances only the adaptation trace (steps outside the
// eligibility window): εᵃ_q = ψ_q·ε + (ρ − ψ_q·β)·εᵃ_q.
func eligDecay(a, ps []float32, e, beta, rho float32) {
	if eligAVX && len(ps) >= 8 {
		eligDecayAVX(a, ps, e, beta, rho)
		return
	}
	eligDecayGeneric(a, ps, e, beta, rho)
}

func eligALIFGeneric(el, a, ps []float32, e, beta, rho float32) {
	el = el[:len(ps)]
	a = a[:len(ps)]
	for q, p := range ps {
		aq := a[q]
		el[q] += p * (e - beta*aq)
		a[q] = p*e + (rho-p*beta)*aq
	}
}

func eligDecayGeneric(a, ps []float32, e, beta, rho float32) {
	a = a[:len(ps)]
	for q, p := range ps {
		a[q] = p*e + (rho-p*beta)*a[q]
	}
}
