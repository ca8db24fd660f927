//go:build linux

package neuron

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// rusageThread is RUSAGE_THREAD of getrusage(2): CPU time of the calling thread.
const rusageThread = 1

func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkKernelCPU times StepFused of COBA and CUBA on 4000 neurons (the
// size of the Brette et al. 2007 benchmarks; both fire on their own, COBA
// driven by Ext = 150 pA, CUBA by EL above VTh) and reports the CPU time of the
// benchmark's thread per neuron update besides the wall time, because on a
// loaded machine wall time includes waiting for a CPU.
func BenchmarkKernelCPU(b *testing.B) {
	const n = 4000
	for _, c := range []struct {
		name string
		m    interface {
			Model
			StepFused(lo, hi int, step uint64, in Input, spk []uint8, list []int32) []int32
		}
		ext, we float32 // Ext drive; weight of the kicks
	}{
		{"coba", NewCOBA(n, DefaultCOBA()), 150, 2},
		{"cuba", NewCUBA(n, DefaultCUBA()), 0, 2},
	} {
		b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			c.m.Init(0.1, 1)
			in := zeroInput(n, constSlice(n, c.ext))
			spk := make([]uint8, n)
			list := make([]int32, 0, n)
			b.ReportAllocs()
			var s uint64
			t0 := threadCPU()
			for b.Loop() {
				// StepFused clears the input: kick every 32nd neuron on
				// both channels so that no conductance decays into the
				// subnormal range (which would time the FPU's slow path)
				for i := int(s % 32); i < n; i += 32 {
					in.Exc[i], in.Inh[i] = c.we, c.we
				}
				list = c.m.StepFused(0, n, s, in, spk, list[:0])
				s++
			}
			cpu := threadCPU() - t0
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(n)/float64(b.N), "cpu-ns/neuron")
		})
	}
}
