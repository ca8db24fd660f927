#!/usr/bin/python3
"""Golden spike times from Brian2 for single neurons driven by one input
spike train, for engram's netspec/brian2_test.go (which never needs Brian2).

Writes testdata/brian2/input.csv and input_inh.csv (the input trains),
lif.csv, izhikevich.csv and cuba.csv (output spike times, ms), each with a
provenance header.
Run from the repository root:  /usr/bin/python3 bench/peers/brian2_golden.py

Models and the engram conventions they reproduce (dt = 0.1 ms):
  LIF: tau_m dv/dt = -(v - EL) + I, tau_s dI/dt = -I (neuron.LIF), exact
       integration (method='exact'); an input spike adds w to I. Threshold
       v >= -50 mV, reset -60 mV. engram holds a neuron for round(t_ref/dt)
       steps after its spike step; Brian2 counts the spike step, so Brian2's
       refractory = t_ref + dt is the same model.
  Izhikevich (2003) RS: forward Euler, h = dt = 0.1 ms, v first, then u with
       the new v (Izhikevich's code and neuron.Izhikevich); an input spike
       adds w to I for one step. Brian2's euler updates v and u together, so
       u's update is a run_regularly after the state update, which also clears
       I; spikes at v >= 30, reset v = c, u += d.
  CUBA: Brian2's examples/CUBA.py neuron (two current time constants,
       exact), driven by input.csv on ge and input_inh.csv on gi.
Input spikes (synapses without delay) act from the next step in Brian2, as
engram's one-step delay.
"""
import datetime
import os
import sys

import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeGeneratorGroup, SpikeMonitor,
                    Network, defaultclock, prefs, ms, mV, __version__)

prefs.codegen.target = 'numpy'  # no compiler needed for one neuron
DT = 0.1
DUR = 2000.0
RATE = 800.0  # Hz
W_LIF = 3.0   # mV
W_IZH = 60.0  # Izhikevich current units
W_CUBA_E = 1.62   # mV (Brette 2007 CUBA we)
W_CUBA_I = -9.0   # mV (wi)
RATE_INH = 80.0   # Hz
OUT = 'testdata/brian2'


def input_train(rate=RATE, seed=2007):
    rng = np.random.RandomState(seed)
    steps = np.nonzero(rng.rand(int(DUR / DT)) < rate * DT / 1000)[0]
    return np.round(steps * DT, 1)


def header(f, what, extra):
    f.write(f'# {what}\n')
    f.write(f'# produced by bench/peers/brian2_golden.py with Brian2 {__version__} '
            f'(python3-brian, numpy target, float64) on {datetime.date.today().isoformat()}\n')
    for line in extra:
        f.write(f'# {line}\n')


def run_lif(times):
    defaultclock.dt = DT * ms
    taum, taus, El, Vt, Vr, tref = 20 * ms, 5 * ms, -60 * mV, -50 * mV, -60 * mV, 5 * ms
    G = NeuronGroup(1, '''dv/dt = (I - (v - El))/taum : volt (unless refractory)
                          dI/dt = -I/taus : volt''',
                    threshold='v >= Vt', reset='v = Vr', refractory=tref + DT * ms,
                    method='exact')
    G.v = El
    S = SpikeGeneratorGroup(1, np.zeros(len(times), dtype=int), times * ms)
    C = Synapses(S, G, on_pre=f'I += {W_LIF}*mV')
    C.connect()
    M = SpikeMonitor(G)
    Network(G, S, C, M).run(DUR * ms)
    return np.asarray(M.t / ms)


