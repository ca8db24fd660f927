package main

import "testing"

func TestBenchFlagshipTaskSelection(t *testing.T) {
	var names []string
	pick := func(list string) []string {
		names = names[:0]
		for _, r := range flagshipTasks() {
			if selected(list, r) {
				names = append(names, r.Data+"|"+r.Name)
			}
		}
		return append([]string(nil), names...)
	}
	if got := pick(""); len(got) != len(flagshipTasks()) {
		t.Errorf("empty list selects %v, want all rows", got)
	}
	if got := pick("mnist"); len(got) != 1 || got[0] != "mnist|MNIST" {
		t.Errorf("mnist selects %v, want the plain MNIST row only", got)
	}
	if got := pick("SMNIST, cue"); len(got) != 2 {
		t.Errorf("\"SMNIST, cue\" selects %v, want 2 rows", got)
	}
	if got := pick("mnist with 5 % readout connectivity"); len(got) != 1 || got[0] != "mnist|MNIST with 5 % readout connectivity" {
		t.Errorf("the readout row by name selects %v", got)
	}
}
