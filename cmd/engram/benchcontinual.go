package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/continual"
)

func newBenchContinual(stdout, stderr io.Writer) *cobra.Command {
	o := continual.DefaultBench()
	var mdPath string
	cmd := &cobra.Command{
		Use:   "continual",
		Short: "Continual learning: method × stream table (ACC, BWT, FWT, memory, time) and the P16/P18/P25/P44 experiments",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var md bytes.Buffer
			fmt.Fprintf(&md, "Machine: %s, %d cores; %s. Command: `%s`\n\n", cpuModel(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
			o.Log = func(l string) { fmt.Fprintln(stderr, time.Now().Format("15:04:05"), l) }
			body, err := continual.Bench(cmd.Context(), o)
			md.WriteString(body)
			fmt.Fprint(stdout, md.String())
			if err != nil {
				return err
			}
			if mdPath != "" {
				return writeSection(mdPath, "continual", md.String())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Streams, "streams", o.Streams, "streams of the method table")
	f.StringSliceVar(&o.Methods, "methods", o.Methods, "methods of the method table")
	f.StringSliceVar(&o.Parts, "only", nil, "run only these parts: methods, fewshot, labelnoise, shift, perturb")
	f.IntVar(&o.Tasks, "tasks", o.Tasks, "tasks of the permuted and rotated streams")
	f.IntVar(&o.TrainLimit, "train-limit", o.TrainLimit, "training samples per task")
	f.IntVar(&o.TestLimit, "test-limit", o.TestLimit, "test samples per task")
	f.IntVar(&o.Epochs, "epochs", o.Epochs, "epochs per task (method table)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "seed")
	f.StringVar(&o.PlotDir, "plots", "", "folder for the concept-shift and perturbation accuracy-over-time curves (PNG, SVG)")
	f.StringVar(&mdPath, "md", "", "also write the tables into this markdown file (section continual, between bench markers)")
	return cmd
}
