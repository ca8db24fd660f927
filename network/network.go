// Package network is the simulation engine: the one package that wires
// neuron models, synapse matrices and plasticity rules together.
//
// Time advances in fixed steps of Dt (ms). Neurons are updated clock-driven;
// spikes are delivered event-driven through per-population ring buffers
// indexed by arrival step, so each synapse's integer delay costs nothing.
//
// # Parallelism (NEST's scheme)
//
// Every population's neurons are cut into W contiguous shares (W = the
// number of workers), and with them every synapse onto those neurons (the
// weights stay in one CSR per projection; each share has, per presynaptic
// row, the sub-range of synapses that target its neurons). Spikes are
// exchanged only at boundaries of an exchange interval equal to the smallest
// synaptic delay D (in steps): within an interval no spike can reach any
// neuron, so each share's neurons are updated for D steps without
// synchronising, then all spikes of the interval are delivered. A share is
// handled by one worker at a time, but not always the same one: worker w
// takes share w first and then any share still free (see loop), so a
// worker that the OS has descheduled does not hold the others up, while on
// idle cores each share stays in one core's cache. Without plasticity the
// delivery of interval g−1 to a share and the share's update through g are
// one unit of work (see pipeline): one wait per interval. Projections with
// plasticity exchange every step (D = 1) so that pairings are seen in
// order, in two phases per step (update, then delivery and the rules).
// MinNeuronsPerWorker caps the workers of a small network, where the waits
// cost more than a second core gives.
//
// Determinism: a neuron's input is summed in a fixed order — projection,
// step, presynaptic index, synapse — whatever the number of workers; noise
// comes from counter-based streams keyed by (seed, population, neuron, step);
// rules touch only state owned by the calling worker. So spike rasters and
// weights are bit-identical for any worker count; a test proves it. The same
// ownership is what an MPI rank would have.
package network

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// Channel is the synaptic input channel a projection delivers to.
type Channel int

const (
	Exc Channel = iota // excitatory: adds to the model's Exc input
	Inh                // inhibitory: adds to the model's Inh input
)

// Population is a group of neurons of one model.
type Population struct {
	Name  string
	Model neuron.Model
	// Ext, when not nil, is an external drive of one value per neuron that
	// the caller may change between Run calls (see neuron.Input.Ext).
	Ext []float32

	n        int
	exc, inh []float32      // ring buffers: R slots × n
	spk      [][]uint8      // spike flags of each step of the current interval
	lists    [][2][][]int32 // [worker][interval parity][substep] spiking neuron indices
	own      []span         // per worker
	key      uint64
	fused    fusedModel // Model's fused step, if it has one
	probePar int        // parity of the interval the probe is looking at (worker 0 only)
}

// fusedModel is implemented by models (neuron.COBA, neuron.CUBA) whose step
// can also clear the input slots it read and list the neurons that fired,
// saving the engine two passes over the population per step. It must give
// the same state, flags and (ascending) list as Step, clear and a scan.
type fusedModel interface {
	StepFused(lo, hi int, step uint64, in neuron.Input, spk []uint8, list []int32) []int32
}

type span struct{ lo, hi int }

// Len is the number of neurons.
func (p *Population) Len() int { return p.n }

// Spiked returns the spike flags (1 = spiked) of substep k of the last
// exchange interval; probes call it with the k they are given.
func (p *Population) Spiked(k int) []uint8 { return p.spk[k] }

// ForEachSpiked calls f(i) for each neuron i that spiked in substep k of the
// last exchange interval, in ascending order: the neurons Spiked(k) flags,
// from the engine's spike lists instead of a scan of every flag. Like
// Spiked, it is for probes.
func (p *Population) ForEachSpiked(k int, f func(i int)) {
	for w := range p.lists {
		for _, i := range p.lists[w][p.probePar][k] {
			f(int(i))
		}
	}
}

// runProbe calls the probe for every substep of the interval starting at t0
// with parity par (worker 0).
func (n *Network) runProbe(t0 uint64, par int) {
	for _, p := range n.pops {
		p.probePar = par
	}
	for k := 0; k < n.interval; k++ {
		n.probe(t0+uint64(k), k)
	}
}

