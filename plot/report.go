package plot

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"time"
)

// KV is one row of a section's key/value table. Value is formatted with
// %v, except floats with %.6g.
type KV struct {
	Key   string
	Value any
}

// Table is a free-form table (e.g. a per-class accuracy table).
type Table struct {
	Header []string
	Rows   [][]string
}

// Section is one part of a report: a heading, an optional paragraph,
// key/value metrics, an optional table, and pictures. Figures are rendered
// to PNG; Images are paths of existing PNG files. Both are inlined as
// base64 data URIs.
type Section struct {
	Heading string
	Text    string
	Metrics []KV
	Table   *Table
	Figures []*Figure
	Images  []string
}

// ReportFile is the name of the file Report writes.
const ReportFile = "report.html"

// Report writes dir/report.html, a single self-contained HTML file (no
// external resources: images are base64 PNG data URIs, styles inline) and
// returns its path. Text is HTML-escaped.
func Report(dir, title string, sections []Section) (string, error) {
	type img struct {
		Alt string
		Src template.HTMLAttr // src="data:..."; base64 needs no escaping
	}
	type kv struct{ Key, Value string }
	type sec struct {
		Heading, Text string
		Metrics       []kv
		Table         *Table
		Images        []img
	}
	data := struct {
		Title     string
		Generated string
		Sections  []sec
	}{Title: title, Generated: time.Now().UTC().Format(time.RFC3339)}
	for _, s := range sections {
		out := sec{Heading: s.Heading, Text: s.Text, Table: s.Table}
		for _, m := range s.Metrics {
			out.Metrics = append(out.Metrics, kv{m.Key, formatValue(m.Value)})
		}
		for _, f := range s.Figures {
			b, err := PNG(f)
			if err != nil {
				return "", err
			}
			out.Images = append(out.Images, img{f.Title.Text, dataURI(b)})
		}
		for _, p := range s.Images {
			b, err := os.ReadFile(p)
			if err != nil {
				return "", fmt.Errorf("plot: report image: %w", err)
			}
			out.Images = append(out.Images, img{filepath.Base(p), dataURI(b)})
		}
		data.Sections = append(data.Sections, out)
	}
	var b bytes.Buffer
	if err := reportTmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("plot: report: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("plot: %w", err)
	}
	path := filepath.Join(dir, ReportFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("plot: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("plot: %w", err)
	}
	return path, nil
}

func dataURI(png []byte) template.HTMLAttr {
	return template.HTMLAttr(`src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(png) + `"`)
}

func formatValue(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%.6g", x)
	case float32:
		return fmt.Sprintf("%.6g", x)
	}
	return fmt.Sprint(v)
}

var reportTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{border-bottom:2px solid #ccc}
table{border-collapse:collapse;margin:.5em 0 1em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}
td.v{font-family:ui-monospace,monospace;text-align:right}
img{max-width:100%;display:block;margin:.5em 0 1.5em}
.gen{color:#777;font-size:.9em}
</style></head><body>
<h1>{{.Title}}</h1>
<p class="gen">generated {{.Generated}}</p>
{{range .Sections}}<section>
<h2>{{.Heading}}</h2>
{{if .Text}}<p>{{.Text}}</p>{{end}}
{{if .Metrics}}<table>{{range .Metrics}}<tr><th>{{.Key}}</th><td class="v">{{.Value}}</td></tr>{{end}}</table>{{end}}
{{with .Table}}<table><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>{{range .Rows}}<tr>{{range .}}<td class="v">{{.}}</td>{{end}}</tr>{{end}}</table>{{end}}
{{range .Images}}<img alt="{{.Alt}}" {{.Src}}>
{{end}}</section>
{{end}}</body></html>
`))
