package dataset

import (
	"fmt"

	"github.com/engram-lab/engram/internal/rng"
)

// BarsOptions configures MovingBars.
type BarsOptions struct {
	N         int     // number of samples
	Seed      uint64  // generator seed; the same options give the same Set
	Height    int     // grid height, pixels (default 16)
	Width     int     // grid width, pixels (default 16)
	Steps     int     // frames per sample, one time step each; frame 0 has no events (default 16)
	BarWidth  int     // bar thickness, pixels (default 2)
	Speed     int     // displacement per frame, pixels (default 1)
	NoiseProb float64 // probability of a spurious event per channel per frame (default 0)
}

// DefaultBarsOptions returns a 16×16 grid, 16 frames, a 2-pixel bar moving
// 1 pixel per frame, no noise; N = 1, Seed = 0.
func DefaultBarsOptions() BarsOptions {
	return BarsOptions{N: 1, Height: 16, Width: 16, Steps: 16, BarWidth: 2, Speed: 1}
}

// Direction classes of MovingBars (the label of a sample).
const (
	BarRight = 0 // vertical bar moving towards +x
	BarLeft  = 1 // vertical bar moving towards −x
	BarDown  = 2 // horizontal bar moving towards +y
	BarUp    = 3 // horizontal bar moving towards −y
)

// BarVelocity returns the per-frame displacement (dx, dy) of a class.
func (o BarsOptions) BarVelocity(class int) (dx, dy int) {
	switch class {
	case BarRight:
		return o.Speed, 0
	case BarLeft:
		return -o.Speed, 0
	case BarDown:
		return 0, o.Speed
	default:
		return 0, -o.Speed
	}
}

// MovingBars generates a synthetic event-camera task: a bright bar on a dark
// background crosses a Height×Width grid (wrapping around at the edges,
// random start phase) in one of four directions, the class. Each frame is
// encoded as temporal-contrast events, as a dynamic vision sensor would
// produce them (Lichtsteiner, Posch & Delbruck 2008, IEEE JSSC 43:566): an
// ON event where a pixel turned bright since the previous frame and an OFF
// event where it turned dark. Dim = 2·Height·Width: channel
// y·Width + x is the ON event of pixel (x, y) and Height·Width + y·Width + x
// its OFF event. Values are 0/1; Classes = 4; Height and Width are set.
func MovingBars(o BarsOptions) (*Set, error) {
	if o.N < 0 || o.Height < 1 || o.Width < 1 || o.Steps < 1 || o.BarWidth < 1 || o.Speed < 0 ||
		o.NoiseProb < 0 || o.NoiseProb > 1 {
		return nil, fmt.Errorf("dataset: moving bars: need N ≥ 0, Height, Width, Steps, BarWidth ≥ 1, Speed ≥ 0, NoiseProb in [0,1] (got %+v)", o)
	}
	hw := o.Height * o.Width
	dim := 2 * hw
	s := &Set{Name: NameMovingBars, X: make([]float32, o.N*o.Steps*dim), Y: make([]uint8, o.N),
		N: o.N, Steps: o.Steps, Dim: dim, Classes: 4, Height: o.Height, Width: o.Width}
	r := rng.Named(o.Seed, "dataset/"+NameMovingBars)
	prev := make([]bool, hw)
	cur := make([]bool, hw)
	for i := range o.N {
		class := r.IntN(4)
		s.Y[i] = uint8(class)
		dx, dy := o.BarVelocity(class)
		phase := r.IntN(max(o.Height, o.Width))
		x := s.Sample(i)
		for t := range o.Steps {
			for py := range o.Height {
				for px := range o.Width {
					var u, n int
					if dy == 0 { // vertical bar, moves along x
						u, n = px-phase-dx*t, o.Width
					} else {
						u, n = py-phase-dy*t, o.Height
					}
					cur[py*o.Width+px] = mod(u, n) < o.BarWidth
				}
			}
			if t > 0 {
				ev := x[t*dim : (t+1)*dim]
				for p := range hw {
					if cur[p] && !prev[p] {
						ev[p] = 1
					} else if !cur[p] && prev[p] {
						ev[hw+p] = 1
					}
				}
			}
			if o.NoiseProb > 0 {
				poissonRow(r, x[t*dim:(t+1)*dim], o.NoiseProb)
			}
			prev, cur = cur, prev
		}
	}
	return s, nil
}

func mod(a, n int) int {
	a %= n
	if a < 0 {
		a += n
	}
	return a
}
