package config

import (
	"strings"
	"testing"
)

type inner struct {
	Tau float32 `toml:"tau"`
}

type cfg struct {
	Seed  uint64  `toml:"seed"`
	Rate  float64 `toml:"rate"`
	Inner inner   `toml:"inner"`
	List  []inner `toml:"list"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, text string
		wantErr    string // substring; "" = success
		check      func(c cfg) bool
	}{
		{"ok", "seed = 3\nrate = 2.5\n[inner]\ntau = 20\n", "", func(c cfg) bool { return c.Seed == 3 && c.Inner.Tau == 20 }},
		{"defaults kept", "seed = 4\n", "", func(c cfg) bool { return c.Rate == 1 && c.Inner.Tau == 5 }},
		{"unknown top", "seed = 3\nrte = 2\n", `config:2: unknown key "rte"`, nil},
		{"unknown nested", "seed = 1\n\n[inner]\ntau = 2\ntua = 3\n", `config:5: unknown key "inner.tua"`, nil},
		{"unknown in array", "[[list]]\ntau = 1\n[[list]]\nta = 2\n", `unknown key "list.ta"`, nil},
		{"type error", "seed = \"x\"\n", "config", nil},
		{"syntax error line", "seed = 1\nrate = = 2\n", "config:2:", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg{Rate: 1, Inner: inner{Tau: 5}}
			err := Decode("config", tc.text, &c)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !tc.check(c) {
					t.Errorf("decoded %+v", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("seed = 3\nrate = 2.5\n[inner]\ntau = 20\n")
	f.Add("[[list]]\ntau = 1\n")
	f.Add("x = [1, {a = 2}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		var c cfg
		_ = Decode("fuzz", text, &c) // must not panic
	})
}

func TestEncodeRoundTrip(t *testing.T) {
	c := cfg{Seed: 9, Rate: 0.5, Inner: inner{Tau: 3}}
	s, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	var d cfg
	if err := Decode("rt", s, &d); err != nil {
		t.Fatal(err)
	}
	if d.Seed != 9 || d.Rate != 0.5 || d.Inner.Tau != 3 {
		t.Errorf("round trip gave %+v", d)
	}
}
