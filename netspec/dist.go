package netspec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Dist is a number or a distribution, written in TOML either as a plain
// number (a constant) or as a table:
//
//	weight = 6
//	weight = { dist = "normal", mean = 6, sd = 1, min = 0 }
//	weight = { dist = "uniform", lo = 0, hi = 1 }
//
// min and max, optional, clip every draw. Unknown keys are errors.
type Dist struct {
	Kind     string  // "const", "normal" or "uniform"
	Value    float64 // const
	Mean, SD float64 // normal
	Lo, Hi   float64 // uniform, [Lo, Hi)
	Min, Max float64 // clip bounds (±Inf when absent)
	set      bool
}

// Const returns a constant Dist.
func Const(v float64) Dist {
	return Dist{Kind: "const", Value: v, Min: math.Inf(-1), Max: math.Inf(1), set: true}
}

// IsSet reports whether the Dist was given (in TOML or by Const).
func (d Dist) IsSet() bool { return d.set }

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Dist) UnmarshalTOML(v any) error {
	*d = Dist{Min: math.Inf(-1), Max: math.Inf(1), set: true}
	if x, ok := number(v); ok {
		d.Kind, d.Value = "const", x
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("want a number or a table {dist = ...}, have %T", v)
	}
	kind, ok := m["dist"].(string)
	if !ok {
		return fmt.Errorf("distribution table needs dist = \"const\", \"normal\" or \"uniform\"")
	}
	d.Kind = kind
	var allowed []string
	switch kind {
	case "const":
		allowed = []string{"value"}
	case "normal":
		allowed = []string{"mean", "sd"}
	case "uniform":
		allowed = []string{"lo", "hi"}
	default:
		return fmt.Errorf("unknown dist %q (want const, normal or uniform)", kind)
	}
	allowed = append(allowed, "dist", "min", "max")
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(allowed, k) {
			return fmt.Errorf("unknown key %q in %s distribution (allowed: %s)", k, kind, strings.Join(allowed[:len(allowed)-3], ", ")+", min, max")
		}
		if k == "dist" {
			continue
		}
		x, ok := number(m[k])
		if !ok {
			return fmt.Errorf("%s must be a number, have %T", k, m[k])
		}
		switch k {
		case "value":
			d.Value = x
		case "mean":
			d.Mean = x
		case "sd":
			d.SD = x
		case "lo":
			d.Lo = x
		case "hi":
			d.Hi = x
		case "min":
			d.Min = x
		case "max":
			d.Max = x
		}
	}
	return d.check()
}

func (d Dist) check() error {
	for _, x := range []float64{d.Value, d.Mean, d.SD, d.Lo, d.Hi} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("distribution parameters must be finite")
		}
	}
	switch d.Kind {
	case "normal":
		if d.SD < 0 {
			return fmt.Errorf("normal sd %g must be ≥ 0", d.SD)
		}
	case "uniform":
		if d.Hi < d.Lo {
			return fmt.Errorf("uniform needs lo ≤ hi, have lo = %g, hi = %g", d.Lo, d.Hi)
		}
	}
	if d.Min > d.Max {
		return fmt.Errorf("min %g > max %g", d.Min, d.Max)
	}
	return nil
}

// Draw returns one value.
func (d Dist) Draw(r *rand.Rand) float64 {
	var x float64
	switch d.Kind {
	case "normal":
		x = d.Mean + d.SD*r.NormFloat64()
	case "uniform":
		x = d.Lo + (d.Hi-d.Lo)*r.Float64()
	default:
		x = d.Value
	}
	return min(max(x, d.Min), d.Max)
}

// Mean returns the distribution's mean before clipping.
func (d Dist) MeanValue() float64 {
	switch d.Kind {
	case "normal":
		return d.Mean
	case "uniform":
		return (d.Lo + d.Hi) / 2
	}
	return d.Value
}

func (d Dist) String() string {
	switch d.Kind {
	case "normal":
		return fmt.Sprintf("normal(mean %g, sd %g)", d.Mean, d.SD)
	case "uniform":
		return fmt.Sprintf("uniform[%g, %g)", d.Lo, d.Hi)
	}
	return fmt.Sprint(d.Value)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
