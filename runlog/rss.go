package runlog

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"
)

// PeakRSS returns the peak resident set size of this process in bytes:
// VmHWM from /proc/self/status on Linux, else getrusage's ru_maxrss;
// 0 if neither is available.
func PeakRSS() int64 {
	if v := vmHWM("/proc/self/status"); v > 0 {
		return v
	}
	return maxRSS()
}

// CPUTime returns the CPU time (user + system, all threads) this process has
// used so far; 0 where getrusage is unavailable. On a shared machine the
// wall time of a step includes time spent waiting for a core, its CPU time
// does not: samples per CPU-second is the load-independent throughput figure.
func CPUTime() time.Duration { return cpuTime() }

// vmHWM parses the "VmHWM:  <n> kB" line of a /proc status file.
func vmHWM(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	return parseVmHWM(bufio.NewScanner(f))
}

func parseVmHWM(sc *bufio.Scanner) int64 {
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "VmHWM:") {
			continue
		}
		fields := strings.Fields(line[len("VmHWM:"):])
		if len(fields) == 0 {
			return 0
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		if len(fields) > 1 && strings.EqualFold(fields[1], "kB") {
			n *= 1024
		}
		return n
	}
	return 0
}
