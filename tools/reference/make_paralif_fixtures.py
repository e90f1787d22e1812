#!/usr/bin/python3
"""Writes the ParaLIF parity fixtures (src/test/resources/reference/paralif/).

Written from the equations of ParaLIF (../shared/spec/PARALIF.md, settled against ParaLIF's code;
none of that code is used or copied here). The file format is tools/reference/PARALIF-FIXTURES.md.
Run with Debian's interpreter (PyTorch 1.13, numpy):

    /usr/bin/python3 tools/reference/make_paralif_fixtures.py

The reference is computed in float64 from the float32 values stored in the files; the same
networks are rerun in float32 with ParaLIF's algorithm (length-2T FFTs) to check that every
firing decision agrees and to print the float32 error a correct implementation makes. Every
random number comes from numpy's PCG64 generator with fixed seeds, torch runs on one thread and
zip entries carry a fixed date, so two runs write the same bytes.
"""
import argparse
import collections
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import Writer, f32, npy, scalar  # noqa: E402  (the SPSN fixtures' writer)

DT = 1e-3
MODES = ["GS", "SB", "TRB", "D", "SD", "TD", "TRD", "T", "ST", "TT", "TRT"]  # ParaLIF's order
LOSS_MODE_CODES = {"last": 0, "max": 1, "mean": 2, "cumsum": 3}
SURROGATE_CODES = {"fastsig": 0, "atan": 1}
DEFAULT_SCALE = {"fastsig": 100.0, "atan": 2.0}
# Smallest distance of any firing decision (and relu gate) of the float64 reference from its
# threshold. float32 errors of the decision variables are ~1e-6 here (printed per file).
DECISION_MARGIN = 1e-4
# Conditioning: a draw is kept only if a plain float32 implementation (the sequential recurrence in
# float32 torch) is within this scaled error of the float64 reference in every forward value and
# every gradient. Sums that cancel (the gradient of a shared beta, say) can otherwise leave a
# float32 result off by 1e-3 relative although the implementation is correct.
CONDITIONING = 2e-5
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "..", "..", "src", "test", "resources", "reference", "paralif")
F64 = torch.float64


def normaliser_code(mode):
    if mode in ("SB", "SD", "ST"):
        return 1
    if mode in ("TD", "TT"):
        return 2
    if mode in ("TRB", "TRD", "TRT"):
        return 3
    return 0


def generator_code(mode):
    if mode == "GS":
        return 0
    if mode in ("SB", "TRB"):
        return 1
    return 2 if "D" in mode else 3


def default_threshold(mode):
    """examples/basic's create_network: 0.1 for the delta modes, else 1.0."""
    return 0.1 if "D" in mode else 1.0


def f32_decay(tau):
    """exp(-dt/tau) computed the way ParaLIF does: float32 torch arithmetic."""
    return npy(torch.exp(-DT / torch.tensor(tau, dtype=torch.float32)))


# ---------------------------------------------------------------- spike functions (autograd)

class FastSigmoidStep(torch.autograd.Function):
    """H(x) = [x > 0]; backward g / (k|x| + 1)^2."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (ctx.k * x.abs() + 1.0) ** 2, None


class AtanStep(torch.autograd.Function):
    """H(x) = [x > 0]; backward (k/2) / (1 + (pi/2 k x)^2) g."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (ctx.k / 2) / (1 + (math.pi / 2 * ctx.k * x) ** 2), None


class BernoulliStraightThrough(torch.autograd.Function):
    """spike = [u < p]; backward g * p to p, nothing to the noise."""

    @staticmethod
    def forward(ctx, p, u):
        ctx.save_for_backward(p)
        return (u < p).to(p.dtype)

    @staticmethod
    def backward(ctx, grad):
        (p,) = ctx.saved_tensors
        return grad * p, None


def heaviside(x, surrogate):
    kind, k = surrogate
    return (FastSigmoidStep if kind == "fastsig" else AtanStep).apply(x, k)


def gumbel_soft(v, u0, u1):
    g0 = -torch.log(-torch.log(u0))
    g1 = -torch.log(-torch.log(u1))
    return torch.softmax(torch.stack([v + g0, -v + g1]), dim=0)[0]


def normalise(v, code):
    if code == 1:
        return torch.sigmoid(v)
    if code == 2:
        return torch.tanh(v)
    if code == 3:
        return torch.relu(torch.tanh(v))
    return v


def shift_right(v):
    """[B,T,H] -> the same one step later, 0 at t = 0."""
    return F.pad(v, (0, 0, 1, 0))[:, :-1]


class NoiseFeed:
    """Gives the spike functions their uniforms. Drawing (rng given): float32 uniforms in
    (1e-6, 1-1e-6), entries within DECISION_MARGIN of the decision redrawn, recorded in order.
    Replaying: the recorded arrays in order, in the dtype asked for."""

    def __init__(self, rng=None, arrays=None):
        self.rng = rng
        self.arrays = [] if arrays is None else list(arrays)
        self.next = 0

    def _draw(self, shape):
        return f32(self.rng.uniform(1e-6, 1 - 1e-6, size=shape))

    def _take(self, count, like):
        out = self.arrays[self.next:self.next + count]
        assert len(out) == count, "the replayed network asks for more noise than was drawn"
        self.next += count
        return [torch.as_tensor(u.astype(np.float64), dtype=like.dtype) for u in out]

    def bernoulli(self, p):
        if self.rng is not None:
            pd = p.detach().double().numpy()
            u = self._draw(pd.shape)
            for _ in range(1000):
                bad = np.abs(u.astype(np.float64) - pd) < DECISION_MARGIN
                if not bad.any():
                    break
                u[bad] = self._draw(int(bad.sum()))
            else:
                raise RuntimeError("no Bernoulli noise clear of the decision")
            self.arrays.append(u)
        return self._take(1, p)[0]

    def gumbel(self, v):
        if self.rng is not None:
            vd = v.detach().double()
            u0, u1 = self._draw(vd.shape), self._draw(vd.shape)
            for _ in range(1000):
                y = gumbel_soft(vd, torch.tensor(u0, dtype=F64), torch.tensor(u1, dtype=F64)).numpy()
                bad = np.abs(y - 0.5) < DECISION_MARGIN
                if not bad.any():
                    break
                u0[bad] = self._draw(int(bad.sum()))
                u1[bad] = self._draw(int(bad.sum()))
            else:
                raise RuntimeError("no Gumbel noise clear of the decision")
            self.arrays += [u0, u1]
        return self._take(2, v)


def spike(v, mode, theta, surrogate, feed, decisions, shifted=False):
    """ParaLIF's spike function on a membrane [B,T,H]: normalise, then generate. Appends the
    signed decision variables (and relu gates) to `decisions`. shifted: v is a shifted membrane
    whose t = 0 is the constant pad (its relu gate is exactly 0 everywhere and carries nothing)."""
    code = normaliser_code(mode)
    n = normalise(v, code)
    if code == 3:
        decisions.append((v[:, 1:] if shifted else v).detach())
    gen = generator_code(mode)
    if gen == 2:  # delta: n_{-1} = 0 after normalisation
        d = n - shift_right(n) - theta
        decisions.append(d.detach())
        return heaviside(d, surrogate)
    if gen == 3:
        d = n - theta
        decisions.append(d.detach())
        return heaviside(d, surrogate)
    if gen == 1:
        u = feed.bernoulli(n)
        decisions.append((n - u).detach())
        return BernoulliStraightThrough.apply(n, u)
    u0, u1 = feed.gumbel(n)
    y = gumbel_soft(n, u0, u1)
    decisions.append((y - 0.5).detach())
    return (y > 0.5).to(y.dtype) - y.detach() + y


