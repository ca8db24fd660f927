package modelfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func sampleFile() *File {
	return &File{
		Meta: map[string]string{KeyKind: "checkpoint", KeyConfig: `{"seed":1}`},
		Tensors: []Tensor{
			F32("w", []int{2, 3}, []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -0.25}),
			I32("ids", []int{4}, []int32{0, -1, math.MaxInt32, math.MinInt32}),
			U8("mask", []int{3}, []uint8{0, 1, 255}),
		},
	}
}

func mustMarshal(t testing.TB, f *File) []byte {
	t.Helper()
	b, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTripEveryDType(t *testing.T) {
	raw := func(dt DType, shape []int, b []byte) Tensor { return Tensor{"raw_" + string(dt), dt, shape, b} }
	tests := []struct {
		name string
		t    Tensor
		get  func(Tensor) (any, error)
		want any
	}{
		{"f32", F32("a", []int{2, 2}, []float32{1, -2.5, float32(math.NaN()), 1e-38}), func(t Tensor) (any, error) { return t.Float32s() }, nil},
		{"f64", F64("b", []int{3}, []float64{math.Pi, -0, math.MaxFloat64}), func(t Tensor) (any, error) { return t.Float64s() }, []float64{math.Pi, -0, math.MaxFloat64}},
		{"i32", I32("c", []int{2}, []int32{math.MinInt32, 7}), func(t Tensor) (any, error) { return t.Int32s() }, []int32{math.MinInt32, 7}},
		{"i64", I64("d", []int{1, 2}, []int64{math.MinInt64, math.MaxInt64}), func(t Tensor) (any, error) { return t.Int64s() }, []int64{math.MinInt64, math.MaxInt64}},
		{"u16", U16("e", []int{3}, []uint16{0, 1, 65535}), func(t Tensor) (any, error) { return t.Uint16s() }, []uint16{0, 1, 65535}},
		{"u8", U8("f", []int{2}, []uint8{0, 255}), func(t Tensor) (any, error) { return t.Uint8s() }, []uint8{0, 255}},
		{"scalar", F32("s", []int{}, []float32{42}), func(t Tensor) (any, error) { return t.Float32s() }, []float32{42}},
		{"empty", F32("z", []int{0, 5}, nil), func(t Tensor) (any, error) { return t.Float32s() }, []float32{}},
	}
	for _, dt := range []DType{Bool, Int8, Int16, Float16, BFloat16, Uint32, Uint64} {
		b := make([]byte, 2*dt.Size())
		for i := range b {
			b[i] = byte(i*37 + 1)
		}
		tests = append(tests, struct {
			name string
			t    Tensor
			get  func(Tensor) (any, error)
			want any
		}{string(dt), raw(dt, []int{2}, b), func(t Tensor) (any, error) { return t.Data, nil }, b})
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &File{Meta: map[string]string{KeyKind: "test", "note": "ünïcode \"q\""}, Tensors: []Tensor{tc.t}}
			path := filepath.Join(dir, tc.name+".safetensors")
			if err := Write(path, in); err != nil {
				t.Fatal(err)
			}
			if len(in.Meta) != 2 {
				t.Fatalf("Write modified caller metadata: %v", in.Meta)
			}
			out, err := Read(path)
			if err != nil {
				t.Fatal(err)
			}
			if out.Meta[KeyKind] != "test" || out.Meta["note"] != in.Meta["note"] || out.Meta[KeyFormat] != FormatName || out.Meta[KeyVersion] != "1" || len(out.Meta[KeySHA256]) != 64 {
				t.Fatalf("metadata %v", out.Meta)
			}
			got, ok := out.Get(tc.t.Name)
			if !ok || got.DType != tc.t.DType || !reflect.DeepEqual(got.Shape, tc.t.Shape) || !bytes.Equal(got.Data, tc.t.Data) {
				t.Fatalf("tensor mismatch: %+v vs %+v", got, tc.t)
			}
			v, err := tc.get(got)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != nil && !reflect.DeepEqual(v, tc.want) {
				t.Fatalf("values %v, want %v", v, tc.want)
			}
			if tc.name == "f32" { // NaN: compare bits
				f := v.([]float32)
				if !math.IsNaN(float64(f[2])) || f[0] != 1 || f[1] != -2.5 || f[3] != 1e-38 {
					t.Fatalf("f32 values %v", f)
				}
			}
			// Decode of the same bytes agrees with Read.
			b, _ := os.ReadFile(path)
			if (8+binary.LittleEndian.Uint64(b))%8 != 0 {
				t.Fatalf("header not padded to 8 bytes")
			}
			d, err := Decode(b)
			if err != nil || !reflect.DeepEqual(d, out) {
				t.Fatalf("Decode differs from Read: %v", err)
			}
		})
	}
}

