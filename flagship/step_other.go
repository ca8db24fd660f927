//go:build !amd64 || purego

package flagship

var lifAVX = false // no AVX kernel here

func lifBlocksAVX(v, cur, rc, th, ith, tr, trSum, psi, cnt []float32, mask []uint8, c *[8]float32, clearCur int) {
	panic("flagship: no AVX kernel on this architecture")
}
