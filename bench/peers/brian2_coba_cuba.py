#!/usr/bin/python3
"""Brian2 side of the engram-vs-Brian2 comparison (bench/peers).

Builds one of the two Brette et al. (2007) benchmark networks with Brian2's
C++ standalone device (1 thread, no OpenMP), compiles it once, then runs the
compiled binary on request so that a driver can alternate Brian2 and engram
runs. Every run draws a new random network (no fixed seed), like engram runs
with different seeds.

  CUBA: Brian2's examples/CUBA.py (brian-team/brian2), unchanged except for
        method='exact' (the same thing as its 'linear') and the duration.
  COBA: benchmark 1 of Brette et al. (2007) as in R. Brette's Brian script
        COBA.py of the paper's supplementary code (Dec 2007): v relative to
        rest, conductances in units of gL, we = 6 nS/10 nS, wi = 67 nS/10 nS,
        initial v ~ -60 + N(-5, 5^2) mV, ge ~ N(4, 1.5^2), gi ~ N(20, 12^2);
        written for Brian2 with method='exponential_euler' (engram's scheme)
        and 'unless refractory'.

Usage:
  brian2_coba_cuba.py once  coba|cuba DURATION_S WORKDIR SPIKES.csv
  brian2_coba_cuba.py serve coba|cuba DURATION_S WORKDIR
      then one command per stdin line: "run SPIKES.csv" or "quit".
Each build and run prints one JSON line on stdout: build_s (code generation +
C++ compile), run_s (Brian2's own timer of the simulation loop, i.e.
device._last_run_time), binary_s (wall time of the binary: network
construction + loop + writing results), spikes, rate_hz.
Run with the Debian interpreter: /usr/bin/python3 (python3-brian 2.5.1).
"""
import json
import os
import sys
import time

import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, defaultclock, device,
                    set_device, prefs, run, ms, mV, second, __version__)


def build(model, duration_s, workdir):
    set_device('cpp_standalone', directory=workdir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0  # one thread
    defaultclock.dt = 0.1 * ms
    if model == 'cuba':
        taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
        Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
        eqs = '''
        dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        '''
        P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr',
                        refractory=5 * ms, method='exact')
        P.v = 'Vr + rand() * (Vt - Vr)'
        P.ge = 0 * mV
        P.gi = 0 * mV
        we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
        wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
        Ce = Synapses(P, P, on_pre='ge += we')
        Ci = Synapses(P, P, on_pre='gi += wi')
    elif model == 'coba':
        taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
        Vt, Vr, El = -50 * mV, -60 * mV, -60 * mV
        Ee, Ei = 0 * mV, -80 * mV
        eqs = '''
        dv/dt  = (ge*(Ee-v) + gi*(Ei-v) - (v-El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : 1
        dgi/dt = -gi/taui : 1
        '''
        P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr',
                        refractory=5 * ms, method='exponential_euler')
        P.v = 'El + (randn()*5 - 5)*mV'
        P.ge = 'randn()*1.5 + 4'
        P.gi = 'randn()*12 + 20'
        we = 6. / 10.   # 6 nS in units of gL = 10 nS
        wi = 67. / 10.  # 67 nS
        Ce = Synapses(P, P, on_pre='ge += we')
        Ci = Synapses(P, P, on_pre='gi += wi')
    else:
        raise SystemExit('model must be coba or cuba')
    Ce.connect('i<3200', p=0.02)
    Ci.connect('i>=3200', p=0.02)
    mon = SpikeMonitor(P)
    run(duration_s * second)
    t0 = time.time()
    device.build(directory=workdir, compile=True, run=False, with_output=False)
    return mon, time.time() - t0, (Ce, Ci)


def run_once(workdir, mon, duration_s, out):
    device.run(workdir, with_output=False, run_args=[])
    steps = np.round(np.asarray(mon.t / ms) / 0.1).astype(np.int64)
    ids = np.asarray(mon.i)
    with open(out, 'w') as f:
        f.write('step,id\n')
        np.savetxt(f, np.column_stack([steps, ids]), fmt='%d', delimiter=',')
    return dict(event='run', run_s=device._last_run_time,
                binary_s=device.timers.get('run_binary'), spikes=int(len(ids)),
                rate_hz=len(ids) / 4000 / duration_s, spikes_file=out,
                time_unit='step')


def main():
    mode, model, duration_s, workdir = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    mon, build_s, syn = build(model, duration_s, os.path.abspath(workdir))
    print(json.dumps(dict(event='built', model=model, build_s=build_s,
                          brian2=__version__, python=sys.version.split()[0])), flush=True)
    if mode == 'once':
        r = run_once(workdir, mon, duration_s, sys.argv[5])
        r['synapses'] = int(len(syn[0]) + len(syn[1]))
        print(json.dumps(r), flush=True)
        return
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == 'quit':
            break
        if cmd[0] == 'run':
            print(json.dumps(run_once(workdir, mon, duration_s, cmd[1])), flush=True)


if __name__ == '__main__':
    main()
