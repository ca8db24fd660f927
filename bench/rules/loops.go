package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// fullLoops runs the presentation loops that both full-data reproductions
// share: checkpoint stops and saves, a fresh image order per epoch, the
// label-assignment responses of the last Assign training presentations,
// progress lines and the label-assigned test accuracy. The model itself
// (present) is the caller's; counts holds the excitatory responses to the
// last repeat of the last presentation.
type fullLoops struct {
	cfg        MNISTConfig
	ck         *checkpointer
	pr         *progress
	res        *MNISTResult
	counts     []int32
	resp, seen []float64 // resp[j·classes + c]: neuron j's spikes to class c; seen[c]: presentations of c
}

// train shows cfg.Train presentations from where the run stands: image
// perm[k mod nTrain] with label y(i), re-permuting (in place) at each epoch
// boundary. tail ends each progress line.
func (l *fullLoops) train(ctx context.Context, nTrain int, order *rand.Rand, perm []int, y func(i int) int,
	present func(i, y int), tail func() string) error {
	cfg, ck, pr := &l.cfg, l.ck, l.pr
	classes := len(l.seen)
	for k := pr.next; pr.phase == 0 && k < cfg.Train; k++ {
		if err := ck.stop(ctx, pr, k); err != nil {
			return err
		}
		if k > 0 && k%nTrain == 0 {
			copy(perm, order.Perm(nTrain)) // in place: the run state lists perm
		}
		i := perm[k%nTrain]
		yi := y(i)
		present(i, yi)
		if k >= cfg.Train-cfg.Assign {
			for j, c := range l.counts {
				l.resp[j*classes+yi] += float64(c)
			}
			l.seen[yi]++
		}
		if cfg.Log != nil && (k+1)%cfg.LogEvery == 0 {
			el := ck.elapsed(pr).Seconds()
			fmt.Fprintf(cfg.Log, "%s %s N=%d: %d/%d presentations, %.0f s, %.1f ms/sample, %d repeats, %s\n",
				cfg.Data, cfg.Rule, cfg.NExc, k+1, cfg.Train, el, 1000*el/float64(k+1), l.res.Repeats, tail())
		}
		if err := ck.step(pr, k+1, cfg.Train); err != nil {
			return err
		}
	}
	if err := ck.finishTraining(pr); err != nil {
		return err
	}
	l.res.Trained = cfg.Train
	l.res.TrainSeconds = time.Duration(pr.trainNS).Seconds()
	return nil
}

// test labels each neuron with the class of its highest mean response
// (assignLabels) and shows cfg.Test evaluation images from where the run
// stands; present shows evaluation image i without plasticity and returns
// its label. With cfg.AssignFrozen > 0 the phase starts with that many
// training presentations without plasticity (presentTrain(i) shows training
// image i mod the training-set size and returns its label) whose responses,
// instead of those of the last training presentations, assign the labels.
// Each evaluation image counts as right by assigned labels when the class
// whose neurons responded most per neuron is its label (argmaxNorm); score,
// if not nil, adds the caller's own readout, and tail(images done) ends each
// progress line.
func (l *fullLoops) test(ctx context.Context, presentTrain, present func(i int) int, score func(y int), tail func(done int) string) error {
	cfg, ck, pr := &l.cfg, l.ck, l.pr
	nA := cfg.AssignFrozen
	classes := len(l.seen)
	var assign []int
	var members []float64
	if pr.next >= nA {
		assign, members = assignLabels(l.resp, l.seen, cfg.NExc)
	}
	votes := make([]float64, classes)
	total := nA + cfg.Test
	for i := pr.next; pr.phase == 1 && i < total; i++ {
		if err := ck.stop(ctx, pr, i); err != nil {
			return err
		}
		if i < nA {
			if i == 0 { // the frozen responses replace the training window's
				clear(l.resp)
				clear(l.seen)
			}
			y := presentTrain(i)
			for j, c := range l.counts {
				l.resp[j*classes+y] += float64(c)
			}
			l.seen[y]++
			if cfg.Log != nil && (i+1)%cfg.LogEvery == 0 {
				fmt.Fprintf(cfg.Log, "label assignment, plasticity off: %d/%d training images\n", i+1, nA)
			}
			if i+1 == nA {
				assign, members = assignLabels(l.resp, l.seen, cfg.NExc)
			}
			if err := ck.step(pr, i+1, total); err != nil {
				return err
			}
			continue
		}
		y := present(i - nA)
		clear(votes)
		for j, c := range l.counts {
			votes[assign[j]] += float64(c)
		}
		if argmaxNorm(votes, members) == y {
			pr.rightA++
		}
		if score != nil {
			score(y)
		}
		if done := i - nA + 1; cfg.Log != nil && done%cfg.LogEvery == 0 {
			fmt.Fprintf(cfg.Log, "test %d/%d: assigned %.2f %%%s\n", done, cfg.Test, 100*float64(pr.rightA)/float64(done), tail(done))
		}
		if err := ck.step(pr, i+1, total); err != nil {
			return err
		}
	}
	if err := ck.finishTesting(pr); err != nil {
		return err
	}
	l.res.Tested = cfg.Test
	l.res.TestSeconds = time.Duration(pr.testNS).Seconds()
	l.res.Assigned = float64(pr.rightA) / float64(max(cfg.Test, 1))
	return nil
}
