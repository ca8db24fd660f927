package continual

// orDefault returns d when v is not positive, else v: in every configuration
// of this package a zero (or negative) count, rate or size means "use the
// default". Fields for which zero is a valid setting (thresholds, penalty
// strengths) are checked with < 0 where they are filled in.
func orDefault[T int | int64 | float32 | float64](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}
