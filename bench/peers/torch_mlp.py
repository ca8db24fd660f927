#!/usr/bin/python3
"""PyTorch side of the BP MLP speed comparison (run by torch_mlp_compare.py).

Trains a 784-1000-10 ReLU MLP with cross-entropy and Adam (lr 1e-3,
batch 100, one shuffled epoch) on MNIST from the idx files in DIR, on
THREADS CPU threads, and prints one JSON line:
{"epoch_s": training-loop seconds, "samples_per_s": ..., "test_acc": ...}.
The timed loop matches engram's learn.Train: batch gather, forward, loss,
backward and optimizer step; data loading and evaluation are excluded.

Usage: /usr/bin/python3 bench/peers/torch_mlp.py DIR [THREADS]
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch


def idx(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(d, base):
    for ext in ("", ".gz"):
        p = os.path.join(d, base + ext)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(os.path.join(d, base))


def main():
    d = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    xtr = torch.from_numpy(idx(find(d, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255)
    ytr = torch.from_numpy(idx(find(d, "train-labels-idx1-ubyte")).astype(np.int64))
    xte = torch.from_numpy(idx(find(d, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255)
    yte = torch.from_numpy(idx(find(d, "t10k-labels-idx1-ubyte")).astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, 1000), torch.nn.ReLU(), torch.nn.Linear(1000, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    bs = 100
    n = xtr.shape[0] // bs * bs
    t0 = time.perf_counter()
    perm = torch.randperm(xtr.shape[0])
    for i in range(0, n, bs):
        idxs = perm[i:i + bs]
        xb, yb = xtr[idxs], ytr[idxs]
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(xb), yb)
        loss.backward()
        opt.step()
    el = time.perf_counter() - t0
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(json.dumps({"epoch_s": el, "samples_per_s": n / el, "test_acc": acc, "threads": threads,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
