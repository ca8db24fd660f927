//go:build goexperiment.simd && amd64

package neuron

import (
	"encoding/binary"
	"math"
	"math/bits"
	"simd/archsimd"
)

// Vector kernels (AVX2, 8 float32 lanes) of the COBA and CUBA updates, built
// only with GOEXPERIMENT=simd on amd64; default amd64 builds use the AVX2
// assembly of fastmath_amd64.s, purego builds and other architectures the
// scalar kernels (fastmath_generic.go). Each lane performs exactly the float32 operations of
// cobaScalar / cubaScalar in the same order, with no fused multiply–add, so a
// neuron gets bit-identical results whether it is updated in a vector block,
// in a scalar tail, or by a build without vector kernels (TestSIMDMatchesScalar).

var hasAVX2 = archsimd.X86.AVX2()

// spikeBytes[b] has byte j set to 1 where bit j of b is set.
var spikeBytes = func() (t [256]uint64) {
	for b := range t {
		for j := 0; j < 8; j++ {
			if b>>j&1 != 0 {
				t[b] |= 1 << (8 * j)
			}
		}
	}
	return
}()

func cobaSIMD(c *cobaK, v, ge, gi, ref, exc, inh, ext []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	n := len(v)
	if !hasAVX2 || n < 8 {
		return cobaScalar(c, v, ge, gi, ref, exc, inh, ext, s, fused, list, off)
	}
	ge, gi, ref, exc, inh, s = ge[:n], gi[:n], ref[:n], exc[:n], inh[:n], s[:n]
	if ext != nil {
		ext = ext[:n]
	}
	bc := archsimd.BroadcastFloat32x8
	gl, gLEL, ee, ei, a := bc(c.gl), bc(c.gLEL), bc(c.ee), bc(c.ei), bc(c.negDtOverC)
	ae, ai, vth, vr, tref, dt, half := bc(c.ae), bc(c.ai), bc(c.vth), bc(c.vreset), bc(c.tref), bc(c.dt), bc(c.halfDt)
	zero := bc(0)
	if fused {
		list = reserve(list, n)
	}
	buf, j := list[:cap(list)], len(list)
	// constants of expf32 (inlined by hand: a call in the loop would spill
	// every vector register)
	eMin, eMagic, eLog2e, eHi, eLo := bc(expMin), bc(expMagic), bc(expLog2e), bc(expLn2Hi), bc(expLn2Lo)
	eP0, eP1, eP2, eP3, eP4, eP5, one := bc(expP0), bc(expP1), bc(expP2), bc(expP3), bc(expP4), bc(expP5), bc(1)
	eBias := archsimd.BroadcastInt32x8(int32(math.Float32bits(expMagic)) - 127)
	k := 0
	for ; k+8 <= n; k += 8 {
		pge, pgi, pex, pin := (*[8]float32)(ge[k:k+8]), (*[8]float32)(gi[k:k+8]), (*[8]float32)(exc[k:k+8]), (*[8]float32)(inh[k:k+8])
		gek := archsimd.LoadFloat32x8(pge).Add(archsimd.LoadFloat32x8(pex))
		gik := archsimd.LoadFloat32x8(pgi).Add(archsimd.LoadFloat32x8(pin))
		if fused {
			zero.Store(pex)
			zero.Store(pin)
		}
		gT := gl.Add(gek).Add(gik)
		num := gLEL.Add(gek.Mul(ee)).Add(gik.Mul(ei))
		if ext != nil {
			num = num.Add(archsimd.LoadFloat32x8((*[8]float32)(ext[k : k+8])))
		}
		vinf := num.Div(gT)
		// e = expf32(gT·a), lane by lane the operations of expf32
		x := gT.Mul(a).Max(eMin)
		t := x.Mul(eLog2e).Add(eMagic)
		nf := t.Sub(eMagic)
		r := x.Sub(nf.Mul(eHi)).Sub(nf.Mul(eLo))
		p := eP0.Mul(r).Add(eP1)
		p = p.Mul(r).Add(eP2)
		p = p.Mul(r).Add(eP3)
		p = p.Mul(r).Add(eP4)
		p = p.Mul(r).Add(eP5)
		p = p.Mul(r.Mul(r)).Add(r).Add(one)
		e := p.Mul(t.AsInt32x8().Sub(eBias).ShiftAllLeft(23).AsFloat32x8())
		pv, pr := (*[8]float32)(v[k:k+8]), (*[8]float32)(ref[k:k+8])
		vk := archsimd.LoadFloat32x8(pv)
		vk = vinf.Add(vk.Sub(vinf).Mul(e))
		gek.Mul(ae).Store(pge)
		gik.Mul(ai).Store(pgi)
		rk := archsimd.LoadFloat32x8(pr)
		refr := rk.Greater(half)
		spike := rk.LessEqual(half).And(vk.GreaterEqual(vth))
		rk.Sub(dt).Merge(tref.Masked(spike), refr).Store(pr)
		vr.Merge(vk, refr.Or(spike)).Store(pv)
		j = spikeOut(s[k:k+8], spike.ToBits(), fused, buf, j, off+k)
	}
	list = buf[:j]
	if k < n {
		list = cobaScalar(c, v[k:], ge[k:], gi[k:], ref[k:], exc[k:], inh[k:], sub(ext, k), s[k:], fused, list, off+k)
	}
	return list
}

