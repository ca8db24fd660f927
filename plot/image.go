package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// MaxMatrixSide caps the rows and columns drawn by Matrix; larger matrices
// are block-averaged down to at most this many pixels per side.
const MaxMatrixSide = 1024

// diverging maps v in [-1, 1] to blue (−) – white (0) – red (+).
func diverging(v float64) color.RGBA {
	v = max(-1, min(1, v))
	if math.IsNaN(v) {
		return color.RGBA{G: 200, A: 255}
	}
	if v >= 0 {
		k := uint8(255 * (1 - v))
		return color.RGBA{R: 255 - uint8(75*v), G: k, B: k, A: 255}
	}
	k := uint8(255 * (1 + v))
	return color.RGBA{R: k, G: k, B: 255 - uint8(-75*v), A: 255}
}

// sequential maps v in [0, 1] to white (0) – dark blue (1).
func sequential(v float64) color.RGBA {
	if math.IsNaN(v) {
		return color.RGBA{G: 200, A: 255}
	}
	v = max(0, min(1, v))
	return color.RGBA{R: uint8(255 - 235*v), G: uint8(255 - 205*v), B: uint8(255 - 135*v), A: 255}
}

// gray maps v in [0, 1] to black (0) – white (1).
func gray(v float64) color.RGBA {
	if math.IsNaN(v) {
		return color.RGBA{G: 200, A: 255}
	}
	k := uint8(255 * max(0, min(1, v)))
	return color.RGBA{k, k, k, 255}
}

// scaleFor returns an integer nearest-neighbour upscale factor so an image
// of side n pixels is drawn at roughly target pixels (≥ 1).
func scaleFor(n, target int) int { return max(1, target/max(1, n)) }

// imageFigure embeds img in a figure with data extents [0,xmax]×[0,ymax].
// The figure is 6 in wide, or wider (up to 16 in) for images wider than
// 6 in at DPI, so that large grids keep about one screen pixel per image pixel.
func imageFigure(img image.Image, title, xlabel, ylabel string, xmax, ymax float64, hideAxes bool) *Figure {
	f := newFigure(title, xlabel, ylabel)
	f.Add(plotter.NewImage(img, 0, 0, xmax, ymax))
	if hideAxes {
		f.HideAxes()
	}
	// Size the figure so cells are square: the data area is roughly the
	// figure minus margins for title and axes.
	aspect := ymax / xmax
	w := vg.Length(float64(img.Bounds().Dx())/DPI) * vg.Inch
	w = max(6*vg.Inch, min(16*vg.Inch, w))
	h := vg.Length(float64(w-vg.Inch)*aspect) + vg.Inch
	if h > 16*vg.Inch {
		h = 16 * vg.Inch
		w = vg.Length(float64(h-vg.Inch)/aspect) + vg.Inch
	}
	f.Width, f.Height = max(w, 3*vg.Inch), max(h, 2*vg.Inch)
	return f
}

