#!/usr/bin/python3
"""The bench's recurrent ParaLIF-D fast=plain case against float64 (see README.md).

Reads what DumpPaths.java wrote: the network's float32 state, the batch, and per path (plain,
fast, nudged: the plain path with its parameters one ulp off, moved: nudged and its membranes
moved as the bench's yardstick moves them) the output, the gradients and every integrated
membrane. Recomputes the network in float64 from ParaLIF's equations, sequentially (torch
autograd), and prints each path's relative error against it, the spikes each path flips (its
spikes recomputed from its own float32 membranes with the Java and engine spike steps' float32
operations), and the bench's verdict per array under the old yardstick (nudged) and the new one
(moved, bounded by the output's change). Run with Debian's interpreter:

    /usr/bin/python3 tools/fastpath/float64_check.py DIR
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

ROUNDING_FACTOR = 10
d = sys.argv[1]
meta = [line.split() for line in open(os.path.join(d, 'meta.txt'))]
B, T, C, L, H, K = (int(meta[0][i]) for i in (1, 3, 5, 7, 9, 11))


def load(f, shape):
    a = np.fromfile(os.path.join(d, f), dtype='<f4')
    return a.reshape(()) if shape == 'scalar' else a.reshape([int(s) for s in shape.split('x')])


state, trainable, paths = {}, [], {}
for m in meta[1:]:
    if m[0] == 'state':
        state[m[1]] = load(m[2], m[3])
        if m[4] == 'true':
            trainable.append(m[1])
    else:
        paths.setdefault(m[0], {'out': [], 'membrane': []})[m[1]].append(load(m[3], m[4]))
index = np.fromfile(os.path.join(d, 'input.i32'), dtype='<i4')
labels = torch.as_tensor(np.fromfile(os.path.join(d, 'labels.i32'), dtype='<i4').astype(np.int64))
dense = np.zeros(B * T * C, np.float64)
np.add.at(dense, index, 1.0)


class FastSigmoidStep(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (100.0 * x.abs() + 1.0) ** 2


def shift(v):
    """[B,T,H] one step later, 0 at t = 0."""
    return F.pad(v, (0, 0, 1, 0))[:, :-1]


def integrate(X, a, b):
    syn = torch.zeros_like(X[:, 0])
    mem = torch.zeros_like(X[:, 0])
    out = []
    for x_t in X.unbind(1):
        syn = a * syn + x_t
        mem = b * mem + (1 - b) * syn
        out.append(mem)
    return torch.stack(out, 1)


def delta(v, th, decisions):
    x = v - shift(v) - th
    decisions.append(x.detach().numpy())
    return FastSigmoidStep.apply(x)


def float64_network():
    P = {k: torch.tensor(v.astype(np.float64), requires_grad=k in trainable) for k, v in state.items()}
    h = torch.tensor(dense.reshape(B, T, C))
    decisions = []
    for i in range(L):
        X = F.linear(h, P[f'{2 * i}.weight'], P[f'{2 * i}.bias'])
        pre = f'{2 * i + 1}.'
        th, a, b = torch.relu(P[pre + '_spk_threshold']), P[pre + '_alpha'], P[pre + '_beta']
        hidden = integrate(X, a, b)
        fed = delta(shift(hidden), th, decisions)
        mem = hidden + integrate(X + F.linear(fed, P[pre + 'fc_recu.weight'], P[pre + 'fc_recu.bias']), a, b)
        h = delta(mem, th, decisions)
    out = integrate(F.linear(h, P[f'{2 * L}.weight'], P[f'{2 * L}.bias']), P[f'{2 * L + 1}._alpha'],
                    P[f'{2 * L + 1}._beta'])
    F.cross_entropy(out.mean(1), labels).backward()
    return [out.detach().numpy()] + [P[k].grad.numpy() for k in trainable], decisions


def float32_spikes(path):
    """A path's state and spikes per layer from its own membranes (float32, [T,B,H] -> [B,T,H])."""
    out = []
    mems = path['membrane']
    if len(mems) < 2 * L:  # a recurrent layer's fused Java integrations do not pass NoiseSource#membrane
        return None
    for i in range(L):
        th = np.maximum(state[f'{2 * i + 1}._spk_threshold'], np.float32(0))
        hidden, second = mems[2 * i][:T], mems[2 * i + 1][:T]
        for n in (np.concatenate([np.zeros_like(hidden[:1]), hidden[:-1]]), hidden + second):
            previous = np.concatenate([np.zeros_like(n[:1]), n[:-1]])
            out.append(((n - previous) - th > 0).transpose(1, 0, 2))
    return out


def rel(ref, a):
    ref, a = np.asarray(ref, np.float64).ravel(), np.asarray(a, np.float64).ravel()
    return np.linalg.norm(a - ref) / max(np.linalg.norm(ref), 1e-300)


truth, decisions = float64_network()
names = ['output'] + ['grad ' + k for k in trainable]
cols = list(paths)
print(f'batch {B}, {T} steps, {H} hidden, {L} recurrent ParaLIF-D layers')
print('%-26s' % 'error vs float64' + ''.join('%12s' % c for c in cols))
for i, n in enumerate(names):
    print('%-26s' % n + ''.join('%12.2e' % rel(truth[i], paths[c]['out'][i]) for c in cols))
print('flipped decisions vs float64 (%d per array)' % decisions[0].size)
print('%-26s' % 'layer' + ''.join('%12s' % c for c in cols) + '%12s  margin' % 'fast-plain')
spikes = {c: float32_spikes(paths[c]) for c in cols}
def flips(a, b):
    return '%12s' % '-' if a is None or b is None else '%12d' % int((a != b).sum())


for j, x in enumerate(decisions):
    print('%-26s' % f'{j // 2} {"state" if j % 2 == 0 else "spikes"} ({int((x > 0).sum())})'
          + ''.join(flips(None if spikes[c] is None else spikes[c][j], x > 0) for c in cols)
          + flips(None if spikes['fast'] is None else spikes['fast'][j], spikes['plain'][j])
          + '  %.1e' % np.abs(x).min())
print('verdict: fast vs plain, 10 x old yardstick (nudged), 10 x new (moved, at least the output\'s)')
plain, fast = paths['plain']['out'], paths['fast']['out']
moved_output = rel(plain[0], paths['moved']['out'][0])
for i, n in enumerate(names):
    e = rel(plain[i], fast[i])
    fixed = 5e-3 if plain[i].size == 1 else 5e-4
    old = ROUNDING_FACTOR * rel(plain[i], paths['nudged']['out'][i])
    new = ROUNDING_FACTOR * max(rel(plain[i], paths['moved']['out'][i]), moved_output)
    print('%-26s %10.2e %10.2e %10.2e   old %-3s new %s' % (
        n, e, old, new, 'yes' if e <= fixed or e <= old else 'NO', 'yes' if e <= fixed or e <= new else 'NO'))
