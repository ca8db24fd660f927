// Package modelfile reads and writes engram model and checkpoint files.
//
// # Container format
//
// Files are plain safetensors (https://github.com/huggingface/safetensors),
// readable by any safetensors tool:
//
//	bytes [0,8)      N, the header length, uint64 little-endian
//	bytes [8,8+N)    JSON header: an object mapping tensor name to
//	                 {"dtype":"F32","shape":[d0,d1,...],"data_offsets":[begin,end]}
//	                 plus an optional "__metadata__" object of string→string;
//	                 padded with trailing spaces so that 8+N is a multiple of 8
//	bytes [8+N,EOF)  the data section: raw little-endian tensor bytes;
//	                 begin/end are byte offsets relative to its start
//
// The tensors must tile the data section exactly: sorted by begin they are
// contiguous, start at 0 and end at the end of the file, and each tensor's
// byte length equals product(shape) × dtype size (an empty shape is a scalar).
// Write lays tensors out in File.Tensors order; Decode returns them in
// data-offset order, so a round trip preserves order.
//
// # engram metadata and checksum
//
// engram files carry in __metadata__:
//
//	"format":  "engram"
//	"version": "1" (Version; a larger version is rejected with ErrVersion)
//	"kind":    e.g. "flagship-model", "checkpoint" (set by the caller)
//	"config":  JSON or TOML text of the resolved config (set by the caller)
//	"sha256":  lower-case hex SHA-256 digest, see below
//
// The digest covers the whole file except the digest itself and insignificant
// JSON layout, so neither the data nor any header field (names, dtypes, shapes,
// offsets, metadata) can be altered undetected. It is the SHA-256 of this
// byte stream, where u64(x) is x as 8 bytes little-endian and str(s) is
// u64(len(s)) followed by the bytes of s:
//
//	"engram-modelfile-v1\n"
//	u64(number of metadata entries other than "sha256")
//	for each such entry in bytewise key order: str(key) str(value)
//	u64(number of tensors)
//	for each tensor in bytewise name order:
//	    str(name) str(dtype) u64(len(shape)) u64(d) for each d in shape
//	    u64(begin) u64(end)
//	the data section bytes
//
// A canonical length-prefixed stream (rather than the raw header bytes) was
// chosen so that another implementation can verify a file without
// reproducing Go's JSON formatting, while every semantic header field is
// still covered.
//
// Read/ReadFrom/Decode accept only verified engram files. Foreign
// safetensors files (no engram metadata) are read with DecodeUnverified,
// which performs every structural check but no checksum.
//
// Malformed input always yields an error wrapping ErrFormat, ErrTruncated,
// ErrChecksum or ErrVersion, never a panic; allocations are bounded by the
// real input size, never by sizes claimed in the header.
package modelfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"sort"
	"strconv"
)

// Version is the engram metadata version written by this package and the
// newest one it reads.
const Version = 1

// MaxHeaderSize caps the JSON header length (bytes) accepted by readers, as
// in the reference safetensors implementation.
const MaxHeaderSize = 100 << 20

// Metadata keys managed by this package.
const (
	KeyFormat  = "format"
	KeyVersion = "version"
	KeyKind    = "kind"
	KeyConfig  = "config"
	KeySHA256  = "sha256"
	// FormatName is the value of the "format" key.
	FormatName = "engram"
)

// Sentinel errors; every error returned by a reader wraps exactly one of them
// (test with errors.Is).
var (
	ErrFormat    = errors.New("modelfile: malformed file")
	ErrTruncated = errors.New("modelfile: truncated file")
	ErrChecksum  = errors.New("modelfile: checksum mismatch")
	ErrVersion   = errors.New("modelfile: unsupported version (file written by a newer engram?)")
)

// DType is a safetensors element type name.
type DType string

// Supported element types (safetensors names).
const (
	Bool     DType = "BOOL"
	Uint8    DType = "U8"
	Int8     DType = "I8"
	Uint16   DType = "U16"
	Int16    DType = "I16"
	Float16  DType = "F16"
	BFloat16 DType = "BF16"
	Uint32   DType = "U32"
	Int32    DType = "I32"
	Float32  DType = "F32"
	Uint64   DType = "U64"
	Int64    DType = "I64"
	Float64  DType = "F64"
)

// Size returns the element size in bytes, or 0 for an unknown type.
func (d DType) Size() int {
	switch d {
	case Bool, Uint8, Int8:
		return 1
	case Uint16, Int16, Float16, BFloat16:
		return 2
	case Uint32, Int32, Float32:
		return 4
	case Uint64, Int64, Float64:
		return 8
	}
	return 0
}

