package main

import (
	"bytes"
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
			fmt.Fprintln(out, "| rule | source | claim | measured | holds | wall s | test |")
			fmt.Fprintln(out, "|---|---|---|---|---|---|---|")
			failed := 0
			for _, c := range rules.Claims() {
				if err := cmd.Context().Err(); err != nil {
					return err
				}
				t0 := time.Now()
				v, ok, err := c.Measure()
				if err != nil {
					v = "error: " + err.Error()
					ok = false
				}
				if !ok {
					failed++
				}
				fmt.Fprintf(out, "| %s | %s | %s | %s | %s | %.1f | %s |\n", c.Rule, c.Source, c.Claim,
					strings.ReplaceAll(v, "|", "/"), yesNo(ok), time.Since(t0).Seconds(), c.Test)
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
