package rate

import (
	"math"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
)

// TestDropout checks the drop fraction, the preserved mean, that Backward
// applies the same mask as Forward, and that evaluation is the identity.
func TestDropout(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    float32
	}{{"p0.2", 0.2}, {"p0.5", 0.5}} {
		t.Run(tc.name, func(t *testing.T) {
			const n, d = 200, 100
			x := make([]float32, n*d)
			for i := range x {
				x[i] = 1 + float32(i%7)
			}
			l := NewDropout(d, tc.p, rng.Named(1, "dropout"))
			y := l.Forward(x, n)
			dy := make([]float32, n*d)
			for i := range dy {
				dy[i] = 2
			}
			dx := l.Backward(dy)
			zeros := 0
			var sx, sy float64
			for i := range x {
				sx += float64(x[i])
				sy += float64(y[i])
				if y[i] == 0 {
					zeros++
					if dx[i] != 0 {
						t.Fatalf("dropped element %d has gradient %g", i, dx[i])
					}
					continue
				}
				want := 2 / (1 - tc.p)
				if math.Abs(float64(dx[i]-want)) > 1e-5 || math.Abs(float64(y[i]-x[i]/(1-tc.p))) > 1e-5 {
					t.Fatalf("kept element %d: y %g (x %g), dx %g want %g", i, y[i], x[i], dx[i], want)
				}
			}
			frac := float64(zeros) / float64(n*d)
			if math.Abs(frac-float64(tc.p)) > 0.02 {
				t.Errorf("dropped fraction %.3f, want %.2f", frac, tc.p)
			}
			if math.Abs(sy/sx-1) > 0.02 {
				t.Errorf("mean ratio %.4f, want 1", sy/sx)
			}
			l.Train = false
			e := l.Forward(x, n)
			for i := range x {
				if e[i] != x[i] {
					t.Fatalf("eval mode changed element %d: %g → %g", i, x[i], e[i])
				}
			}
			if g := l.Backward(dy); &g[0] != &dy[0] {
				t.Fatal("eval-mode Backward should pass dy through")
			}
		})
	}
}
