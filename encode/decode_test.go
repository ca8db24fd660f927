package encode

import "testing"

var (
	_ Decoder = (*SpikeCount)(nil)
	_ Decoder = (*FirstSpike)(nil)
	_ Decoder = (*MaxMembrane)(nil)
	_ Encoder = Poisson{}
	_ Encoder = Latency{}
	_ Encoder = (*Delta)(nil)
)

// Rasters are steps × (3 classes × 2 neurons per class).
func TestSpikeCount(t *testing.T) {
	tests := []struct {
		name   string
		raster [][]uint8
		want   int
	}{
		{"silent", [][]uint8{{0, 0, 0, 0, 0, 0}}, -1},
		{"class 2", [][]uint8{{0, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 0, 1}}, 2},
		{"population sum", [][]uint8{{1, 0, 0, 1, 0, 0}, {1, 0, 1, 1, 1, 0}}, 1}, // 2 vs 3 vs 1
		{"tie → lowest", [][]uint8{{0, 0, 1, 0, 1, 0}, {0, 0, 0, 1, 0, 1}}, 1},
		{"late class 0 wins", [][]uint8{{0, 0, 0, 0, 1, 0}, {1, 1, 0, 0, 0, 0}}, 0},
	}
	d := NewSpikeCount(3, 2)
	for _, tc := range tests {
		d.Reset()
		for _, s := range tc.raster {
			d.Add(s)
		}
		if got := d.Decide(); got != tc.want {
			t.Errorf("%s: Decide = %d (counts %v), want %d", tc.name, got, d.Counts(), tc.want)
		}
	}
}

func TestFirstSpike(t *testing.T) {
	tests := []struct {
		name   string
		raster [][]uint8
		want   int
	}{
		{"silent", [][]uint8{{0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}}, -1},
		{"class 2 first", [][]uint8{{0, 0, 0, 0, 0, 1}, {1, 1, 1, 1, 0, 0}}, 2},
		{"first beats many", [][]uint8{{0, 0, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {1, 1, 0, 0, 1, 1}}, 1},
		{"tie → lowest", [][]uint8{{0, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 0}}, 1},
	}
	d := NewFirstSpike(3, 2)
	for _, tc := range tests {
		d.Reset()
		for step, s := range tc.raster {
			d.Add(s, step)
		}
		if got := d.Decide(); got != tc.want {
			t.Errorf("%s: Decide = %d (first %v), want %d", tc.name, got, d.FirstSteps(), tc.want)
		}
	}
}

func TestMaxMembrane(t *testing.T) {
	tests := []struct {
		name  string
		trace [][]float32
		want  int
	}{
		{"no input", nil, -1},
		{"peak in class 1", [][]float32{{-70, -65, -60, -50, -70, -70}, {-55, -70, -70, -70, -58, -70}}, 1},
		{"all negative, max not sum", [][]float32{{-80, -80, -81, -90, -79, -99}}, 2},
		{"tie → lowest", [][]float32{{-60, -70, -70, -60, -70, -70}}, 0},
		{"transient peak counts", [][]float32{{-70, -70, -70, -70, -40, -70}, {-50, -50, -50, -50, -90, -90}}, 2},
	}
	d := NewMaxMembrane(3, 2)
	for _, tc := range tests {
		d.Reset()
		for _, v := range tc.trace {
			d.Add(v)
		}
		if got := d.Decide(); got != tc.want {
			t.Errorf("%s: Decide = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestDecoderAllocs(t *testing.T) {
	const C, P = 10, 20
	spikes := make([]uint8, C*P)
	v := make([]float32, C*P)
	spikes[37], v[55] = 1, 3
	sc, fs, mm := NewSpikeCount(C, P), NewFirstSpike(C, P), NewMaxMembrane(C, P)
	step := 0
	a := testing.AllocsPerRun(100, func() {
		sc.Add(spikes)
		fs.Add(spikes, step)
		mm.Add(v)
		_, _, _ = sc.Decide(), fs.Decide(), mm.Decide()
		step++
	})
	if a != 0 {
		t.Errorf("%v allocs per step", a)
	}
	if sc.Decide() != 1 || fs.Decide() != 1 || mm.Decide() != 2 {
		t.Errorf("decisions %d %d %d, want 1 1 2", sc.Decide(), fs.Decide(), mm.Decide())
	}
}