# ---------------------------------------------------------------- integration

def integrate_recurrence(X, a, b):
    """I_t = a I_{t-1} + X_t, V_t = b V_{t-1} + (1-b) I_t; a, b 0-d or [H]."""
    syn = torch.zeros_like(X[:, 0])
    mem = torch.zeros_like(X[:, 0])
    out = []
    for x_t in X.unbind(1):
        syn = a * syn + x_t
        mem = b * mem + (1 - b) * syn
        out.append(mem)
    return torch.stack(out, 1)


def integrate_fft(X, a, b, circular=False):
    """The integration with FFTs of length 2T, ParaLIF's way of computing it in parallel.
    ParaLIF multiplies the spectra of X, a^n and (1-b) b^n (each zero-padded from T to 2T): the
    triple product is a convolution of linear length 3T-2 taken circularly over 2T, so the terms
    past 2T wrap into the steps t <= T-3 (circular=True reproduces that; it is the same product
    as the SPSN original's). The default truncates the kernel a^n * (1-b) b^n to T steps first,
    which makes the length-2T product exactly the causal integration (= the recurrence)."""
    T = X.shape[1]
    n = torch.arange(T, dtype=X.dtype)
    if a.dim() > 0:
        n = n[:, None]
    kernel = torch.fft.rfft(a ** n, n=2 * T, dim=0) * torch.fft.rfft(b ** n * (1 - b), n=2 * T, dim=0)
    if not circular:
        kernel = torch.fft.rfft(torch.fft.irfft(kernel, n=2 * T, dim=0)[:T], n=2 * T, dim=0)
    if kernel.dim() == 1:
        kernel = kernel[:, None]
    return torch.fft.irfft(torch.fft.rfft(X, n=2 * T, dim=1) * kernel, n=2 * T, dim=1)[:, :T]


# ---------------------------------------------------------------- layers and networks

class Spec:
    """One neuron module of ParaLIF's Sequential (the Linear before it is module index-1)."""

    def __init__(self, kind, mode=None, fire=True, recurrent=False, recurrent_fire=True,
                 learn_threshold=False, learn_tau=False, surrogate=("fastsig", 100.0)):
        self.kind, self.mode, self.fire = kind, mode, fire
        self.recurrent, self.recurrent_fire = recurrent, recurrent_fire
        self.learn_threshold, self.learn_tau, self.surrogate = learn_threshold, learn_tau, surrogate


def neuron_entries(spec, n, theta, tau_syn, tau_mem, rng, rec_gain):
    """(name, float32 value, is_parameter) of a neuron module in ParaLIF's registration order:
    Base registers nb_spike_per_neuron, _spk_threshold, _alpha, _beta, fc_recu; ParaLIF then adds
    nb_spike_per_neuron_rec. The state_dict lists parameters, then buffers, then fc_recu."""
    own = [("nb_spike_per_neuron", np.zeros(n, np.float32), False),
           ("_spk_threshold", f32(theta), spec.learn_threshold),
           ("_alpha", f32_decay(tau_syn), spec.learn_tau),
           ("_beta", f32_decay(tau_mem), spec.learn_tau)]
    if spec.kind == "paralif":
        own.append(("nb_spike_per_neuron_rec", np.zeros(n, np.float32), False))
    entries = [e for e in own if e[2]] + [e for e in own if not e[2]]
    if spec.recurrent:
        bound = rec_gain * math.sqrt(3 / n)
        entries += [("fc_recu.weight", f32(rng.uniform(-bound, bound, (n, n))), True),
                    ("fc_recu.bias", f32(rng.uniform(-0.1, 0.1, n)), True)]
    return entries


def effective(P, prefix, spec):
    th = P[prefix + "_spk_threshold"]
    a, b = P[prefix + "_alpha"], P[prefix + "_beta"]
    if spec.learn_threshold:
        th = torch.relu(th)
    if spec.learn_tau:
        a, b = torch.sigmoid(a), torch.sigmoid(b)
    return th, a, b


def paralif_forward(X, P, prefix, spec, feed, decisions, integrate):
    th, a, b = effective(P, prefix, spec)
    mem_hidden = integrate(X, a, b)
    out = {"mem_hidden": mem_hidden}
    if spec.recurrent:
        s = shift_right(mem_hidden)
        if spec.recurrent_fire:
            hidden = spike(s, spec.mode, th, spec.surrogate, feed, decisions, shifted=True)
        else:
            decisions.append(s[:, 1:].detach())
            hidden = torch.relu(s)
        rec = F.linear(hidden, P[prefix + "fc_recu.weight"], P[prefix + "fc_recu.bias"])
        mem = mem_hidden + integrate(X + rec, a, b)
        out.update(hidden=hidden, recurrent_input=rec)
    else:
        mem = mem_hidden
    out["mem"] = mem
    if spec.fire:
        out["spikes"] = spike(mem, spec.mode, th, spec.surrogate, feed, decisions)
    return out


def lif_forward(X, P, prefix, spec, decisions):
    """lif.py's equations: sequential, hard reset with the spike detached."""
    th, a, b = effective(P, prefix, spec)
    syn = torch.zeros_like(X[:, 0])
    mem = torch.zeros_like(X[:, 0])
    spk = torch.zeros_like(X[:, 0])
    mems, before, spikes = [], [], []
    for x_t in X.unbind(1):
        syn = a * syn + x_t
        if spec.recurrent:
            if spec.recurrent_fire:
                prev = spk
            else:
                prev = torch.relu(mem)
                if len(spikes) > 0:  # gates of the neurons that did not just reset to exactly 0
                    decisions.append(mem.detach()[spikes[-1].detach() == 0])
            syn = syn + F.linear(prev, P[prefix + "fc_recu.weight"], P[prefix + "fc_recu.bias"])
        mem = b * mem + (1 - b) * syn
        if spec.fire:
            before.append(mem.detach().clone())
            decisions.append((mem - th).detach())
            spk = heaviside(mem - th, spec.surrogate)
            mem = mem * (1 - spk.detach())
        mems.append(mem)
        spikes.append(spk)
    out = {"mem": torch.stack(mems, 1)}
    if spec.fire:
        out.update(spikes=torch.stack(spikes, 1), mem_before_reset=torch.stack(before, 1))
    return out


def layer_forward(X, P, index, spec, feed, decisions, integrate):
    prefix = f"{index}."
    if spec.kind == "lif":
        return lif_forward(X, P, prefix, spec, decisions)
    return paralif_forward(X, P, prefix, spec, feed, decisions, integrate)


def network_forward(x, P, specs, feed, decisions, integrate):
    """ParaLIF's nn.Sequential: Linear at 2i, neuron at 2i+1; returns the last membrane and
    every neuron module's outputs."""
    h, outs = x, []
    for i, spec in enumerate(specs):
        X = F.linear(h, P[f"{2 * i}.weight"], P[f"{2 * i}.bias"])
        out = layer_forward(X, P, 2 * i + 1, spec, feed, decisions, integrate)
        out["X"] = X
        outs.append(out)
        h = out["spikes"] if spec.fire else out["mem"]
    return h, outs