def run_cuba(times, times_inh):
    defaultclock.dt = DT * ms
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    G = NeuronGroup(1, '''dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
                          dge/dt = -ge/taue : volt
                          dgi/dt = -gi/taui : volt''',
                    threshold='v >= Vt', reset='v = Vr', refractory=5 * ms + DT * ms,
                    method='exact')
    G.v = -60 * mV
    S = SpikeGeneratorGroup(2, np.r_[np.zeros(len(times), dtype=int), np.ones(len(times_inh), dtype=int)],
                            np.r_[times, times_inh] * ms)
    Ce = Synapses(S, G, on_pre=f'ge += {W_CUBA_E}*mV')
    Ce.connect(i=0, j=0)
    Ci = Synapses(S, G, on_pre=f'gi += {W_CUBA_I}*mV')
    Ci.connect(i=1, j=0)
    M = SpikeMonitor(G)
    Network(G, S, Ce, Ci, M).run(DUR * ms)
    return np.asarray(M.t / ms)


def run_izh(times):
    defaultclock.dt = DT * ms
    a, b, c, d = 0.02, 0.2, -65.0, 8.0
    G = NeuronGroup(1, '''dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
                          u : 1
                          I : 1''',
                    threshold='v >= 30', reset='v = c; u += d', method='euler',
                    namespace=dict(c=c, d=d))
    G.v = -65
    G.u = b * -65
    G.run_regularly(f'u += (dt/ms)*{a}*({b}*v - u)\nI = 0', when='after_groups')
    S = SpikeGeneratorGroup(1, np.zeros(len(times), dtype=int), times * ms)
    C = Synapses(S, G, on_pre=f'I_post += {W_IZH}')
    C.connect()
    M = SpikeMonitor(G)
    Network(G, S, C, M).run(DUR * ms)
    return np.asarray(M.t / ms)


def main():
    os.makedirs(OUT, exist_ok=True)
    times = input_train()
    with open(os.path.join(OUT, 'input.csv'), 'w') as f:
        header(f, 'input spike train (one source neuron), ms',
               [f'Bernoulli per step, rate {RATE} Hz, dt {DT} ms, {DUR} ms, numpy RandomState(2007)'])
        f.write('t_ms\n')
        np.savetxt(f, times, fmt='%.1f')
    runs = [('lif.csv', run_lif,
             ['LIF tau_m=20 ms tau_syn=5 ms e_l=-60 v_th=-50 v_reset=-60 t_ref=5 ms (engram) / refractory 5.1 ms (Brian2)',
              f'weight {W_LIF} mV per input spike, dt {DT} ms, method exact']),
            ('izhikevich.csv', run_izh,
             ['Izhikevich RS a=0.02 b=0.2 c=-65 d=8, v0=-65, u0=b*v0',
              f'weight {W_IZH} per input spike (held one step), dt {DT} ms, Euler v then u'])]
    inh = input_train(RATE_INH, 2008)
    with open(os.path.join(OUT, 'input_inh.csv'), 'w') as f:
        header(f, 'second input spike train (inhibitory, for cuba.csv), ms',
               [f'Bernoulli per step, rate {RATE_INH} Hz, dt {DT} ms, {DUR} ms, numpy RandomState(2008)'])
        f.write('t_ms\n')
        np.savetxt(f, inh, fmt='%.1f')
    runs.append(('cuba.csv', lambda t: run_cuba(t, inh),
                 ['CUBA (Brian2 examples/CUBA.py neuron) tau_m=20 tau_e=5 tau_i=10 ms e_l=-49 v_th=-50 v_reset=-60 mV, v0=-60 mV',
                  f't_ref=5 ms (engram) / refractory 5.1 ms (Brian2); exc weight {W_CUBA_E} mV from input.csv, inh weight {W_CUBA_I} mV from input_inh.csv, method exact']))
    for name, fn, extra in runs:
        t = fn(times)
        with open(os.path.join(OUT, name), 'w') as f:
            header(f, f'output spike times of one neuron, ms ({len(t)} spikes)', extra)
            f.write('t_ms\n')
            np.savetxt(f, t, fmt='%.1f')
        print(name, len(t), 'spikes', file=sys.stderr)


if __name__ == '__main__':
    main()
