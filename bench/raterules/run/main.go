// Command run prints the rate-rules benchmark (claims table and the MNIST /
// Fashion-MNIST comparison) until `engram bench rate-rules` is wired:
//
//	go run ./bench/raterules/run -epochs 10 -fashion-epochs 3
//
// -recipe trains MLP rules with raterules.DFARecipe, each field overridable
// by a flag (-sizes, -act, -epochs, -batch, -limit, -r-*); -r-val 10000
// holds out the last 10000 training images for choosing a recipe, -r-save
// keeps the weights and -r-test evaluates them once on the test set:
//
//	go run ./bench/raterules/run -recipe dfa -r-val 10000 -r-save /tmp/w
//	go run ./bench/raterules/run -recipe dfa -r-val 10000 -r-test /tmp/w
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/engram-lab/engram/bench/raterules"
	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/rate"
	"github.com/engram-lab/engram/rate/learn"
)

func main() {
	epochs := flag.Int("epochs", raterules.DefaultEpochs, "MNIST training epochs")
	fashion := flag.Int("fashion-epochs", 3, "Fashion-MNIST training epochs (0 = skip)")
	only := flag.String("only", "", "comma-separated claim rules to run (prefix match); empty = all")
	speed := flag.Bool("speed", false, "time one BP epoch of the 784-1000-10 ReLU MLP (Adam 1e-3, batch 100) and print JSON")
	dir := flag.Bool("mnist-dir", false, "print the MNIST folder as JSON")
	compareOnly := flag.Bool("compare-only", false, "skip the claims table")
	mlp := flag.String("mlp", "", "comma-separated MLP rules (bp,fa,dfa,drtp) to train with -sizes/-act/-lr/-decay/-batch, then exit")
	sizes := flag.String("sizes", "784,800,800,10", "MLP layer sizes for -mlp")
	act := flag.String("act", "tanh", "hidden activation for -mlp")
	lr := flag.Float64("lr", 1e-3, "Adam learning rate for -mlp")
	decay := flag.Float64("decay", 0.85, "learning-rate factor per epoch for -mlp")
	batch := flag.Int("batch", 100, "minibatch size for -mlp")
	data := flag.String("data", dataset.NameMNIST, "dataset for -mlp")
	shconv := flag.Bool("shconv", false, "train the convolutional SoftHebb front end + linear readout (-epochs readout epochs), then exit")
	shRandom := flag.Bool("sh-random", false, "with -shconv: skip Hebbian learning (random kernels)")
	shK := flag.Int("sh-kernels", 96, "with -shconv: kernels")
	cpuprof := flag.String("cpuprofile", "", "with -speed: write a CPU profile of the epoch to this file")
	shNorm := flag.Bool("sh-normlr", true, "with -shconv: norm-dependent learning rate (-sh-normlr=false: plain normalised step)")
	shLimit := flag.Int("limit", 0, "train on the first N training samples only (0 = all; with -recipe: before the -r-val split)")
	recipe := flag.String("recipe", "", "comma-separated MLP rules (bp,fa,dfa,drtp) to train with the DFA claim's recipe (raterules.DFARecipe) as modified by -sizes/-act/-epochs/-batch and the -r-* flags set on the command line, then exit")
	rOpt := flag.String("r-opt", "", "with -recipe: optimizer adam|momentum|sgd")
	rLR := flag.Float64("r-lr", 0, "with -recipe: initial learning rate")
	rMu := flag.Float64("r-mu", 0, "with -recipe: momentum")
	rSched := flag.String("r-sched", "", "with -recipe: schedule exp|cosine|linear")
	rDecay := flag.Float64("r-decay", 0, "with -recipe: factor per epoch for -r-sched exp")
	rWD := flag.Float64("r-wd", -1, "with -recipe: L2 weight decay on weight matrices")
	rDrop := flag.Float64("r-drop", -1, "with -recipe: hidden dropout probability")
	rInDrop := flag.Float64("r-indrop", -1, "with -recipe: input dropout probability")
	rNorm := flag.String("r-norm", "", "with -recipe: input normalisation none|center|std")
	rFB := flag.Float64("r-fbscale", 0, "with -recipe: feedback matrix scale")
	rVal := flag.Int("r-val", -1, "with -recipe: hold out the last N training images for validation (0 = train on 60000, report test)")
	rSeed := flag.Uint64("r-seed", 0, "with -recipe: seed")
	rSave := flag.String("r-save", "", "with -recipe: write the trained weights to this file (rule name appended)")
	cnnRule := flag.String("cnn", "", "train learn.CNN (conv 5×5, 32 kernels → ReLU → 2×2 max pool → dense; Adam 1e-3, batch 100, -epochs epochs, seed -r-seed or 1) with this rule (bp, fa, dfa, drtp), then exit")
	cnnFrozen := flag.Bool("cnn-frozen", false, "with -cnn dfa: zero the feedback projection so the kernels never move (random-kernel control)")
	rTest := flag.String("r-test", "", "with -recipe: do not train; load the weights -r-save wrote (same recipe flags) and print the test accuracy")
	flag.Parse()
	raterules.Progress = func(l string) { fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05"), l) }
	if *cnnRule != "" {
		if err := runCNN(*cnnRule, *cnnFrozen, *data, *epochs, max(*rSeed, 1)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if *shconv {
		tr, te, err := dataset.Load(*data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if *shLimit > 0 {
			tr = tr.Head(*shLimit)
		}
		c := learn.DefaultSoftHebbConv()
		c.ReadoutEpochs, c.Random, c.Kernels, c.NormLR = *epochs, *shRandom, *shK, *shNorm
		t0 := time.Now()
		_, res := learn.TrainSoftHebbConv(c, tr, te, func(ep int, loss, acc float64) {
			fmt.Fprintf(os.Stderr, "%s softhebb-conv epoch %d: loss %.4f test %.2f %% (%.0f s)\n", time.Now().Format("15:04:05"), ep+1, loss, 100*acc, time.Since(t0).Seconds())
		})
		fmt.Printf("softhebb-conv random=%v normlr=%v kernels=%d: %.2f %% (%.0f s)\n", *shRandom, *shNorm, *shK, 100*res.TestAcc, res.Wall.Seconds())
		return
	}
	if *recipe != "" {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		r := raterules.DFARecipe
		if set["sizes"] {
			r.Sizes = parseSizes(*sizes)
		}
		if set["act"] {
			k, err := rate.ParseKind(*act)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			r.Act = k
		}
		if set["epochs"] {
			r.Epochs = *epochs
		}
		if set["batch"] {
			r.Batch = *batch
		}
		if *rOpt != "" {
			r.Opt = *rOpt
		}
		if *rLR > 0 {
			r.LR = float32(*rLR)
		}
		if set["r-mu"] {
			r.Mu = float32(*rMu)
		}
		if *rSched != "" {
			r.Sched = *rSched
		}
		if *rDecay > 0 {
			r.LRDecay = float32(*rDecay)
		}
		if *rWD >= 0 {
			r.WD = float32(*rWD)
		}
		if *rDrop >= 0 {
			r.Drop = float32(*rDrop)
		}
		if *rInDrop >= 0 {
			r.InDrop = float32(*rInDrop)
		}
		if *rNorm != "" {
			r.Norm = *rNorm
		}
		if *rFB > 0 {
			r.FBScale = float32(*rFB)
		}
		if *rVal >= 0 {
			r.Val = *rVal
		}
		if *rSeed > 0 {
			r.Seed = *rSeed
		}
		if set["limit"] {
			r.Limit = *shLimit
		}
		for _, rule := range strings.Split(*recipe, ",") {
			r.Rule = rule
			fmt.Printf("recipe %+v\n", r)
			if *rTest != "" {
				acc, err := raterules.TestRecipe(r, *rTest+"."+rule, *data)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				fmt.Printf("%s test accuracy of %s: %.2f %%\n", rule, *rTest+"."+rule, 100*acc)
				continue
			}
			t0 := time.Now()
			res, err := raterules.RunRecipe(r, *data, func(e raterules.EpochLog) {
				fmt.Printf("%s %s epoch %d: lr %.3g train loss %.4f %s %.2f %% (%.0f s)\n", time.Now().Format("15:04:05"), rule, e.Epoch, e.LR, e.TrainLoss, "acc", 100*e.Acc, time.Since(t0).Seconds())
				os.Stdout.Sync()
			})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if *rSave != "" {
				if err := res.SaveWeights(*rSave + "." + rule); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			fmt.Printf("| %s | %s | %s | %d | %s %.2f %% | %.0f | %.0f s |\n", res.Rule, res.Dataset, res.Arch, res.Epochs, res.Split, 100*res.TestAcc, res.SamplesPerSec, res.Wall.Seconds())
		}
		return
	}
	if *mlp != "" {
		sz := parseSizes(*sizes)
		k, err := rate.ParseKind(*act)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, r := range strings.Split(*mlp, ",") {
			row, err := raterules.RunMLP(raterules.MLPRun{Rule: r, Sizes: sz, Act: k, Epochs: *epochs, Batch: *batch, LR: float32(*lr), LRDecay: float32(*decay), Seed: 1}, *data)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			fmt.Printf("| %s | %s | %s | %d | %.2f %% | %.0f | %.0f s |\n", row.Rule, row.Dataset, row.Arch, row.Epochs, 100*row.TestAcc, row.SamplesPerSec, row.Wall.Seconds())
		}
		return
	}
	if *dir {
		d, err := dataset.MNISTDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		b, _ := json.Marshal(map[string]string{"mnist_dir": d})
		fmt.Println(string(b))
		return
	}
	if *speed {
		if *cpuprof != "" {
			f, err := os.Create(*cpuprof)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
		r, err := raterules.Speed()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		b, _ := json.Marshal(map[string]float64{"epoch_s": r.Wall.Seconds(), "samples_per_s": r.SamplesPerSec, "test_acc": r.TestAcc})
		fmt.Println(string(b))
		return
	}
	fmt.Println("| rule | source | claim | measured | holds | wall |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, c := range raterules.Claims(*epochs) {
		if *compareOnly || *only != "" && !matches(c.Rule, *only) {
			continue
		}
		t0 := time.Now()
		v, ok, err := c.Measure()
		if err != nil {
			v = "error: " + err.Error()
		}
		fmt.Printf("| %s | %s | %s | %s | %v | %.1f s |\n", c.Rule, c.Source, c.Claim, v, ok, time.Since(t0).Seconds())
		os.Stdout.Sync()
	}
	if *only != "" {
		return
	}
	fmt.Println()
	fmt.Println("| rule | dataset | arch | epochs | test acc | samples/s | wall |")
	fmt.Println("|---|---|---|---|---|---|---|")
	pr := func(r raterules.Row) {
		fmt.Printf("| %s | %s | %s | %d | %.2f %% | %.0f | %.0f s |\n", r.Rule, r.Dataset, r.Arch, r.Epochs, 100*r.TestAcc, r.SamplesPerSec, r.Wall.Seconds())
	}
	if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameMNIST}, *epochs, pr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *fashion > 0 {
		if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameFashionMNIST}, *fashion, pr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func parseSizes(s string) []int {
	var sz []int
	for _, f := range strings.Split(s, ",") {
		var v int
		fmt.Sscan(f, &v)
		sz = append(sz, v)
	}
	return sz
}

func matches(rule, only string) bool {
	for _, p := range strings.Split(only, ",") {
		if p != "" && strings.HasPrefix(rule, p) {
			return true
		}
	}
	return false
}

// runCNN trains learn.CNN with rule on the named dataset and prints the test
// accuracy. frozen (DFA only) zeroes the projection B, so the kernels keep
// their random initial values and only the dense layer learns: the control
// that shows what the rule adds to the convolution.
func runCNN(name string, frozen bool, data string, epochs int, seed uint64) error {
	rule, err := learn.ParseRule(name)
	if err != nil {
		return err
	}
	if frozen && rule != learn.DFA {
		return fmt.Errorf("-cnn-frozen needs -cnn dfa")
	}
	tr, te, err := dataset.Load(data)
	if err != nil {
		return err
	}
	m := learn.NewCNN(rule, tr.Width, 32, tr.Classes, rate.ReLU, seed)
	if frozen {
		clear(m.B)
	}
	k0 := append([]float32(nil), m.Conv.Wt.W...)
	res := learn.Train(m, tr, te, learn.TrainConfig{Epochs: epochs, Batch: 100, LR: 1e-3, Seed: seed})
	moved := 0
	for i, w := range m.Conv.Wt.W {
		if w != k0[i] {
			moved++
		}
	}
	fmt.Printf("cnn %s frozen=%v %s seed %d, %d epochs: test %.2f %%, %.0f samples/s, %d of %d kernel weights changed\n",
		rule, frozen, data, seed, epochs, 100*res.TestAcc, res.SamplesPerSec, moved, len(k0))
	return nil
}
