package network

import (
	"math"
	"slices"
	"testing"

	"github.com/engram-lab/engram/connect"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// source is a test Poisson source (rate in Hz) built on the counter-based
// stream, so it is independent of the neuron package's generators.
type source struct {
	rate float32
	n    int
	dt   float32
	key  uint64
}

func (s *source) Len() int                    { return s.n }
func (s *source) Init(dt float32, key uint64) { s.dt, s.key = dt, key }
func (s *source) Reset()                      {}
func (s *source) State(string) []float32      { return nil }
func (s *source) Step(lo, hi int, step uint64, _ neuron.Input, spk []uint8) {
	p := s.rate * s.dt / 1000
	for i := lo; i < hi; i++ {
		spk[i] = 0
		if rng.Uniform(s.key, uint64(i), step) < p {
			spk[i] = 1
		}
	}
}

type raster struct{ step, id []int64 }

// recurrent builds an E/I network with STDP on the input and recurrent
// excitatory projections and heterogeneous delays.
func recurrent(t testing.TB, seed uint64, plastic bool) (*Network, map[string]*Population) {
	t.Helper()
	n := New(1, seed)
	r := rng.Named(seed, "test/structure")
	in, _ := n.AddPopulation("in", &source{rate: 30, n: 200})
	p := neuron.DefaultLIF()
	p.EL, p.VInit = -60, -60
	e, _ := n.AddPopulation("e", neuron.NewLIF(400, p))
	i, _ := n.AddPopulation("i", neuron.NewLIF(100, p))
	mk := func(pat connect.Pattern, a, b *Population, w float32, maxDelay int) *synapse.CSR {
		c, err := connect.Build(pat, a.Len(), b.Len(), a == b, connect.Uniform(0, w), 1, r)
		if err != nil {
			t.Fatal(err)
		}
		ds := c.Delays()
		for s := range ds {
			ds[s] = uint16(1 + r.IntN(maxDelay))
		}
		return c
	}
	var rule = func() plasticity.Rule {
		if !plastic {
			return nil
		}
		s := plasticity.NewSTDP()
		s.W = plasticity.Bounds{Min: 0, Max: 4}
		s.APlus, s.AMinus = 0.05, 0.055
		return s
	}
	must := func(_ *Projection, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(n.Connect("in-e", in, e, mk(connect.FixedProb{P: 0.1}, in, e, 4, 1), Exc, rule()))
	must(n.Connect("e-e", e, e, mk(connect.FixedProb{P: 0.05}, e, e, 1, 3), Exc, rule()))
	must(n.Connect("e-i", e, i, mk(connect.FixedProb{P: 0.1}, e, i, 2, 2), Exc, nil))
	must(n.Connect("i-e", i, e, mk(connect.FixedProb{P: 0.2}, i, e, 3, 2), Inh, nil))
	return n, map[string]*Population{"in": in, "e": e, "i": i}
}

func record(n *Network, steps int) map[string]*raster {
	out := map[string]*raster{}
	for _, p := range n.Populations() {
		out[p.Name] = &raster{}
	}
	n.Run(steps, func(step uint64, k int) {
		for _, p := range n.Populations() {
			for id, s := range p.Spiked(k) {
				if s != 0 {
					out[p.Name].step = append(out[p.Name].step, int64(step))
					out[p.Name].id = append(out[p.Name].id, int64(id))
				}
			}
		}
	})
	return out
}

func TestWorkerInvariance(t *testing.T) {
	for _, plastic := range []bool{false, true} {
		ref, refNet := map[string]*raster(nil), (*Network)(nil)
		for _, w := range []int{1, 2, 3, 4} {
			n, _ := recurrent(t, 7, plastic)
			if err := n.Build(w); err != nil {
				t.Fatal(err)
			}
			got := record(n, 600)
			n.Close()
			if ref == nil {
				ref, refNet = got, n
				if len(got["e"].id) < 100 {
					t.Fatalf("plastic=%v: only %d excitatory spikes; the test network is too quiet", plastic, len(got["e"].id))
				}
				continue
			}
			for name, r := range ref {
				if !slices.Equal(r.step, got[name].step) || !slices.Equal(r.id, got[name].id) {
					t.Errorf("plastic=%v workers=%d: population %s raster differs from 1 worker (%d vs %d spikes)", plastic, w, name, len(got[name].id), len(r.id))
				}
			}
			for k, pr := range n.Projections() {
				if !slices.Equal(pr.Conn.W, refNet.Projections()[k].Conn.W) {
					t.Errorf("plastic=%v workers=%d: weights of %s differ", plastic, w, pr.Name)
				}
			}
		}
		// Dale's law: a projection's channel fixes the sign of its
		// neurons' outgoing effect and plasticity keeps weights ≥ 0 on it.
		for _, pr := range refNet.Projections() {
			for _, w := range pr.Conn.W {
				if w < 0 {
					t.Fatalf("plastic=%v: weight %v < 0 on %s: a neuron's sign flipped", plastic, w, pr.Name)
				}
			}
		}
		if plastic {
			n0, _ := recurrent(t, 7, plastic)
			if slices.Equal(n0.Projections()[0].Conn.W, refNet.Projections()[0].Conn.W) {
				t.Errorf("STDP changed no weight; the plastic case tests nothing")
			}
		}
	}
}

// TestWorkerInvarianceAcrossRuns splits a run into several Run calls,
// some without a probe (the work-sharing counters and the probe count
// carry over between calls), and checks rasters and weights against one
// worker, with and without plasticity.
func TestWorkerInvarianceAcrossRuns(t *testing.T) {
	for _, plastic := range []bool{false, true} {
		var ref map[string]*raster
		var refW [][]float32
		for _, w := range []int{1, 2, 3} {
			n, _ := recurrent(t, 11, plastic)
			if err := n.Build(w); err != nil {
				t.Fatal(err)
			}
			got := map[string]*raster{}
			for seg := 0; seg < 4; seg++ {
				if seg%2 == 1 {
					n.Run(70, nil)
					continue
				}
				for name, r := range record(n, 90) {
					if got[name] == nil {
						got[name] = &raster{}
					}
					got[name].step = append(got[name].step, r.step...)
					got[name].id = append(got[name].id, r.id...)
				}
			}
			n.Close()
			var ws [][]float32
			for _, pr := range n.Projections() {
				ws = append(ws, slices.Clone(pr.Conn.W))
			}
			if ref == nil {
				ref, refW = got, ws
				if len(got["e"].id) < 50 {
					t.Fatalf("plastic=%v: only %d excitatory spikes recorded", plastic, len(got["e"].id))
				}
				continue
			}
			for name, r := range ref {
				if !slices.Equal(r.step, got[name].step) || !slices.Equal(r.id, got[name].id) {
					t.Errorf("plastic=%v workers=%d: population %s differs from 1 worker (%d vs %d spikes)", plastic, w, name, len(got[name].id), len(r.id))
				}
			}
			for k := range ws {
				if !slices.Equal(ws[k], refW[k]) {
					t.Errorf("plastic=%v workers=%d: weights of projection %d differ", plastic, w, k)
				}
			}
		}
	}
}

// driver is a population whose neurons spike at scripted steps.
type driver struct {
	n     int
	times map[uint64][]int
}

func (d *driver) Len() int               { return d.n }
func (d *driver) Init(float32, uint64)   {}
func (d *driver) Reset()                 {}
func (d *driver) State(string) []float32 { return nil }
func (d *driver) Step(lo, hi int, step uint64, _ neuron.Input, spk []uint8) {
	clear(spk[lo:hi])
	for _, i := range d.times[step] {
		if i >= lo && i < hi {
			spk[i] = 1
		}
	}
}

// sink records the input it receives at each step.
type sink struct {
	n   int
	got map[uint64][]float32
}

func (s *sink) Len() int               { return s.n }
func (s *sink) Init(float32, uint64)   {}
func (s *sink) Reset()                 {}
func (s *sink) State(string) []float32 { return nil }
func (s *sink) Step(lo, hi int, step uint64, in neuron.Input, spk []uint8) {
	for i := lo; i < hi; i++ {
		if v := in.Exc[i] - in.Inh[i]; v != 0 {
			if s.got[step] == nil {
				s.got[step] = make([]float32, s.n)
			}
			s.got[step][i] += v
		}
		spk[i] = 0
	}
}

func TestDelayedDelivery(t *testing.T) {
	for _, workers := range []int{1, 2} {
		n := New(1, 1)
		src, _ := n.AddPopulation("src", &driver{n: 2, times: map[uint64][]int{3: {0}, 4: {1}}})
		dst := &sink{n: 3, got: map[uint64][]float32{}}
		snk, _ := n.AddPopulation("dst", dst)
		c, err := synapse.FromEdges(2, 3, []synapse.Edge{
			{Pre: 0, Post: 0, W: 1.5, Delay: 2}, {Pre: 0, Post: 2, W: 2, Delay: 5}, {Pre: 1, Post: 0, W: 0.25, Delay: 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		n.Connect("exc", src, snk, c, Exc, nil)
		c2, _ := synapse.FromEdges(2, 3, []synapse.Edge{{Pre: 1, Post: 1, W: 3, Delay: 2}})
		n.Connect("inh", src, snk, c2, Inh, nil)
		if err := n.Build(workers); err != nil {
			t.Fatal(err)
		}
		if n.Interval() != 1 {
			t.Fatalf("interval %d, want the minimum delay 1", n.Interval())
		}
		n.Run(12, nil)
		n.Close()
		want := map[uint64][]float32{5: {1.5 + 0.25, 0, 0}, 6: {0, -3, 0}, 8: {0, 0, 2}}
		// pre 0 fires at 3: +1.5 on post 0 at 5, +2 on post 2 at 8;
		// pre 1 fires at 4: +0.25 on post 0 at 5, −3 on post 1 at 6.
		if len(dst.got) != len(want) {
			t.Fatalf("workers=%d: input at steps %v, want %v", workers, dst.got, want)
		}
		for step, w := range want {
			if !slices.Equal(dst.got[step], w) {
				t.Errorf("workers=%d step %d: input %v, want %v", workers, step, dst.got[step], w)
			}
		}
	}
}

// TestIntervalBatching checks that exchanging spikes every D = min-delay
// steps gives exactly the spikes of a naive step-by-step reference.
func TestIntervalBatching(t *testing.T) {
	const seed, steps = 3, 400
	build := func() (*Network, *synapse.CSR) {
		n := New(1, seed)
		r := rng.Named(seed, "batching")
		in, _ := n.AddPopulation("in", &source{rate: 40, n: 50})
		p := neuron.DefaultLIF()
		e, _ := n.AddPopulation("e", neuron.NewLIF(80, p))
		c1, _ := connect.Build(connect.FixedProb{P: 0.3}, 50, 80, false, connect.Uniform(0, 8), 4, r)
		c2, _ := connect.Build(connect.FixedProb{P: 0.1}, 80, 80, true, connect.Uniform(0, 2), 4, r)
		ds := c2.Delays()
		for s := range ds {
			ds[s] = uint16(4 + r.IntN(3))
		}
		n.Connect("in-e", in, e, c1, Exc, nil)
		n.Connect("e-e", e, e, c2, Exc, nil)
		return n, c2
	}
	n, _ := build()
	if err := n.Build(2); err != nil {
		t.Fatal(err)
	}
	if n.Interval() != 4 {
		t.Fatalf("interval %d, want 4", n.Interval())
	}
	got := record(n, steps)
	n.Close()

	// Reference: the same parts, stepped by hand one step at a time.
	ref, _ := build()
	ps, pr := ref.Populations(), ref.Projections()
	var want = map[string]*raster{"in": {}, "e": {}}
	ringSize := 16
	bufs := map[*Population][]float32{}
	for _, p := range ps {
		p.Model.Init(1, keyFor(seed, p.Name))
		bufs[p] = make([]float32, ringSize*p.Len())
	}
	spk := map[*Population][]uint8{}
	for _, p := range ps {
		spk[p] = make([]uint8, p.Len())
	}
	zero := make([]float32, 80)
	for t := uint64(0); t < steps; t++ {
		slot := int(t) % ringSize
		for _, p := range ps {
			b := bufs[p][slot*p.Len() : (slot+1)*p.Len()]
			p.Model.Step(0, p.Len(), t, neuron.Input{Exc: b, Inh: zero[:p.Len()]}, spk[p])
			clear(b)
			for i, s := range spk[p] {
				if s != 0 {
					want[p.Name].step = append(want[p.Name].step, int64(t))
					want[p.Name].id = append(want[p.Name].id, int64(i))
				}
			}
		}
		for _, j := range pr {
			for r, s := range spk[j.Pre] {
				if s == 0 {
					continue
				}
				a, b := j.Conn.Row(r)
				for q := a; q < b; q++ {
					sl := (int(t) + j.Conn.DelayOf(q)) % ringSize
					bufs[j.Post][sl*j.Post.Len()+int(j.Conn.Post[q])] += j.Conn.W[q]
				}
			}
		}
	}
	for name := range want {
		if !slices.Equal(want[name].id, got[name].id) || !slices.Equal(want[name].step, got[name].step) {
			t.Errorf("population %s: batched engine gives %d spikes, reference %d", name, len(got[name].id), len(want[name].id))
		}
	}
	if len(want["e"].id) == 0 {
		t.Fatal("reference network is silent; the test checks nothing")
	}
}

func keyFor(seed uint64, name string) uint64 { return rng.Key(seed, "population/"+name) }

func TestSteadyStateAllocatesNothing(t *testing.T) {
	for _, w := range []int{1, 2} {
		n, _ := recurrent(t, 5, true)
		if err := n.Build(w); err != nil {
			t.Fatal(err)
		}
		n.Run(50, nil)
		a := testing.AllocsPerRun(20, func() { n.Run(10, nil) })
		n.Close()
		if a != 0 {
			t.Errorf("workers=%d: %v allocations per Run of 10 steps, want 0", w, a)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	n := New(1, 1)
	a, _ := n.AddPopulation("a", neuron.NewLIF(3, neuron.DefaultLIF()))
	if _, err := n.AddPopulation("a", neuron.NewLIF(3, neuron.DefaultLIF())); err == nil {
		t.Error("duplicate population name accepted")
	}
	c, _ := synapse.FromEdges(2, 3, nil)
	if _, err := n.Connect("bad", a, a, c, Exc, nil); err == nil {
		t.Error("projection of the wrong shape accepted")
	}
	if err := n.Build(0); err == nil {
		t.Error("zero workers accepted")
	}
	if _, err := n.Run(1, nil); err == nil {
		t.Error("Run before Build accepted")
	}
	if math.IsNaN(float64(n.Dt)) {
		t.Fatal("unreachable")
	}
}
