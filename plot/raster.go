package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Raster draws a spike raster: one short vertical tick per spike at
// (times[i] ms, neuron ids[i]). All ticks form a single stroked path, so
// large rasters render quickly and the SVG stays one element. Above
// MaxRasterSpikes spikes, every k-th spike is drawn (k = ceil(n/Max)) and
// the title notes "showing m of n spikes". Spikes with non-finite times
// are skipped.
func Raster(times []float32, ids []int32, title string) (*Figure, error) {
	if len(times) != len(ids) {
		return nil, fmt.Errorf("%w: %d spike times but %d ids", ErrInput, len(times), len(ids))
	}
	f := newFigure(title, "time (ms)", "neuron")
	n := len(times)
	if n == 0 {
		f.Title.Text += " (no spikes)"
		return f, nil
	}
	stride := 1
	if n > MaxRasterSpikes {
		stride = (n + MaxRasterSpikes - 1) / MaxRasterSpikes
	}
	s := &spikeTicks{stride: stride, t: times, id: ids}
	s.xmin, s.ymin = math.Inf(1), math.Inf(1)
	s.xmax, s.ymax = math.Inf(-1), math.Inf(-1)
	for i := 0; i < n; i += stride {
		x, y := float64(times[i]), float64(ids[i])
		if !finite(x) {
			continue
		}
		s.xmin, s.xmax = min(s.xmin, x), max(s.xmax, x)
		s.ymin, s.ymax = min(s.ymin, y), max(s.ymax, y)
		s.count++
	}
	if s.count == 0 {
		f.Title.Text += " (no spikes)"
		return f, nil
	}
	s.ymin -= 0.5
	s.ymax += 0.5
	if s.xmax == s.xmin {
		s.xmin, s.xmax = s.xmin-0.5, s.xmax+0.5
	}
	f.Add(s)
	if stride > 1 {
		f.Title.Text += fmt.Sprintf(" (showing %d of %d spikes)", s.count, n)
	} else {
		f.Title.Text += fmt.Sprintf("  %d spikes", s.count)
	}
	return f, nil
}

// spikeTicks is a plot.Plotter drawing raster ticks as one path.
type spikeTicks struct {
	t                      []float32
	id                     []int32
	stride, count          int
	xmin, xmax, ymin, ymax float64
}

func (s *spikeTicks) DataRange() (xmin, xmax, ymin, ymax float64) {
	return s.xmin, s.xmax, s.ymin, s.ymax
}

func (s *spikeTicks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	// Tick height: the height of one neuron row, clamped to [0.5, 4] pt.
	rows := s.ymax - s.ymin
	half := (c.Max.Y - c.Min.Y) / vg.Length(rows) * 0.4
	half = max(vg.Points(0.25), min(vg.Points(2), half))
	var path vg.Path
	for i := 0; i < len(s.t); i += s.stride {
		if !finite(float64(s.t[i])) {
			continue
		}
		x, y := trX(float64(s.t[i])), trY(float64(s.id[i]))
		path.Move(vg.Point{X: x, Y: y - half})
		path.Line(vg.Point{X: x, Y: y + half})
	}
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: vg.Points(0.6)})
	c.Stroke(path)
}
