//go:build amd64 && !purego && !goexperiment.simd

package neuron

import (
	"os"
	"strings"
	"testing"
	"unsafe"
)

// TestAsmLayout: the field offsets that fastmath_amd64.s hard-codes.
func TestAsmLayout(t *testing.T) {
	var c cobaK
	var u cubaK
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"cobaK.gl", unsafe.Offsetof(c.gl), 0},
		{"cobaK.gLEL", unsafe.Offsetof(c.gLEL), 4},
		{"cobaK.ee", unsafe.Offsetof(c.ee), 8},
		{"cobaK.ei", unsafe.Offsetof(c.ei), 12},
		{"cobaK.negDtOverC", unsafe.Offsetof(c.negDtOverC), 16},
		{"cobaK.ae", unsafe.Offsetof(c.ae), 20},
		{"cobaK.ai", unsafe.Offsetof(c.ai), 24},
		{"cobaK.vth", unsafe.Offsetof(c.vth), 28},
		{"cobaK.vreset", unsafe.Offsetof(c.vreset), 32},
		{"cobaK.tref", unsafe.Offsetof(c.tref), 36},
		{"cobaK.dt", unsafe.Offsetof(c.dt), 40},
		{"cobaK.halfDt", unsafe.Offsetof(c.halfDt), 44},
		{"cubaK.el", unsafe.Offsetof(u.el), 0},
		{"cubaK.vth", unsafe.Offsetof(u.vth), 4},
		{"cubaK.vr", unsafe.Offsetof(u.vr), 8},
		{"cubaK.am", unsafe.Offsetof(u.am), 12},
		{"cubaK.ae", unsafe.Offsetof(u.ae), 16},
		{"cubaK.ai", unsafe.Offsetof(u.ai), 20},
		{"cubaK.pe", unsafe.Offsetof(u.pe), 24},
		{"cubaK.pi", unsafe.Offsetof(u.pi), 28},
		{"cubaK.refSteps", unsafe.Offsetof(u.refSteps), 32},
	} {
		if f.got != f.want {
			t.Errorf("offset of %s is %d, the assembly assumes %d", f.name, f.got, f.want)
		}
	}
}

// TestDetectAVX2: the CPUID/XGETBV check agrees with the kernel's view of the
// CPU in /proc/cpuinfo (Linux only; the kernel lists avx2 only if it enabled
// the YMM state), and CPUID returns a vendor string.
func TestDetectAVX2(t *testing.T) {
	_, b, c, d := cpuid(0, 0)
	vendor := string(unsafe.Slice((*byte)(unsafe.Pointer(&[3]uint32{b, d, c})), 12))
	t.Logf("CPU vendor %q, kernels: %s", vendor, VectorKernels())
	if hasAVX2 != strings.HasPrefix(VectorKernels(), "AVX2 assembly") {
		t.Errorf("hasAVX2 = %v but VectorKernels() = %q", hasAVX2, VectorKernels())
	}
	if strings.TrimSpace(strings.Trim(vendor, "\x00")) == "" {
		t.Errorf("CPUID(0) returned an empty vendor string")
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip("no /proc/cpuinfo")
	}
	for _, line := range strings.Split(string(info), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "flags" {
			want := false
			for _, f := range strings.Fields(v) {
				want = want || f == "avx2"
			}
			if hasAVX2 != want {
				t.Errorf("hasAVX2 = %v, /proc/cpuinfo lists avx2: %v", hasAVX2, want)
			}
			return
		}
	}
	t.Skip("no flags line in /proc/cpuinfo")
}