def reduce_time(out, mode):
    if mode == "last":
        return out[:, -1]
    if mode == "max":
        return out.max(1).values
    if mode == "cumsum":
        return F.softmax(out, dim=2).sum(1)
    return out.mean(1)


def min_distance(decisions):
    return min(d.abs().min().item() for d in decisions if d.numel() > 0)


def decisions_agree(d64, d32):
    assert len(d64) == len(d32)
    return all(torch.equal(a > 0, b > 0) for a, b in zip(d64, d32))


def worst_error(pairs):
    """Largest scaled error over (reference, other) pairs, skipping all-zero references."""
    return max([scaled_error(r, o) for r, o in pairs if np.any(r)] + [0.0])


def scaled_error(ref, other):
    ref, other = np.asarray(ref, np.float64), np.asarray(other, np.float64)
    return float(np.max(np.abs(ref - other)) / max(np.max(np.abs(ref)), 1e-300))


# ---------------------------------------------------------------- state and replay helpers

def to_tensors(state, dtype, grad):
    """name -> tensor; Parameters (is_parameter) are leaves requiring grad when grad is True."""
    return {k: torch.tensor(v.astype(np.float64), dtype=dtype, requires_grad=grad and p)
            for k, (v, p) in state.items()}


def adamax_steps(state, grads, lr, weight_decay):
    """One torch.optim.Adamax step in float32 from the float32 reference gradients; a Parameter
    without a gradient (grad None) is skipped by Adamax. Returns name -> after - before."""
    params = {k: torch.nn.Parameter(torch.tensor(v)) for k, (v, p) in state.items() if p}
    for k, t in params.items():
        t.grad = None if grads.get(k) is None else torch.tensor(grads[k])
    opt = torch.optim.Adamax(list(params.values()), lr=lr, betas=(0.9, 0.999), eps=1e-8,
                             weight_decay=weight_decay)
    opt.step()
    return {k: f32(npy(t) - state[k][0]) for k, t in params.items()}


def common_codes(spec, mode):
    return {"mode_code": np.asarray(MODES.index(mode) if mode else -1, np.int64),
            "normaliser_code": np.asarray(normaliser_code(mode) if mode else -1, np.int64),
            "generator_code": np.asarray(generator_code(mode) if mode else -1, np.int64),
            "surrogate_code": np.asarray(SURROGATE_CODES[spec.surrogate[0]], np.int64),
            "surrogate_scale": scalar(spec.surrogate[1]),
            "recurrent": np.asarray(int(spec.recurrent), np.int64),
            "recurrent_fire": np.asarray(int(spec.recurrent_fire), np.int64),
            "learn_threshold": np.asarray(int(spec.learn_threshold), np.int64),
            "learn_tau": np.asarray(int(spec.learn_tau), np.int64), "dt": scalar(DT)}


def store_state(arrays, state, P_after, grads):
    """param:/buffer: keys in state_dict order (Parameters, then buffers, as listed in state:
    see neuron_entries), buffers with their values after the forward pass."""
    for k, (v, p) in state.items():
        if p:
            arrays[f"param:{k}"] = v
    for k, (v, p) in state.items():
        if not p:
            arrays[f"buffer:{k}"] = P_after.get(k, v)
    for k, (v, p) in state.items():
        if p and grads.get(k) is None:
            arrays[f"nograd:{k}"] = np.asarray(1, np.int64)
        elif p:
            arrays[f"grad:{k}"] = grads[k]


def rate_buffers(specs, outs):
    """nb_spike_per_neuron(_rec) after the forward pass, as ParaLIF's modules leave them."""
    after = {}
    for i, (spec, out) in enumerate(zip(specs, outs)):
        if spec.fire:
            after[f"{2 * i + 1}.nb_spike_per_neuron"] = f32(npy(out["spikes"].mean((0, 1))))
            if spec.kind == "paralif" and spec.recurrent and spec.recurrent_fire:
                after[f"{2 * i + 1}.nb_spike_per_neuron_rec"] = f32(npy(out["hidden"].mean((0, 1))))
    return after


# ---------------------------------------------------------------- self-checks

def check_integration_and_tau_gradient():
    """FFT (ParaLIF's algorithm) = recurrence = explicit causal convolution in float64, and the
    autograd gradients of sigmoid-parametrised decays match central finite differences."""
    rng = np.random.default_rng(9000)
    X = torch.tensor(rng.standard_normal((2, 37, 4)), dtype=F64)
    R = torch.tensor(rng.standard_normal((2, 37, 4)), dtype=F64)
    for per_neuron in (False, True):
        shape = (4,) if per_neuron else ()
        ra = torch.tensor(rng.uniform(0.5, 3.0, shape), dtype=F64, requires_grad=True)
        rb = torch.tensor(rng.uniform(0.5, 3.0, shape), dtype=F64, requires_grad=True)
        loss_of = {}
        for name, integ in (("rec", integrate_recurrence), ("fft", integrate_fft)):
            loss = (integ(X, torch.sigmoid(ra), torch.sigmoid(rb)) * R).sum()
            ga, gb = torch.autograd.grad(loss, (ra, rb))
            loss_of[name] = (loss.item(), ga.numpy().copy(), gb.numpy().copy())
        assert abs(loss_of["rec"][0] - loss_of["fft"][0]) < 1e-9 * max(1, abs(loss_of["rec"][0]))
        assert np.allclose(loss_of["rec"][1], loss_of["fft"][1], rtol=1e-9, atol=1e-10)
        assert np.allclose(loss_of["rec"][2], loss_of["fft"][2], rtol=1e-9, atol=1e-10)
        # explicit convolution with h[n] = sum_{i+j=n} a^i (1-b) b^j
        a, b = torch.sigmoid(ra).detach().numpy(), torch.sigmoid(rb).detach().numpy()
        T = X.shape[1]
        n = np.arange(T)[:, None] * np.ones(4)
        h = np.stack([np.convolve((a * np.ones(4))[j] ** n[:, j],
                                  (1 - (b * np.ones(4))[j]) * (b * np.ones(4))[j] ** n[:, j])[:T]
                      for j in range(4)], 1)
        conv = np.stack([sum(h[s] * X.numpy()[:, t - s] for s in range(t + 1)) for t in range(T)], 1)
        assert np.allclose(conv, integrate_recurrence(X, torch.sigmoid(ra), torch.sigmoid(rb))
                           .detach().numpy(), atol=1e-10)
        eps = 1e-6
        for param, g in ((ra, loss_of["rec"][1]), (rb, loss_of["rec"][2])):
            flat = param.detach().clone().reshape(-1)
            for j in range(flat.numel()):
                plus, minus = flat.clone(), flat.clone()
                plus[j] += eps
                minus[j] -= eps

                def loss_at(vec):
                    args = {id(ra): torch.sigmoid(ra.detach()), id(rb): torch.sigmoid(rb.detach())}
                    args[id(param)] = torch.sigmoid(vec.reshape(param.shape))
                    return (integrate_recurrence(X, args[id(ra)], args[id(rb)]) * R).sum().item()
                fd = (loss_at(plus) - loss_at(minus)) / (2 * eps)
                assert abs(fd - g.reshape(-1)[j]) < 1e-5 * max(1, abs(fd)), (fd, g)
    print("  self-check: FFT = recurrence = causal convolution; d/d(raw alpha, beta) = finite differences")
    for tau, T in ((0.02, 50), (0.02, 200), (0.02, 1000)):
        a = b = torch.tensor(math.exp(-DT / tau), dtype=F64)
        x = torch.tensor(rng.standard_normal((2, T, 3)), dtype=F64)
        diff = (integrate_fft(x, a, b, circular=True) - integrate_recurrence(x, a, b)).abs().max().item()
        print(f"  for information: ParaLIF's length-2T FFT product vs the causal integration, "
              f"tau {tau * 1e3:g} ms, T {T}: max difference {diff:.2g}")


