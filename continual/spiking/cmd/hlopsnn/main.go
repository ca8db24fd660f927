// Command hlopsnn runs the spiking HLOP learner (package continual/spiking)
// on a continual stream and prints the accuracy matrix, ACC, BWT and FWT.
// It is the reproduction driver behind the numbers in docs/continual.md
// ("Spiking HLOP"); the engram CLI exposes the same learner.
//
// Defaults are spiking.DefaultConfig's (energy-based recruitment, 2 epochs
// per task); `-recruit fixed -epochs 1` gives the earlier fixed-increment
// configuration. -validation N scores on N held-out training images
// instead of the test split (for choosing settings).
//
//	go run ./continual/spiking/cmd/hlopsnn -tasks 10 -train 60000 -test 2000
//	go run ./continual/spiking/cmd/hlopsnn -tasks 10 -train 50000 -test 2000 -validation 10000
//	go run ./continual/spiking/cmd/hlopsnn -tasks 10 -train 60000 -test 2000 -recruit fixed -epochs 1
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/engram-lab/engram/continual"
	"github.com/engram-lab/engram/continual/spiking"
)

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		out = append(out, v)
	}
	return out
}

func main() {
	c := spiking.DefaultConfig()
	streamName := flag.String("stream", continual.PermutedMNIST, "stream name")
	tasks := flag.Int("tasks", 10, "tasks")
	train := flag.Int("train", 10000, "training samples per task")
	test := flag.Int("test", 2000, "test samples per task")
	hidden := flag.String("hidden", "800", "hidden layer sizes")
	first := flag.String("first", "80,200", "lateral neurons after the first task, per projected layer")
	inc := flag.String("inc", "70,70", "lateral neurons added after each later task")
	maxs := flag.String("max", "0,0", "cap of lateral neurons per layer (0 = width)")
	jsonOut := flag.Bool("json", false, "print the result as JSON last")
	validation := flag.Int("validation", 0, "hold out this many training images and score on them instead of the test split (0 = test split)")
	flag.StringVar(&c.Recruit, "recruit", c.Recruit, "lateral recruitment: fixed (-first/-inc/-drop) or energy (-energy/-energy-hidden)")
	flag.Float64Var(&c.Energy, "energy", c.Energy, "input energy target (recruit=energy)")
	flag.Float64Var(&c.EnergyHidden, "energy-hidden", c.EnergyHidden, "hidden energy target (recruit=energy)")
	flag.IntVar(&c.RecruitChunk, "chunk", c.RecruitChunk, "lateral neurons learned together (recruit=energy)")
	flag.IntVar(&c.RecruitMax, "recruit-max", c.RecruitMax, "most lateral neurons a task adds per layer (recruit=energy)")
	flag.Uint64Var(&c.Seed, "seed", c.Seed, "seed")
	flag.BoolVar(&c.HLOP, "hlop", c.HLOP, "HLOP on (false = fine-tuning)")
	flag.IntVar(&c.Epochs, "epochs", c.Epochs, "epochs per task")
	flag.IntVar(&c.T, "t", c.T, "steps per sample")
	flag.IntVar(&c.BatchSize, "batch", c.BatchSize, "batch size")
	flag.Float64Var(&c.LRIn, "lr-in", c.LRIn, "input learning rate")
	flag.Float64Var(&c.LRHidden, "lr-hidden", c.LRHidden, "hidden learning rate")
	flag.Float64Var(&c.LROut, "lr-out", c.LROut, "readout learning rate")
	flag.Float64Var(&c.LRDecay, "lr-decay", c.LRDecay, "learning-rate decay per epoch")
	flag.Float64Var(&c.InputGain, "input-gain", c.InputGain, "initial input weight gain")
	flag.Float64Var(&c.WTABeta, "beta", c.WTABeta, "softmax inverse temperature")
	flag.IntVar(&c.HebbEpochs, "hebb-epochs", c.HebbEpochs, "lateral learning passes")
	flag.Float64Var(&c.HebbLR, "hebb-lr", c.HebbLR, "lateral learning rate")
	flag.Float64Var(&c.HebbDecay, "hebb-decay", c.HebbDecay, "lateral learning-rate decay per pass")
	flag.IntVar(&c.HebbSamples, "hebb-samples", c.HebbSamples, "samples for lateral learning (0 = all)")
	flag.IntVar(&c.SubspaceDrop, "drop", c.SubspaceDrop, "lower the increments by this every drop-every tasks")
	flag.IntVar(&c.SubspaceDropEvery, "drop-every", c.SubspaceDropEvery, "see -drop")
	flag.Parse()
	c.Hidden = ints(*hidden)
	c.SubspaceFirst, c.SubspaceInc, c.SubspaceMax = ints(*first), ints(*inc), ints(*maxs)

	st, err := continual.Build(*streamName, continual.Options{Tasks: *tasks, TrainLimit: *train, TestLimit: *test, Seed: c.Seed, Validation: *validation}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	last := ""
	res, err := spiking.Run(context.Background(), c, st, func(p spiking.Progress) {
		if p.Phase == "train" && p.Done == p.Total {
			fmt.Printf("task %d: train acc %.2f%%\n", p.Task, 100*p.TrainAcc)
		}
		if p.Phase == "eval" && p.Done == p.Total && p.Task >= 0 {
			last = fmt.Sprintf("after task %d", p.Task)
			fmt.Println(last)
		}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(res.Matrix.String())
	for t := range res.Subspace {
		fmt.Printf("after task %d: lateral neurons %v, captured residual energy %.4f, task energy %.4f\n", t, res.Subspace[t], res.Captured[t], res.Energy[t])
	}
	fmt.Printf("ACC %.2f%%  BWT %.2f%%  FWT %.2f%%  wall %.0f s\n", 100*res.ACC, 100*res.BWT, 100*res.FWT, res.Seconds)
	if *jsonOut {
		b, _ := json.Marshal(res)
		fmt.Println(string(b))
	}
}