// spikeOut writes the spike flags of b (bit j: neuron off+j fired) to s[:8]
// and, if fused, writes the indices of the set bits to buf from position j,
// returning the new position. buf has room for every index (see reserve), so
// the kernels' loops make no calls and keep their constants in registers.
func spikeOut(s []uint8, b uint8, fused bool, buf []int32, j, off int) int {
	binary.LittleEndian.PutUint64(s, spikeBytes[b])
	if fused {
		for ; b != 0; b &= b - 1 {
			buf[j] = int32(off + bits.TrailingZeros8(b))
			j++
		}
	}
	return j
}

func sub(x []float32, k int) []float32 {
	if x == nil {
		return nil
	}
	return x[k:]
}

func cubaSIMD(c *cubaK, v, ge, gi []float32, ref []int32, exc, inh []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	n := len(v)
	if !hasAVX2 || n < 8 {
		return cubaScalar(c, v, ge, gi, ref, exc, inh, s, fused, list, off)
	}
	ge, gi, ref, exc, inh, s = ge[:n], gi[:n], ref[:n], exc[:n], inh[:n], s[:n]
	bc := archsimd.BroadcastFloat32x8
	el, vth, vr, am, ae, ai, pe, pi := bc(c.el), bc(c.vth), bc(c.vr), bc(c.am), bc(c.ae), bc(c.ai), bc(c.pe), bc(c.pi)
	rs, one, zero := archsimd.BroadcastInt32x8(c.refSteps), archsimd.BroadcastInt32x8(1), archsimd.BroadcastInt32x8(0)
	fzero := bc(0)
	if fused {
		list = reserve(list, n)
	}
	buf, j := list[:cap(list)], len(list)
	k := 0
	for ; k+8 <= n; k += 8 {
		pge, pgi, pex, pin := (*[8]float32)(ge[k:k+8]), (*[8]float32)(gi[k:k+8]), (*[8]float32)(exc[k:k+8]), (*[8]float32)(inh[k:k+8])
		e := archsimd.LoadFloat32x8(pge).Add(archsimd.LoadFloat32x8(pex))
		i := archsimd.LoadFloat32x8(pgi).Sub(archsimd.LoadFloat32x8(pin))
		if fused {
			fzero.Store(pex)
			fzero.Store(pin)
		}
		pv, pr := (*[8]float32)(v[k:k+8]), (*[8]int32)(ref[k:k+8])
		vk := el.Add(archsimd.LoadFloat32x8(pv).Sub(el).Mul(am)).Add(e.Mul(pe)).Add(i.Mul(pi))
		e.Mul(ae).Store(pge)
		i.Mul(ai).Store(pgi)
		r := archsimd.LoadInt32x8(pr)
		refr := r.Greater(zero)
		spike := vk.GreaterEqual(vth).And(r.Less(one))
		r.Sub(one).Merge(rs.Merge(r, spike), refr).Store(pr)
		vr.Merge(vk, refr.Or(spike)).Store(pv)
		j = spikeOut(s[k:k+8], spike.ToBits(), fused, buf, j, off+k)
	}
	list = buf[:j]
	if k < n {
		list = cubaScalar(c, v[k:], ge[k:], gi[k:], ref[k:], exc[k:], inh[k:], s[k:], fused, list, off+k)
	}
	return list
}