// WeightMaps draws nImages receptive fields, each h×wd values stored row
// major and consecutively in w (len(w) must be nImages·h·wd), as a grid
// with cols tiles per row (cols <= 0 picks ceil(sqrt(nImages))). Each tile
// is scaled to its own range: grayscale black (min) to white (max) if all
// its values are ≥ 0, else diverging blue (−m) – white (0) – red (+m) with
// m its largest magnitude. Tiles are separated by a 1-pixel gray gap.
func WeightMaps(w []float32, nImages, h, wd, cols int, title string) (*Figure, error) {
	if nImages <= 0 || h <= 0 || wd <= 0 || len(w) != nImages*h*wd {
		return nil, fmt.Errorf("%w: %d weights for %d images of %d×%d", ErrInput, len(w), nImages, h, wd)
	}
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(nImages))))
	}
	cols = min(cols, nImages)
	rows := (nImages + cols - 1) / cols
	s := scaleFor(cols*(wd+1), 900)
	W, H := (cols*(wd+1)+1)*s, (rows*(h+1)+1)*s
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	bg := color.RGBA{128, 128, 128, 255}
	fill2(img, 0, 0, W, H, bg)
	for k := 0; k < nImages; k++ {
		tile := w[k*h*wd : (k+1)*h*wd]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range tile {
			if x := float64(v); finiteF(x) {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
		m := max(math.Abs(lo), math.Abs(hi))
		ox, oy := (k%cols)*(wd+1)+1, (k/cols)*(h+1)+1
		for r := 0; r < h; r++ {
			for c := 0; c < wd; c++ {
				v := float64(tile[r*wd+c])
				var col color.RGBA
				switch {
				case !finiteF(v):
					col = gray(math.NaN())
				case lo < 0:
					col = diverging(safeDiv(v, m))
				case hi > lo:
					col = gray((v - lo) / (hi - lo))
				default:
					col = gray(0.5)
				}
				fill(img, (ox+c)*s, (oy+r)*s, s, col)
			}
		}
	}
	f := imageFigure(img, fmt.Sprintf("%s  (%d maps %d×%d)", title, nImages, h, wd), "", "", float64(W), float64(H), true)
	return f, nil
}

// Matrix draws a rows×cols matrix (w row major, len rows·cols) as a heat
// map with row 0 at the bottom and column 0 at the left; cell (r, c)
// covers [c, c+1]×[r, r+1]. If any value is negative the colours are
// diverging, blue (−m) – white (0) – red (+m) with m the largest magnitude;
// otherwise white (0 or the minimum if larger) to dark blue (max). The
// colour range is given in the x-axis label. Sides above MaxMatrixSide are
// block-averaged. NaN cells are green.
func Matrix(w []float32, rows, cols int, title string) (*Figure, error) {
	if rows <= 0 || cols <= 0 || len(w) != rows*cols {
		return nil, fmt.Errorf("%w: %d values for a %d×%d matrix", ErrInput, len(w), rows, cols)
	}
	// Block-average down to at most MaxMatrixSide per side.
	br := (rows + MaxMatrixSide - 1) / MaxMatrixSide
	bc := (cols + MaxMatrixSide - 1) / MaxMatrixSide
	R, C := (rows+br-1)/br, (cols+bc-1)/bc
	val := make([]float64, R*C)
	cnt := make([]int, R*C)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			v := float64(w[r*cols+c])
			i := (r/br)*C + c/bc
			if finiteF(v) {
				val[i] += v
				cnt[i]++
			}
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range val {
		if cnt[i] == 0 {
			val[i] = math.NaN()
			continue
		}
		val[i] /= float64(cnt[i])
		lo, hi = min(lo, val[i]), max(hi, val[i])
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 0
	}
	m := max(math.Abs(lo), math.Abs(hi))
	sx, sy := scaleFor(C, 600), scaleFor(R, 600)
	img := image.NewRGBA(image.Rect(0, 0, C*sx, R*sy))
	for r := 0; r < R; r++ {
		for c := 0; c < C; c++ {
			v := val[r*C+c]
			var col color.RGBA
			switch {
			case lo < 0:
				col = diverging(safeDiv(v, m))
			case hi > 0:
				base := min(lo, 0)
				if lo > 0 && lo/hi > 0.5 { // narrow positive range: stretch it
					base = lo
				}
				col = sequential(safeDiv(v-base, hi-base))
			default:
				col = sequential(0)
			}
			if math.IsNaN(v) {
				col = gray(math.NaN())
			}
			// Image row 0 is the top; matrix row 0 is drawn at the bottom.
			fill2(img, c*sx, (R-1-r)*sy, sx, sy, col)
		}
	}
	xl := fmt.Sprintf("column   [colour range %.4g … %.4g]", lo, hi)
	if br > 1 || bc > 1 {
		xl += fmt.Sprintf(" (block-averaged %d×%d)", br, bc)
	}
	f := imageFigure(img, fmt.Sprintf("%s  (%d×%d)", title, rows, cols), xl, "row", float64(cols), float64(rows), false)
	return f, nil
}

func finiteF(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func fill(img *image.RGBA, x, y, s int, c color.RGBA) { fill2(img, x, y, s, s, c) }

func fill2(img *image.RGBA, x, y, sx, sy int, c color.RGBA) {
	for j := y; j < y+sy; j++ {
		for i := x; i < x+sx; i++ {
			img.SetRGBA(i, j, c)
		}
	}
}
