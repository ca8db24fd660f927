package netspec

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/engram-lab/engram/config"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
)

// DefaultMinNeuronsPerWorker is min_neurons_per_worker's default, neurons:
// on this project's 2-core test machine two workers first beat one on the
// COBA network of the scaling benchmark between 8,000 neurons (0.87× one
// worker's speed) and 16,000 (1.27×) (BENCH.md, "Scaling with Brian2",
// 2026-11-27 03:16 UTC); below that the waits at every exchange interval
// and the traffic between the cores' caches cost more than the second core
// gives. 6000 puts the switch to two workers at 12,000 neurons.
const DefaultMinNeuronsPerWorker = 6000

// Spec is a network described in TOML (see the package doc for the schema).
type Spec struct {
	Seed     uint64  `toml:"seed"`     // seed of every random stream (default 1)
	Dt       float32 `toml:"dt"`       // time step, ms (default 0.1)
	Duration float32 `toml:"duration"` // simulated time, ms
	Workers  int     `toml:"workers"`  // worker goroutines (default 1)
	// MinNeuronsPerWorker caps the workers used at one per this many
	// neurons (network.Network.MinNeuronsPerWorker); 0 uses every worker.
	// Default DefaultMinNeuronsPerWorker.
	MinNeuronsPerWorker int          `toml:"min_neurons_per_worker"`
	Population          []Population `toml:"population"`
	Projection          []Projection `toml:"projection"`
	Monitor             []Monitor    `toml:"monitor"`

	name string // source label for messages (file name or "spec")
	text string // source text, to find lines
}

// Population is one [[population]] entry.
type Population struct {
	Name  string `toml:"name"`
	Model string `toml:"model"` // lif, cuba, coba, alif, izhikevich, poisson, spike-source
	N     int    `toml:"n"`

	// Per-model parameter tables; each starts from the model's defaults.
	LIF        *neuron.LIFParams        `toml:"lif"`
	CUBA       *CUBAParams              `toml:"cuba"`
	COBA       *neuron.COBAParams       `toml:"coba"`
	ALIF       *neuron.ALIFParams       `toml:"alif"`
	Izhikevich *neuron.IzhikevichParams `toml:"izhikevich"`
	Preset     string                   `toml:"preset"` // izhikevich defaults: rs (default), ib, ch, fs, lts

	RateHz float32     `toml:"rate_hz"` // poisson: rate of every neuron, Hz
	Times  [][]float64 `toml:"times"`   // spike-source: spike times (ms), one list per neuron

	VInitUniform []float64       `toml:"v_init_uniform"` // [lo, hi]: v drawn uniformly (mV)
	Init         map[string]Dist `toml:"init"`           // state variable → initial value or distribution
}

// Projection is one [[projection]] entry.
type Projection struct {
	Name    string `toml:"name"`
	From    string `toml:"from"`
	To      string `toml:"to"`
	Channel string `toml:"channel"` // exc (default) or inh
	Connect string `toml:"connect"` // full, one-to-one, fixed-prob, fixed-in-degree, blocks, small-world, distance

	P     float64 `toml:"p"`     // fixed-prob, blocks: connection probability
	K     int     `toml:"k"`     // fixed-in-degree: in-degree; small-world: lattice degree
	Size  int     `toml:"size"`  // blocks: block size
	Beta  float64 `toml:"beta"`  // small-world: rewiring probability
	Sigma float64 `toml:"sigma"` // distance: Gaussian width on the unit ring
	PMax  float64 `toml:"p_max"` // distance: peak probability
	Self  bool    `toml:"self"`  // full: allow self-connections within one population

	Weight Dist `toml:"weight"` // weight (model units: mV, nS, …), a number or a distribution
	Delay  Dist `toml:"delay"`  // delay, ms, rounded to steps, at least one step (default dt)

	Rule       string `toml:"rule"`        // registered plasticity rule, optional
	RuleParams Table  `toml:"rule_params"` // fields of the rule struct (its toml tags)
	// PerSynapseWeights keeps one weight per synapse even when they are all
	// equal; by default a projection without a rule whose weights are all
	// equal stores one (synapse.CSR.CompactWeights).
	PerSynapseWeights bool `toml:"per_synapse_weights"`
}