// Projection is a set of synapses from one population to another.
type Projection struct {
	Name      string
	Pre, Post *Population
	Conn      *synapse.CSR
	Channel   Channel
	Rule      plasticity.Rule // nil for static synapses

	cols         *synapse.Columns
	rowLo, rowHi [][]int32 // [worker][pre row] owned synapse range
	mod          plasticity.Modulated
	lazy         plasticity.Lazy // a rule that needs no column index (its OnPost only records the spike)
	delay        int             // the common delay of every synapse, steps (0: delays differ); delays are fixed at Build
	preBuf       [][]int32       // [worker] presynaptic indices of one column, when cols.Pre is nil
}

// Network holds populations and projections and advances them in time.
type Network struct {
	Dt   float32 // time step, ms (1 for learning tasks, 0.1 for biophysical models)
	Seed uint64  // seed of every random stream

	// MinNeuronsPerWorker, when > 0, makes Build use at most one worker per
	// MinNeuronsPerWorker neurons of the whole network (at least one):
	// below that, splitting the work costs more in waits and cache traffic
	// than it saves (see netspec's min_neurons_per_worker default and
	// BENCH.md). Results do not depend on the number of workers; Workers
	// reports the number used. 0 (New's default): every requested worker.
	MinNeuronsPerWorker int

	pops  []*Population
	projs []*Projection
	names map[string]bool

	workers  int
	ring     int    // ring buffer slots
	interval int    // exchange interval D, steps
	step     uint64 // global step of the next update
	built    bool
	plastic  bool       // some projection has a rule
	start    []chan int // per worker (≥1): number of intervals to run
	done     sync.WaitGroup
	probe    func(step uint64, k int)
	probed   atomic.Int64 // intervals whose probe calls are done (counted since Build)
	ivs      int64        // intervals simulated since Build, before the current Run

	// Work sharing (see loop): claimU[c] and claimD[c] count the intervals
	// whose share c has been claimed in the update and the delivery phase
	// (share c of interval g is free while the count is g); done* count the
	// shares finished since Build. Each on its own cache line: every worker
	// hits them.
	claimU, claimD []claim
	_              [64]byte
	doneU          atomic.Int64
	_              [64]byte
	doneD          atomic.Int64
	_              [64]byte
}

// compactStatic makes Build store the targets of projections without a rule
// as uint16 (synapse.CSR.CompactTargets). Tests turn it off to compare.
var compactStatic = true

// claim is a share's claim counter, alone on its cache line.
type claim struct {
	v atomic.Int64
	_ [56]byte
}

// take claims the share for interval g: true for the one worker whose
// compare-and-swap moves the count from g to g+1.
func (c *claim) take(g int64) bool { return c.v.Load() == g && c.v.CompareAndSwap(g, g+1) }

// New returns an empty network with time step dt (ms).
func New(dt float32, seed uint64) *Network {
	return &Network{Dt: dt, Seed: seed, names: map[string]bool{}}
}

// AddPopulation adds a population; names must be unique.
func (n *Network) AddPopulation(name string, m neuron.Model) (*Population, error) {
	if n.built {
		return nil, fmt.Errorf("network: add %q after Build", name)
	}
	if n.names[name] {
		return nil, fmt.Errorf("network: duplicate name %q", name)
	}
	n.names[name] = true
	p := &Population{Name: name, Model: m, n: m.Len()}
	n.pops = append(n.pops, p)
	return p, nil
}

// Connect adds a projection from pre to post with synapse matrix c on
// channel ch. rule may be nil (static synapses).
func (n *Network) Connect(name string, pre, post *Population, c *synapse.CSR, ch Channel, rule plasticity.Rule) (*Projection, error) {
	if n.built {
		return nil, fmt.Errorf("network: connect %q after Build", name)
	}
	if n.names[name] {
		return nil, fmt.Errorf("network: duplicate name %q", name)
	}
	if c.NPre != pre.n || c.NPost != post.n {
		return nil, fmt.Errorf("network: projection %q is %d×%d but populations are %d and %d", name, c.NPre, c.NPost, pre.n, post.n)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("network: projection %q: %w", name, err)
	}
	n.names[name] = true
	pr := &Projection{Name: name, Pre: pre, Post: post, Conn: c, Channel: ch, Rule: rule}
	if m, ok := rule.(plasticity.Modulated); ok {
		pr.mod = m
	}
	if l, ok := rule.(plasticity.Lazy); ok {
		pr.lazy = l
	}
	n.projs = append(n.projs, pr)
	return pr, nil
}

