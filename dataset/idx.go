package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// IDX magic numbers (LeCun, Cortes & Burges, "THE MNIST DATABASE of
// handwritten digits", file-format section): two zero bytes, the data type
// (0x08 = unsigned byte) and the number of dimensions.
const (
	IDXLabelMagic = 0x00000801 // unsigned bytes, 1 dimension (labels)
	IDXImageMagic = 0x00000803 // unsigned bytes, 3 dimensions (images)
)

// maxIDXBytes bounds the payload an idx file may declare (1 GiB), so a
// corrupt or hostile header cannot make the reader allocate without limit.
const maxIDXBytes = 1 << 30

// IDX is the content of one idx file of unsigned bytes.
type IDX struct {
	Magic uint32 // IDXLabelMagic or IDXImageMagic
	Dims  []int  // sizes, outermost first (N for labels; N, rows, cols for images)
	Data  []byte // row-major payload, len = product of Dims
}

// ReadIDX parses an idx stream, plain or gzip-compressed (detected from the
// gzip magic bytes 0x1f 0x8b). It accepts only the label (0x0801) and image
// (0x0803) magics, requires every dimension to be at least 1, and rejects
// truncated payloads and trailing data with an error; it never panics.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: bad gzip stream: %w", err)
		}
		defer zr.Close()
		return readIDXPlain(zr)
	}
	return readIDXPlain(br)
}

// ReadIDXFile reads an idx file (plain or gzip) from path.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// readIDXHeader reads and validates the magic and dimension sizes; want is
// the payload size they declare, in bytes.
func readIDXHeader(r io.Reader) (magic uint32, dims []int, want uint64, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, 0, fmt.Errorf("idx: truncated header (need 4-byte magic): %w", err)
	}
	magic = binary.BigEndian.Uint32(hdr[:])
	var ndim int
	switch magic {
	case IDXLabelMagic:
		ndim = 1
	case IDXImageMagic:
		ndim = 3
	default:
		return 0, nil, 0, fmt.Errorf("idx: bad magic %#08x (want %#08x labels or %#08x images)", magic, IDXLabelMagic, IDXImageMagic)
	}
	dimBuf := make([]byte, 4*ndim)
	if _, err := io.ReadFull(r, dimBuf); err != nil {
		return 0, nil, 0, fmt.Errorf("idx: truncated header (need %d dimension sizes): %w", ndim, err)
	}
	dims = make([]int, ndim)
	want = 1
	for i := range dims {
		d := binary.BigEndian.Uint32(dimBuf[4*i:])
		if d == 0 {
			return 0, nil, 0, fmt.Errorf("idx: dimension %d is zero", i)
		}
		want *= uint64(d)
		if want > maxIDXBytes {
			return 0, nil, 0, fmt.Errorf("idx: declared payload exceeds %d bytes", maxIDXBytes)
		}
		dims[i] = int(d)
	}
	return magic, dims, want, nil
}

func readIDXPlain(r io.Reader) (*IDX, error) {
	magic, dims, want, err := readIDXHeader(r)
	if err != nil {
		return nil, err
	}
	// ReadAll grows its buffer as data arrives, so a header that lies about
	// its size costs only what the stream really holds. Reading one byte
	// past the declared size detects trailing data; reading to EOF lets gzip
	// verify its checksum.
	data, err := io.ReadAll(io.LimitReader(r, int64(want)+1))
	if err != nil {
		return nil, fmt.Errorf("idx: reading payload: %w", err)
	}
	return checkPayload(magic, dims, want, data)
}

func checkPayload(magic uint32, dims []int, want uint64, data []byte) (*IDX, error) {
	switch {
	case uint64(len(data)) < want:
		return nil, fmt.Errorf("idx: truncated payload: dims %v need %d bytes, file has %d", dims, want, len(data))
	case uint64(len(data)) > want:
		return nil, fmt.Errorf("idx: trailing data after the %d-byte payload of dims %v", want, dims)
	}
	return &IDX{Magic: magic, Dims: dims, Data: data}, nil
}

// decodeIDXBytes parses an idx file already held in memory. A plain file's
// payload is not copied: the IDX's Data aliases b.
func decodeIDXBytes(b []byte) (*IDX, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		return ReadIDX(bytes.NewReader(b))
	}
	br := bytes.NewReader(b)
	magic, dims, want, err := readIDXHeader(br)
	if err != nil {
		return nil, err
	}
	return checkPayload(magic, dims, want, b[len(b)-br.Len():])
}
