package train

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// bar is a progress bar with ETA, samples/s and running training accuracy;
// a nil writer gives a bar that does nothing.
type bar struct {
	pb    *progressbar.ProgressBar
	desc  string
	start time.Time
	last  time.Time
}

func newBar(w io.Writer, total int, desc string) *bar {
	b := &bar{desc: desc, start: time.Now()}
	if w == nil {
		return b
	}
	b.pb = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetWidth(24),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return b
}

func (b *bar) update(done, correct int) {
	if b.pb == nil {
		return
	}
	now := time.Now()
	if now.Sub(b.last) > 200*time.Millisecond {
		b.last = now
		rate := float64(done) / now.Sub(b.start).Seconds()
		acc := 0.0
		if done > 0 {
			acc = 100 * float64(correct) / float64(done)
		}
		b.pb.Describe(fmt.Sprintf("%s  acc %5.2f%%  %5.0f samples/s", b.desc, acc, rate))
	}
	b.pb.Set(done)
}

func (b *bar) finish() {
	if b.pb != nil {
		b.pb.Finish()
	}
}