// Populations and Projections list the network's parts in insertion order.
func (n *Network) Populations() []*Population { return n.pops }
func (n *Network) Projections() []*Projection { return n.projs }

// Interval is the exchange interval in steps (valid after Build).
func (n *Network) Interval() int { return n.interval }

// Step is the index of the next step to be simulated.
func (n *Network) Step() uint64 { return n.step }

// Build freezes the structure and prepares workers workers (≥ 1).
func (n *Network) Build(workers int) error {
	if n.built {
		return fmt.Errorf("network: Build called twice")
	}
	if workers < 1 {
		return fmt.Errorf("network: %d workers, need at least 1", workers)
	}
	if n.Dt <= 0 {
		return fmt.Errorf("network: time step %g ms must be positive", n.Dt)
	}
	if n.MinNeuronsPerWorker > 0 {
		total := 0
		for _, p := range n.pops {
			total += p.n
		}
		workers = min(workers, max(1, total/n.MinNeuronsPerWorker))
	}
	n.workers = workers
	maxD, minD, plastic := 1, 1<<30, false
	for _, pr := range n.projs {
		if pr.Conn.Len() > 0 {
			maxD = max(maxD, pr.Conn.MaxDelay())
			minD = min(minD, pr.Conn.MinDelay())
		}
		if pr.Rule != nil {
			plastic = true
		}
	}
	if minD == 1<<30 || plastic {
		minD = 1
	}
	n.interval = minD
	n.plastic = plastic
	n.ring = maxD + minD
	for _, p := range n.pops {
		p.key = rng.Key(n.Seed, "population/"+p.Name)
		p.Model.Init(n.Dt, p.key)
		p.exc = make([]float32, n.ring*p.n)
		p.inh = make([]float32, n.ring*p.n)
		p.spk = make([][]uint8, n.interval)
		for k := range p.spk {
			p.spk[k] = make([]uint8, p.n)
		}
		p.own = split(p.n, workers)
		p.lists = make([][2][][]int32, workers)
		for w, s := range p.own {
			for par := range p.lists[w] {
				p.lists[w][par] = make([][]int32, n.interval)
				for k := range p.lists[w][par] {
					p.lists[w][par][k] = make([]int32, 0, s.hi-s.lo)
				}
			}
		}
		p.fused, _ = p.Model.(fusedModel)
		if p.Ext != nil && len(p.Ext) != p.n {
			return fmt.Errorf("network: population %q has %d external drives for %d neurons", p.Name, len(p.Ext), p.n)
		}
	}
	for _, pr := range n.projs {
		c := pr.Conn
		// The column index exists only for rules: a modulated rule's
		// SynapseStep reads cols.Pre, OnPost gets the presynaptic indices
		// from the row pointers (PreOf), so other rules need only cols.Syn
		// (4 instead of 8 bytes per synapse); static projections and lazy
		// rules (plasticity.Lazy) need none. Rules edit per-synapse
		// weights: a homogeneous matrix is expanded for them.
		pr.cols = nil
		switch {
		case pr.mod != nil:
			pr.cols = c.BuildColumns()
		case pr.Rule != nil && pr.lazy == nil:
			pr.cols = c.BuildColumnsSyn()
		}
		if pr.Rule != nil {
			c.Weights() // rules index W and Post: per-synapse weights, int32 targets
			c.Targets()
		}
		if pr.cols != nil && pr.cols.Pre == nil {
			maxCol := 0
			for j := 0; j < c.NPost; j++ {
				maxCol = max(maxCol, int(pr.cols.Ptr[j+1]-pr.cols.Ptr[j]))
			}
			pr.preBuf = make([][]int32, workers)
			for w := range pr.preBuf {
				pr.preBuf[w] = make([]int32, maxCol)
			}
		}
		pr.delay = 0
		if d := c.MinDelay(); c.Len() > 0 && d == c.MaxDelay() {
			pr.delay = d
		}
		pr.rowLo = make([][]int32, workers)
		pr.rowHi = make([][]int32, workers)
		for w, s := range pr.Post.own {
			if workers == 1 { // the whole rows: the row pointers themselves, no copy
				pr.rowLo[w], pr.rowHi[w] = c.RowPtr[:c.NPre], c.RowPtr[1:]
				continue
			}
			lo, hi := make([]int32, c.NPre), make([]int32, c.NPre)
			for r := 0; r < c.NPre; r++ {
				a, b := c.Row(r)
				lo[r] = int32(a + sort.Search(b-a, func(i int) bool { return c.Target(r, a+i) >= s.lo }))
				hi[r] = int32(a + sort.Search(b-a, func(i int) bool { return c.Target(r, a+i) >= s.hi }))
			}
			pr.rowLo[w], pr.rowHi[w] = lo, hi
		}
		if pr.Rule == nil && compactStatic {
			c.CompactTargets() // 2 bytes per target instead of 4; delivery reads either
		}
		if pr.Rule != nil {
			pr.Rule.Init(c, n.Dt)
		}
		if pr.lazy != nil {
			bounds := make([]int, workers+1)
			for w, s := range pr.Post.own {
				bounds[w], bounds[w+1] = s.lo, s.hi
			}
			pr.lazy.Shares(bounds)
		}
	}
	n.claimU, n.claimD = make([]claim, workers), make([]claim, workers)
	n.start = make([]chan int, workers)
	for w := 1; w < workers; w++ {
		n.start[w] = make(chan int)
		go n.work(w, n.start[w])
	}
	n.built = true
	return nil
}

