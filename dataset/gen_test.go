package dataset

import (
	"math"
	"slices"
	"testing"
)

// groupCount sums the spikes of channel group g (of size per) over steps [a, b).
func groupCount(s *Set, i, g, per, a, b int) int {
	x := s.Sample(i)
	n := 0
	for t := a; t < b; t++ {
		for _, v := range x[t*s.Dim+g*per : t*s.Dim+(g+1)*per] {
			n += int(v)
		}
	}
	return n
}

func shortCue() CueOptions {
	o := DefaultCueOptions()
	o.N, o.Seed, o.DelayMs = 200, 7, 100
	return o
}

func TestCueAccumulation(t *testing.T) {
	o := shortCue()
	s, err := CueAccumulation(o)
	if err != nil {
		t.Fatal(err)
	}
	if s.Steps != 7*150+100+150 || s.Dim != 40 || s.Classes != 2 || s.N != o.N {
		t.Fatalf("shape Steps=%d Dim=%d Classes=%d N=%d", s.Steps, s.Dim, s.Classes, s.N)
	}
	P := o.PerGroup
	var noise, recall int
	labels := [2]int{}
	for i := range s.N {
		// The label is the majority side, read back from the spikes of each cue window.
		right := 0
		for k := range o.Cues {
			a, b := o.CueWindow(k)
			l, r := groupCount(s, i, CueGroupLeft, P, a, b), groupCount(s, i, CueGroupRight, P, a, b)
			if (l == 0) == (r == 0) {
				t.Fatalf("sample %d cue %d: left %d right %d spikes, want exactly one side", i, k, l, r)
			}
			if r > 0 {
				right++
			}
		}
		if want := 2*right > o.Cues; want != (s.Y[i] == 1) {
			t.Fatalf("sample %d: %d right cues of %d, label %d", i, right, o.Cues, s.Y[i])
		}
		labels[s.Y[i]]++
		// Cue groups are silent outside cue windows, recall only in its window.
		for k := range o.Cues {
			_, b := o.CueWindow(k)
			if n := groupCount(s, i, CueGroupLeft, P, b, b+o.GapMs) + groupCount(s, i, CueGroupRight, P, b, b+o.GapMs); n != 0 {
				t.Fatalf("sample %d: %d cue spikes in gap %d", i, n, k)
			}
		}
		if n := groupCount(s, i, CueGroupRecall, P, 0, o.RecallStart()); n != 0 {
			t.Fatalf("sample %d: %d recall spikes before the recall window", i, n)
		}
		recall += groupCount(s, i, CueGroupRecall, P, o.RecallStart(), s.Steps)
		noise += groupCount(s, i, CueGroupNoise, P, 0, s.Steps)
	}
	// Rates: Poisson counts, mean n·p, check within 5 standard deviations.
	checkRate := func(name string, got int, trials int, hz float64) {
		p := hz / 1000
		mean, sd := float64(trials)*p, math.Sqrt(float64(trials)*p*(1-p))
		if math.Abs(float64(got)-mean) > 5*sd {
			t.Errorf("%s: %d spikes, want %.0f ± %.0f", name, got, mean, 5*sd)
		}
	}
	checkRate("background", noise, s.N*s.Steps*P, o.NoiseHz)
	checkRate("recall", recall, s.N*o.RecallMs*P, o.RecallHz)
	// Fair coins per cue: each label has probability 1/2.
	if d := math.Abs(float64(labels[1]) - float64(s.N)/2); d > 5*math.Sqrt(float64(s.N)/4) {
		t.Errorf("labels %v unbalanced", labels)
	}
}

