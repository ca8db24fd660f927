package continual

import (
	"math"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// rowKeys maps each sample of s (its exact float32 bits) to its index.
func rowKeys(s *dataset.Set) map[string]int {
	d := s.Steps * s.Dim
	m := make(map[string]int, s.N)
	for i := 0; i < s.N; i++ {
		b := make([]byte, 0, 4*d)
		for _, v := range s.X[i*d : (i+1)*d] {
			u := math.Float32bits(v)
			b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		}
		m[string(b)] = i
	}
	return m
}

// TestValidationHoldOut: with Options.Validation the test sets come from
// the held-out part of the training split, never from the test split, and
// no sample is both trained on and scored on.
func TestValidationHoldOut(t *testing.T) {
	src, _, _ := synthLoader("")
	all := rowKeys(src)
	if len(all) != src.N {
		t.Fatalf("synthetic samples not distinct: %d keys for %d samples", len(all), src.N)
	}
	cases := []struct {
		stream         string
		val, tr, te, n int
	}{
		{PermutedMNIST, 100, 300, 100, 1},   // task 0 of a permuted stream is unpermuted
		{RotatedMNIST, 150, 200, 150, 1},    // rot0 is unrotated
		{PermutedMNIST, 100, 1000, 1000, 1}, // limits above the pool take all of it
	}
	for _, c := range cases {
		s, err := Build(c.stream, Options{Tasks: 2, TrainLimit: c.tr, TestLimit: c.te, Seed: 5, Validation: c.val}, synthLoader)
		if err != nil {
			t.Fatal(err)
		}
		tk := s.Tasks[0]
		if tk.Test.N != min(c.te, c.val) || tk.Train.N != min(c.tr, src.N-c.val) {
			t.Errorf("%s val %d: %d train / %d test samples, want %d / %d", c.stream, c.val, tk.Train.N, tk.Test.N,
				min(c.tr, src.N-c.val), min(c.te, c.val))
		}
		trained := rowKeys(tk.Train)
		for k := range rowKeys(tk.Test) {
			if _, ok := all[k]; !ok {
				t.Fatalf("%s: a validation sample is not from the training split", c.stream)
			}
			if _, ok := trained[k]; ok {
				t.Fatalf("%s: a validation sample is also a training sample", c.stream)
			}
		}
	}
	if _, err := Build(PermutedMNIST, Options{Validation: src.N}, synthLoader); err == nil {
		t.Error("holding out the whole training split was accepted")
	}
}