def check_surrogates():
    x = torch.tensor([-10, -1, -0.1, -1e-3, 1e-3, 0.1, 1, 10], dtype=F64, requires_grad=True)
    w = torch.linspace(-1, 2, 8, dtype=F64)
    for kind, k in (("fastsig", 100.0), ("atan", 2.0)):
        (g,) = torch.autograd.grad((heaviside(x, (kind, k)) * w).sum(), x)
        xd = x.detach()
        closed = w / (k * xd.abs() + 1) ** 2 if kind == "fastsig" else \
            w * (k / 2) / (1 + (math.pi / 2 * k * xd) ** 2)
        assert torch.allclose(g, closed, rtol=1e-12)
    p = torch.tensor([0.1, 0.5, 0.9], dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad((BernoulliStraightThrough.apply(p, torch.full((3,), 0.5, dtype=F64)) * 2).sum(), p)
    assert torch.allclose(g, 2 * p.detach())
    v = torch.tensor([-1.0, 0.2, 2.0], dtype=F64, requires_grad=True)
    u0, u1 = torch.tensor([0.3, 0.6, 0.2], dtype=F64), torch.tensor([0.7, 0.4, 0.9], dtype=F64)
    y = gumbel_soft(v, u0, u1)
    (g,) = torch.autograd.grad(((y > 0.5).to(F64) - y.detach() + y).sum(), v)
    assert torch.allclose(g, 2 * y.detach() * (1 - y.detach()))
    # the GS spike fires with probability sigmoid(2V): y > 1/2 <=> 2V + g0 - g1 > 0
    assert torch.equal(y > 0.5, 2 * v.detach() - torch.log(-torch.log(u0)) + torch.log(-torch.log(u1)) > 0)
    print("  self-check: surrogate, Bernoulli and Gumbel-softmax gradients = closed forms")


def paralif_stepwise(X, P, prefix, spec, noise):
    """The ParaLIF layer step by step in float64 (parallel forward's semantics: the hidden state at
    t comes from the feed-forward membrane at t-1, 0 before t = 0, and the delta's n_{-1} = 0):
    an independent check of the parallel formulation, forward and gradients."""
    th, a, b = effective(P, prefix, spec)
    code, gen = normaliser_code(spec.mode), generator_code(spec.mode)
    B, T, H = X.shape
    zero = torch.zeros(B, H, dtype=X.dtype)
    per_call = {0: 2, 1: 1}.get(gen, 0)
    calls = iter(range(0, len(noise), per_call)) if per_call else None

    def noise_at(base, t):
        return [torch.tensor(noise[base + j][:, t].astype(np.float64)) for j in range(per_call)]

    def fire(v, n_prev, base, t):
        n = normalise(v, code)
        if gen == 2:
            return heaviside(n - n_prev - th, spec.surrogate), n
        if gen == 3:
            return heaviside(n - th, spec.surrogate), n
        us = noise_at(base, t)
        if gen == 1:
            return BernoulliStraightThrough.apply(n, us[0]), n
        y = gumbel_soft(n, us[0], us[1])
        return (y > 0.5).to(y.dtype) - y.detach() + y, n

    hid_base = next(calls) if (calls and spec.recurrent and spec.recurrent_fire) else None
    out_base = next(calls) if calls else None
    syn_h, mem_h, syn_r, mem_r = zero, zero, zero, zero
    mem_h_prev = zero               # V_h at t-1 (0 before t = 0)
    n_hid_prev, n_out_prev = zero, zero
    spikes, mems, hiddens = [], [], []
    for t in range(T):
        syn_h = a * syn_h + X[:, t]
        mem_h_now = b * mem_h + (1 - b) * syn_h
        mem = mem_h_now
        if spec.recurrent:
            if spec.recurrent_fire:
                hidden, n_hid_prev = fire(mem_h_prev, n_hid_prev, hid_base, t)
            else:
                hidden = torch.relu(mem_h_prev)
            hiddens.append(hidden)
            syn_r = a * syn_r + X[:, t] + F.linear(hidden, P[prefix + "fc_recu.weight"], P[prefix + "fc_recu.bias"])
            mem_r = b * mem_r + (1 - b) * syn_r
            mem = mem_h_now + mem_r
        s, n_out_prev = fire(mem, n_out_prev, out_base, t)
        spikes.append(s)
        mems.append(mem)
        mem_h_prev = mem_h = mem_h_now
    return torch.stack(spikes, 1), torch.stack(mems, 1)


# ---------------------------------------------------------------- layer fixtures

LAYER = dict(batch=2, steps=32, inputs=6, neurons=5, tau_syn=0.01, tau_mem=0.03)
# Thresholds of the deterministic modes in the fixtures: the defaults (0.1 delta, 1.0 threshold)
# except where a normalised value cannot reach 1 (sigmoid, tanh): those use a reachable one.
FIXTURE_THRESHOLD = {"ST": 0.7, "TT": 0.5, "TRT": 0.5}
LAYER_VARIANTS = collections.OrderedDict([
    ("ff-fixed", dict(recurrent=False, recurrent_fire=True, learn=False, per_neuron=False, surrogate="fastsig", wd=0.0)),
    ("ff-learn", dict(recurrent=False, recurrent_fire=True, learn=True, per_neuron=False, surrogate="fastsig", wd=0.01)),
    ("ff-atan", dict(recurrent=False, recurrent_fire=True, learn=True, per_neuron=False, surrogate="atan", wd=0.0)),
    ("ff-pn", dict(recurrent=False, recurrent_fire=True, learn=True, per_neuron=True, surrogate="fastsig", wd=0.0)),
    ("rec-fixed", dict(recurrent=True, recurrent_fire=True, learn=False, per_neuron=False, surrogate="fastsig", wd=0.0)),
    ("rec-learn", dict(recurrent=True, recurrent_fire=True, learn=True, per_neuron=False, surrogate="fastsig", wd=0.01)),
    ("recrelu-learn", dict(recurrent=True, recurrent_fire=False, learn=True, per_neuron=False, surrogate="fastsig", wd=0.01)),
])
LIF_VARIANTS = collections.OrderedDict([
    ("ff-fixed", dict(recurrent=False, recurrent_fire=True, learn_threshold=False, learn_tau=False, surrogate="fastsig")),
    ("ff-lt", dict(recurrent=False, recurrent_fire=True, learn_threshold=True, learn_tau=False, surrogate="fastsig")),
    ("rec-lt", dict(recurrent=True, recurrent_fire=True, learn_threshold=True, learn_tau=False, surrogate="fastsig")),
    ("recrelu-lt", dict(recurrent=True, recurrent_fire=False, learn_threshold=True, learn_tau=False, surrogate="fastsig")),
    ("ff-learn", dict(recurrent=False, recurrent_fire=True, learn_threshold=True, learn_tau=True, surrogate="atan")),
])


def layer_constants(mode, per_neuron, rng):
    H = LAYER["neurons"]
    theta = FIXTURE_THRESHOLD.get(mode, default_threshold(mode)) if mode else 1.0
    tau_syn, tau_mem = LAYER["tau_syn"], LAYER["tau_mem"]
    if per_neuron:
        theta = theta * rng.uniform(0.7, 1.3, H)
        theta[1] = -0.05  # relu(theta) = 0: a learnable threshold clamped at zero
        tau_syn = rng.uniform(5e-3, 2e-2, H)
        tau_mem = rng.uniform(1e-2, 4e-2, H)
        return f32(theta), [float(v) for v in f32(tau_syn)], [float(v) for v in f32(tau_mem)]
    return f32(theta), tau_syn, tau_mem


def run_layer(state, spec, x, R, noise, dtype, integrate, grad=True):
    """Forward + backward of Linear(0) + neuron(1) with loss sum(R * spikes)."""
    P = to_tensors(state, dtype, grad)
    xt = torch.tensor(x.astype(np.float64), dtype=dtype, requires_grad=grad)
    decisions = []
    h, outs = network_forward(xt, P, [spec], NoiseFeed(arrays=noise), decisions, integrate)
    loss = (h * torch.tensor(R.astype(np.float64), dtype=dtype)).sum()
    grads = {}
    if grad:
        loss.backward()
        grads = {k: (None if t.grad is None else f32(npy(t.grad))) for k, t in P.items() if t.requires_grad}
        grads["x"] = f32(npy(xt.grad))
    return outs[0], loss, grads, decisions


def draw_layer(kind, mode, variant, seed):
    """Draws input, parameters and noise until every decision is clear of its threshold and the
    layer fires at a moderate rate. Returns the state (ordered), spec, x, R, noise."""
    B, T, n_in, H = LAYER["batch"], LAYER["steps"], LAYER["inputs"], LAYER["neurons"]
    v = (LAYER_VARIANTS if kind == "paralif" else LIF_VARIANTS)[variant]
    learn_th = v.get("learn_threshold", v.get("learn"))
    learn_tau = v.get("learn_tau", v.get("learn"))
    spec = Spec(kind, mode, fire=True, recurrent=v["recurrent"], recurrent_fire=v["recurrent_fire"],
                learn_threshold=learn_th, learn_tau=learn_tau,
                surrogate=(v["surrogate"], DEFAULT_SCALE[v["surrogate"]]))
    for attempt in range(2000):
        rng = np.random.default_rng([seed, attempt])
        theta, tau_syn, tau_mem = layer_constants(mode, v.get("per_neuron", False), rng)
        x = f32((rng.random((B, T, n_in)) < 0.3) * (1 + (rng.random((B, T, n_in)) < 0.15)))
        gain = math.exp(rng.uniform(math.log(0.3), math.log(8.0)))
        bound = gain * math.sqrt(3 / n_in)
        state = collections.OrderedDict()
        state["0.weight"] = (f32(rng.uniform(-bound * 0.6, bound, (H, n_in))), True)
        state["0.bias"] = (f32(rng.uniform(-0.2, 0.3, H) * gain), True)
        for name, value, is_param in neuron_entries(spec, H, theta, tau_syn, tau_mem, rng, rec_gain=gain):
            state[f"1.{name}"] = (value, is_param)
        R = f32(rng.standard_normal((B, T, H)))
        feed = NoiseFeed(rng=rng)
        with torch.no_grad():
            P = to_tensors(state, F64, False)
            decisions = []
            _, outs = network_forward(torch.tensor(x.astype(np.float64)), P, [spec], feed, decisions,
                                      integrate_recurrence)
        rate = outs[0]["spikes"].mean().item()
        ok = 0.05 <= rate <= 0.7 and min_distance(decisions) >= DECISION_MARGIN
        if spec.recurrent and spec.recurrent_fire and kind == "paralif":
            ok = ok and 0.02 <= outs[0]["hidden"].mean().item() <= 0.8
        if ok:
            o64, _, g64, d64 = run_layer(state, spec, x, R, feed.arrays, F64, integrate_recurrence)
            o32, _, g32, d32 = run_layer(state, spec, x, R, feed.arrays, torch.float32, integrate_recurrence)
            err = worst_error([(npy(o64["mem"]), npy(o32["mem"]))]
                              + [(g, g32[k]) for k, g in g64.items() if g is not None])
            if decisions_agree(d64, d32) and err <= CONDITIONING:
                return state, spec, x, R, feed.arrays, attempt, (tau_syn, tau_mem), err
    raise RuntimeError(f"{kind} {mode} {variant}: no draw keeps clear of the decisions")


def make_layer(w, kind, mode, variant, seed):
    state, spec, x, R, noise, attempt, (tau_syn, tau_mem), cond = draw_layer(kind, mode, variant, seed)
    v = (LAYER_VARIANTS if kind == "paralif" else LIF_VARIANTS)[variant]
    out, loss, grads, decisions = run_layer(state, spec, x, R, noise, F64, integrate_recurrence)
    # float32 with ParaLIF's algorithm: same decisions; its error is what Java may make
    out32, loss32, grads32, dec32 = run_layer(state, spec, x, R, noise, torch.float32, integrate_fft)
    assert decisions_agree(decisions, dec32), f"{mode} {variant}: float32 decisions differ"
    err = worst_error([(npy(out["mem"]), npy(out32["mem"]))]
                      + [(g, grads32[k]) for k, g in grads.items() if g is not None])
    if kind == "paralif":
        # float64 FFT = float64 recurrence, and the step-by-step layer = the parallel one
        outF, _, gradsF, _ = run_layer(state, spec, x, R, noise, F64, integrate_fft)
        assert torch.equal(outF["spikes"], out["spikes"])
        for k, g in grads.items():
            assert (g is None) == (gradsF[k] is None) and (g is None or np.allclose(g, gradsF[k], rtol=1e-6, atol=1e-9)), k
        P = to_tensors(state, F64, True)
        s_seq, m_seq = paralif_stepwise(F.linear(torch.tensor(x.astype(np.float64)), P["0.weight"], P["0.bias"]),
                                        P, "1.", spec, noise)
        assert torch.equal(s_seq.detach(), out["spikes"].detach()), f"{mode} {variant}: stepwise spikes differ"
        assert torch.allclose(m_seq.detach(), out["mem"].detach(), atol=1e-10)
        (s_seq * torch.tensor(R.astype(np.float64))).sum().backward()
        for k, t in P.items():
            if t.requires_grad:
                ref = grads[k]
                assert (t.grad is None) == (ref is None) or (ref is None and not t.grad.any()), k
                assert ref is None or np.allclose(npy(t.grad), ref, rtol=1e-5, atol=1e-7), (mode, variant, k)
    else:
        check_lif_numpy(state, spec, x, out)
    steps = adamax_steps(state, grads, 1e-3, v.get("wd", 0.0))

    theta_key = "1._spk_threshold"
    arrays = common_codes(spec, mode)
    arrays.update({"per_neuron": np.asarray(int(v.get("per_neuron", False)), np.int64),
                   "tau_syn": np.asarray(tau_syn, np.float64), "tau_mem": np.asarray(tau_mem, np.float64),
                   "spk_threshold_init": state[theta_key][0].astype(np.float64),
                   "adamax_lr": scalar(1e-3), "adamax_weight_decay": scalar(v.get("wd", 0.0)),
                   "min_decision_distance": scalar(min_distance(decisions)),
                   "f32_recurrence_error": scalar(cond), "f32_fft_error": scalar(err),
                   "x": x})
    store_state(arrays, state, rate_buffers([spec], [out]), grads)
    for i, u in enumerate(noise):
        arrays[f"noise_{i}"] = u
    arrays["X"] = f32(npy(out["X"]))
    if kind == "paralif":
        arrays["mem_hidden"] = f32(npy(out["mem_hidden"]))
        if spec.recurrent:
            arrays["hidden"] = f32(npy(out["hidden"]))
            arrays["recurrent_input"] = f32(npy(out["recurrent_input"]))
    arrays["mem"] = f32(npy(out["mem"]))
    if kind == "lif":
        arrays["mem_before_reset"] = f32(npy(out["mem_before_reset"]))
    arrays["spikes"] = f32(npy(out["spikes"]))
    arrays["R"] = R
    arrays["loss"] = f32(npy(loss))
    arrays["grad:x"] = grads["x"]
    for k, s in steps.items():
        arrays[f"step:{k}"] = s
    name = f"layer_{mode}_{variant}.npz" if kind == "paralif" else f"lif_{variant}.npz"
    rates = f"rate {out['spikes'].mean().item():.2f}" + (
        f", hidden {out['hidden'].mean().item():.2f}" if "hidden" in out else "")
    print(f"  {name}: attempt {attempt}, {rates}, margin {min_distance(decisions):.1e}, "
          f"f32 error: recurrence {cond:.1e}, FFT {err:.1e}")
    w.save(name, arrays)
    return cond, err


def check_lif_numpy(state, spec, x, out):
    """float64 numpy LIF forward, independent of the torch code above."""
    W, b = state["0.weight"][0].astype(np.float64), state["0.bias"][0].astype(np.float64)
    th = state["1._spk_threshold"][0].astype(np.float64)
    a, be = state["1._alpha"][0].astype(np.float64), state["1._beta"][0].astype(np.float64)
    if spec.learn_threshold:
        th = np.maximum(th, 0)
    if spec.learn_tau:
        a, be = 1 / (1 + np.exp(-a)), 1 / (1 + np.exp(-be))
    X = x.astype(np.float64) @ W.T + b
    syn = np.zeros_like(X[:, 0])
    mem = np.zeros_like(syn)
    spk = np.zeros_like(syn)
    for t in range(X.shape[1]):
        syn = a * syn + X[:, t]
        if spec.recurrent:
            Wr, br = state["1.fc_recu.weight"][0].astype(np.float64), state["1.fc_recu.bias"][0].astype(np.float64)
            syn = syn + (spk if spec.recurrent_fire else np.maximum(mem, 0)) @ Wr.T + br
        mem = be * mem + (1 - be) * syn
        spk = (mem - th > 0).astype(np.float64)
        mem = mem * (1 - spk)
        assert np.array_equal(spk, npy(out["spikes"][:, t])) and np.allclose(mem, npy(out["mem"][:, t]), atol=1e-10)


# ---------------------------------------------------------------- network fixtures

NETWORK = dict(input_size=10, hidden_size=8, nb_layers=2, nb_classes=4, batch=3, steps=40,
               tau_syn=0.015, tau_mem=0.025)
# name -> neuron, recurrent, recurrent_relu, learn_tau, loss mode, reg_thr, reg_thr_r, weight decay, theta
NETWORKS = collections.OrderedDict([
    ("ParaLIF-GS_ff_mean", dict(neuron="ParaLIF-GS", recurrent=False, relu=False, learn_tau=False, loss="mean", reg=0.0, reg_r=0.0, wd=0.0)),
    ("ParaLIF-SD_rec_cumsum", dict(neuron="ParaLIF-SD", recurrent=True, relu=False, learn_tau=True, loss="cumsum", reg=0.2, reg_r=0.1, wd=0.0)),
    ("ParaLIF-TRB_ff_last", dict(neuron="ParaLIF-TRB", recurrent=False, relu=False, learn_tau=True, loss="last", reg=0.4, reg_r=0.0, wd=0.01)),
    ("ParaLIF-T_recrelu_max", dict(neuron="ParaLIF-T", recurrent=True, relu=True, learn_tau=False, loss="max", reg=0.0, reg_r=0.0, wd=0.0, theta=0.5)),
    ("ParaLIF-GS_rec_cumsum", dict(neuron="ParaLIF-GS", recurrent=True, relu=False, learn_tau=False, loss="cumsum", reg=0.0, reg_r=0.5, wd=0.0)),
    ("LIF-LT_rec_mean", dict(neuron="LIF-LT", recurrent=True, relu=False, learn_tau=False, loss="mean", reg=0.0, reg_r=0.0, wd=0.0)),
    ("LIF_ff_cumsum", dict(neuron="LIF", recurrent=False, relu=False, learn_tau=True, loss="cumsum", reg=0.0, reg_r=0.0, wd=0.0)),
])


def network_specs(cfg, nb_layers):
    """create_network's modules: learn_threshold = neuron != LIF, output layer fire=False and
    never recurrent, surrogate fast sigmoid 100 (run.py has no surrogate flag)."""
    neuron = cfg["neuron"]
    kind = "lif" if neuron.startswith("LIF") else "paralif"
    mode = None if kind == "lif" else neuron.split("-")[-1]
    specs = []
    for i in range(nb_layers + 1):
        last = i == nb_layers
        specs.append(Spec(kind, mode, fire=not last, recurrent=cfg["recurrent"] and not last,
                          recurrent_fire=not cfg["relu"], learn_threshold=neuron != "LIF",
                          learn_tau=cfg["learn_tau"]))
    return kind, mode, specs


def network_state(rng, specs, sizes, theta, gain, tau_syn, tau_mem, bias_range):
    state = collections.OrderedDict()
    for i, spec in enumerate(specs):
        fan_in, fan_out = sizes[i], sizes[i + 1]
        bound = gain * math.sqrt(3 / fan_in)
        state[f"{2 * i}.weight"] = (f32(rng.uniform(-bound * 0.7, bound, (fan_out, fan_in))), True)
        state[f"{2 * i}.bias"] = (f32(rng.uniform(*bias_range, fan_out)), True)
        for name, value, is_param in neuron_entries(spec, fan_out, theta, tau_syn, tau_mem, rng, rec_gain=gain):
            state[f"{2 * i + 1}.{name}"] = (value, is_param)
    return state


def regulariser(specs, outs, reg, reg_r):
    """relu(sum rates - reg*N)^2 + relu(sum rec rates - reg_r*N)^2, N = neurons of firing layers."""
    firing = [(s, o) for s, o in zip(specs, outs) if s.fire]
    N = sum(o["spikes"].shape[-1] for _, o in firing)
    total = torch.zeros((), dtype=outs[0]["X"].dtype)
    if reg > 0:
        total = total + torch.relu(sum(o["spikes"].mean((0, 1)).sum() for _, o in firing) - reg * N) ** 2
    if reg_r > 0:
        rec = [o["hidden"].mean((0, 1)).sum() for s, o in firing
               if s.kind == "paralif" and s.recurrent and s.recurrent_fire]
        total = total + torch.relu(sum(rec, torch.zeros((), dtype=total.dtype)) - reg_r * N) ** 2
    return total


def run_network(state, specs, cfg, x, labels, noise, dtype, integrate):
    P = to_tensors(state, dtype, True)
    decisions = []
    out, outs = network_forward(torch.tensor(x.astype(np.float64), dtype=dtype), P, specs,
                                NoiseFeed(arrays=noise), decisions, integrate)
    logits = reduce_time(out, cfg["loss"])
    ce = F.cross_entropy(logits, torch.tensor(labels))
    reg = regulariser(specs, outs, cfg["reg"], cfg["reg_r"])
    loss = ce + reg
    loss.backward()
    grads = {k: (None if t.grad is None else f32(npy(t.grad))) for k, t in P.items() if t.requires_grad}
    return dict(out=out, outs=outs, logits=logits, ce=ce, reg=reg, loss=loss, grads=grads,
                decisions=decisions)


def make_network(w, name, cfg, seed):
    net = NETWORK
    kind, mode, specs = network_specs(cfg, net["nb_layers"])
    sizes = [net["input_size"]] + [net["hidden_size"]] * net["nb_layers"] + [net["nb_classes"]]
    theta = cfg.get("theta", 1.0 if kind == "lif" else default_threshold(mode))
    B, T = net["batch"], net["steps"]
    for attempt in range(3000):
        rng = np.random.default_rng([seed, attempt])
        gain = math.exp(rng.uniform(math.log(0.5), math.log(6.0)))
        state = network_state(rng, specs, sizes, theta, gain, net["tau_syn"], net["tau_mem"],
                              (-0.1 * gain, 0.3 * gain))
        x = f32((rng.random((B, T, net["input_size"])) < 0.25) * (1 + (rng.random((B, T, net["input_size"])) < 0.1)))
        labels = rng.integers(0, net["nb_classes"], B).astype(np.int64)
        feed = NoiseFeed(rng=rng)
        decisions = []
        with torch.no_grad():
            out, outs = network_forward(torch.tensor(x.astype(np.float64)), to_tensors(state, F64, False),
                                        specs, feed, decisions, integrate_recurrence)
        rates = [o["spikes"].mean().item() for s, o in zip(specs, outs) if s.fire]
        if min(rates) < 0.05 or max(rates) > 0.7 or min_distance(decisions) < DECISION_MARGIN:
            continue
        if cfg["loss"] == "max":  # no ties for the maximum over time
            top2 = out.topk(2, dim=1).values
            if (top2[:, 0] - top2[:, 1]).abs().min().item() < DECISION_MARGIN:
                continue
        reg_now = regulariser(specs, outs, cfg["reg"], cfg["reg_r"]).item()
        if (cfg["reg"] > 0 or cfg["reg_r"] > 0) and not 0 < reg_now < 4.0:
            continue  # active, but not drowning the cross-entropy
        r64 = run_network(state, specs, cfg, x, labels, feed.arrays, F64, integrate_recurrence)
        r32 = run_network(state, specs, cfg, x, labels, feed.arrays, torch.float32, integrate_recurrence)
        cond = worst_error([(npy(r64["out"]), npy(r32["out"])), (npy(r64["loss"]), npy(r32["loss"]))]
                           + [(g, r32["grads"][k]) for k, g in r64["grads"].items() if g is not None])
        if decisions_agree(r64["decisions"], r32["decisions"]) and cond <= CONDITIONING:
            break
    else:
        raise RuntimeError(f"{name}: no draw keeps clear of the decisions")
    noise = feed.arrays
    r32 = run_network(state, specs, cfg, x, labels, noise, torch.float32, integrate_fft)
    assert decisions_agree(r64["decisions"], r32["decisions"]), f"{name}: float32 decisions differ"
    err = worst_error([(npy(r64["out"]), npy(r32["out"]))]
                      + [(g, r32["grads"][k]) for k, g in r64["grads"].items() if g is not None])
    steps = adamax_steps(state, r64["grads"], 1e-3, cfg["wd"])
    spec0 = specs[0]
    arrays = common_codes(spec0, mode)
    arrays.update({k: np.asarray(net[k], np.int64) for k in ("input_size", "hidden_size", "nb_layers", "nb_classes")})
    arrays.update({"loss_mode_code": np.asarray(LOSS_MODE_CODES[cfg["loss"]], np.int64),
                   "tau_syn": scalar(net["tau_syn"]), "tau_mem": scalar(net["tau_mem"]),
                   "spk_threshold_init": scalar(theta), "reg_thr": scalar(cfg["reg"]),
                   "reg_thr_r": scalar(cfg["reg_r"]), "adamax_lr": scalar(1e-3),
                   "adamax_weight_decay": scalar(cfg["wd"]),
                   "min_decision_distance": scalar(min_distance(r64["decisions"])),
                   "f32_recurrence_error": scalar(cond), "f32_fft_error": scalar(err),
                   "x": x, "labels": labels})
    store_state(arrays, state, rate_buffers(specs, r64["outs"]), r64["grads"])
    for i, u in enumerate(noise):
        arrays[f"noise_{i}"] = u
    arrays["output"] = f32(npy(r64["out"]))
    arrays["logits"] = f32(npy(r64["logits"]))
    firing = [(s, o) for s, o in zip(specs, r64["outs"]) if s.fire]
    for i, (s, o) in enumerate(firing):
        arrays[f"rate_{i}"] = f32(npy(o["spikes"].mean((0, 1))))
        if s.kind == "paralif":
            rec = o["hidden"].mean((0, 1)) if (s.recurrent and s.recurrent_fire) else torch.zeros(o["spikes"].shape[-1])
            arrays[f"rate_rec_{i}"] = f32(npy(rec))
    arrays["loss"] = f32(npy(r64["loss"]))
    arrays["loss_ce"] = f32(npy(r64["ce"]))
    arrays["loss_reg"] = f32(npy(r64["reg"]))
    for k, s in steps.items():
        arrays[f"step:{k}"] = s
    rates = [round(o["spikes"].mean().item(), 2) for _, o in firing]
    print(f"  network_{name}: attempt {attempt}, rates {rates}, loss {r64['loss'].item():.4f} "
          f"(reg {r64['reg'].item():.4f}), margin {min_distance(r64['decisions']):.1e}, "
          f"f32 error: recurrence {cond:.1e}, FFT {err:.1e}")
    w.save(f"network_{name}.npz", arrays)
    return cond, err


# ---------------------------------------------------------------- model files (state_dict)

class NeuronState(torch.nn.Module):
    """The parameters and buffers of one of ParaLIF's neuron modules (ParaLIF or LIF), registered
    in the order ParaLIF's constructors register them (Base: nb_spike_per_neuron, _spk_threshold,
    _alpha, _beta, fc_recu; ParaLIF: nb_spike_per_neuron_rec), so that torch.save writes the same
    keys, kinds, shapes and dtypes as a model saved by ParaLIF's run.py. Only the state: the
    dynamics are the functions above."""

    def __init__(self, kind, n, recurrent, learn_threshold, learn_tau, theta, tau_syn, tau_mem):
        super().__init__()
        self.register_buffer("nb_spike_per_neuron", torch.zeros(n))
        threshold = torch.tensor(theta)
        if learn_threshold:
            self._spk_threshold = torch.nn.Parameter(threshold)
        else:
            self.register_buffer("_spk_threshold", threshold)
        alpha = torch.exp(-DT / torch.tensor(tau_syn))
        beta = torch.exp(-DT / torch.tensor(tau_mem))
        if learn_tau:
            self._alpha, self._beta = torch.nn.Parameter(alpha), torch.nn.Parameter(beta)
        else:
            self.register_buffer("_alpha", alpha)
            self.register_buffer("_beta", beta)
        if recurrent:
            self.fc_recu = torch.nn.Linear(n, n)
        if kind == "paralif":
            self.register_buffer("nb_spike_per_neuron_rec", torch.zeros(n))


MODEL = dict(input_size=12, hidden_size=10, nb_layers=2, nb_class=5, batch=4, steps=60,
             tau_mem=0.02, tau_syn=0.02)
MODELS = collections.OrderedDict([
    ("ParaLIF-D_ff", dict(neuron="ParaLIF-D", recurrent=False, recurrent_relu=False, learn_tau=False, loss_mode="mean")),
    ("ParaLIF-SD_rec", dict(neuron="ParaLIF-SD", recurrent=True, recurrent_relu=False, learn_tau=False, loss_mode="mean")),
    ("ParaLIF-TD_recrelu_learntau", dict(neuron="ParaLIF-TD", recurrent=True, recurrent_relu=True, learn_tau=True, loss_mode="last")),
    ("LIF_rec", dict(neuron="LIF", recurrent=True, recurrent_relu=False, learn_tau=False, loss_mode="mean")),
])


def make_model(out_dir, w, name, cfg, seed):
    m = MODEL
    flags = dict(cfg, relu=cfg["recurrent_relu"])
    kind, mode, specs = network_specs(flags, m["nb_layers"])
    theta = 1.0 if kind == "lif" else default_threshold(mode)
    sizes = [m["input_size"]] + [m["hidden_size"]] * m["nb_layers"] + [m["nb_class"]]
    net = torch.nn.Sequential()
    for i, spec in enumerate(specs):
        net.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        net.append(NeuronState(kind, sizes[i + 1], spec.recurrent, spec.learn_threshold, spec.learn_tau,
                               theta, m["tau_syn"], m["tau_mem"]))
    params = {n for n, _ in net.named_parameters()}
    B, T = m["batch"], m["steps"]
    for attempt in range(3000):
        rng = np.random.default_rng([seed, attempt])
        gain = math.exp(rng.uniform(math.log(0.5), math.log(20.0)))
        values = collections.OrderedDict()
        for k, v in net.state_dict().items():
            if k.endswith("weight"):
                bound = gain * math.sqrt(3 / v.shape[1])
                values[k] = f32(rng.uniform(-0.7 * bound, bound, tuple(v.shape)))
            elif k.endswith("bias"):  # the output layer's stays 0 (its init): no class favoured
                last = k == f"{2 * m['nb_layers']}.bias"
                values[k] = f32(rng.uniform(-0.1 * gain, 0.3 * gain, tuple(v.shape)) * (not last))
            elif k.endswith("_spk_threshold") and k in params:
                values[k] = f32(theta * rng.uniform(0.3, 1.2))  # as if learned
            else:
                values[k] = npy(v)
        density = rng.uniform(0.02, 0.5, (B, 1, m["input_size"]))  # samples that differ
        x = f32((rng.random((B, T, m["input_size"])) < density) * (1 + (rng.random((B, T, m["input_size"])) < 0.1)))
        state = collections.OrderedDict((k, (v, k in params)) for k, v in values.items())
        decisions = []
        with torch.no_grad():
            out, outs = network_forward(torch.tensor(x.astype(np.float64)), to_tensors(state, F64, False),
                                        specs, NoiseFeed(), decisions, integrate_recurrence)
        rates = [o["spikes"].mean().item() for s, o in zip(specs, outs) if s.fire]
        logits = reduce_time(out, cfg["loss_mode"])
        top2 = logits.topk(2, dim=1).values
        if (min(rates) >= 0.05 and max(rates) <= 0.7 and min_distance(decisions) >= DECISION_MARGIN
                and (top2[:, 0] - top2[:, 1]).min().item() >= 1e-3
                and len(set(logits.argmax(1).tolist())) >= 2):
            break
    else:
        raise RuntimeError(f"model {name}: no draw keeps clear of the decisions")
    values.update(rate_buffers(specs, outs))
    net.load_state_dict({k: torch.tensor(v) for k, v in values.items()})
    torch.save(net.state_dict(), os.path.join(out_dir, f"model_{name}.pt"))
    sd = net.state_dict()
    description = {
        "neuron": cfg["neuron"], "nb_layers": m["nb_layers"], "hidden_size": m["hidden_size"],
        "input_size": m["input_size"], "nb_class": m["nb_class"], "recurrent": cfg["recurrent"],
        "recurrent_relu": cfg["recurrent_relu"], "learn_tau": cfg["learn_tau"], "tau_mem": m["tau_mem"],
        "tau_syn": m["tau_syn"], "spk_threshold": theta, "loss_mode": cfg["loss_mode"],
        "state_dict": [{"key": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
                        "kind": "parameter" if k in params else "buffer"} for k, v in sd.items()]}
    with open(os.path.join(out_dir, f"model_{name}.json"), "w") as f:
        json.dump(description, f, indent=1)
        f.write("\n")
    arrays = {"x": x, "output": f32(npy(out)), "logits": f32(npy(logits)),
              "prediction": npy(logits.argmax(1)).astype(np.int64),
              "loss_mode_code": np.asarray(LOSS_MODE_CODES[cfg["loss_mode"]], np.int64),
              "min_decision_distance": scalar(min_distance(decisions))}
    for i, (s, o) in enumerate((s, o) for s, o in zip(specs, outs) if s.fire):
        arrays[f"rate_{i}"] = f32(npy(o["spikes"].mean((0, 1))))
    print(f"  model_{name}: attempt {attempt}, rates {[round(r, 2) for r in rates]}, "
          f"predictions {arrays['prediction'].tolist()}, {len(sd)} state_dict entries")
    w.save(f"model_{name}.npz", arrays)


# ---------------------------------------------------------------- schedule

def make_schedule(w):
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adamax([param], lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=25, gamma=0.5)
    wanted = [0, 1, 24, 25, 26, 49, 50, 51, 199, 200]
    lrs = {}
    for epoch in range(max(wanted) + 1):
        if epoch in wanted:
            lrs[epoch] = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
    for e, lr in lrs.items():
        assert lr == 1e-3 * 0.5 ** (e // 25), (e, lr)
    w.save("schedule.npz", {"lr0": scalar(1e-3), "step_size": np.asarray(25, np.int64), "gamma": scalar(0.5),
                            "epochs": np.asarray(wanted, np.int64),
                            "lr": np.asarray([lrs[e] for e in wanted], np.float64)})


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(0)  # nothing below draws from torch; fixed anyway
    check_integration_and_tau_gradient()
    check_surrogates()
    w = Writer(os.path.normpath(args.out))
    errors = []
    for m, mode in enumerate(MODES):
        for v, variant in enumerate(LAYER_VARIANTS):
            if variant == "ff-atan" and generator_code(mode) < 2:
                continue  # the surrogate only matters for the delta and threshold generators
            errors.append(make_layer(w, "paralif", mode, variant, 1000 + 10 * m + v))
    for v, variant in enumerate(LIF_VARIANTS):
        errors.append(make_layer(w, "lif", None, variant, 2000 + v))
    for i, (name, cfg) in enumerate(NETWORKS.items()):
        errors.append(make_network(w, name, cfg, 3000 + i))
    make_schedule(w)
    for i, (name, cfg) in enumerate(MODELS.items()):
        make_model(os.path.normpath(args.out), w, name, cfg, 4000 + i)
    print(f"largest float32 scaled error against the reference: recurrence {max(e[0] for e in errors):.1e}, "
          f"ParaLIF's FFT algorithm {max(e[1] for e in errors):.1e}")
    print(f"total {w.total / 1024:.1f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
