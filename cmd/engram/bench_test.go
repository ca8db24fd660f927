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

// A --tasks name that selects nothing is an error, not an empty table.
func TestBenchFlagshipTaskNames(t *testing.T) {
	for list, ok := range map[string]bool{
		"": true, "fashion-mnist": true, "mnist, cue": true, "MNIST with the SoftHebb encoder": true,
		"fashion": false, "mnist,fmnist": false,
	} {
		if err := checkTaskNames(list); (err == nil) != ok {
			t.Errorf("--tasks %q: error %v, want ok=%v", list, err, ok)
		}
	}
}
