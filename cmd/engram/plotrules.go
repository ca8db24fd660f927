package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/bench/rules"
)

// addPlotRules registers `engram plot rules` under the plot command of
// root.
func addPlotRules(root *cobra.Command, stdout, stderr io.Writer) {
	for _, c := range root.Commands() {
		if c.Name() == "plot" {
			c.AddCommand(newPlotRules(stdout, stderr))
		}
	}
}

func newPlotRules(stdout, stderr io.Writer) *cobra.Command {
	o := rules.DefaultFigureOptions()
	var out string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Draw the plasticity rules' classic figures (STDP windows, weight histograms, distal reward, homeostatic recovery)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			figs, err := rules.Figures(o, func(s string) { fmt.Fprintln(stderr, "computing:", s) })
			if err != nil {
				return err
			}
			paths, err := rules.SaveFigures(figs, out)
			for _, p := range paths {
				fmt.Fprintln(stdout, p)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "rules-figures", "output folder (PNG and SVG per figure)")
	f.IntVar(&o.SongSeconds, "song-seconds", o.SongSeconds, "simulated seconds of the weight-distribution runs")
	f.IntVar(&o.DistalSeconds, "distal-seconds", o.DistalSeconds, "simulated seconds of the distal-reward run")
	f.IntVar(&o.MSTHAfter, "msth-after", o.MSTHAfter, "seconds followed after each homeostatic perturbation")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "seed")
	return cmd
}
