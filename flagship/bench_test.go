package flagship

import (
	"context"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// BenchmarkTrainMNIST trains the default model on 1,024 MNIST images per
// iteration and reports samples/s (the figure the throughput target
// is about). Run with -cpuprofile to see where time goes:
//
//	go test -run '^$' -bench TrainMNIST -benchtime 5x -cpuprofile /tmp/cpu.out ./flagship/
func BenchmarkTrainMNIST(b *testing.B) {
	train, _, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		b.Skip(err)
	}
	set := train.Head(1024)
	for _, w := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[w], func(b *testing.B) {
			c := DefaultConfig()
			c.Workers = w
			benchTrain(b, c, set)
		})
	}
}

// BenchmarkTrainSMNIST trains row-wise sequential MNIST (TaskDefaults("smnist"):
// plastic recurrence with per-synapse ALIF eligibility) with blocks of 100
// neurons, the configuration BENCH.md quotes, on 512 sequences per
// iteration, one worker, and reports samples/s.
func BenchmarkTrainSMNIST(b *testing.B) {
	train, _, err := dataset.Load(dataset.NameSMNIST)
	if err != nil {
		b.Skip(err)
	}
	set := train.Head(512)
	c := TaskDefaults(dataset.NameSMNIST)
	c.Workers, c.BlockSize = 1, 100
	benchTrain(b, c, set)
}

// benchTrain trains a model of config c for one epoch of set per iteration
// and reports samples/s.
func benchTrain(b *testing.B, c Config, set *dataset.Set) {
	m, err := New(c, set.Dim, set.Classes)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := m.TrainEpoch(context.Background(), set, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*set.N)/b.Elapsed().Seconds(), "samples/s")
}
