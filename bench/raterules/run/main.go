// Command run prints the rate-rules benchmark (claims table and the MNIST /
// Fashion-MNIST comparison) until `engram bench rate-rules` is wired:
//
//	go run ./bench/raterules/run -epochs 10 -fashion-epochs 3
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/engram-lab/engram/bench/raterules"
	"github.com/engram-lab/engram/dataset"
)

func main() {
	epochs := flag.Int("epochs", raterules.DefaultEpochs, "MNIST training epochs")
	fashion := flag.Int("fashion-epochs", 3, "Fashion-MNIST training epochs (0 = skip)")
	only := flag.String("only", "", "comma-separated claim rules to run (prefix match); empty = all")
	speed := flag.Bool("speed", false, "time one BP epoch of the 784-1000-10 ReLU MLP (Adam 1e-3, batch 100) and print JSON")
	dir := flag.Bool("mnist-dir", false, "print the MNIST folder as JSON")
	compareOnly := flag.Bool("compare-only", false, "skip the claims table")
	flag.Parse()
	raterules.Progress = func(l string) { fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05"), l) }
	if *dir {
		d, err := dataset.MNISTDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		b, _ := json.Marshal(map[string]string{"mnist_dir": d})
		fmt.Println(string(b))
		return
	}
	if *speed {
		r, err := raterules.Speed()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		b, _ := json.Marshal(map[string]float64{"epoch_s": r.Wall.Seconds(), "samples_per_s": r.SamplesPerSec, "test_acc": r.TestAcc})
		fmt.Println(string(b))
		return
	}
	fmt.Println("| rule | source | claim | measured | holds | wall |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, c := range raterules.Claims(*epochs) {
		if *compareOnly || *only != "" && !matches(c.Rule, *only) {
			continue
		}
		t0 := time.Now()
		v, ok, err := c.Measure()
		if err != nil {
			v = "error: " + err.Error()
		}
		fmt.Printf("| %s | %s | %s | %s | %v | %.1f s |\n", c.Rule, c.Source, c.Claim, v, ok, time.Since(t0).Seconds())
		os.Stdout.Sync()
	}
	if *only != "" {
		return
	}
	fmt.Println()
	fmt.Println("| rule | dataset | arch | epochs | test acc | samples/s | wall |")
	fmt.Println("|---|---|---|---|---|---|---|")
	pr := func(r raterules.Row) {
		fmt.Printf("| %s | %s | %s | %d | %.2f %% | %.0f | %.0f s |\n", r.Rule, r.Dataset, r.Arch, r.Epochs, 100*r.TestAcc, r.SamplesPerSec, r.Wall.Seconds())
	}
	if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameMNIST}, *epochs, pr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *fashion > 0 {
		if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameFashionMNIST}, *fashion, pr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func matches(rule, only string) bool {
	for _, p := range strings.Split(only, ",") {
		if p != "" && strings.HasPrefix(rule, p) {
			return true
		}
	}
	return false
}
