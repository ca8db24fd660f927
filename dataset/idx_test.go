package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idxBytes builds an idx file with the given magic, dims and payload.
func idxBytes(magic uint32, dims []uint32, payload []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(payload)
	return b.Bytes()
}

func gzipBytes(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadIDX(t *testing.T) {
	img := idxBytes(IDXImageMagic, []uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255})
	lab := idxBytes(IDXLabelMagic, []uint32{3}, []byte{7, 0, 9})
	tests := []struct {
		name    string
		in      []byte
		dims    []int
		data    []byte
		wantErr string
	}{
		{"images plain", img, []int{2, 2, 3}, img[16:], ""},
		{"images gzip", gzipBytes(t, img), []int{2, 2, 3}, img[16:], ""},
		{"labels plain", lab, []int{3}, lab[8:], ""},
		{"labels gzip", gzipBytes(t, lab), []int{3}, lab[8:], ""},
		{"empty", nil, nil, nil, "truncated header"},
		{"short magic", []byte{0, 0, 8}, nil, nil, "truncated header"},
		{"bad magic", idxBytes(0x0802, []uint32{3}, []byte{1, 2, 3}), nil, nil, "bad magic"},
		{"float type", idxBytes(0x0D01, []uint32{1}, []byte{1, 2, 3, 4}), nil, nil, "bad magic"},
		{"missing dims", idxBytes(IDXImageMagic, []uint32{2, 2}, nil), nil, nil, "truncated header"},
		{"zero dim", idxBytes(IDXImageMagic, []uint32{2, 0, 3}, nil), nil, nil, "dimension 1 is zero"},
		{"huge dims", idxBytes(IDXImageMagic, []uint32{1 << 31, 1 << 31, 2}, nil), nil, nil, "exceeds"},
		{"truncated payload", img[:len(img)-1], nil, nil, "truncated payload"},
		{"truncated gzip payload", gzipBytes(t, img[:len(img)-5]), nil, nil, "truncated payload"},
		{"cut gzip stream", gzipBytes(t, img)[:30], nil, nil, "unexpected EOF"},
		{"trailing data", append(append([]byte{}, lab...), 1), nil, nil, "trailing data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ReadIDX(bytes.NewReader(tc.in))
			if _, err2 := decodeIDXBytes(tc.in); (err == nil) != (err2 == nil) {
				t.Fatalf("ReadIDX err %v, in-memory decoder err %v", err, err2)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !equalInts(m.Dims, tc.dims) || !bytes.Equal(m.Data, tc.data) {
				t.Fatalf("got dims %v data %v, want %v %v", m.Dims, m.Data, tc.dims, tc.data)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzIDX(f *testing.F) {
	img := idxBytes(IDXImageMagic, []uint32{2, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 255})
	lab := idxBytes(IDXLabelMagic, []uint32{2}, []byte{3, 4})
	f.Add(img)
	f.Add(lab)
	f.Add(gzipBytes(f, img))
	f.Add(gzipBytes(f, lab))
	f.Add([]byte{0x1f, 0x8b})
	f.Add(img[:10])
	f.Add(idxBytes(IDXImageMagic, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ReadIDX(bytes.NewReader(in))
		m2, err2 := decodeIDXBytes(in)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("ReadIDX err %v, in-memory decoder err %v", err, err2)
		}
		if err != nil {
			return
		}
		if m.Magic != m2.Magic || !equalInts(m.Dims, m2.Dims) || !bytes.Equal(m.Data, m2.Data) {
			t.Fatal("ReadIDX and the in-memory decoder disagree")
		}
		want := 1
		for _, d := range m.Dims {
			if d < 1 {
				t.Fatalf("accepted dimension %d", d)
			}
			want *= d
		}
		if len(m.Data) != want {
			t.Fatalf("payload %d bytes, dims %v", len(m.Data), m.Dims)
		}
		if (m.Magic == IDXLabelMagic) != (len(m.Dims) == 1) || (m.Magic == IDXImageMagic) != (len(m.Dims) == 3) {
			t.Fatalf("magic %#x with %d dims", m.Magic, len(m.Dims))
		}
	})
}

// writeIDXDir writes a tiny MNIST-named folder: 3 train and 2 test images of
// 2×2 pixels. Files are gzipped when gz is true.
func writeIDXDir(t *testing.T, gz bool, trainLabels []byte) string {
	dir := t.TempDir()
	files := map[string][]byte{
		"train-images-idx3-ubyte": idxBytes(IDXImageMagic, []uint32{3, 2, 2}, []byte{0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}),
		"train-labels-idx1-ubyte": idxBytes(IDXLabelMagic, []uint32{uint32(len(trainLabels))}, trainLabels),
		"t10k-images-idx3-ubyte":  idxBytes(IDXImageMagic, []uint32{2, 2, 2}, []byte{9, 9, 9, 9, 0, 0, 0, 0}),
		"t10k-labels-idx1-ubyte":  idxBytes(IDXLabelMagic, []uint32{2}, []byte{1, 0}),
	}
	for name, b := range files {
		if gz {
			b, name = gzipBytes(t, b), name+".gz"
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadIDXDir(t *testing.T) {
	tests := []struct {
		name    string
		gz      bool
		labels  []byte
		wantErr string
	}{
		{"plain", false, []byte{2, 0, 1}, ""},
		{"gzip", true, []byte{2, 0, 1}, ""},
		{"label count mismatch", true, []byte{2, 0}, "3 images but 2 labels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeIDXDir(t, tc.gz, tc.labels)
			tr, te, err := Load(PrefixIDX + dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tr.N != 3 || te.N != 2 || tr.Dim != 4 || tr.Steps != 1 || tr.Height != 2 || tr.Width != 2 || tr.Classes != 3 {
				t.Fatalf("train shape %+v", *tr)
			}
			if got := tr.Sample(0); got[0] != 0 || got[1] != 1 || got[2] != 0.2 || got[3] != 0.4 {
				t.Fatalf("sample 0 = %v, want [0 1 0.2 0.4]", got)
			}
			if tr.Y[0] != 2 || te.Y[0] != 1 {
				t.Fatalf("labels %v %v", tr.Y, te.Y)
			}
		})
	}
	if _, _, err := Load(PrefixIDX + t.TempDir()); err == nil || !strings.Contains(err.Error(), "train-images-idx3-ubyte") {
		t.Fatalf("empty folder: err = %v", err)
	}
}
