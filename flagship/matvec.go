package flagship

// rowDots sets dst[i] = Σ_a mat[i·m+a]·vec[a] (m = len(vec)), each sum
// accumulated from zero in increasing a — the same operations in the same
// order as the plain loop, hence bit-identical. Four rows are summed at a
// time so that their independent additions overlap instead of waiting on
// one accumulator's latency (the learning signal L = A·(G·δ) of the default
// network is 2,400 such dot products of length 16 per sample).
func rowDots(dst, mat, vec []float32) {
	m := len(vec)
	mat = mat[:len(dst)*m]
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		r0 := mat[i*m : i*m+m]
		r1 := mat[(i+1)*m : (i+1)*m+m]
		r2 := mat[(i+2)*m : (i+2)*m+m]
		r3 := mat[(i+3)*m : (i+3)*m+m]
		r0, r1, r2, r3 = r0[:len(vec)], r1[:len(vec)], r2[:len(vec)], r3[:len(vec)]
		var s0, s1, s2, s3 float32
		for a, v := range vec {
			s0 += r0[a] * v
			s1 += r1[a] * v
			s2 += r2[a] * v
			s3 += r3[a] * v
		}
		dst[i], dst[i+1], dst[i+2], dst[i+3] = s0, s1, s2, s3
	}
	for ; i < len(dst); i++ {
		r := mat[i*m : i*m+m]
		r = r[:len(vec)]
		var s float32
		for a, v := range vec {
			s += r[a] * v
		}
		dst[i] = s
	}
}
