package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/bench/raterules"
	"github.com/engram-lab/engram/dataset"
)

func newBenchRate(stdout, stderr io.Writer) *cobra.Command {
	var (
		epochs, fashion int
		mdPath          string
		claimsOnly      bool
	)
	cmd := &cobra.Command{
		Use:   "rate-rules",
		Short: "Rate-network rules: claims table, and BP/FA/DFA/DRTP/EP/SoftHebb on the same MLP (MNIST, Fashion-MNIST)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var md bytes.Buffer
			out := io.MultiWriter(stdout, &md)
			raterules.Progress = func(l string) { fmt.Fprintln(stderr, time.Now().Format("15:04:05"), l) }
			fmt.Fprintf(out, "Machine: %s, %d cores; %s. Command: `%s`\n\n", cpuModel(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
			var rows []claimRow
			for _, c := range raterules.Claims(epochs) {
				rows = append(rows, claimRow{c.Rule, c.Source, c.Claim, c.Test, c.Measure})
			}
			if _, err := writeClaims(cmd.Context(), out, rows); err != nil {
				return err
			}
			fmt.Fprintln(out)
			if !claimsOnly {
				fmt.Fprintln(out, "| rule | dataset | net | epochs | test accuracy % | samples/s | wall s |")
				fmt.Fprintln(out, "|---|---|---|---|---|---|---|")
				pr := func(r raterules.Row) {
					fmt.Fprintf(out, "| %s | %s | %s | %d | %.2f | %.0f | %.0f |\n", r.Rule, r.Dataset, r.Arch, r.Epochs, 100*r.TestAcc, r.SamplesPerSec, r.Wall.Seconds())
				}
				if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameMNIST}, epochs, pr); err != nil {
					return err
				}
				if fashion > 0 {
					if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameFashionMNIST}, fashion, pr); err != nil {
						return err
					}
				}
				fmt.Fprintln(out)
			}
			if mdPath != "" {
				return writeSection(mdPath, "rate-rules", md.String())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&epochs, "epochs", raterules.DefaultEpochs, "MNIST training epochs for the MNIST claims and the comparison")
	f.IntVar(&fashion, "fashion-epochs", 3, "Fashion-MNIST epochs in the comparison (0 = skip)")
	f.BoolVar(&claimsOnly, "claims-only", false, "only the claims table")
	f.StringVar(&mdPath, "md", "", "also write the tables into this markdown file (between bench markers)")
	return cmd
}