func TestOrderPreservedAndAccessorTypeCheck(t *testing.T) {
	f, err := Decode(mustMarshal(t, sampleFile()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range f.Tensors {
		names = append(names, x.Name)
	}
	if !reflect.DeepEqual(names, []string{"w", "ids", "mask"}) {
		t.Fatalf("order %v", names)
	}
	w, _ := f.Get("w")
	if _, err := w.Int32s(); !errors.Is(err, ErrFormat) {
		t.Fatalf("Int32s on F32: %v", err)
	}
	if _, ok := f.Get("nope"); ok {
		t.Fatal("Get of missing tensor succeeded")
	}
}

func TestWriteRejectsInvalid(t *testing.T) {
	tests := []struct {
		name string
		f    *File
	}{
		{"duplicate", &File{Tensors: []Tensor{F32("a", []int{1}, []float32{1}), F32("a", []int{1}, []float32{2})}}},
		{"empty name", &File{Tensors: []Tensor{F32("", []int{1}, []float32{1})}}},
		{"metadata name", &File{Tensors: []Tensor{F32("__metadata__", []int{1}, []float32{1})}}},
		{"short data", &File{Tensors: []Tensor{{"a", Float32, []int{2}, make([]byte, 7)}}}},
		{"unknown dtype", &File{Tensors: []Tensor{{"a", "F128", []int{1}, make([]byte, 16)}}}},
		{"negative dim", &File{Tensors: []Tensor{{"a", Uint8, []int{-1}, nil}}}},
	}
	if err := Write(filepath.Join(t.TempDir(), "nil"), nil); !errors.Is(err, ErrFormat) {
		t.Fatalf("nil File: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Marshal(tc.f); !errors.Is(err, ErrFormat) {
				t.Fatalf("got %v, want ErrFormat", err)
			}
			path := filepath.Join(t.TempDir(), "x")
			if err := Write(path, tc.f); err == nil {
				t.Fatal("Write accepted invalid file")
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatal("invalid Write created the file")
			}
		})
	}
}

func TestEveryBitFlipIsDetected(t *testing.T) {
	good := mustMarshal(t, sampleFile())
	for i := range good {
		for bit := 0; bit < 8; bit++ {
			b := append([]byte(nil), good...)
			b[i] ^= 1 << bit
			if _, err := Decode(b); err == nil {
				t.Fatalf("flip of byte %d bit %d (%q) not detected", i, bit, good[i])
			} else if !(errors.Is(err, ErrFormat) || errors.Is(err, ErrChecksum) || errors.Is(err, ErrTruncated) || errors.Is(err, ErrVersion)) {
				t.Fatalf("untyped error %v", err)
			}
			if _, err := ReadFrom(bytes.NewReader(b), int64(len(b))); err == nil {
				t.Fatalf("ReadFrom: flip of byte %d bit %d not detected", i, bit)
			}
		}
	}
}

