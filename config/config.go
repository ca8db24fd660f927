// Package config decodes TOML configuration strictly: a key that matches no
// field is an error naming the key and its line, so a typo never passes
// silently as a default.
package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

// Decode decodes TOML text into v (a pointer to a struct already holding
// defaults: keys absent from the text keep them). Unknown keys and type
// errors are reported with their line numbers; name labels the source in
// messages (a file name, or "config").
func Decode(name, text string, v any) error {
	md, err := toml.Decode(text, v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d: %s", name, pe.Position.Line, pe.Message)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		msgs := make([]string, 0, len(und))
		for _, k := range und {
			msgs = append(msgs, fmt.Sprintf("%s:%d: unknown key %q", name, lineOf(text, k), k.String()))
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	return nil
}

// DecodeFile reads and decodes a TOML file strictly (see Decode).
func DecodeFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return Decode(path, string(b), v)
}

// lineOf finds the line where key k is most likely defined: the first line
// assigning its last component after the line that opens its parent table
// (or anywhere, if none matches). 0 when not found.
func lineOf(text string, k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	last := regexp.QuoteMeta(k[len(k)-1])
	assign := regexp.MustCompile(`(^|[\s{,])"?` + last + `"?\s*=`)
	header := regexp.MustCompile(`^\s*\[\[?\s*` + regexp.QuoteMeta(strings.Join(k, ".")) + `\s*\]\]?`)
	lines := strings.Split(text, "\n")
	start := 0
	if len(k) > 1 {
		parent := regexp.MustCompile(`^\s*\[\[?\s*` + regexp.QuoteMeta(strings.Join(k[:len(k)-1], ".")) + `\s*\]\]?`)
		for i, l := range lines {
			if parent.MatchString(l) {
				start = i
				break
			}
		}
	}
	for i := start; i < len(lines); i++ {
		l := stripComment(lines[i])
		if assign.MatchString(l) || header.MatchString(l) {
			return i + 1
		}
	}
	for i, l := range lines {
		if assign.MatchString(stripComment(l)) {
			return i + 1
		}
	}
	return 0
}

func stripComment(l string) string {
	if i := strings.IndexByte(l, '#'); i >= 0 && !strings.Contains(l[:i], `"`) {
		return l[:i]
	}
	return l
}

// Encode renders v as TOML (used to save a run's resolved configuration).
func Encode(v any) (string, error) {
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(v); err != nil {
		return "", err
	}
	return b.String(), nil
}