// Monitor is one [[monitor]] entry.
type Monitor struct {
	Kind       string  `toml:"kind"`       // spikes, state or rate
	Population string  `toml:"population"` // population monitored
	Var        string  `toml:"var"`        // state: variable name (e.g. "v")
	IDs        []int   `toml:"ids"`        // neurons (default: all for spikes, neuron 0 for state)
	Every      float64 `toml:"every"`      // state: sampling period, rate: bin width, ms (defaults dt and 1 ms)
	File       string  `toml:"file"`       // CSV file in the output folder (default <population>_<kind>[_<var>].csv)
}

// Models lists the model names a population may use.
var Models = []string{"lif", "cuba", "coba", "alif", "izhikevich", "poisson", "spike-source"}

// Load reads and validates a spec file.
func Load(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(b))
}

// Parse decodes and validates spec text; name labels the source in errors.
func Parse(name, text string) (*Spec, error) {
	s := &Spec{Seed: 1, Dt: 0.1, Workers: 1, MinNeuronsPerWorker: DefaultMinNeuronsPerWorker, name: name, text: text}
	if err := config.Decode(name, text, s); err != nil {
		return nil, err
	}
	s.name, s.text = name, text
	if err := s.applyDefaults(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// applyDefaults re-reads each per-model table onto the model's defaults, so
// keys absent from the file keep the published values.
func (s *Spec) applyDefaults() error {
	var raw map[string]any
	if _, err := toml.Decode(s.text, &raw); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	var pops []map[string]any
	switch l := raw["population"].(type) {
	case []map[string]any:
		pops = l
	case []any:
		for _, x := range l {
			m, _ := x.(map[string]any)
			pops = append(pops, m)
		}
	}
	for i := range s.Population {
		p := &s.Population[i]
		var tab map[string]any
		if i < len(pops) {
			tab = pops[i]
		}
		table := func(key string, dst any) error {
			sub, ok := tab[key].(map[string]any)
			if !ok {
				return nil
			}
			var b strings.Builder
			if err := toml.NewEncoder(&b).Encode(sub); err != nil {
				return s.errf("population", i, "%s: %v", key, err)
			}
			if _, err := toml.Decode(b.String(), dst); err != nil {
				return s.errf("population", i, "%s: %v", key, err)
			}
			return nil
		}
		var err error
		switch {
		case p.LIF != nil:
			d := neuron.DefaultLIF()
			err, p.LIF = table("lif", &d), &d
		case p.CUBA != nil:
			d := DefaultCUBA()
			err, p.CUBA = table("cuba", &d), &d
		case p.COBA != nil:
			d := neuron.DefaultCOBA()
			err, p.COBA = table("coba", &d), &d
		case p.ALIF != nil:
			d := neuron.DefaultALIF()
			err, p.ALIF = table("alif", &d), &d
		}
		if err != nil {
			return err
		}
		if p.Izhikevich != nil || p.Model == "izhikevich" {
			d, ok := izhPreset(p.Preset)
			if !ok {
				return s.errf("population", i, "unknown izhikevich preset %q (want rs, ib, ch, fs or lts)", p.Preset)
			}
			if err := table("izhikevich", &d); err != nil {
				return err
			}
			p.Izhikevich = &d
		}
	}
	return nil
}

func izhPreset(name string) (neuron.IzhikevichParams, bool) {
	switch strings.ToLower(name) {
	case "", "rs":
		return neuron.IzhikevichRS(), true
	case "ib":
		return neuron.IzhikevichIB(), true
	case "ch":
		return neuron.IzhikevichCH(), true
	case "fs":
		return neuron.IzhikevichFS(), true
	case "lts":
		return neuron.IzhikevichLTS(), true
	}
	return neuron.IzhikevichParams{}, false
}

// errf formats an error naming entry i of kind ("population", "projection",
// "monitor") and the line of its header in the source.
func (s *Spec) errf(kind string, i int, format string, a ...any) error {
	label := fmt.Sprintf("%s %d", kind, i+1)
	switch kind {
	case "population":
		if i < len(s.Population) && s.Population[i].Name != "" {
			label = fmt.Sprintf("population %q", s.Population[i].Name)
		}
	case "projection":
		if i < len(s.Projection) && s.Projection[i].Name != "" {
			label = fmt.Sprintf("projection %q", s.Projection[i].Name)
		}
	case "monitor":
		label = fmt.Sprintf("monitor %d", i+1)
	}
	pos := s.name
	if l := s.entryLine(kind, i); l > 0 {
		pos = fmt.Sprintf("%s:%d", s.name, l)
	}
	return fmt.Errorf("%s: %s: %s", pos, label, fmt.Sprintf(format, a...))
}

var headerRE = regexp.MustCompile(`^\s*\[\[\s*([A-Za-z_-]+)\s*\]\]`)

// entryLine is the line of the i-th [[kind]] header (0 if not found, e.g.
// for inline arrays of tables).
func (s *Spec) entryLine(kind string, i int) int {
	n := 0
	for l, line := range strings.Split(s.text, "\n") {
		if m := headerRE.FindStringSubmatch(line); m != nil && m[1] == kind {
			if n == i {
				return l + 1
			}
			n++
		}
	}
	return 0
}

// Validate checks the spec and returns the first problem, naming the entry.
func (s *Spec) Validate() error {
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }
	if bad(float64(s.Dt)) || s.Dt <= 0 || s.Dt > 1000 {
		return fmt.Errorf("%s: dt = %g ms must be in (0, 1000]", s.name, s.Dt)
	}
	if bad(float64(s.Duration)) || s.Duration < 0 {
		return fmt.Errorf("%s: duration = %g ms must be ≥ 0", s.name, s.Duration)
	}
	if s.Duration/s.Dt > 1e9 {
		return fmt.Errorf("%s: duration/dt = %g steps is more than 1e9", s.name, s.Duration/s.Dt)
	}
	if s.Workers < 1 || s.Workers > 1024 {
		return fmt.Errorf("%s: workers = %d must be in [1, 1024]", s.name, s.Workers)
	}
	if s.MinNeuronsPerWorker < 0 {
		return fmt.Errorf("%s: min_neurons_per_worker = %d must be ≥ 0", s.name, s.MinNeuronsPerWorker)
	}
	if len(s.Population) == 0 {
		return fmt.Errorf("%s: no [[population]]", s.name)
	}
	names := map[string]bool{}
	total := 0
	for i := range s.Population {
		p := &s.Population[i]
		if p.Name == "" {
			return s.errf("population", i, "missing name")
		}
		if names[p.Name] {
			return s.errf("population", i, "duplicate name %q", p.Name)
		}
		names[p.Name] = true
		if !contains(Models, p.Model) {
			return s.errf("population", i, "unknown model %q (want one of %s)", p.Model, strings.Join(Models, ", "))
		}
		if p.Model == "spike-source" && p.N == 0 {
			p.N = len(p.Times)
		}
		if p.N < 1 || p.N > 1<<26 {
			return s.errf("population", i, "n = %d must be in [1, %d]", p.N, 1<<26)
		}
		total += p.N
		if total > 1<<26 {
			return s.errf("population", i, "more than %d neurons in total", 1<<26)
		}
		tables := map[string]bool{"lif": p.LIF != nil, "cuba": p.CUBA != nil, "coba": p.COBA != nil,
			"alif": p.ALIF != nil, "izhikevich": p.Izhikevich != nil}
		for t, has := range tables {
			if has && t != p.Model {
				return s.errf("population", i, "parameter table %q does not belong to model %q", t, p.Model)
			}
		}
		if p.Preset != "" && p.Model != "izhikevich" {
			return s.errf("population", i, "preset is for izhikevich populations only")
		}
		if p.RateHz != 0 && p.Model != "poisson" {
			return s.errf("population", i, "rate_hz is for poisson populations only")
		}
		if p.Model == "poisson" && (bad(float64(p.RateHz)) || p.RateHz < 0) {
			return s.errf("population", i, "rate_hz = %g must be ≥ 0", p.RateHz)
		}
		if p.Times != nil && p.Model != "spike-source" {
			return s.errf("population", i, "times is for spike-source populations only")
		}
		if p.Model == "spike-source" {
			if len(p.Times) != p.N {
				return s.errf("population", i, "times has %d lists for n = %d neurons", len(p.Times), p.N)
			}
			for j, ts := range p.Times {
				for k, t := range ts {
					if bad(t) || (k > 0 && t < ts[k-1]) {
						return s.errf("population", i, "times[%d] must be finite and sorted", j)
					}
				}
			}
		}
		if p.VInitUniform != nil {
			if len(p.VInitUniform) != 2 || bad(p.VInitUniform[0]) || bad(p.VInitUniform[1]) || p.VInitUniform[1] < p.VInitUniform[0] {
				return s.errf("population", i, "v_init_uniform must be [lo, hi] with lo ≤ hi")
			}
		}
		if len(p.Init) > 0 || p.VInitUniform != nil {
			m, err := s.probeModel(i)
			if err != nil {
				return err
			}
			if p.VInitUniform != nil && m.State("v") == nil {
				return s.errf("population", i, "model %s has no state variable v for v_init_uniform", p.Model)
			}
			for name := range p.Init {
				if m.State(name) == nil {
					return s.errf("population", i, "init: model %s has no state variable %q", p.Model, name)
				}
			}
		}
	}
	pnames := map[string]bool{}
	for i := range s.Projection {
		pr := &s.Projection[i]
		if pr.Name == "" {
			pr.Name = pr.From + "->" + pr.To
		}
		if pnames[pr.Name] || names[pr.Name] {
			return s.errf("projection", i, "duplicate name %q", pr.Name)
		}
		pnames[pr.Name] = true
		if s.pop(pr.From) < 0 {
			return s.errf("projection", i, "from = %q names no population", pr.From)
		}
		if s.pop(pr.To) < 0 {
			return s.errf("projection", i, "to = %q names no population", pr.To)
		}
		switch pr.Channel {
		case "":
			pr.Channel = "exc"
		case "exc", "inh":
		default:
			return s.errf("projection", i, "channel %q (want exc or inh)", pr.Channel)
		}
		if _, err := pr.pattern(); err != nil {
			return s.errf("projection", i, "%v", err)
		}
		if !pr.Weight.IsSet() {
			return s.errf("projection", i, "missing weight")
		}
		if d := pr.maxDelaySteps(s.Dt); d > maxDelaySteps {
			return s.errf("projection", i, "delay up to %.4g steps, more than %d", d, maxDelaySteps)
		}
		if pr.Rule == "" && pr.RuleParams != nil {
			return s.errf("projection", i, "rule_params without rule")
		}
		if pr.Rule != "" {
			if _, err := s.rule(i); err != nil {
				return err
			}
		}
	}
	for i := range s.Monitor {
		m := &s.Monitor[i]
		pi := s.pop(m.Population)
		if pi < 0 {
			return s.errf("monitor", i, "population = %q names no population", m.Population)
		}
		p := &s.Population[pi]
		for _, id := range m.IDs {
			if id < 0 || id >= p.N {
				return s.errf("monitor", i, "id %d out of range [0, %d)", id, p.N)
			}
		}
		if bad(m.Every) || m.Every < 0 || m.Every/float64(s.Dt) > 1e9 {
			return s.errf("monitor", i, "every = %g ms must be ≥ 0", m.Every)
		}
		switch m.Kind {
		case "spikes", "rate":
			if m.Var != "" {
				return s.errf("monitor", i, "var is for state monitors only")
			}
		case "state":
			if m.Var == "" {
				return s.errf("monitor", i, "state monitor needs var")
			}
			mod, err := s.probeModel(pi)
			if err != nil {
				return err
			}
			if mod.State(m.Var) == nil {
				return s.errf("monitor", i, "model %s has no state variable %q", p.Model, m.Var)
			}
		default:
			return s.errf("monitor", i, "kind %q (want spikes, state or rate)", m.Kind)
		}
		if m.File == "" {
			m.File = m.Population + "_" + m.Kind
			if m.Var != "" {
				m.File += "_" + m.Var
			}
			m.File += ".csv"
		}
		if strings.ContainsAny(m.File, `/\`) || m.File == "." || m.File == ".." {
			return s.errf("monitor", i, "file %q must be a plain file name", m.File)
		}
	}
	return nil
}

// maxDelaySteps is the longest delay a synapse may have, in steps (the
// ring buffers of the engine hold that many steps of input per neuron).
const maxDelaySteps = 60000

// maxDelaySteps is the largest delay, in steps, projection pr can draw
// (normal distributions count up to 6 sd above the mean).
func (pr *Projection) maxDelaySteps(dt float32) float64 {
	if !pr.Delay.IsSet() {
		return 1
	}
	d := pr.Delay
	var hi float64
	switch d.Kind {
	case "normal":
		hi = d.Mean + 6*d.SD
	case "uniform":
		hi = d.Hi
	default:
		hi = d.Value
	}
	hi = min(hi, d.Max)
	return math.Round(max(hi, 0) / float64(dt))
}

func (s *Spec) pop(name string) int {
	for i := range s.Population {
		if s.Population[i].Name == name {
			return i
		}
	}
	return -1
}

// Steps is the number of time steps of Duration.
func (s *Spec) Steps() int { return int(math.Round(float64(s.Duration) / float64(s.Dt))) }

// model builds population i's neuron model (not yet initialised).
func (s *Spec) model(i int) (neuron.Model, error) {
	p := &s.Population[i]
	switch p.Model {
	case "lif":
		q := neuron.DefaultLIF()
		if p.LIF != nil {
			q = *p.LIF
		}
		return neuron.NewLIF(p.N, q), nil
	case "cuba":
		q := DefaultCUBA()
		if p.CUBA != nil {
			q = *p.CUBA
		}
		return NewCUBA(p.N, q), nil
	case "coba":
		q := neuron.DefaultCOBA()
		if p.COBA != nil {
			q = *p.COBA
		}
		if q.C <= 0 {
			return nil, s.errf("population", i, "coba: c = %g pF must be positive", q.C)
		}
		return neuron.NewCOBA(p.N, q), nil
	case "alif":
		q := neuron.DefaultALIF()
		if p.ALIF != nil {
			q = *p.ALIF
		}
		return neuron.NewALIF(p.N, q), nil
	case "izhikevich":
		q := neuron.IzhikevichRS()
		if p.Izhikevich != nil {
			q = *p.Izhikevich
		}
		if q.MaxSub > 0 && s.Dt/q.MaxSub > 1000 {
			return nil, s.errf("population", i, "izhikevich: dt/max_sub > 1000 sub-steps")
		}
		return neuron.NewIzhikevich(p.N, q), nil
	case "poisson":
		return neuron.NewPoisson(p.N, p.RateHz), nil
	case "spike-source":
		ts := make([][]float32, len(p.Times))
		for j, l := range p.Times {
			ts[j] = make([]float32, len(l))
			for k, t := range l {
				ts[j][k] = float32(t)
			}
		}
		return neuron.NewSpikeSource(ts), nil
	}
	return nil, s.errf("population", i, "unknown model %q", p.Model)
}

// probeModel builds a one-neuron model of population i, to check state
// variable names without allocating the whole population.
func (s *Spec) probeModel(i int) (neuron.Model, error) {
	p := s.Population[i]
	one := *s
	one.Population = append([]Population(nil), s.Population...)
	p.N = 1
	if p.Times != nil {
		p.Times = p.Times[:min(1, len(p.Times))]
	}
	one.Population[i] = p
	return one.model(i)
}

// rule builds projection i's plasticity rule with its parameters.
func (s *Spec) rule(i int) (plasticity.Rule, error) {
	pr := &s.Projection[i]
	r, err := plasticity.New(pr.Rule)
	if err != nil {
		return nil, s.errf("projection", i, "%v", err)
	}
	if len(pr.RuleParams) == 0 {
		return r, nil
	}
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(pr.RuleParams); err != nil {
		return nil, s.errf("projection", i, "rule_params: %v", err)
	}
	md, err := toml.Decode(b.String(), r)
	if err != nil {
		return nil, s.errf("projection", i, "rule_params: %v", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for k, u := range und {
			keys[k] = fmt.Sprintf("%q", u.String())
		}
		return nil, s.errf("projection", i, "rule_params: unknown key %s for rule %q", strings.Join(keys, ", "), pr.Rule)
	}
	return r, nil
}

// Table is a raw TOML table decoded later into a type known only at build
// time (a plasticity rule's struct).
type Table map[string]any

// UnmarshalTOML implements toml.Unmarshaler (it keeps the table as is; the
// keys are checked against the rule's fields when the rule is built).
func (t *Table) UnmarshalTOML(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("want a table, have %T", v)
	}
	*t = m
	return nil
}
