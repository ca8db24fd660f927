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
	var mdPath string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Measure each plasticity rule's published claim: rule, source, claim, measured, holds, wall time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var md bytes.Buffer
			out := io.MultiWriter(stdout, &md)
			fmt.Fprintf(out, "Machine: %s, %d cores; %s. Command: `%s`\n\n", cpuModel(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
			var rows []claimRow
			for _, c := range rules.Claims() {
				rows = append(rows, claimRow{c.Rule, c.Source, c.Claim, c.Test, c.Measure})
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
	return cmd
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
