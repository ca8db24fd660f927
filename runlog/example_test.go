package runlog_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/engram-lab/engram/runlog"
)

func Example() {
	root, _ := os.MkdirTemp("", "runs")
	defer os.RemoveAll(root)

	run, err := runlog.New(root, "train")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer run.Close()
	run.SaveConfig(map[string]any{"seed": 1, "epochs": 3})
	run.SaveInfo(1, map[string]any{"dataset": "mnist"})
	m, _ := run.Metrics()
	m.Log(runlog.Row{"epoch": 1, "train_acc": 0.91})
	m.Log(runlog.Row{"epoch": 2, "train_acc": 0.95})

	csv, _ := os.ReadFile(run.Path("metrics.csv"))
	fmt.Print(string(csv))
	_, err = os.Stat(filepath.Join(run.Dir(), "run.json"))
	fmt.Println(err == nil)
	// Output:
	// epoch,train_acc
	// 1,0.91
	// 2,0.95
	// true
}
