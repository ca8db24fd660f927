package plot

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// checkSaved saves f and checks both files: the PNG decodes at the
// figure's size in pixels and is not blank, the SVG is well-formed XML
// with an <svg> root that contains the title text.
func checkSaved(t *testing.T, f *Figure, title string) image.Image {
	t.Helper()
	base := filepath.Join(t.TempDir(), "sub", "fig")
	if err := Save(f, base); err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := image.Decode(bytes.NewReader(pb))
	if err != nil || format != "png" {
		t.Fatalf("png decode: %v %s", err, format)
	}
	wantW, wantH := f.Width.Dots(DPI), f.Height.Dots(DPI)
	if b := img.Bounds(); math.Abs(float64(b.Dx())-wantW) > 1 || math.Abs(float64(b.Dy())-wantH) > 1 {
		t.Fatalf("png is %v, want %.0f×%.0f", b, wantW, wantH)
	}
	if nonWhite(img) < 100 {
		t.Fatal("png is blank")
	}
	sb, err := os.ReadFile(base + ".svg")
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(sb))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("svg root %q", root)
	}
	if title != "" && !bytes.Contains(sb, []byte(title)) {
		t.Fatalf("svg lacks title %q", title)
	}
	return img
}

func nonWhite(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bb < 0xf000 {
				n++
			}
		}
	}
	return n
}

// countColor counts pixels near c (each channel within 40).
func countColor(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	near := func(a uint32, b uint8) bool { return math.Abs(float64(a>>8)-float64(b)) < 40 }
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c.R) && near(g, c.G) && near(bl, c.B) {
				n++
			}
		}
	}
	return n
}

func TestLearningCurves(t *testing.T) {
	tests := []struct {
		name    string
		series  []Series
		wantErr bool
		inTitle string
	}{
		{"two series", []Series{{"train", []float64{1, 2, 3}, []float64{0.5, 0.7, 0.9}}, {"test", []float64{1, 2, 3}, []float64{0.4, math.NaN(), 0.8}}}, false, ""},
		{"empty", nil, false, "(no data)"},
		{"mismatch", []Series{{"x", []float64{1}, nil}}, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := LearningCurves(tc.series, "Accuracy", "epoch", "accuracy")
			if tc.wantErr {
				if !errors.Is(err, ErrInput) {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.Title.Text, tc.inTitle) || f.X.Label.Text != "epoch" || f.Y.Label.Text != "accuracy" {
				t.Fatalf("labels %q %q %q", f.Title.Text, f.X.Label.Text, f.Y.Label.Text)
			}
			checkSaved(t, f, "Accuracy")
		})
	}
}

func TestRaster(t *testing.T) {
	big := 300_000
	bt, bi := make([]float32, big), make([]int32, big)
	for i := range bt {
		bt[i] = float32(i) * 0.01
		bi[i] = int32(i % 500)
	}
	tests := []struct {
		name    string
		times   []float32
		ids     []int32
		inTitle string
		wantErr bool
	}{
		{"small", []float32{1, 2.5, 3, 10}, []int32{0, 3, 1, 3}, "4 spikes", false},
		{"one spike", []float32{5}, []int32{7}, "1 spikes", false},
		{"none", nil, nil, "(no spikes)", false},
		{"non-finite times skipped", []float32{float32(math.NaN()), 4, float32(math.Inf(1))}, []int32{1, 2, 3}, "1 spikes", false},
		{"only non-finite", []float32{float32(math.NaN())}, []int32{1}, "(no spikes)", false},
		{"big subsampled", bt, bi, "showing 150000 of 300000 spikes", false},
		{"mismatch", []float32{1}, nil, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Raster(tc.times, tc.ids, "Spikes")
			if tc.wantErr {
				if !errors.Is(err, ErrInput) {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.Title.Text, tc.inTitle) || f.X.Label.Text != "time (ms)" {
				t.Fatalf("title %q", f.Title.Text)
			}
			checkSaved(t, f, "Spikes")
		})
	}
}

func TestHistogram(t *testing.T) {
	tests := []struct {
		name    string
		values  []float64
		bins    int
		inTitle string
	}{
		{"rates", []float64{1, 2, 2, 3, 3, 3, 4, 4, 5, 20}, 5, "n=10"},
		{"auto bins with NaN", []float64{0.1, math.NaN(), 0.2, math.Inf(1), 0.3}, 0, "(2 non-finite dropped)"},
		{"constant", []float64{7, 7, 7}, 4, "n=3"},
		{"empty", nil, 10, "(no data)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Histogram(tc.values, tc.bins, "Rates", "rate (Hz)")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.Title.Text, tc.inTitle) || f.Y.Label.Text != "count" {
				t.Fatalf("title %q", f.Title.Text)
			}
			checkSaved(t, f, "Rates")
		})
	}
}

