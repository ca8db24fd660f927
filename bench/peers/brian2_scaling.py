#!/usr/bin/python3
"""Brian2 side of the scaling sweep (go run ./bench/peers -scaling).

Builds and compiles, without running, Brette et al.'s (2007) COBA network
(the model of brian2_coba_cuba.py: exponential Euler, 0.1 ms steps) with N
neurons (80 % excitatory) and a fixed in-degree of 80 (64 excitatory and 16
inhibitory presynaptic partners per neuron, drawn without replacement by
Brian2's generator syntax i='k for k in sample(..., size=...)'), as a C++
standalone project (1 thread). The driver then runs the compiled binary
itself, to time it and read its peak RSS (getrusage of the child), and reads
Brian2's own loop timer from results/last_run_info.txt.

Usage: brian2_scaling.py N DURATION_S WORKDIR
Prints one JSON line: build_s (code generation + compile), brian2 version.
Run with the Debian interpreter: /usr/bin/python3 (python3-brian 2.5.1).
"""
import json
import os
import sys
import time

from brian2 import (NeuronGroup, Synapses, SpikeMonitor, defaultclock, device,
                    set_device, prefs, run, ms, mV, second, __version__)


def main():
    n, duration_s, workdir = int(sys.argv[1]), float(sys.argv[2]), os.path.abspath(sys.argv[3])
    set_device('cpp_standalone', directory=workdir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0  # one thread
    defaultclock.dt = 0.1 * ms
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -60 * mV
    Ee, Ei = 0 * mV, -80 * mV
    eqs = '''
    dv/dt  = (ge*(Ee-v) + gi*(Ei-v) - (v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    P = NeuronGroup(n, eqs, threshold='v>Vt', reset='v = Vr',
                    refractory=5 * ms, method='exponential_euler')
    P.v = 'El + (randn()*5 - 5)*mV'
    P.ge = 'randn()*1.5 + 4'
    P.gi = 'randn()*12 + 20'
    ne = n * 4 // 5
    Ce = Synapses(P, P, on_pre='ge += 0.6')   # 6 nS in units of gL = 10 nS
    Ci = Synapses(P, P, on_pre='gi += 6.7')   # 67 nS
    Ce.connect(i='k for k in sample(%d, size=64)' % ne)
    Ci.connect(i='k for k in sample(%d, %d, size=16)' % (ne, n))
    mon = SpikeMonitor(P)  # noqa: F841 (a local, so that run() collects it)
    run(duration_s * second)
    t0 = time.time()
    device.build(directory=workdir, compile=True, run=False, with_output=False)
    print(json.dumps(dict(event='built', n=n, build_s=time.time() - t0, brian2=__version__)), flush=True)


if __name__ == '__main__':
    main()