// Tensor is one named array. Data holds the raw little-endian bytes, row
// major; len(Data) must be NumElements(Shape) × DType.Size().
// Tensors returned by Decode alias the decoded buffer.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// File is the content of a model file: metadata and tensors.
type File struct {
	Meta    map[string]string
	Tensors []Tensor
}

// Get returns the tensor with the given name.
func (f *File) Get(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// Add appends tensors and returns f, for chaining.
func (f *File) Add(ts ...Tensor) *File {
	f.Tensors = append(f.Tensors, ts...)
	return f
}

// Kind returns the "kind" metadata value ("" if absent).
func (f *File) Kind() string { return f.Meta[KeyKind] }

// NumElements returns the product of shape (1 for a scalar); -1 if a
// dimension is negative or the product overflows.
func NumElements(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return -1
		}
		if d != 0 && n > math.MaxInt/d {
			return -1
		}
		n *= d
	}
	return n
}

// ---- typed constructors and accessors ----

func newTensor(name string, dt DType, shape []int, n int) (Tensor, []byte) {
	if NumElements(shape) != n {
		panic(fmt.Sprintf("modelfile: tensor %q: shape %v does not hold %d elements", name, shape, n))
	}
	b := make([]byte, n*dt.Size())
	return Tensor{Name: name, DType: dt, Shape: append(make([]int, 0, len(shape)), shape...), Data: b}, b
}