func TestWeightMaps(t *testing.T) {
	const n, h, w = 10, 8, 6
	pos := make([]float32, n*h*w)
	signed := make([]float32, n*h*w)
	for i := range pos {
		pos[i] = float32(i % (h * w))
		signed[i] = float32(i%(h*w)) - 24
	}
	tests := []struct {
		name      string
		w         []float32
		n, cols   int
		wantErr   bool
		wantRed   bool
		wantBlack bool
	}{
		{"positive grayscale", pos, n, 4, false, false, true},
		{"signed diverging", signed, n, 0, false, true, false},
		{"wrong length", pos[:10], n, 4, true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := WeightMaps(tc.w, tc.n, h, w, tc.cols, "Receptive fields")
			if tc.wantErr {
				if !errors.Is(err, ErrInput) {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			img := checkSaved(t, f, "Receptive fields")
			red := countColor(img, color.RGBA{R: 180, A: 255})
			black := countColor(img, color.RGBA{A: 255})
			if tc.wantRed != (red > 50) || tc.wantBlack && black < 50 {
				t.Fatalf("red px %d, black px %d", red, black)
			}
		})
	}
}

func TestMatrix(t *testing.T) {
	big := make([]float32, 1500*20)
	for i := range big {
		big[i] = float32(i % 7)
	}
	tests := []struct {
		name       string
		w          []float32
		rows, cols int
		wantErr    bool
		blue, red  bool
		label      string
	}{
		{"diverging", []float32{-1, 0, 0, 1}, 2, 2, false, true, true, "-1 … 1"},
		{"nonnegative", []float32{0, 1, 2, 3, 4, 5}, 2, 3, false, false, false, "0 … 5"},
		{"block averaged", big, 1500, 20, false, false, false, "block-averaged 2×1"},
		{"nan only", []float32{float32(math.NaN())}, 1, 1, false, false, false, ""},
		{"bad shape", []float32{1, 2, 3}, 2, 2, true, false, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Matrix(tc.w, tc.rows, tc.cols, "Connectivity")
			if tc.wantErr {
				if !errors.Is(err, ErrInput) {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.X.Label.Text, tc.label) {
				t.Fatalf("x label %q", f.X.Label.Text)
			}
			img := checkSaved(t, f, "Connectivity")
			blue := countColor(img, color.RGBA{B: 180, A: 255})
			red := countColor(img, color.RGBA{R: 180, A: 255})
			if tc.blue != (blue > 500) || tc.red != (red > 500) {
				t.Fatalf("blue px %d, red px %d", blue, red)
			}
		})
	}
}

func TestColourMaps(t *testing.T) {
	tests := []struct {
		got, want color.RGBA
	}{
		{diverging(-1), color.RGBA{0, 0, 180, 255}},
		{diverging(0), color.RGBA{255, 255, 255, 255}},
		{diverging(1), color.RGBA{180, 0, 0, 255}},
		{diverging(5), color.RGBA{180, 0, 0, 255}},
		{gray(0), color.RGBA{0, 0, 0, 255}},
		{gray(1), color.RGBA{255, 255, 255, 255}},
		{sequential(0), color.RGBA{255, 255, 255, 255}},
		{sequential(1), color.RGBA{20, 50, 120, 255}},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("case %d: %v, want %v", i, tc.got, tc.want)
		}
	}
}

func TestReportIsSelfContained(t *testing.T) {
	dir := t.TempDir()
	curve, _ := LearningCurves([]Series{{"train", []float64{1, 2}, []float64{0.5, 0.9}}}, "Accuracy", "epoch", "accuracy")
	hist, _ := Histogram([]float64{1, 2, 3}, 3, "Rates", "Hz")
	if err := Save(hist, filepath.Join(dir, "hist")); err != nil {
		t.Fatal(err)
	}
	path, err := Report(dir, "Run <42>", []Section{
		{Heading: "Results", Text: "a <script>alert(1)</script> test",
			Metrics: []KV{{"test_accuracy", 0.9731}, {"epochs", 3}, {"seed", uint64(7)}},
			Table:   &Table{Header: []string{"class", "acc"}, Rows: [][]string{{"0", "0.99"}}},
			Figures: []*Figure{curve}},
		{Heading: "Activity", Images: []string{filepath.Join(dir, "hist.png")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "report.html") {
		t.Fatalf("path %s", path)
	}
	b, _ := os.ReadFile(path)
	s := string(b)
	for _, want := range []string{"Run &lt;42&gt;", "test_accuracy", "0.9731", "epochs", ">3<", "Results", "Activity", "0.99", "&lt;script&gt;"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(s, "<script>") {
		t.Error("text not escaped")
	}
	if regexp.MustCompile(`(src|href)="(http|/|\.)`).MatchString(s) {
		t.Error("report references external resources")
	}
	imgs := regexp.MustCompile(`src="data:image/png;base64,([A-Za-z0-9+/=]+)"`).FindAllStringSubmatch(s, -1)
	if len(imgs) != 2 {
		t.Fatalf("%d inline images, want 2", len(imgs))
	}
	for _, m := range imgs {
		raw, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
			t.Fatalf("inline image: %v", err)
		}
	}
	if _, err := Report(dir, "x", []Section{{Images: []string{filepath.Join(dir, "missing.png")}}}); err == nil {
		t.Fatal("missing image accepted")
	}
}
