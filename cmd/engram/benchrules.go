package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/bench/rules"
)

func newBenchRules(stdout, stderr io.Writer) *cobra.Command {
	var mdPath, only string
	var full fullRun
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Measure each plasticity rule's published claim: rule, source, claim, measured, holds, wall time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if full.rule != "" {
				return full.run(cmd.Context(), stdout, stderr)
			}
			if only != "" && mdPath != "" {
				return fmt.Errorf("--md writes the whole table: run it without --only")
			}
			var md bytes.Buffer
			out := io.MultiWriter(stdout, &md)
			fmt.Fprintf(out, "Machine: %s, %d cores; %s. Command: `%s`\n\n", cpuModel(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
			var rows []claimRow
			for _, c := range rules.Claims() {
				if only != "" && !strings.HasPrefix(c.Rule, only) {
					continue
				}
				rows = append(rows, claimRow{c.Rule, c.Source, c.Claim, c.Test, c.Measure})
			}
			if len(rows) == 0 {
				return fmt.Errorf("no rule of the table starts with %q", only)
			}
			failed, err := writeClaims(cmd.Context(), out, rows)
			if err != nil {
				return err
			}
			fmt.Fprintln(out)
			if mdPath != "" {
				if err := writeSection(mdPath, "rules", md.String()); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d claims do not hold", failed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&mdPath, "md", "", "also write the table into this markdown file (between bench markers)")
	cmd.Flags().StringVar(&only, "only", "", "measure only the rows whose rule starts with this text (e.g. homeostasis.MultiScale); not with --md")
	cmd.Flags().StringVar(&full.rule, "full", "", "instead of the table, run a full-data reproduction: stdp-sym (Hao et al. 2020) or stdp-dc (Diehl & Cook 2015)")
	cmd.Flags().StringVar(&full.data, "data", "mnist", "with --full: mnist or fashion-mnist")
	cmd.Flags().IntVar(&full.n, "n", 400, "with --full: excitatory neurons")
	cmd.Flags().IntVar(&full.train, "train", 60000, "with --full: training presentations")
	cmd.Flags().IntVar(&full.test, "test", 10000, "with --full: test images")
	cmd.Flags().IntVar(&full.present, "present", 350, "with --full: presentation time, ms")
	cmd.Flags().IntVar(&full.rest, "rest", 150, "with --full: resting time between images, ms")
	cmd.Flags().Uint64Var(&full.seed, "seed", 1, "with --full: seed")
	cmd.Flags().Float64Var(&full.etaIn, "eta-in", 0, "with --full stdp-sym: input→hidden learning rate ν (0: the authors' value for this size)")
	cmd.Flags().Float64Var(&full.etaOut, "eta-out", 0, "with --full stdp-sym: hidden→output learning rate ν (0: the authors' value for this size)")
	cmd.Flags().Float64Var(&full.vThresh, "v-thresh", 0, "with --full stdp-sym: hidden-layer threshold without θ, mV, in (−65, −40) (0: the authors' value for this data and size)")
	cmd.Flags().Float64Var(&full.tauTheta, "tau-theta", 0, "with --full stdp-sym: time constant of θ's relaxation during training, ms, in [1e5, 1e9] (0: the authors' value for this data and size)")
	cmd.Flags().StringVar(&full.checkpoint, "checkpoint", "", "with --full: keep the run's state in this file; the same command resumes from it, a larger --train extends a finished run")
	cmd.Flags().IntVar(&full.checkpointEvery, "checkpoint-every", 1000, "with --checkpoint: presentations (or test images) between saves")
	cmd.Flags().IntVar(&full.assignFrozen, "assign-frozen", 0, "with --full: assign the labels from this many training images shown after training with plasticity off (Diehl & Cook's evaluation: 60000; 0: from the last 10000 training presentations); a finished --checkpoint is tested again")
	return cmd
}

// fullRun holds the flags of a full-data reproduction (bench rules --full).
type fullRun struct {
	rule, data                    string
	n, train, test, present, rest int
	seed                          uint64
	etaIn, etaOut                 float64
	vThresh, tauTheta             float64
	checkpoint                    string
	checkpointEvery               int
	assignFrozen                  int
}

func (f fullRun) run(ctx context.Context, stdout, stderr io.Writer) error {
	cfg := rules.DefaultMNIST(f.data, f.rule, f.n)
	cfg.Train, cfg.Test, cfg.PresentMS, cfg.RestMS, cfg.Seed = f.train, f.test, f.present, f.rest, f.seed
	cfg.Assign = min(cfg.Assign, f.train)
	cfg.Log = stderr
	cfg.Checkpoint, cfg.CheckpointEvery = f.checkpoint, f.checkpointEvery
	if f.assignFrozen < 0 {
		return fmt.Errorf("--assign-frozen %d: want ≥ 0", f.assignFrozen)
	}
	cfg.AssignFrozen = f.assignFrozen
	if (f.etaIn > 0 || f.etaOut > 0 || f.vThresh != 0 || f.tauTheta != 0) && f.rule != "stdp-sym" {
		return fmt.Errorf("--eta-in, --eta-out, --v-thresh and --tau-theta apply to --full stdp-sym, not %q", f.rule)
	}
	if f.tauTheta != 0 {
		// the authors' values: 6e6–2e7 (MNIST), 5e7 (Fashion-MNIST, 400 neurons)
		if !(f.tauTheta >= 1e5 && f.tauTheta <= 1e9) {
			return fmt.Errorf("--tau-theta %g ms: want a value in [1e5, 1e9]", f.tauTheta)
		}
		cfg.Hao.TauTheta = float32(f.tauTheta)
	}
	if f.vThresh != 0 {
		// rest is −65 mV; D&C and Hao et al. use −52 (MNIST) and −60 (Fashion-MNIST, 400 neurons)
		if !(f.vThresh > -65 && f.vThresh < -40) {
			return fmt.Errorf("--v-thresh %g mV: want a value in (−65, −40)", f.vThresh)
		}
		cfg.Hao.VThresh = float32(f.vThresh)
	}
	if f.etaIn > 0 {
		cfg.Hao.EtaIn = float32(f.etaIn)
	}
	if f.etaOut > 0 {
		cfg.Hao.EtaOut = float32(f.etaOut)
	}
	fmt.Fprintf(stdout, "Machine: %s, %d cores; %s. Command: `%s`\n", cpuModel(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
	r, err := rules.MNISTRun(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r.String())
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// claimRow is one paper claim to measure (the shape shared by the rule
// benchmarks).
type claimRow struct {
	rule, source, claim, test string
	measure                   func() (value string, holds bool, err error)
}

// writeClaims measures each claim and writes one markdown row per claim;
// it returns how many do not hold.
func writeClaims(ctx context.Context, out io.Writer, rows []claimRow) (failed int, err error) {
	fmt.Fprintln(out, "| rule | source | claim | measured | holds | wall s | test |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|")
	for _, c := range rows {
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		t0 := time.Now()
		v, ok, err := c.measure()
		if err != nil {
			v, ok = "error: "+err.Error(), false
		}
		if !ok {
			failed++
		}
		fmt.Fprintf(out, "| %s | %s | %s | %s | %s | %.1f | %s |\n", c.rule, c.source, c.claim,
			strings.ReplaceAll(v, "|", "/"), yesNo(ok), time.Since(t0).Seconds(), c.test)
	}
	return failed, nil
}