func TestEveryTruncationIsDetected(t *testing.T) {
	good := mustMarshal(t, sampleFile())
	for n := 0; n < len(good); n++ {
		b := good[:n:n]
		_, err := Decode(b)
		if !(errors.Is(err, ErrTruncated) || errors.Is(err, ErrFormat)) {
			t.Fatalf("Decode of %d/%d bytes: %v", n, len(good), err)
		}
		_, err = ReadFrom(bytes.NewReader(b), int64(n))
		if !(errors.Is(err, ErrTruncated) || errors.Is(err, ErrFormat)) {
			t.Fatalf("ReadFrom of %d/%d bytes: %v", n, len(good), err)
		}
		// A reader that ends early while the caller claims the full size.
		_, err = ReadFrom(bytes.NewReader(b), int64(len(good)))
		if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrFormat) {
			t.Fatalf("ReadFrom short reader at %d: %v", n, err)
		}
	}
	// Extra trailing bytes are rejected too.
	if _, err := Decode(append(append([]byte(nil), good...), 0)); err == nil {
		t.Fatal("trailing byte accepted")
	}
}

// goldenPlain is a safetensors file built by hand, byte by byte, from the
// format description in the huggingface/safetensors README: 8-byte LE header
// length 0x88 = 136, the 136-byte JSON header (already a multiple of 8, so no
// padding), then tensor "a" (F32 [1, -2.5]) at [0,8) and scalar "b"
// (I32 7) at [8,12). It is the layout safetensors' own writer produces;
// the header keys are deliberately not in data order.
var goldenPlain = func() []byte {
	b := []byte{0x88, 0, 0, 0, 0, 0, 0, 0}
	b = append(b, `{"b":{"dtype":"I32","shape":[],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"note":"hi"}}`...)
	b = append(b, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0) // 1.0f, -2.5f
	b = append(b, 0x07, 0x00, 0x00, 0x00)                         // int32 7
	return b
}()

func TestGoldenPlainSafetensors(t *testing.T) {
	f, err := DecodeUnverified(goldenPlain)
	if err != nil {
		t.Fatal(err)
	}
	if f.Meta["note"] != "hi" || len(f.Tensors) != 2 || f.Tensors[0].Name != "a" || f.Tensors[1].Name != "b" {
		t.Fatalf("decoded %+v", f)
	}
	a, _ := f.Tensors[0].Float32s()
	b, _ := f.Tensors[1].Int32s()
	if !reflect.DeepEqual(a, []float32{1, -2.5}) || !reflect.DeepEqual(b, []int32{7}) || len(f.Tensors[1].Shape) != 0 {
		t.Fatalf("values %v %v", a, b)
	}
	// The verified reader refuses it: no engram metadata, no checksum.
	if _, err := Decode(goldenPlain); !errors.Is(err, ErrFormat) {
		t.Fatalf("Decode of foreign file: %v", err)
	}
}