// F32 builds a float32 tensor. It panics if shape does not match len(v)
// (a programming error).
func F32(name string, shape []int, v []float32) Tensor {
	t, b := newTensor(name, Float32, shape, len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return t
}

// F64 builds a float64 tensor (panics on a shape mismatch).
func F64(name string, shape []int, v []float64) Tensor {
	t, b := newTensor(name, Float64, shape, len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return t
}

// I32 builds an int32 tensor (panics on a shape mismatch).
func I32(name string, shape []int, v []int32) Tensor {
	t, b := newTensor(name, Int32, shape, len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return t
}

// I64 builds an int64 tensor (panics on a shape mismatch).
func I64(name string, shape []int, v []int64) Tensor {
	t, b := newTensor(name, Int64, shape, len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return t
}

// U16 builds a uint16 tensor (panics on a shape mismatch).
func U16(name string, shape []int, v []uint16) Tensor {
	t, b := newTensor(name, Uint16, shape, len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return t
}

// U8 builds a uint8 tensor (panics on a shape mismatch).
func U8(name string, shape []int, v []uint8) Tensor {
	t, b := newTensor(name, Uint8, shape, len(v))
	copy(b, v)
	return t
}

func (t Tensor) check(want DType) (int, error) {
	if t.DType != want {
		return 0, fmt.Errorf("%w: tensor %q is %s, not %s", ErrFormat, t.Name, t.DType, want)
	}
	n := NumElements(t.Shape)
	if n < 0 || n > len(t.Data) || len(t.Data) != n*want.Size() {
		return 0, fmt.Errorf("%w: tensor %q: %d bytes for shape %v", ErrFormat, t.Name, len(t.Data), t.Shape)
	}
	return n, nil
}

// Float32s decodes an F32 tensor.
func (t Tensor) Float32s() ([]float32, error) {
	n, err := t.check(Float32)
	if err != nil {
		return nil, err
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return v, nil
}

// Float64s decodes an F64 tensor.
func (t Tensor) Float64s() ([]float64, error) {
	n, err := t.check(Float64)
	if err != nil {
		return nil, err
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
	}
	return v, nil
}

// Int32s decodes an I32 tensor.
func (t Tensor) Int32s() ([]int32, error) {
	n, err := t.check(Int32)
	if err != nil {
		return nil, err
	}
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return v, nil
}

// Int64s decodes an I64 tensor.
func (t Tensor) Int64s() ([]int64, error) {
	n, err := t.check(Int64)
	if err != nil {
		return nil, err
	}
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(binary.LittleEndian.Uint64(t.Data[8*i:]))
	}
	return v, nil
}

// Uint16s decodes a U16 tensor.
func (t Tensor) Uint16s() ([]uint16, error) {
	n, err := t.check(Uint16)
	if err != nil {
		return nil, err
	}
	v := make([]uint16, n)
	for i := range v {
		v[i] = binary.LittleEndian.Uint16(t.Data[2*i:])
	}
	return v, nil
}

// Uint8s decodes a U8 tensor (a copy).
func (t Tensor) Uint8s() ([]uint8, error) {
	n, err := t.check(Uint8)
	if err != nil {
		return nil, err
	}
	return append([]uint8(nil), t.Data[:n]...), nil
}

// ---- encoding ----

// validate checks a File for writing: names, dtypes and data lengths.
func validate(f *File) error {
	seen := make(map[string]bool, len(f.Tensors))
	for _, t := range f.Tensors {
		if t.Name == "" || t.Name == "__metadata__" {
			return fmt.Errorf("%w: invalid tensor name %q", ErrFormat, t.Name)
		}
		if seen[t.Name] {
			return fmt.Errorf("%w: duplicate tensor name %q", ErrFormat, t.Name)
		}
		seen[t.Name] = true
		sz := t.DType.Size()
		if sz == 0 {
			return fmt.Errorf("%w: tensor %q: unknown dtype %q", ErrFormat, t.Name, t.DType)
		}
		n := NumElements(t.Shape)
		if n < 0 || n > math.MaxInt/sz || n*sz != len(t.Data) {
			return fmt.Errorf("%w: tensor %q: %d data bytes do not match shape %v of %s", ErrFormat, t.Name, len(t.Data), t.Shape, t.DType)
		}
	}
	return nil
}

type tensorInfo struct {
	name       string
	dtype      string
	shape      []int64
	begin, end uint64
}

func u64(h hash.Hash, x uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x)
	h.Write(b[:])
}

func str(h hash.Hash, s string) {
	u64(h, uint64(len(s)))
	io.WriteString(h, s)
}

// digestHeader starts the checksum stream (everything except the data).
func digestHeader(meta map[string]string, infos []tensorInfo) hash.Hash {
	h := sha256.New()
	io.WriteString(h, "engram-modelfile-v1\n")
	keys := make([]string, 0, len(meta))
	for k := range meta {
		if k != KeySHA256 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	u64(h, uint64(len(keys)))
	for _, k := range keys {
		str(h, k)
		str(h, meta[k])
	}
	sorted := append([]tensorInfo(nil), infos...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	u64(h, uint64(len(sorted)))
	for _, t := range sorted {
		str(h, t.name)
		str(h, t.dtype)
		u64(h, uint64(len(t.shape)))
		for _, d := range t.shape {
			u64(h, uint64(d))
		}
		u64(h, t.begin)
		u64(h, t.end)
	}
	return h
}

// prepare validates f and builds the header bytes (including padding and
// the 8-byte length prefix) with the engram metadata and checksum filled in.
func prepare(f *File) ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: nil File", ErrFormat)
	}
	if err := validate(f); err != nil {
		return nil, err
	}
	meta := make(map[string]string, len(f.Meta)+3)
	for k, v := range f.Meta {
		meta[k] = v
	}
	meta[KeyFormat] = FormatName
	meta[KeyVersion] = strconv.Itoa(Version)
	delete(meta, KeySHA256)

	infos := make([]tensorInfo, len(f.Tensors))
	var off uint64
	for i, t := range f.Tensors {
		sh := make([]int64, len(t.Shape))
		for j, d := range t.Shape {
			sh[j] = int64(d)
		}
		infos[i] = tensorInfo{t.Name, string(t.DType), sh, off, off + uint64(len(t.Data))}
		off += uint64(len(t.Data))
	}
	h := digestHeader(meta, infos)
	for _, t := range f.Tensors {
		h.Write(t.Data)
	}
	meta[KeySHA256] = hex.EncodeToString(h.Sum(nil))

	var hb bytes.Buffer
	hb.Write(make([]byte, 8))
	hb.WriteString(`{"__metadata__":`)
	mj, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	hb.Write(mj)
	for _, ti := range infos {
		hb.WriteByte(',')
		nj, err := json.Marshal(ti.name)
		if err != nil {
			return nil, err
		}
		hb.Write(nj)
		sj, _ := json.Marshal(ti.shape)
		fmt.Fprintf(&hb, `:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, ti.dtype, sj, ti.begin, ti.end)
	}
	hb.WriteByte('}')
	for hb.Len()%8 != 0 {
		hb.WriteByte(' ')
	}
	b := hb.Bytes()
	binary.LittleEndian.PutUint64(b[:8], uint64(len(b)-8))
	return b, nil
}

// Encode writes f to w in the format described in the package doc. It sets
// "format", "version" and "sha256" in the written metadata (f is not
// modified). It returns the number of bytes written.
func Encode(w io.Writer, f *File) (int64, error) {
	hdr, err := prepare(f)
	if err != nil {
		return 0, err
	}
	n, err := w.Write(hdr)
	total := int64(n)
	if err != nil {
		return total, err
	}
	for _, t := range f.Tensors {
		n, err = w.Write(t.Data)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Marshal returns the encoded bytes of f.
func Marshal(f *File) ([]byte, error) {
	var b bytes.Buffer
	if _, err := Encode(&b, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ---- decoding ----

// rawEntry is one tensor's header entry. Keys are matched exactly
// (encoding/json alone would accept "DType" for "dtype").
type rawEntry struct {
	DType       string
	Shape       []int64
	DataOffsets []uint64
}

func parseEntry(msg json.RawMessage) (rawEntry, error) {
	var fields map[string]json.RawMessage
	var e rawEntry
	if err := json.Unmarshal(msg, &fields); err != nil {
		return e, err
	}
	if len(fields) != 3 {
		return e, fmt.Errorf("want exactly dtype, shape and data_offsets, got %d keys", len(fields))
	}
	for k, v := range fields {
		var err error
		switch k {
		case "dtype":
			err = json.Unmarshal(v, &e.DType)
		case "shape":
			err = json.Unmarshal(v, &e.Shape)
		case "data_offsets":
			err = json.Unmarshal(v, &e.DataOffsets)
		default:
			return e, fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			return e, fmt.Errorf("%s: %v", k, err)
		}
	}
	if e.Shape == nil || e.DataOffsets == nil {
		return e, errors.New("shape and data_offsets must be arrays")
	}
	return e, nil
}

// parseHeader validates the JSON header against a data section of dataLen
// bytes and returns metadata and tensor layout (sorted by begin offset).
func parseHeader(hdr []byte, dataLen uint64) (map[string]string, []tensorInfo, error) {
	trimmed := bytes.TrimRight(hdr, " ")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, nil, fmt.Errorf("%w: header is not a JSON object", ErrFormat)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return nil, nil, fmt.Errorf("%w: header JSON: %v", ErrFormat, err)
	}
	meta := map[string]string{}
	infos := make([]tensorInfo, 0, len(raw))
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, fmt.Errorf("%w: __metadata__ must map strings to strings: %v", ErrFormat, err)
			}
			if meta == nil {
				meta = map[string]string{}
			}
			continue
		}
		if name == "" {
			return nil, nil, fmt.Errorf("%w: empty tensor name", ErrFormat)
		}
		e, err := parseEntry(msg)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: tensor %q: %v", ErrFormat, name, err)
		}
		dt := DType(e.DType)
		sz := uint64(dt.Size())
		if sz == 0 {
			return nil, nil, fmt.Errorf("%w: tensor %q: unknown dtype %q", ErrFormat, name, e.DType)
		}
		offs := e.DataOffsets
		if len(offs) != 2 || offs[0] > offs[1] || offs[1] > dataLen {
			return nil, nil, fmt.Errorf("%w: tensor %q: bad data_offsets %v for %d data bytes", ErrFormat, name, offs, dataLen)
		}
		// Element count, overflow-safe: bounded by the real data length.
		n := uint64(1)
		for _, d := range e.Shape {
			if d < 0 {
				return nil, nil, fmt.Errorf("%w: tensor %q: negative dimension", ErrFormat, name)
			}
			if d != 0 && n > dataLen/uint64(d) {
				n = math.MaxUint64 // too large for the file; reported below
				break
			}
			n *= uint64(d)
		}
		if n > dataLen/sz || n*sz != offs[1]-offs[0] {
			return nil, nil, fmt.Errorf("%w: tensor %q: shape %v of %s does not match %d bytes", ErrFormat, name, e.Shape, dt, offs[1]-offs[0])
		}
		infos = append(infos, tensorInfo{name, string(dt), e.Shape, offs[0], offs[1]})
	}
	sort.Slice(infos, func(i, j int) bool {
		if infos[i].begin != infos[j].begin {
			return infos[i].begin < infos[j].begin
		}
		return infos[i].end < infos[j].end
	})
	var pos uint64
	for _, t := range infos {
		if t.begin != pos {
			return nil, nil, fmt.Errorf("%w: tensor %q: data_offsets leave a gap or overlap at byte %d", ErrFormat, t.name, pos)
		}
		pos = t.end
	}
	if pos != dataLen {
		return nil, nil, fmt.Errorf("%w: tensors cover %d of %d data bytes", ErrFormat, pos, dataLen)
	}
	return meta, infos, nil
}

// headerLen validates the 8-byte prefix against the total input size.
func headerLen(prefix []byte, size int64) (int64, error) {
	if size < 8 || len(prefix) < 8 {
		return 0, fmt.Errorf("%w: %d bytes, need at least 8", ErrTruncated, size)
	}
	n := binary.LittleEndian.Uint64(prefix)
	if n > MaxHeaderSize {
		return 0, fmt.Errorf("%w: header length %d exceeds %d", ErrFormat, n, MaxHeaderSize)
	}
	if n < 2 {
		return 0, fmt.Errorf("%w: header length %d", ErrFormat, n)
	}
	if int64(n) > size-8 {
		return 0, fmt.Errorf("%w: header length %d but only %d bytes follow", ErrTruncated, n, size-8)
	}
	return int64(n), nil
}

func build(meta map[string]string, infos []tensorInfo, data []byte) *File {
	f := &File{Meta: meta, Tensors: make([]Tensor, len(infos))}
	for i, ti := range infos {
		sh := make([]int, len(ti.shape))
		for j, d := range ti.shape {
			sh[j] = int(d)
		}
		f.Tensors[i] = Tensor{Name: ti.name, DType: DType(ti.dtype), Shape: sh, Data: data[ti.begin:ti.end:ti.end]}
	}
	return f
}

// verify checks the engram metadata and checksum.
func verify(meta map[string]string, infos []tensorInfo, data []byte) error {
	if meta[KeyFormat] != FormatName {
		return fmt.Errorf("%w: not an engram file (metadata format %q); use DecodeUnverified for plain safetensors", ErrFormat, meta[KeyFormat])
	}
	v, err := strconv.Atoi(meta[KeyVersion])
	if err != nil || v < 1 {
		return fmt.Errorf("%w: bad version %q", ErrFormat, meta[KeyVersion])
	}
	if v > Version {
		return fmt.Errorf("%w: file version %d, this build reads up to %d", ErrVersion, v, Version)
	}
	want := meta[KeySHA256]
	if len(want) != 2*sha256.Size {
		return fmt.Errorf("%w: missing or malformed sha256 metadata", ErrChecksum)
	}
	h := digestHeader(meta, infos)
	h.Write(data)
	if hex.EncodeToString(h.Sum(nil)) != want { // exact lower-case text
		return fmt.Errorf("%w: file content does not match its sha256", ErrChecksum)
	}
	return nil
}

func decode(b []byte, check bool) (*File, error) {
	n, err := headerLen(b, int64(len(b)))
	if err != nil {
		return nil, err
	}
	data := b[8+n:]
	meta, infos, err := parseHeader(b[8:8+n], uint64(len(data)))
	if err != nil {
		return nil, err
	}
	if check {
		if err := verify(meta, infos, data); err != nil {
			return nil, err
		}
	}
	return build(meta, infos, data), nil
}

// Decode parses and verifies an engram file held in b. The returned tensors
// alias b.
func Decode(b []byte) (*File, error) { return decode(b, true) }

// DecodeUnverified parses any safetensors file with full structural
// validation but without requiring engram metadata or a checksum.
func DecodeUnverified(b []byte) (*File, error) { return decode(b, false) }

// ReadFrom reads and verifies an engram file of exactly size bytes from r.
// Memory grows with the bytes actually read, so a wrong size or a lying
// header cannot cause a huge allocation.
func ReadFrom(r io.Reader, size int64) (*File, error) { return readFrom(r, size, false) }

// readFrom preallocates buffers from size only when trusted (a stat size).
func readFrom(r io.Reader, size int64, trusted bool) (*File, error) {
	var prefix [8]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, fmt.Errorf("%w: reading header length: %v", ErrTruncated, err)
	}
	n, err := headerLen(prefix[:], size)
	if err != nil {
		return nil, err
	}
	hdr, err := readN(r, n, trusted)
	if err != nil {
		return nil, err
	}
	dataLen := size - 8 - n
	meta, infos, err := parseHeader(hdr, uint64(dataLen))
	if err != nil {
		return nil, err
	}
	data, err := readN(r, dataLen, trusted)
	if err != nil {
		return nil, err
	}
	var extra [1]byte
	if k, _ := r.Read(extra[:]); k != 0 {
		return nil, fmt.Errorf("%w: trailing bytes after %d", ErrFormat, size)
	}
	if err := verify(meta, infos, data); err != nil {
		return nil, err
	}
	return build(meta, infos, data), nil
}

func readN(r io.Reader, n int64, trusted bool) ([]byte, error) {
	var buf bytes.Buffer
	switch {
	case trusted:
		buf.Grow(int(n) + bytes.MinRead) // +MinRead: io.Copy probes for EOF
	case n < 1<<16:
		buf.Grow(int(n))
	default:
		buf.Grow(1 << 16)
	}
	k, err := io.Copy(&buf, io.LimitReader(r, n))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	if k != n {
		return nil, fmt.Errorf("%w: got %d of %d bytes", ErrTruncated, k, n)
	}
	return buf.Bytes(), nil
}
