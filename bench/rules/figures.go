package rules

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/plot"
)

// FigureOptions sizes the classic-figure runs of Figures.
type FigureOptions struct {
	SongSeconds   int // simulated time of the weight-distribution runs, s (the bench rows: 1200)
	DistalSeconds int // simulated time of the distal-reward run, s (Izhikevich 2007: 3600)
	MSTHAfter     int // s followed after each homeostatic perturbation (the bench rows: 120)
	Seed          uint64
}

// DefaultFigureOptions returns the sizes of the bench rows.
func DefaultFigureOptions() FigureOptions {
	return FigureOptions{SongSeconds: 1200, DistalSeconds: 3600, MSTHAfter: 120, Seed: 1}
}

// STDPWindow returns the weight change Δw/w0 after one pre/post pairing at
// each lag (post − pre, ms), measured with the Pairing protocol (dt =
// 0.1 ms) on a fresh rule from mk with bounds wide enough not to bind.
func STDPWindow(mk func() plasticity.Rule, lags []float64) []float64 {
	dw := make([]float64, len(lags))
	for i, lag := range lags {
		dw[i] = float64(Pairing(mk(), 1, lag, 1))
	}
	return dw
}

// NamedFigure is a figure and the file name (without extension) it is saved
// under.
type NamedFigure struct {
	Name string
	*plot.Figure
}

// Figures reproduces the classic figures of the rules: the STDP windows
// (additive pair STDP of Song et al. 2000 / Bi & Poo 1998, the symmetric
// window of Hao et al. 2020, the triplet rule of Pfister & Gerstner 2006 at
// a single pairing), the weight histograms of additive (Song 2000) and
// multiplicative (van Rossum 2000) STDP under the same Poisson drive, the
// weight of the rewarded synapse over time in the distal-reward network
// (Izhikevich 2007, Fig. 1) and the population-rate recovery of each
// homeostatic controller after the three perturbations of
// MultiScalePerturbed. progress, if not nil, is told which figure is being
// computed.
func Figures(o FigureOptions, progress func(string)) ([]NamedFigure, error) {
	say := func(s string) {
		if progress != nil {
			progress(s)
		}
	}
	var out []NamedFigure
	add := func(name string, f *plot.Figure, err error) error {
		if err != nil {
			return fmt.Errorf("rules: figure %s: %w", name, err)
		}
		out = append(out, NamedFigure{name, f})
		return nil
	}

	// 1. STDP windows
	say("STDP windows")
	var lags []float64
	for l := -80.0; l <= 80; l += 2 {
		if l != 0 {
			lags = append(lags, l)
		}
	}
	wide := plasticity.Bounds{Min: -100, Max: 100}
	windows := []struct {
		name string
		mk   func() plasticity.Rule
	}{
		{"stdp (Song 2000)", func() plasticity.Rule { r := plasticity.NewSTDP(); r.W = wide; return r }},
		{"stdp-sym (Hao 2020)", func() plasticity.Rule { r := plasticity.NewSymSTDP(); r.W = wide; return r }},
		{"stdp-triplet (Pfister 2006)", func() plasticity.Rule { r := plasticity.NewTriplet(); r.W = wide; return r }},
	}
	var series []plot.Series
	for _, w := range windows {
		series = append(series, plot.Series{Name: w.name, X: lags, Y: STDPWindow(w.mk, lags)})
	}
	f, err := plot.LearningCurves(series, "STDP window: one pre/post pair, w0 = 1", "post − pre lag (ms)", "Δw / w0")
	if err := add("stdp-window", f, err); err != nil {
		return nil, err
	}

	// 2. weight distributions under Poisson drive
	for _, c := range []struct {
		name, title string
		r           plasticity.Rule
	}{
		{"weights-song", "additive STDP (Song 2000)", func() plasticity.Rule {
			r := plasticity.NewSTDP()
			r.APlus, r.AMinus = 0.01, 0.0105 // as the bench row
			return r
		}()},
		{"weights-vanrossum", "multiplicative STDP (van Rossum 2000)", plasticity.NewMultSTDP()},
	} {
		say("weight histogram " + c.name)
		var early []float64
		w, _ := SongDriveSnap(c.r, o.SongSeconds, o.Seed, func(s int, w []float32) {
			if s == 100 {
				early = float64s(w)
			}
		})
		f, err := plot.Histogram(float64s(w), 25,
			fmt.Sprintf("%s: 200 weights after %d s (all start at 0.5)", c.title, o.SongSeconds), "w / wmax")
		if err := add(c.name+"-after", f, err); err != nil {
			return nil, err
		}
		if early != nil {
			f, err := plot.Histogram(early, 25, c.title+": after 100 s (all start at 0.5)", "w / wmax")
			if err := add(c.name+"-100s", f, err); err != nil {
				return nil, err
			}
		}
	}

	// 3. distal reward
	say("distal reward (R-STDP)")
	cfg := DefaultDistal()
	cfg.Seconds = o.DistalSeconds
	cfg.Seed = o.Seed
	var ts, ws, means, p99 []float64
	cfg.Trace = func(s int, w, mean, q99 float32) {
		ts = append(ts, float64(s))
		ws, means, p99 = append(ws, float64(w)), append(means, float64(mean)), append(p99, float64(q99))
	}
	if _, err := Distal(cfg); err != nil {
		return nil, err
	}
	f, err = plot.LearningCurves([]plot.Series{
		{Name: "rewarded synapse", X: ts, Y: ws},
		{Name: "99th percentile of the others", X: ts, Y: p99},
		{Name: "mean of the others", X: ts, Y: means},
	}, "R-STDP, distal reward (Izhikevich 2007): weight over time", "time (s)", "weight (max 4)")
	if err := add("rstdp-distal", f, err); err != nil {
		return nil, err
	}

	// 4. homeostatic recovery
	for _, p := range []Perturbation{DriveUp50, GainX3, Silence20} {
		say("homeostatic recovery, " + p.String())
		var series []plot.Series
		multiScale(p, o.MSTHAfter, o.Seed, func(name string, rate []float64) {
			x := make([]float64, len(rate))
			for i := range x {
				x[i] = float64(i - 10)
			}
			series = append(series, plot.Series{Name: name, X: x, Y: clipRate(rate)})
		})
		f, err := plot.LearningCurves(series, "recovery after "+p.String()+" (target 10 Hz)",
			"time after the perturbation (s)", "population rate (Hz, 5 s average)")
		if err := add("msth-"+[...]string{"drive", "gain", "silence"}[p], f, err); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// clipRate limits rates to 60 Hz so that uncontrolled runs do not flatten
// the figure (the bench rows report the unclipped values).
func clipRate(r []float64) []float64 {
	out := make([]float64, len(r))
	for i, v := range r {
		out[i] = math.Min(v, 60)
	}
	return out
}

func float64s(w []float32) []float64 {
	out := make([]float64, len(w))
	for i, v := range w {
		out[i] = float64(v)
	}
	return out
}

// SaveFigures writes each figure as dir/NAME.png and dir/NAME.svg and
// returns the PNG paths.
func SaveFigures(figs []NamedFigure, dir string) ([]string, error) {
	var paths []string
	for _, f := range figs {
		base := filepath.Join(dir, f.Name)
		if err := plot.Save(f.Figure, base); err != nil {
			return paths, err
		}
		paths = append(paths, base+".png")
	}
	return paths, nil
}
