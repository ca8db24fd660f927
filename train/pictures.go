package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/flagship"
	"github.com/engram-lab/engram/plot"
)

// rasterSamples is the number of test samples whose spikes give the
// firing-rate histogram.
const rasterSamples = 20

// Pictures draws the run's pictures into dir (PNG and SVG each) and writes
// report.html; it returns the report's path. It reads the run's
// metrics.jsonl for the learning curves and simulates a few test samples
// for rasters and rates. enc (nil: none) is the run's encoder, whose kernels
// are drawn; test is then the encoded test set.
func Pictures(dir string, m *flagship.Model, enc *Encoder, test *dataset.Set) (string, error) {
	var sections []plot.Section
	save := func(f *plot.Figure, name string) error {
		return plot.Save(f, filepath.Join(dir, name))
	}

	// Learning curves.
	rows, err := readMetrics(filepath.Join(dir, "metrics.jsonl"))
	if err != nil {
		return "", err
	}
	var summary []plot.KV
	if len(rows) > 0 {
		var ep, tr, te []float64
		for _, r := range rows {
			ep = append(ep, r["epoch"])
			tr = append(tr, 100*r["train_accuracy"])
			te = append(te, 100*r["test_accuracy"])
		}
		f, err := plot.LearningCurves([]plot.Series{{Name: "train (during epoch)", X: ep, Y: tr}, {Name: "test", X: ep, Y: te}},
			"Accuracy", "epoch", "accuracy (%)")
		if err != nil {
			return "", err
		}
		if err := save(f, "learning_curves"); err != nil {
			return "", err
		}
		last := rows[len(rows)-1]
		summary = []plot.KV{
			{Key: "epochs", Value: int(last["epoch"])},
			{Key: "test accuracy (%)", Value: 100 * last["test_accuracy"]},
			{Key: "train accuracy during last epoch (%)", Value: 100 * last["train_accuracy"]},
			{Key: "samples/s (last epoch)", Value: last["samples_per_s"]},
			{Key: "peak RSS (MiB)", Value: last["peak_rss_bytes"] / (1 << 20)},
		}
		sections = append(sections, plot.Section{Heading: "Learning", Metrics: summary, Figures: []*plot.Figure{f}})
	}

	// Rasters of one test sample, per layer and readout.
	cfg := m.Config()
	K := len(cfg.Layers)
	var rasters []*plot.Figure
	if test != nil && test.N > 0 {
		rec, pred := m.Raster(test.Sample(0))
		for k, spikes := range rec {
			name := "layer " + strconv.Itoa(k+1)
			if k == K {
				name = "readout"
			}
			times, ids := make([]float32, len(spikes)), make([]int32, len(spikes))
			for i, s := range spikes {
				times[i], ids[i] = float32(s.T), s.ID
			}
			f, err := plot.Raster(times, ids, fmt.Sprintf("%s spikes, test sample 0 (label %d, predicted %d)", name, test.Y[0], pred))
			if err != nil {
				return "", err
			}
			if err := save(f, "raster_"+sanitize(name)); err != nil {
				return "", err
			}
			rasters = append(rasters, f)
		}
		// Per-neuron rates over a few samples.
		n := min(rasterSamples, test.N)
		var rates []float64
		var steps float64
		counts := make([][]float64, K)
		for k := range counts {
			counts[k] = make([]float64, cfg.Layers[k])
		}
		for i := 0; i < n; i++ {
			rec, _ := m.Raster(test.Sample(i))
			for k := 0; k < K; k++ {
				for _, s := range rec[k] {
					counts[k][s.ID]++
				}
			}
			steps += float64(m.SampleSteps(test.Sample(i)))
		}
		for k := range counts {
			for _, c := range counts[k] {
				rates = append(rates, c/steps*1000)
			}
		}
		f, err := plot.Histogram(rates, 40, fmt.Sprintf("Hidden firing rates over %d test samples", n), "rate (Hz)")
		if err != nil {
			return "", err
		}
		if err := save(f, "firing_rates"); err != nil {
			return "", err
		}
		sections = append(sections, plot.Section{Heading: "Activity", Text: "Spike rasters of the first test sample (each layer and the readout population) and the distribution of hidden-neuron firing rates.",
			Figures: append(rasters, f)})
	}

	// Readout receptive fields.
	if test != nil && test.Height > 0 && test.Width > 0 && test.Steps == 1 {
		rf := m.ReceptiveFields()
		flat := make([]float32, 0, len(rf)*test.Dim)
		for _, r := range rf {
			flat = append(flat, r...)
		}
		f, err := plot.WeightMaps(flat, len(rf), test.Height, test.Width, 5, "Readout receptive fields (input → layer 1 → class population)")
		if err != nil {
			return "", err
		}
		if err := save(f, "receptive_fields"); err != nil {
			return "", err
		}
		sections = append(sections, plot.Section{Heading: "Receptive fields", Figures: []*plot.Figure{f}})
	}

	// Encoder kernels.
	if enc != nil {
		w, k, side := enc.Kernels()
		f, err := plot.WeightMaps(w, k, side, side, 12, fmt.Sprintf("Encoder kernels (%s, learned without labels)", enc.cfg.Kind))
		if err != nil {
			return "", err
		}
		if err := save(f, "encoder_kernels"); err != nil {
			return "", err
		}
		sections = append(sections, plot.Section{Heading: "Encoder", Text: fmt.Sprintf("%d kernels of %d×%d pixels learned by the SoftHebb rule on the training images; the flagship's first layer receives their max-pooled triangle features (%d per image).", k, side, side, enc.layer.FeatureDim()),
			Figures: []*plot.Figure{f}})
	}

	// Connectivity.
	var conn []*plot.Figure
	for _, p := range m.Projections() {
		if p.Kind == "out" && p.Layer != K-1 && cfg.ReadoutDensity >= 1 {
			continue
		}
		d := make([]float32, p.NPre*p.NPost)
		for r := 0; r < p.NPre; r++ {
			for s := p.RowPtr[r]; s < p.RowPtr[r+1]; s++ {
				d[r*p.NPost+int(p.Post[s])] += p.W[s]
			}
		}
		title := fmt.Sprintf("%s projection, layer %d (%d×%d, %d synapses)", p.Kind, p.Layer+1, p.NPre, p.NPost, len(p.Post))
		f, err := plot.Matrix(d, p.NPre, p.NPost, title)
		if err != nil {
			return "", err
		}
		if err := save(f, fmt.Sprintf("connectivity_%s_layer%d", p.Kind, p.Layer+1)); err != nil {
			return "", err
		}
		conn = append(conn, f)
	}
	if len(conn) > 0 {
		sections = append(sections, plot.Section{Heading: "Connectivity", Text: "Weights of the block-recurrent, small-world long-range and readout projections (rows: presynaptic, columns: postsynaptic).", Figures: conn})
	}
	return plot.Report(dir, "engram run "+filepath.Base(dir), sections)
}

// readMetrics reads the numeric fields of each metrics.jsonl row.
func readMetrics(path string) ([]map[string]float64, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []map[string]float64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var raw map[string]any
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := map[string]float64{}
		for k, v := range raw {
			if x, ok := v.(float64); ok {
				row[k] = x
			}
		}
		rows = append(rows, row)
	}
	return rows, sc.Err()
}
