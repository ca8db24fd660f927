#!/usr/bin/python3
"""Run Brian2's CUBA neuron (examples/CUBA.py, method 'exact') on a network
exported by engram (go run ./bench/peers -same-network MS): DIR/conn.csv
rows "pre,post,channel(0 exc, 1 inh),weight mV", DIR/v0.csv initial v (mV).
Writes DIR/brian2_spikes.csv rows "step,id". Refractory is t_ref + dt
(5.1 ms), Brian2's equivalent of engram's 5 ms (see docs/sim.md).
Usage: /usr/bin/python3 bench/peers/brian2_same_network.py DIR MS
"""
import os
import sys

import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, defaultclock, prefs,
                    run, ms, mV)

d, dur = sys.argv[1], float(sys.argv[2])
prefs.codegen.target = 'numpy'
defaultclock.dt = 0.1 * ms
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
v0 = np.loadtxt(os.path.join(d, 'v0.csv'))
P = NeuronGroup(len(v0), '''dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
                            dge/dt = -ge/taue : volt
                            dgi/dt = -gi/taui : volt''',
                threshold='v>Vt', reset='v = Vr', refractory=5 * ms + 0.1 * ms, method='exact')
P.v = v0 * mV
c = np.loadtxt(os.path.join(d, 'conn.csv'), delimiter=',')
e, i = c[c[:, 2] == 0], c[c[:, 2] == 1]
Ce = Synapses(P, P, 'w : volt', on_pre='ge += w')
Ce.connect(i=e[:, 0].astype(int), j=e[:, 1].astype(int))
Ce.w = e[:, 3] * mV
Ci = Synapses(P, P, 'w : volt', on_pre='gi -= w')
Ci.connect(i=i[:, 0].astype(int), j=i[:, 1].astype(int))
Ci.w = i[:, 3] * mV
M = SpikeMonitor(P)
run(dur * ms)
steps = np.round(np.asarray(M.t / ms) / 0.1).astype(int)
np.savetxt(os.path.join(d, 'brian2_spikes.csv'), np.column_stack([steps, np.asarray(M.i)]), fmt='%d', delimiter=',')