// split divides n items into w contiguous shares differing by at most one.
func split(n, w int) []span {
	s := make([]span, w)
	for i := range s {
		s[i] = span{lo: i * n / w, hi: (i + 1) * n / w}
	}
	return s
}

// Workers is the number of workers Build used (see MinNeuronsPerWorker).
func (n *Network) Workers() int { return n.workers }

// Close stops the worker goroutines. The network cannot run afterwards.
func (n *Network) Close() {
	for w := 1; w < len(n.start); w++ {
		close(n.start[w])
	}
	n.start = nil
	n.built = false
}

// Run simulates at least steps steps, rounded up to whole exchange
// intervals, and returns the number simulated. probe, if not nil, is
// called after each interval once per substep k (global step index step)
// on the calling goroutine; Population.Spiked(k) then gives that step's
// spikes, and model state is as at the end of the interval.
func (n *Network) Run(steps int, probe func(step uint64, k int)) (int, error) {
	if !n.built {
		return 0, fmt.Errorf("network: Run before Build")
	}
	intervals := (steps + n.interval - 1) / n.interval
	n.probe = probe
	n.probed.Store(n.ivs) // the intervals of earlier Runs need no probe
	n.done.Add(n.workers - 1)
	for w := 1; w < n.workers; w++ {
		n.start[w] <- intervals
	}
	n.run(0, intervals)
	n.done.Wait()
	n.step += uint64(intervals * n.interval)
	n.ivs += int64(intervals)
	return intervals * n.interval, nil
}

// work is worker w's goroutine; it gets its channel as an argument (Close
// clears n.start, possibly before the goroutine first runs).
func (n *Network) work(w int, start chan int) {
	for iv := range start {
		n.run(w, iv)
		n.done.Done()
	}
}

// run runs intervals exchange intervals as worker w: pipelined without
// plasticity, else in two phases per interval.
func (n *Network) run(w, intervals int) {
	if n.plastic {
		n.loop(w, intervals)
	} else {
		n.pipeline(w, intervals)
	}
}

