//go:build !unix

package runlog

func maxRSS() int64 { return 0 }
