//go:build unix

package runlog

import (
	"runtime"
	"syscall"
	"time"
)

// cpuTime returns getrusage(RUSAGE_SELF) user + system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS returns getrusage(RUSAGE_SELF).ru_maxrss in bytes (the kernel
// reports kilobytes on Linux and the BSDs, bytes on Darwin).
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	v := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		v *= 1024
	}
	return v
}