// pipeline runs intervals exchange intervals as worker w in a network
// without plasticity, with one wait per interval instead of loop's two.
// Share c's ring-buffer rows are filled only by the delivery of share c,
// so the work of share c in interval g is one unit: deliver share c's
// synapses of interval g−1, then update share c's neurons through interval
// g; and the units of interval g need only every update of g−1 (their
// spikes). Units are claimed like loop's shares (own share first). A fast
// worker cannot overrun the spike lists: a unit of g+1 needs every update
// of g, so every delivery of g−1, which read the lists of g+1's parity.
// The probe of g−1 runs on worker 0 once every update of g−1 is done,
// beside the deliveries, and each update of g waits for it (it reads spike
// flags and state). The deliveries of a Run's last interval end the Run
// (claimD[c] counts the deliveries of share c, so the next Run's first
// units know there is none pending).
func (n *Network) pipeline(w, intervals int) {
	if intervals == 0 {
		return
	}
	start := n.step
	C := int64(n.workers)
	g := n.ivs
	for i := 0; i < intervals; i++ {
		t0 := start + uint64(i*n.interval)
		par := int(t0/uint64(n.interval)) & 1
		g = n.ivs + int64(i)
		if C > 1 {
			spinUntil(&n.doneU, g*C)
		}
		if w == 0 && n.probe != nil && i > 0 {
			n.runProbe(t0-uint64(n.interval), par^1)
			n.probed.Store(g)
		}
		for j := range n.workers {
			if c := (w + j) % n.workers; n.claimU[c].take(g) {
				if d := &n.claimD[c].v; d.Load() == g-1 {
					n.deliver(c, t0-uint64(n.interval), par^1)
					d.Store(g)
					n.doneD.Add(1)
				}
				if n.probe != nil && C > 1 {
					spinUntil(&n.probed, g)
				}
				n.update(c, t0, par)
				n.doneU.Add(1)
			}
		}
	}
	// The last interval: its probe and deliveries.
	t0 := start + uint64((intervals-1)*n.interval)
	par := int(t0/uint64(n.interval)) & 1
	if C > 1 {
		spinUntil(&n.doneU, (g+1)*C)
	}
	if w == 0 && n.probe != nil {
		n.runProbe(t0, par)
		n.probed.Store(g + 1)
	}
	for j := range n.workers {
		if c := (w + j) % n.workers; n.claimD[c].take(g) {
			n.deliver(c, t0, par)
			n.doneD.Add(1)
		}
	}
	if C > 1 {
		spinUntil(&n.doneD, (g+1)*C)
	}
}

// loop runs intervals exchange intervals as worker w (with plasticity).
//
// The neurons of every population (and so the synapses onto them) are cut
// into as many shares as there are workers; a share's neurons are updated,
// and its synapses delivered, by one worker at a time, in the fixed order
// that makes results independent of the worker count. Shares are not tied to
// workers: in each phase of an interval (update, then delivery) worker w
// first claims share w, then any share still unclaimed (w+1, w+2, … in
// turn; a compare-and-swap on the share's claim counter), and a worker that
// finds none left waits until all of them are finished. So on a shared
// machine, where one worker thread is often descheduled, the other does
// the whole interval instead of spinning at a barrier until it comes back
// (the profile of 2 workers on 2 busy vCPUs was 60 % barrier spinning);
// and on an idle one each worker keeps updating the same neurons and
// filling the same ring-buffer rows, which stay in its core's cache. (Handing
// shares to whichever worker asked first moved them between the cores every
// step: the CUBA kernel then took 5 times its 1-worker CPU time.)
//
// Delivery of interval g needs every spike of g (all update shares done);
// the update of g+1 needs every delivery of g (it reads and clears the ring
// slots they fill, and the rules read spike flags and weights across
// shares). The probe runs after the delivery phase (so it sees every weight
// change), and the next update waits for it. n.step is read only here,
// before any worker advances it (Run advances it at the end). Networks
// without plasticity use pipeline instead.
func (n *Network) loop(w, intervals int) {
	start := n.step
	C := int64(n.workers)
	for i := 0; i < intervals; i++ {
		t0 := start + uint64(i*n.interval)
		par := int(t0/uint64(n.interval)) & 1
		g := n.ivs + int64(i)
		if C > 1 {
			spinUntil(&n.doneD, g*C)
			if n.probe != nil {
				spinUntil(&n.probed, g)
			}
		}
		for j := range n.workers {
			if c := (w + j) % n.workers; n.claimU[c].take(g) {
				n.update(c, t0, par)
				n.doneU.Add(1)
			}
		}
		spinUntil(&n.doneU, (g+1)*C)
		for j := range n.workers {
			if c := (w + j) % n.workers; n.claimD[c].take(g) {
				n.deliver(c, t0, par)
				n.doneD.Add(1)
			}
		}
		if n.probe != nil {
			spinUntil(&n.doneD, (g+1)*C)
			if w == 0 {
				n.runProbe(t0, par)
				n.probed.Store(g + 1)
			}
		}
	}
}