// TestGoldenEngramChecksum recomputes the digest with an independent,
// literal transcription of the recipe in the package doc.
func TestGoldenEngramChecksum(t *testing.T) {
	data := []byte{0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0}
	var s bytes.Buffer
	u := func(x uint64) { binary.Write(&s, binary.LittleEndian, x) }
	st := func(x string) { u(uint64(len(x))); s.WriteString(x) }
	s.WriteString("engram-modelfile-v1\n")
	u(3)
	st("format")
	st("engram")
	st("kind")
	st("test")
	st("version")
	st("1")
	u(1)
	st("a")
	st("F32")
	u(1)
	u(2)
	u(0)
	u(8)
	s.Write(data)
	sum := sha256.Sum256(s.Bytes())
	hdr := `{"__metadata__":{"format":"engram","kind":"test","sha256":"` + hex.EncodeToString(sum[:]) + `","version":"1"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	for len(hdr)%8 != 0 {
		hdr += " "
	}
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(hdr)))
	file = append(append(file, hdr...), data...)

	f, err := Decode(file)
	if err != nil {
		t.Fatal(err)
	}
	// Our writer produces exactly these bytes.
	again := mustMarshal(t, &File{Meta: map[string]string{KeyKind: "test"}, Tensors: f.Tensors})
	if !bytes.Equal(again, file) {
		t.Fatalf("writer output differs from hand-built file:\n%q\n%q", again, file)
	}
}

// reseal rewrites the header of an encoded file with edit applied to its
// metadata and a valid checksum.
func reseal(t *testing.T, b []byte, edit func(map[string]string)) []byte {
	n := binary.LittleEndian.Uint64(b)
	meta, infos, err := parseHeader(b[8:8+n], uint64(len(b))-8-n)
	if err != nil {
		t.Fatal(err)
	}
	edit(meta)
	h := digestHeader(meta, infos)
	h.Write(b[8+n:])
	meta[KeySHA256] = hex.EncodeToString(h.Sum(nil))
	// Rebuild the header by hand (prepare would reset the version).
	var hb strings.Builder
	hb.WriteString(`{"__metadata__":{`)
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			hb.WriteByte(',')
		}
		hb.WriteString(`"` + k + `":"` + strings.ReplaceAll(meta[k], `"`, `\"`) + `"`)
	}
	hb.WriteString("}")
	for _, ti := range infos {
		hb.WriteString(`,"` + ti.name + `":{"dtype":"` + ti.dtype + `","shape":[`)
		for j, d := range ti.shape {
			if j > 0 {
				hb.WriteByte(',')
			}
			hb.WriteString(itoa(d))
		}
		hb.WriteString(`],"data_offsets":[` + itoa(int64(ti.begin)) + `,` + itoa(int64(ti.end)) + `]}`)
	}
	hb.WriteString("}")
	out := binary.LittleEndian.AppendUint64(nil, uint64(hb.Len()))
	return append(append(out, hb.String()...), b[8+n:]...)
}

func itoa(x int64) string { return strconv.FormatInt(x, 10) }

func TestMetadataRules(t *testing.T) {
	good := mustMarshal(t, sampleFile())
	tests := []struct {
		name string
		edit func(map[string]string)
		want error
	}{
		{"same", func(map[string]string) {}, nil},
		{"newer version", func(m map[string]string) { m[KeyVersion] = "2" }, ErrVersion},
		{"bad version", func(m map[string]string) { m[KeyVersion] = "x" }, ErrFormat},
		{"not engram", func(m map[string]string) { m[KeyFormat] = "other" }, ErrFormat},
		{"no format", func(m map[string]string) { delete(m, KeyFormat) }, ErrFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := reseal(t, good, tc.edit)
			_, err := Decode(b)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if _, err := DecodeUnverified(b); err != nil {
				t.Fatalf("structurally valid file rejected by DecodeUnverified: %v", err)
			}
		})
	}
	// A missing checksum is a checksum error.
	b := reseal(t, good, func(map[string]string) {})
	b = bytes.Replace(b, []byte(`"sha256":"`), []byte(`"sha257":"`), 1)
	if _, err := Decode(b); !errors.Is(err, ErrChecksum) {
		t.Fatalf("missing sha256: %v", err)
	}
}

func hostile(hdr string, data []byte, claimN uint64) []byte {
	b := binary.LittleEndian.AppendUint64(nil, claimN)
	return append(append(b, hdr...), data...)
}

func TestHostileHeadersFailCheaply(t *testing.T) {
	const h = `{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}`
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"huge header length", hostile(h, []byte{1, 2, 3, 4}, 1<<62), ErrFormat},
		{"header longer than file", hostile(h, []byte{1, 2, 3, 4}, 1<<20), ErrTruncated},
		{"huge shape", hostile(`{"a":{"dtype":"F64","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"shape overflowing int64", hostile(`{"a":{"dtype":"U8","shape":[99999999999999999999],"data_offsets":[0,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"huge offsets", hostile(`{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,18446744073709551615]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"overlap", hostile(`{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"gap", hostile(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"negative dim", hostile(`{"a":{"dtype":"U8","shape":[-4],"data_offsets":[0,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"unknown field", hostile(`{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4],"x":1}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"missing dtype", hostile(`{"a":{"shape":[4],"data_offsets":[0,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"non-string metadata", hostile(`{"__metadata__":{"k":1},"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}`, []byte{1, 2, 3, 4}, 0), ErrFormat},
		{"array header", hostile(`[1,2,3]`, nil, 0), ErrFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			if binary.LittleEndian.Uint64(b) == 0 {
				n := uint64(len(b) - 8 - 4)
				if tc.name == "array header" {
					n = uint64(len(b) - 8)
				}
				binary.LittleEndian.PutUint64(b, n)
			}
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			_, err := DecodeUnverified(b)
			_, err2 := ReadFrom(bytes.NewReader(b), 1<<40) // lying size
			runtime.ReadMemStats(&ms1)
			if !errors.Is(err, tc.want) {
				t.Fatalf("DecodeUnverified: %v, want %v", err, tc.want)
			}
			if err2 == nil {
				t.Fatal("ReadFrom with lying size succeeded")
			}
			if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 1<<20 {
				t.Fatalf("allocated %d bytes for a %d-byte input", d, len(b))
			}
		})
	}
}

func TestAtomicWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	if err := Write(path, sampleFile()); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)

	// A failure after the temp file is fully written: old file intact, no temp left.
	boom := errors.New("injected failure")
	var sawTemp bool
	testHookBeforeRename = func(tmp string) error {
		_, err := os.Stat(tmp)
		sawTemp = err == nil && filepath.Dir(tmp) == dir
		return boom
	}
	defer func() { testHookBeforeRename = nil }()
	next := sampleFile()
	next.Meta[KeyKind] = "changed"
	if err := Write(path, next); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	testHookBeforeRename = nil
	if !sawTemp {
		t.Fatal("temp file was not in the target directory")
	}
	now, _ := os.ReadFile(path)
	if !bytes.Equal(now, old) {
		t.Fatal("old file changed by a failed write")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("leftover files: %v", entries)
	}

	// Unwritable location: error, nothing created.
	if err := Write(filepath.Join(dir, "missing", "m.safetensors"), sampleFile()); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if err := Write(filepath.Join(ro, "m"), sampleFile()); err == nil {
			t.Fatal("write into a read-only directory succeeded")
		}
	}

	// A successful overwrite replaces the content and leaves no temp.
	if err := Write(path, next); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil || f.Kind() != "changed" {
		t.Fatalf("after overwrite: %v %v", f, err)
	}
	entries, _ = os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("leftover temp %s", e.Name())
		}
	}
	if _, err := Read(filepath.Join(dir, "nope")); err == nil {
		t.Fatal("Read of missing file succeeded")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(mustMarshal(f, sampleFile()))
	f.Add(mustMarshal(f, &File{}))
	f.Add(mustMarshal(f, &File{Tensors: []Tensor{F64("x", []int{}, []float64{1})}}))
	f.Add(goldenPlain)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, dec := range []func([]byte) (*File, error){Decode, DecodeUnverified} {
			g, err := dec(b)
			if err != nil {
				if !(errors.Is(err, ErrFormat) || errors.Is(err, ErrChecksum) || errors.Is(err, ErrTruncated) || errors.Is(err, ErrVersion)) {
					t.Fatalf("untyped error %v", err)
				}
				continue
			}
			// Anything accepted re-encodes to a file that decodes to the same tensors.
			re, err := Marshal(g)
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			h, err := Decode(re)
			if err != nil {
				t.Fatalf("decode of re-encoded: %v", err)
			}
			if len(h.Tensors) != len(g.Tensors) {
				t.Fatal("tensor count changed")
			}
			for i := range h.Tensors {
				if !reflect.DeepEqual(h.Tensors[i], g.Tensors[i]) && !(len(h.Tensors[i].Data) == 0 && len(g.Tensors[i].Data) == 0) {
					t.Fatalf("tensor %d changed", i)
				}
			}
		}
		_, _ = ReadFrom(bytes.NewReader(b), int64(len(b)))
		_, _ = ReadFrom(io.LimitReader(bytes.NewReader(b), 3), int64(len(b)))
	})
}
