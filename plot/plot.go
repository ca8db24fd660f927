// Package plot draws engram's pictures with gonum/plot: learning curves,
// spike rasters, histograms, receptive-field grids and matrices, and a
// self-contained report.html.
//
// Every constructor reads plain slices (the package never imports the
// engine) and returns a *Figure: a gonum *plot.Plot plus its preferred size.
// Save writes it as both PNG (at DPI dots per inch) and SVG. Times are in
// milliseconds, as everywhere in engram.
package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of PNG output: a 6 in × 4 in figure is 576 × 384 px.
const DPI = 96

// Default figure size.
var (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch
)

// MaxRasterSpikes caps the spikes drawn by Raster; above it the spikes are
// thinned evenly and the title says so.
const MaxRasterSpikes = 200_000

// Figure is a plot with its preferred output size.
type Figure struct {
	*plot.Plot
	Width, Height vg.Length
}

func newFigure(title, xlabel, ylabel string) *Figure {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Title.TextStyle.Font.Size = vg.Points(13)
	return &Figure{Plot: p, Width: DefaultWidth, Height: DefaultHeight}
}

// ErrInput reports inconsistent arguments (mismatched lengths, bad sizes).
var ErrInput = errors.New("plot: invalid input")

// Save writes f as basePath+".png" and basePath+".svg" at f's size,
// creating the parent directory if needed.
func Save(f *Figure, basePath string) error {
	if err := os.MkdirAll(filepath.Dir(basePath), 0o755); err != nil {
		return err
	}
	for _, ext := range []string{"png", "svg"} {
		var b bytes.Buffer
		if err := encode(f, ext, &b); err != nil {
			return err
		}
		if err := os.WriteFile(basePath+"."+ext, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("plot: %w", err)
		}
	}
	return nil
}

// PNG renders f as PNG bytes.
func PNG(f *Figure) ([]byte, error) {
	var b bytes.Buffer
	err := encode(f, "png", &b)
	return b.Bytes(), err
}

// SVG renders f as SVG bytes.
func SVG(f *Figure) ([]byte, error) {
	var b bytes.Buffer
	err := encode(f, "svg", &b)
	return b.Bytes(), err
}

func encode(f *Figure, format string, w io.Writer) (err error) {
	defer func() { // gonum/plot panics on some degenerate inputs
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: rendering %q: %v", f.Title.Text, r)
		}
	}()
	wd, ht := f.Width, f.Height
	if wd <= 0 {
		wd = DefaultWidth
	}
	if ht <= 0 {
		ht = DefaultHeight
	}
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
		f.Draw(draw.New(c))
		_, err = vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	case "svg":
		c := vgsvg.New(wd, ht)
		f.Draw(draw.New(c))
		_, err = c.WriteTo(w)
	default:
		err = fmt.Errorf("%w: format %q", ErrInput, format)
	}
	return err
}

// Series is one named curve.
type Series struct {
	Name string
	X, Y []float64
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// LearningCurves draws one line with point markers per series (e.g.
// accuracy or loss against epoch or samples seen), in the given order, with
// a legend at the bottom right. Non-finite points are skipped. X and Y of a series must have
// equal length.
func LearningCurves(series []Series, title, xlabel, ylabel string) (*Figure, error) {
	f := newFigure(title, xlabel, ylabel)
	f.Add(plotter.NewGrid())
	// bottom right: rising curves (accuracy) leave it free
	f.Legend.Top = false
	drawn := false
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("%w: series %q has %d x and %d y values", ErrInput, s.Name, len(s.X), len(s.Y))
		}
		var xy plotter.XYs
		for j := range s.X {
			if finite(s.X[j]) && finite(s.Y[j]) {
				xy = append(xy, plotter.XY{X: s.X[j], Y: s.Y[j]})
			}
		}
		if len(xy) == 0 {
			continue
		}
		drawn = true
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, fmt.Errorf("plot: %w", err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		l.Dashes = plotutil.Dashes(i / 7)
		pts.Color = plotutil.Color(i)
		pts.Shape = plotutil.Shape(i)
		pts.Radius = vg.Points(2)
		f.Add(l, pts)
		if s.Name != "" {
			f.Legend.Add(s.Name, l, pts)
		}
	}
	if !drawn {
		f.Title.Text += " (no data)"
	}
	return f, nil
}

// Histogram draws the distribution of values in bins equal-width bins
// (bins <= 0 chooses ceil(sqrt(n)) clamped to [10, 100]). Non-finite values
// are dropped and counted in the title. The y axis is the count.
func Histogram(values []float64, bins int, title, xlabel string) (*Figure, error) {
	f := newFigure(title, xlabel, "count")
	var v []float64
	for _, x := range values {
		if finite(x) {
			v = append(v, x)
		}
	}
	if d := len(values) - len(v); d > 0 {
		f.Title.Text += fmt.Sprintf(" (%d non-finite dropped)", d)
	}
	if len(v) == 0 {
		f.Title.Text += " (no data)"
		return f, nil
	}
	if bins <= 0 {
		bins = int(math.Ceil(math.Sqrt(float64(len(v)))))
		bins = max(10, min(100, bins))
	}
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(bins)
	hb := make([]plotter.HistogramBin, bins)
	for i := range hb {
		hb[i].Min = lo + float64(i)*width
		hb[i].Max = lo + float64(i+1)*width
	}
	for _, x := range v {
		i := int((x - lo) / width)
		i = max(0, min(bins-1, i))
		hb[i].Weight++
	}
	h := &plotter.Histogram{Bins: hb, Width: width, FillColor: color.RGBA{R: 70, G: 110, B: 170, A: 255}, LineStyle: plotter.DefaultLineStyle}
	h.LineStyle.Width = vg.Points(0.5)
	h.LineStyle.Color = color.White
	f.Add(h)
	f.Title.Text += fmt.Sprintf("  n=%d", len(v))
	return f, nil
}
