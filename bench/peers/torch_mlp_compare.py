#!/usr/bin/python3
"""Side-by-side BP MLP speed: engram (Go, gonum Sgemm) vs PyTorch on the same cores.

Both train a 784-1000-10 ReLU MLP for one MNIST epoch (cross-entropy, Adam
lr 1e-3, batch 100) with the same thread budget; runs alternate (engram,
torch, engram, torch, ...) so both see the same machine load. Reports each
side's median epoch time and the ratio torch_time / engram_time (> 1 means
engram is faster). Usage, from the repository root:

    /usr/bin/python3 bench/peers/torch_mlp_compare.py [--reps 3] [--threads 2]

`engram bench rate-rules` runs the same alternation in Go (--torch-reps,
--threads) and writes it into BENCH.md; this script is the stand-alone form.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))


def run(cmd, env=None):
    out = subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    subprocess.run(["go", "build", "-o", "/tmp/engram-raterules-run", "./bench/raterules/run"], cwd=root, check=True)
    env = dict(os.environ, GOMAXPROCS=str(a.threads))
    d = run(["/tmp/engram-raterules-run", "-mnist-dir"])["mnist_dir"]
    go, th = [], []
    for r in range(a.reps):
        g = run(["/tmp/engram-raterules-run", "-speed"], env)
        tenv = dict(os.environ, OMP_NUM_THREADS=str(a.threads), OPENBLAS_NUM_THREADS=str(a.threads))
        t = run([sys.executable, os.path.join(here, "torch_mlp.py"), d, str(a.threads)], tenv)
        print(f"rep {r}: engram {g['epoch_s']:.2f} s ({g['test_acc']:.4f}), torch {t['epoch_s']:.2f} s ({t['test_acc']:.4f})", flush=True)
        go.append(g["epoch_s"])
        th.append(t["epoch_s"])
    gm, tm = statistics.median(go), statistics.median(th)
    print(json.dumps({"engram_epoch_s": gm, "torch_epoch_s": tm, "ratio_torch_over_engram": tm / gm,
                      "engram_samples_per_s": 60000 / gm, "torch_samples_per_s": 60000 / tm,
                      "threads": a.threads, "reps": a.reps, "torch": t["torch"]}))


if __name__ == "__main__":
    main()
