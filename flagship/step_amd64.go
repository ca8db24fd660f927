//go:build amd64 && !purego

package flagship

import "github.com/engram-lab/engram/internal/f32"

// lifAVX reports whether stepLIF may use lifBlocksAVX.
var lifAVX = f32.HasAVX()

// lifBlocksAVX is the AVX form of stepLIF's loop for neurons [0, 8·len(mask))
// (step_amd64.s); all slices must hold at least that many values.
//
//go:noescape
func lifBlocksAVX(v, cur, rc, th, ith, tr, trSum, psi, cnt []float32, mask []uint8, c *[8]float32, clearCur int)