func TestCueAccumulationInvalid(t *testing.T) {
	tests := []struct {
		name string
		edit func(*CueOptions)
	}{
		{"even cues", func(o *CueOptions) { o.Cues = 6 }},
		{"no recall", func(o *CueOptions) { o.RecallMs = 0 }},
		{"rate too high", func(o *CueOptions) { o.CueHz = 2000 }},
		{"negative N", func(o *CueOptions) { o.N = -1 }},
	}
	for _, tc := range tests {
		o := shortCue()
		tc.edit(&o)
		if _, err := CueAccumulation(o); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestDelayedXOR(t *testing.T) {
	tests := []struct{ bits int }{{1}, {2}, {3}}
	for _, tc := range tests {
		o := DefaultXOROptions()
		o.N, o.Seed, o.Bits = 300, 3, tc.bits
		s, err := DelayedXOR(o)
		if err != nil {
			t.Fatal(err)
		}
		P := o.PerGroup
		if s.Steps != tc.bits*150+50 || s.Dim != 3*P || s.Classes != 2 {
			t.Fatalf("bits=%d: Steps=%d Dim=%d", tc.bits, s.Steps, s.Dim)
		}
		ones := 0
		for i := range s.N {
			parity := 0
			for k := range o.Bits {
				a, b := o.PulseWindow(k)
				z, one := groupCount(s, i, XORGroupZero, P, a, b), groupCount(s, i, XORGroupOne, P, a, b)
				if (z == 0) == (one == 0) {
					t.Fatalf("bits=%d sample %d pulse %d: zero-group %d one-group %d spikes", tc.bits, i, k, z, one)
				}
				if one > 0 {
					parity ^= 1
				}
				if n := groupCount(s, i, XORGroupZero, P, b, b+o.DelayMs) + groupCount(s, i, XORGroupOne, P, b, b+o.DelayMs); n != 0 {
					t.Fatalf("spikes during delay %d", k)
				}
			}
			if int(s.Y[i]) != parity {
				t.Fatalf("bits=%d sample %d: parity %d, label %d", tc.bits, i, parity, s.Y[i])
			}
			if groupCount(s, i, XORGroupRecall, P, 0, s.Steps-o.RecallMs) != 0 || groupCount(s, i, XORGroupRecall, P, s.Steps-o.RecallMs, s.Steps) == 0 {
				t.Fatalf("sample %d: recall group outside / silent in its window", i)
			}
			ones += int(s.Y[i])
		}
		if d := math.Abs(float64(ones) - float64(s.N)/2); d > 5*math.Sqrt(float64(s.N)/4) {
			t.Errorf("bits=%d: %d of %d labels are 1", tc.bits, ones, s.N)
		}
	}
}

func TestMovingBars(t *testing.T) {
	o := DefaultBarsOptions()
	o.N, o.Seed, o.Height, o.Width, o.Steps = 40, 5, 8, 12, 10
	s, err := MovingBars(o)
	if err != nil {
		t.Fatal(err)
	}
	hw := o.Height * o.Width
	if s.Dim != 2*hw || s.Steps != o.Steps || s.Classes != 4 || s.Height != 8 || s.Width != 12 {
		t.Fatalf("shape Dim=%d Steps=%d", s.Dim, s.Steps)
	}
	seen := [4]bool{}
	for i := range s.N {
		class := int(s.Y[i])
		seen[class] = true
		dx, dy := o.BarVelocity(class)
		x := s.Sample(i)
		for p := range s.Dim {
			if x[p] != 0 {
				t.Fatalf("sample %d: event in frame 0", i)
			}
		}
		for tt := 1; tt+1 < s.Steps; tt++ {
			cur, next := x[tt*s.Dim:(tt+1)*s.Dim], x[(tt+1)*s.Dim:(tt+2)*s.Dim]
			nOn, nOff := 0, 0
			for py := range o.Height {
				for px := range o.Width {
					p := py*o.Width + px
					q := mod(py+dy, o.Height)*o.Width + mod(px+dx, o.Width)
					// Defining property: the event pattern of the next frame is
					// this frame's shifted by the class velocity.
					if cur[p] != next[q] || cur[hw+p] != next[hw+q] {
						t.Fatalf("sample %d class %d frame %d: events do not move by (%d,%d)", i, class, tt, dx, dy)
					}
					if cur[p] == 1 && cur[hw+p] == 1 {
						t.Fatalf("pixel with both ON and OFF events")
					}
					nOn += int(cur[p])
					nOff += int(cur[hw+p])
				}
			}
			// A 2-pixel bar moving 1 px/frame: one new line ON, one line OFF.
			line := o.Height
			if dy != 0 {
				line = o.Width
			}
			if nOn != line || nOff != line {
				t.Fatalf("sample %d frame %d: %d ON and %d OFF events, want %d each", i, tt, nOn, nOff, line)
			}
		}
	}
	if seen != [4]bool{true, true, true, true} {
		t.Errorf("classes seen %v", seen)
	}
}

func TestLoadGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the default-sized tasks")
	}
	tests := []struct {
		name         string
		steps, dim   int
		ntrain, ntes int
	}{
		{NameCueAccumulation, 2200, 40, DefaultCueGenTrain, DefaultCueGenTest},
		{NameDelayedXOR, 350, 30, DefaultGenTrain, DefaultGenTest},
		{NameMovingBars, 16, 512, DefaultGenTrain, DefaultGenTest},
	}
	for _, tc := range tests {
		tr, te, err := Load(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Steps != tc.steps || tr.Dim != tc.dim || tr.N != tc.ntrain || te.N != tc.ntes {
			t.Errorf("%s: Steps=%d Dim=%d N=%d/%d", tc.name, tr.Steps, tr.Dim, tr.N, te.N)
		}
		if slices.Equal(tr.Head(te.N).X, te.X) {
			t.Errorf("%s: test split repeats the training split", tc.name)
		}
	}
}

// TestGeneratedDeterministic checks that each generator gives the same Set
// for the same options and a different one for another seed.
func TestGeneratedDeterministic(t *testing.T) {
	gens := []struct {
		name string
		gen  func(seed uint64) (*Set, error)
	}{
		{NameCueAccumulation, func(seed uint64) (*Set, error) {
			o := shortCue()
			o.N, o.Seed = 8, seed
			return CueAccumulation(o)
		}},
		{NameDelayedXOR, func(seed uint64) (*Set, error) {
			o := DefaultXOROptions()
			o.N, o.Seed, o.NoiseHz = 20, seed, 5
			return DelayedXOR(o)
		}},
		{NameMovingBars, func(seed uint64) (*Set, error) {
			o := DefaultBarsOptions()
			o.N, o.Seed, o.NoiseProb = 20, seed, 0.01
			return MovingBars(o)
		}},
	}
	for _, g := range gens {
		a, errA := g.gen(11)
		b, errB := g.gen(11)
		c, errC := g.gen(12)
		if errA != nil || errB != nil || errC != nil {
			t.Fatalf("%s: %v %v %v", g.name, errA, errB, errC)
		}
		if !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) {
			t.Errorf("%s: same seed, different sets", g.name)
		}
		if slices.Equal(a.X, c.X) {
			t.Errorf("%s: seeds 11 and 12 gave the same set", g.name)
		}
		for _, v := range a.X {
			if v != 0 && v != 1 {
				t.Fatalf("%s: value %v is not a spike", g.name, v)
			}
		}
	}
}