// spinUntil waits until v reaches target, spinning, then yielding the
// processor to other goroutines (more workers than GOMAXPROCS).
func spinUntil(v *atomic.Int64, target int64) {
	for i := 0; v.Load() < target; i++ {
		if i > 100 {
			runtime.Gosched()
		}
	}
}

// update advances share w of every population through one interval starting at t0.
// par is the interval's parity, which selects the spike lists to fill.
func (n *Network) update(w int, t0 uint64, par int) {
	for _, pr := range n.projs {
		if pr.Rule == nil {
			continue
		}
		// interval is 1 with plasticity: spk[0] still holds the previous step.
		s := pr.Pre.own[w]
		pr.Rule.AdvancePre(s.lo, s.hi, pr.Pre.spk[0])
		s = pr.Post.own[w]
		pr.Rule.AdvancePost(s.lo, s.hi, pr.Post.spk[0])
	}
	for k := 0; k < n.interval; k++ {
		t := t0 + uint64(k)
		slot := int(t % uint64(n.ring))
		for _, p := range n.pops {
			s := p.own[w]
			if s.lo == s.hi {
				continue
			}
			off := slot * p.n
			exc, inh := p.exc[off:off+p.n], p.inh[off:off+p.n]
			spk := p.spk[k]
			in := neuron.Input{Exc: exc, Inh: inh, Ext: p.Ext}
			list := &p.lists[w][par][k]
			if p.fused != nil {
				*list = p.fused.StepFused(s.lo, s.hi, t, in, spk, (*list)[:0])
				continue
			}
			p.Model.Step(s.lo, s.hi, t, in, spk)
			clear(exc[s.lo:s.hi])
			clear(inh[s.lo:s.hi])
			*list = appendSpiking((*list)[:0], spk, s.lo, s.hi)
		}
	}
}

// appendSpiking appends to list the indices i in [lo, hi) with spk[i] ≠ 0,
// in ascending order, skipping eight silent neurons at a time.
func appendSpiking(list []int32, spk []uint8, lo, hi int) []int32 {
	i := lo
	for ; i+8 <= hi; i += 8 {
		if binary.LittleEndian.Uint64(spk[i:i+8]) == 0 {
			continue
		}
		for j := i; j < i+8; j++ {
			if spk[j] != 0 {
				list = append(list, int32(j))
			}
		}
	}
	for ; i < hi; i++ {
		if spk[i] != 0 {
			list = append(list, int32(i))
		}
	}
	return list
}

// deliver adds every spike of the interval to the ring buffers of share w's
// neurons and runs the plasticity rules on the synapses onto them.
func (n *Network) deliver(w int, t0 uint64, par int) {
	R := uint64(n.ring)
	for _, pr := range n.projs {
		c, post := pr.Conn, pr.Post
		buf := post.exc
		if pr.Channel == Inh {
			buf = post.inh
		}
		lo, hi := pr.rowLo[w], pr.rowHi[w]
		if pr.lazy != nil {
			pr.lazy.CatchUp(c, w, lo, hi)
		}
		for k := 0; k < n.interval; k++ {
			t := t0 + uint64(k)
			base := int(t % R) // ring slot of step t; slot of arrival = base + delay (mod R)
			var row []float32
			if pr.delay > 0 {
				slot := base + pr.delay
				if slot >= int(R) {
					slot -= int(R)
				}
				row = buf[slot*post.n : (slot+1)*post.n]
			}
			for src := range pr.Pre.lists {
				for _, r := range pr.Pre.lists[src][par][k] {
					a, b := int(lo[r]), int(hi[r])
					if pr.lazy != nil && a < b {
						pr.lazy.Sync(c, int(r), a, b, w) // pending potentiation before the weights are read
					}
					switch {
					case c.Post != nil:
						addRow(c.Post, c, a, b, 0, row, buf, base, int(R), post.n)
					case c.Page == nil:
						addRow(c.Post16, c, a, b, 0, row, buf, base, int(R), post.n)
					default: // compact targets cut into pages of 65536 (synapse.CSR.CompactTargets)
						P := synapse.Pages(c.NPost)
						pg := c.Page[int(r)*(P-1) : int(r+1)*(P-1)]
						for p, s0 := 0, a; p < P && s0 < b; p++ {
							s1 := b
							if p < P-1 {
								s1 = min(b, int(pg[p]))
							}
							if s0 < s1 {
								addRow(c.Post16, c, s0, s1, p<<synapse.PageBits, row, buf, base, int(R), post.n)
								s0 = s1
							}
						}
					}
					if pr.Rule != nil && a < b {
						if pr.lazy != nil {
							pr.lazy.OnPreShare(c, int(r), a, b, w)
						} else {
							pr.Rule.OnPre(c, int(r), a, b)
						}
					}
				}
			}
			if pr.lazy != nil {
				for _, j := range post.lists[w][par][k] {
					pr.Rule.OnPost(c, int(j), nil, nil)
				}
			} else if pr.Rule != nil {
				for _, j := range post.lists[w][par][k] {
					p0, p1 := pr.cols.Ptr[j], pr.cols.Ptr[j+1]
					syn := pr.cols.Syn[p0:p1]
					var pre []int32
					if pr.cols.Pre != nil {
						pre = pr.cols.Pre[p0:p1]
					} else {
						pre = pr.preBuf[w][:len(syn)]
						c.PreOf(pre, syn)
					}
					pr.Rule.OnPost(c, int(j), syn, pre)
				}
			}
			if pr.mod != nil {
				s := post.own[w]
				pr.mod.SynapseStep(c, pr.cols, s.lo, s.hi)
			}
		}
	}
}

