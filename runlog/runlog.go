// Package runlog manages run folders: one directory per run holding the
// resolved config, provenance (run.json), metrics and checkpoints.
//
// Layout of a run directory root/<name>-<YYYYMMDD-HHMMSS>[-k]:
//
//	config.toml    the resolved configuration (SaveConfig)
//	run.json       seed, command line, start time, Go/OS/CPU/VCS provenance (SaveInfo)
//	metrics.jsonl  one JSON object per logged row (Metrics)
//	metrics.csv    the same rows as CSV (Metrics)
//	checkpoints/   model checkpoints (CheckpointDir)
//
// The package never imports the engine.
package runlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
)

// TimeLayout is the UTC timestamp suffix of run directory names.
const TimeLayout = "20060102-150405"

// Run is one run directory. Its methods are safe for concurrent use.
type Run struct {
	dir   string
	start time.Time

	mu      sync.Mutex
	metrics *Metrics
}

// New creates a fresh run directory root/<name>-<UTC timestamp> (creating
// root if needed) and its checkpoints/ subdirectory. If that directory
// already exists (two runs in the same second) a suffix -2, -3, ... is added,
// so the directory is always new. name must be a single path element.
func New(root, name string) (*Run, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("runlog: invalid run name %q", name)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("runlog: %w", err)
	}
	start := time.Now()
	base := filepath.Join(root, name+"-"+start.UTC().Format(TimeLayout))
	dir := base
	for k := 2; ; k++ {
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) || k > 10000 {
			return nil, fmt.Errorf("runlog: %w", err)
		}
		dir = base + "-" + strconv.Itoa(k)
	}
	r := &Run{dir: dir, start: start}
	if err := os.Mkdir(r.CheckpointDir(), 0o755); err != nil {
		return nil, fmt.Errorf("runlog: %w", err)
	}
	return r, nil
}

// Dir returns the run directory.
func (r *Run) Dir() string { return r.dir }

// Start returns the time New created the run.
func (r *Run) Start() time.Time { return r.start }

// Path returns rel joined to the run directory. rel is cleaned as if rooted
// at the run directory, so "../x" or "/x" cannot escape it.
func (r *Run) Path(rel string) string {
	return filepath.Join(r.dir, filepath.FromSlash(filepath.Clean("/"+filepath.ToSlash(rel))))
}

// CheckpointDir returns the run's checkpoints/ directory (created by New).
func (r *Run) CheckpointDir() string { return filepath.Join(r.dir, "checkpoints") }

// SaveConfig writes v (a struct or map, as accepted by the BurntSushi TOML
// encoder) to config.toml, atomically. Note that TOML integers are signed
// 64-bit: a uint64 field above math.MaxInt64 (e.g. a large seed) is written
// but cannot be read back by TOML decoders; run.json keeps the exact seed.
func (r *Run) SaveConfig(v any) error {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(v); err != nil {
		return fmt.Errorf("runlog: encode config: %w", err)
	}
	return writeAtomic(r.Path("config.toml"), b.Bytes())
}

// Info is the content of run.json.
type Info struct {
	Seed        uint64         `json:"seed"`
	Command     []string       `json:"command"`
	Start       string         `json:"start"` // RFC 3339, UTC, nanoseconds
	Dir         string         `json:"dir"`
	GoVersion   string         `json:"go_version"`
	GOOS        string         `json:"goos"`
	GOARCH      string         `json:"goarch"`
	NumCPU      int            `json:"num_cpu"`
	GOMAXPROCS  int            `json:"gomaxprocs"`
	Hostname    string         `json:"hostname"`
	Module      string         `json:"module"`
	Version     string         `json:"module_version"`
	VCS         string         `json:"vcs"`
	Revision    string         `json:"vcs_revision"`
	Modified    string         `json:"vcs_modified"`
	VCSTime     string         `json:"vcs_time"`
	Extra       map[string]any `json:"extra,omitempty"`
	PeakRSS     int64          `json:"peak_rss_bytes_at_save"`
	WrittenUnix int64          `json:"written_unix"`
}

