package neuron

import (
	"fmt"
	"testing"
)

func benchModel(b *testing.B, mk func(n int) Model, ext, we float32) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			m := mk(n)
			m.Init(0.1, 1)
			in := zeroInput(n, constSlice(n, ext))
			randomInput(in, 0, we, we)
			spk := make([]uint8, n)
			b.ReportAllocs()
			var s uint64
			for b.Loop() {
				m.Step(0, n, s, in, spk)
				s++
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "neuron-updates/s")
		})
	}
}

func BenchmarkLIFStep(b *testing.B) {
	benchModel(b, func(n int) Model { return NewLIF(n, DefaultLIF()) }, 9, 1)
}

func BenchmarkCOBAStep(b *testing.B) {
	benchModel(b, func(n int) Model { return NewCOBA(n, DefaultCOBA()) }, 150, 2)
}

func BenchmarkALIFStep(b *testing.B) {
	benchModel(b, func(n int) Model { return NewALIF(n, DefaultALIF()) }, 9, 1)
}

func BenchmarkIzhikevichStep(b *testing.B) {
	benchModel(b, func(n int) Model { return NewIzhikevich(n, IzhikevichRS()) }, 5, 1)
}

func BenchmarkPoissonStep(b *testing.B) {
	benchModel(b, func(n int) Model { return NewPoisson(n, 20) }, 0, 0)
}

func BenchmarkSpikeSourceStep(b *testing.B) {
	benchModel(b, func(n int) Model {
		ts := make([][]float32, n)
		for i := range ts {
			for t := float32(i % 10); t < 1e6; t += 50 {
				ts[i] = append(ts[i], t)
				if len(ts[i]) > 20 {
					break
				}
			}
		}
		return NewSpikeSource(ts)
	}, 0, 0)
}

func BenchmarkRateStep(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			m := NewRate(n, DefaultRate())
			m.Init(0.1, 1)
			in := zeroInput(n, constSlice(n, 0.3))
			out := make([]float32, n)
			b.ReportAllocs()
			for b.Loop() {
				m.StepRate(0, n, 0, in, out)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "neuron-updates/s")
		})
	}
}

func BenchmarkCUBAStep(b *testing.B) {
	benchModel(b, func(n int) Model { return NewCUBA(n, DefaultCUBA()) }, 0, 2)
}