// addRow adds the weights of synapses a…b−1 of c, whose targets are base +
// post[s], to the ring buffer buf of n neurons: to row, the slot of the
// projection's common delay, when it is not nil, else to the slot base +
// delay of each synapse (ring of R slots; slot0 is the slot of the current
// step). Its instances for int32 and uint16 targets are the
// engine's innermost loops.
func addRow[T int32 | uint16](post []T, c *synapse.CSR, a, b, base int, row, buf []float32, slot0, R, n int) {
	ps := post[a:b]
	switch {
	case row != nil && c.W == nil:
		hw := c.HomW
		row = row[base:]
		for _, j := range ps {
			row[j] += hw
		}
	case row != nil:
		ws := c.W[a:b]
		ws = ws[:len(ps)]
		row = row[base:]
		for s, j := range ps {
			row[j] += ws[s]
		}
	case c.W == nil:
		hw := c.HomW
		ds := c.Delay[a:b]
		ds = ds[:len(ps)]
		for s, j := range ps {
			slot := slot0 + int(ds[s])
			if slot >= R {
				slot -= R
			}
			buf[slot*n+base+int(j)] += hw
		}
	default:
		ws, ds := c.W[a:b], c.Delay[a:b]
		ws, ds = ws[:len(ps)], ds[:len(ps)]
		for s, j := range ps {
			slot := slot0 + int(ds[s])
			if slot >= R {
				slot -= R
			}
			buf[slot*n+base+int(j)] += ws[s]
		}
	}
}

// Flush brings the weights of every projection whose rule updates lazily
// (plasticity.Flusher) up to date. Call it between Run calls before reading
// or saving weights.
func (n *Network) Flush() {
	for _, pr := range n.projs {
		if f, ok := pr.Rule.(plasticity.Flusher); ok {
			f.Flush()
		}
	}
}

// SynapseBytes is the memory the engine holds for the projection's
// synapses, bytes: the CSR (Conn.Bytes; no weight array for a homogeneous
// matrix), the column index that plasticity needs (none for static
// synapses and lazy rules; 4 bytes per synapse without, 8 with the
// presynaptic indices, plus 4 per postsynaptic neuron), each worker's row
// ranges (8 bytes per presynaptic neuron and worker beyond the first) and
// OnPost's scratch. A rule's own state is not included.
func (pr *Projection) SynapseBytes() int64 {
	b := pr.Conn.Bytes()
	if c := pr.cols; c != nil {
		b += 4 * int64(cap(c.Ptr)+cap(c.Syn)+cap(c.Pre))
	}
	if len(pr.rowLo) > 1 {
		for w := range pr.rowLo {
			b += 4 * int64(cap(pr.rowLo[w])+cap(pr.rowHi[w]))
		}
	}
	for _, p := range pr.preBuf {
		b += 4 * int64(cap(p))
	}
	return b
}
