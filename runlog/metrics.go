package runlog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
)

// Row is one metrics record: column name → value. Values may be any
// integer or float type, bool, string, or anything encoding/json accepts.
type Row = map[string]any

// Metrics appends rows to metrics.jsonl and metrics.csv.
//
// Each row is written to each file with a single unbuffered write, so a
// killed process loses no row already logged (durability against power loss
// needs Sync or Close, which fsync).
//
// JSONL is the complete record: every row is one JSON object with all its
// keys (sorted); NaN and ±Inf become null.
//
// CSV rule: the columns are fixed by the first row ever logged to the file
// (its keys in sorted order), or read back from the header of an existing
// metrics.csv. A later row missing a column leaves that cell empty; keys
// not among the columns are left out of the CSV (they are still in the
// JSONL) and reported by Dropped. Floats are written with the shortest
// representation that round-trips ('g' format); NaN and ±Inf as NaN, +Inf,
// -Inf.
type Metrics struct {
	mu      sync.Mutex
	jsonl   *os.File
	csv     *os.File
	columns []string
	dropped map[string]bool
	closed  bool
}

// Metrics returns the run's metrics writer, opening (or reopening, for
// append) metrics.jsonl and metrics.csv on first use. Every call returns
// the same writer.
func (r *Run) Metrics() (*Metrics, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.metrics != nil {
		return r.metrics, nil
	}
	m, err := OpenMetrics(r.dir)
	if err != nil {
		return nil, err
	}
	r.metrics = m
	return m, nil
}

// OpenMetrics opens dir/metrics.jsonl and dir/metrics.csv for appending.
func OpenMetrics(dir string) (*Metrics, error) {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	j, err := os.OpenFile(filepath.Join(dir, "metrics.jsonl"), flags, 0o644)
	if err != nil {
		return nil, fmt.Errorf("runlog: %w", err)
	}
	csvPath := filepath.Join(dir, "metrics.csv")
	cols, err := readCSVHeader(csvPath)
	if err != nil {
		j.Close()
		return nil, err
	}
	c, err := os.OpenFile(csvPath, flags, 0o644)
	if err != nil {
		j.Close()
		return nil, fmt.Errorf("runlog: %w", err)
	}
	return &Metrics{jsonl: j, csv: c, columns: cols, dropped: map[string]bool{}}, nil
}

func readCSVHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runlog: %w", err)
	}
	defer f.Close()
	rec, err := csv.NewReader(f).Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runlog: reading %s header: %w", path, err)
	}
	return rec, nil
}

// Columns returns the CSV columns (nil before the first row).
func (m *Metrics) Columns() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.columns...)
}

// Dropped returns, sorted, the keys seen after the first row that are not
// CSV columns (present only in metrics.jsonl).
func (m *Metrics) Dropped() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var d []string
	for k := range m.dropped {
		d = append(d, k)
	}
	sort.Strings(d)
	return d
}

// Log appends one row to both files. An empty row is an error.
func (m *Metrics) Log(row Row) error {
	if len(row) == 0 {
		return fmt.Errorf("runlog: empty metrics row")
	}
	clean := make(map[string]any, len(row))
	for k, v := range row {
		clean[k] = jsonValue(v)
	}
	jb, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("runlog: encode metrics row: %w", err)
	}
	jb = append(jb, '\n')

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("runlog: metrics writer is closed")
	}
	var cb bytes.Buffer
	cw := csv.NewWriter(&cb)
	if m.columns == nil {
		for k := range row {
			m.columns = append(m.columns, k)
		}
		sort.Strings(m.columns)
		cw.Write(m.columns)
	}
	rec := make([]string, len(m.columns))
	known := make(map[string]bool, len(m.columns))
	for i, c := range m.columns {
		known[c] = true
		if v, ok := row[c]; ok {
			rec[i] = csvValue(v)
		}
	}
	for k := range row {
		if !known[k] {
			m.dropped[k] = true
		}
	}
	cw.Write(rec)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("runlog: %w", err)
	}
	if _, err := m.jsonl.Write(jb); err != nil {
		return fmt.Errorf("runlog: write metrics.jsonl: %w", err)
	}
	if _, err := m.csv.Write(cb.Bytes()); err != nil {
		return fmt.Errorf("runlog: write metrics.csv: %w", err)
	}
	return nil
}

// Sync fsyncs both files.
func (m *Metrics) Sync() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	err1 := m.jsonl.Sync()
	err2 := m.csv.Sync()
	if err1 != nil {
		return err1
	}
	return err2
}

// Close fsyncs and closes both files. Further Log calls fail.
func (m *Metrics) Close() error {
	if err := m.Sync(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	err1 := m.jsonl.Close()
	err2 := m.csv.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// Close closes the run's metrics writer, if one was opened.
func (r *Run) Close() error {
	r.mu.Lock()
	m := r.metrics
	r.mu.Unlock()
	if m == nil {
		return nil
	}
	return m.Close()
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		return finite(x)
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
		// Shortest float32 text, so 0.1f is logged as 0.1, not 0.10000000149.
		return json.Number(strconv.FormatFloat(float64(x), 'g', -1, 32))
	}
	return v
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return fmtFloat(x, 64)
	case float32:
		return fmtFloat(float64(x), 32)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.FormatInt(int64(x), 10)
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr:
		return fmt.Sprint(x)
	case fmt.Stringer:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func fmtFloat(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, bits)
}

// sanitizeMap replaces non-finite floats (which JSON cannot encode) by nil.
func sanitizeMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = jsonValue(v)
	}
	return out
}