// SaveInfo writes run.json: the seed, os.Args, the start time, build and
// machine provenance (see BuildInfo) and caller-supplied extra values.
// It may be called again (e.g. at the end of a run) to overwrite it.
func (r *Run) SaveInfo(seed uint64, extra map[string]any) error {
	bi := BuildInfo()
	host, _ := os.Hostname()
	info := Info{
		Seed:        seed,
		Command:     os.Args,
		Start:       r.start.UTC().Format(time.RFC3339Nano),
		Dir:         r.dir,
		GoVersion:   bi["go_version"],
		GOOS:        runtime.GOOS,
		GOARCH:      runtime.GOARCH,
		NumCPU:      runtime.NumCPU(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		Hostname:    host,
		Module:      bi["module_path"],
		Version:     bi["module_version"],
		VCS:         bi["vcs"],
		Revision:    bi["vcs.revision"],
		Modified:    bi["vcs.modified"],
		VCSTime:     bi["vcs.time"],
		Extra:       sanitizeMap(extra),
		PeakRSS:     PeakRSS(),
		WrittenUnix: time.Now().Unix(),
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("runlog: encode run.json: %w", err)
	}
	return writeAtomic(r.Path("run.json"), append(b, '\n'))
}

// Unknown is the value BuildInfo reports for absent fields.
const Unknown = "unknown"

// BuildInfo returns build provenance from runtime/debug.ReadBuildInfo:
// keys go_version, module_path, module_version, vcs, vcs.revision,
// vcs.time, vcs.modified (each "unknown" when absent, e.g. under
// -buildvcs=false or in tests), plus goos, goarch and num_cpu.
func BuildInfo() map[string]string {
	m := map[string]string{
		"go_version":     runtime.Version(),
		"goos":           runtime.GOOS,
		"goarch":         runtime.GOARCH,
		"num_cpu":        strconv.Itoa(runtime.NumCPU()),
		"module_path":    Unknown,
		"module_version": Unknown,
		"vcs":            Unknown,
		"vcs.revision":   Unknown,
		"vcs.time":       Unknown,
		"vcs.modified":   Unknown,
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return m
	}
	if bi.GoVersion != "" {
		m["go_version"] = bi.GoVersion
	}
	if bi.Main.Path != "" {
		m["module_path"] = bi.Main.Path
	}
	if bi.Main.Version != "" {
		m["module_version"] = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs", "vcs.revision", "vcs.time", "vcs.modified":
			if s.Value != "" {
				m[s.Key] = s.Value
			}
		}
	}
	if m["vcs.revision"] == Unknown {
		// Built without VCS stamping (-buildvcs=false, go run in some
		// setups): record the working directory's checkout instead, under
		// its own key so the two are never confused.
		if rev, dirty, ok := worktreeRevision(); ok {
			m["worktree.revision"] = rev
			m["worktree.modified"] = strconv.FormatBool(dirty)
		}
	}
	return m
}

// worktreeRevision asks git for the checkout containing the working
// directory: HEAD's hash and whether tracked files differ from it.
func worktreeRevision() (rev string, dirty, ok bool) {
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "", false, false
	}
	st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output()
	if err != nil {
		return "", false, false
	}
	return strings.TrimSpace(string(out)), len(bytes.TrimSpace(st)) > 0, true
}

// Open reopens an existing run directory (to resume a run): it must hold
// config.toml. Metrics then append to the existing files.
func Open(dir string) (*Run, error) {
	if _, err := os.Stat(filepath.Join(dir, "config.toml")); err != nil {
		return nil, fmt.Errorf("runlog: %s is not a run folder: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "checkpoints"), 0o755); err != nil {
		return nil, fmt.Errorf("runlog: %w", err)
	}
	return &Run{dir: dir, start: time.Now()}, nil
}

// Summary is the machine-readable last line a CLI command prints under
// --json (see WriteJSONLine).
type Summary struct {
	Command      string            `json:"command"`
	OK           bool              `json:"ok"`
	Error        string            `json:"error,omitempty"`
	RunDir       string            `json:"run_dir,omitempty"`
	Seed         uint64            `json:"seed"`
	WallSeconds  float64           `json:"wall_seconds"`
	PeakRSSBytes int64             `json:"peak_rss_bytes"`
	Metrics      Floats            `json:"metrics,omitempty"`
	Artifacts    map[string]string `json:"artifacts,omitempty"` // role → file path
}

// Floats is a map of named values whose JSON encoding writes NaN and ±Inf
// as null (plain encoding/json refuses them).
type Floats map[string]float64

// MarshalJSON implements json.Marshaler.
func (f Floats) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(f))
	for k, v := range f {
		m[k] = finite(v)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// WriteJSONLine writes v as one line of compact JSON (no HTML escaping)
// followed by '\n', in a single Write call.
func WriteJSONLine(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode appends '\n'
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeAtomic writes data to path via a temp file, fsync and rename.
func writeAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("runlog: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("runlog: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("runlog: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("runlog: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("runlog: %w", err)
	}
	return nil
}
