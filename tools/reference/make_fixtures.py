#!/usr/bin/python3
"""Writes the parity fixtures that src/test/java/spsn/parity/* compare the Java port against.

Written from the equations in /work/shared/spec/REFERENCE.md (not from the original code).
Run with Debian's interpreter (PyTorch 1.13, numpy):

    /usr/bin/python3 tools/reference/make_fixtures.py

Every random number comes from numpy's PCG64 generator with fixed seeds and torch runs on one
thread, so two runs write the same numbers. See tools/reference/README.md for each file's keys.
"""
import argparse
import io
import math
import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn.functional as F

DT = 1e-3
THRESHOLD = 1.0
LOSS_MODE_CODES = {"last": 0, "max": 1, "mean": 2}
NEURON_CODES = {"LIF": 0, "SPSN-SB": 1, "SPSN-GS": 2, "Non-Spiking": 3}
# Smallest distance to a firing decision (|mem - 1| for LIF, |u - p| for SB, |y_soft - 1/2|
# for GS, |pre-activation| for ReLU) that the fixtures allow, so that float32 rounding
# differences between two correct implementations cannot flip a spike. Each network is rerun
# in float64 to check it: the largest float32 error of a decision variable is ~4e-6 (LIF).
DECISION_MARGIN = 2e-5
NEAR_THRESHOLD = 1e-6
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "..", "..", "src", "test", "resources", "reference")


def decays(tau_syn, tau_mem):
    """alpha = exp(-dt/tau_syn), beta = exp(-dt/tau_mem), as Python floats like the original."""
    return math.exp(-DT / tau_syn), math.exp(-DT / tau_mem)


# ---------------------------------------------------------------- firing functions (torch)

class FastSigmoidStep(torch.autograd.Function):
    """H(x) = [x > 0]; backward uses the fast-sigmoid surrogate 1/(100|x| + 1)^2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (100.0 * x.abs() + 1.0) ** 2


class BernoulliStraightThrough(torch.autograd.Function):
    """spk = [u < p]; backward passes grad * p to p (and nothing to the noise)."""

    @staticmethod
    def forward(ctx, p, u):
        ctx.save_for_backward(p)
        return (u < p).to(p.dtype)

    @staticmethod
    def backward(ctx, grad):
        (p,) = ctx.saved_tensors
        return grad * p, None


def sigmoid_bernoulli(mem, u):
    return BernoulliStraightThrough.apply(torch.sigmoid(mem), u)


def gumbel_soft(mem, u0, u1):
    g0 = -torch.log(-torch.log(u0))
    g1 = -torch.log(-torch.log(u1))
    return torch.softmax(torch.stack([mem + g0, -mem + g1], dim=-1), dim=-1)[..., 0]


def gumbel_softmax_spike(mem, u0, u1):
    """Hard Gumbel-softmax, tau 1: forward H(y_soft - 1/2), gradient that of y_soft."""
    y_soft = gumbel_soft(mem, u0, u1)
    y_hard = (y_soft > 0.5).to(mem.dtype)
    return y_hard - y_soft.detach() + y_soft


# ---------------------------------------------------------------- neuron dynamics

def lif_fire(X, alpha, beta):
    """Sequential LIF with detached reset. Returns spikes, membrane after reset, and the
    membrane before reset (detached, only to measure distances to the threshold)."""
    syn = torch.zeros_like(X[:, 0])
    mem = torch.zeros_like(X[:, 0])
    spikes, mems, before = [], [], []
    for x_t in X.unbind(1):
        syn = alpha * syn + x_t
        mem = beta * mem + (1 - beta) * syn
        before.append(mem.detach().clone())
        spk = FastSigmoidStep.apply(mem - THRESHOLD)
        mem = mem * (1 - spk.detach())
        spikes.append(spk)
        mems.append(mem)
    return torch.stack(spikes, 1), torch.stack(mems, 1), torch.stack(before, 1)


def leaky_integrate(X, alpha, beta):
    """The two leaky integrations without reset (non-firing layer, SPSN membrane)."""
    syn = torch.zeros_like(X[:, 0])
    mem = torch.zeros_like(X[:, 0])
    mems = []
    for x_t in X.unbind(1):
        syn = alpha * syn + x_t
        mem = beta * mem + (1 - beta) * syn
        mems.append(mem)
    return torch.stack(mems, 1)


def integrate_f64(x, alpha, beta):
    """float64 numpy recurrence, checked against the explicit causal convolution."""
    x = np.asarray(x, dtype=np.float64)
    syn = np.zeros_like(x[:, 0])
    mem = np.zeros_like(x[:, 0])
    out = np.empty_like(x)
    for t in range(x.shape[1]):
        syn = alpha * syn + x[:, t]
        mem = beta * mem + (1 - beta) * syn
        out[:, t] = mem
    return out


def lif_f64(X, alpha, beta):
    """float64 numpy LIF forward, an independent check of lif_fire."""
    syn = np.zeros_like(X[:, 0])
    mem = np.zeros_like(X[:, 0])
    spikes, mems = np.zeros_like(X), np.zeros_like(X)
    for t in range(X.shape[1]):
        syn = alpha * syn + X[:, t]
        mem = beta * mem + (1 - beta) * syn
        spikes[:, t] = mem > THRESHOLD
        mem = mem * (1 - spikes[:, t])
        mems[:, t] = mem
    return spikes, mems


def kernel_f64(alpha, beta, length):
    """h[n] = sum_{i+j=n} alpha^i (1-beta) beta^j."""
    a = alpha ** np.arange(length)
    b = (1 - beta) * beta ** np.arange(length)
    return np.convolve(a, b)[:length]


def causal_conv_f64(x, h):
    x = np.asarray(x, dtype=np.float64)
    T = x.shape[1]
    out = np.zeros_like(x)
    for t in range(T):
        out[:, t] = np.tensordot(h[:t + 1][::-1], x[:, :t + 1], axes=([0], [1]))
    return out


def circular_fft_f64(x, alpha, beta):
    """The original's FFT product of length 2T (a circular convolution), for information."""
    x = np.asarray(x, dtype=np.float64)
    T = x.shape[1]
    n = np.arange(T)
    spec = (np.fft.rfft(x, 2 * T, axis=1)
            * np.fft.rfft(alpha ** n, 2 * T)[None, :, None]
            * np.fft.rfft((1 - beta) * beta ** n, 2 * T)[None, :, None])
    return np.fft.irfft(spec, 2 * T, axis=1)[:, :T]


# ---------------------------------------------------------------- losses

def reduce_time(out, mode):
    if mode == "last":
        return out[:, -1]
    if mode == "max":
        return out.max(1).values
    if mode == "mean":
        return out.mean(1)
    raise ValueError(mode)


def rate_regularizer(rates, reg_thr):
    n = sum(r.numel() for r in rates)
    total = sum(r.sum() for r in rates)
    return torch.relu(total - reg_thr * n) ** 2


# ---------------------------------------------------------------- helpers

def f32(a):
    return np.asarray(a, dtype=np.float32)


def t32(a, grad=False):
    return torch.tensor(f32(a), requires_grad=grad)


def npy(t):
    """A copy: a view would follow later in-place updates (optimizer steps)."""
    return t.detach().cpu().numpy().copy()


class NoiseDraw:
    """Uniform noise in (1e-6, 1-1e-6), so that log(-log u) stays finite.
    coded=False: float32 values, stored as they are.
    coded=True: uint8 codes k standing for u = (k + 0.5)/256 (exact in float32); a quarter of
    the size, for the large network fixtures."""

    def __init__(self, rng, coded):
        self.rng = rng
        self.coded = coded

    def __call__(self, shape):
        if self.coded:
            return self.rng.integers(0, 256, size=shape, dtype=np.uint8)
        return f32(self.rng.uniform(1e-6, 1 - 1e-6, size=shape))


def decode_noise(stored):
    if stored.dtype == np.uint8:
        return f32((stored.astype(np.float64) + 0.5) / 256)
    return stored


def sb_noise(draw, mem):
    """Noise for sigmoid-Bernoulli, redrawn where u is within DECISION_MARGIN of p."""
    p = npy(torch.sigmoid(t32(mem)))
    u = draw(p.shape)
    for _ in range(1000):
        bad = np.abs(decode_noise(u) - p) < DECISION_MARGIN
        if not bad.any():
            return [u]
        u[bad] = draw(int(bad.sum()))
    raise RuntimeError("could not move the noise away from the firing decision")


def gs_noise(draw, mem):
    """Noise pair for Gumbel-softmax, redrawn where y_soft is within DECISION_MARGIN of 1/2."""
    m = t32(mem)
    u0, u1 = draw(mem.shape), draw(mem.shape)
    for _ in range(1000):
        y = npy(gumbel_soft(m, t32(decode_noise(u0)), t32(decode_noise(u1))))
        bad = np.abs(y - 0.5) < DECISION_MARGIN
        if not bad.any():
            return [u0, u1]
        u0[bad] = draw(int(bad.sum()))
        u1[bad] = draw(int(bad.sum()))
    raise RuntimeError("could not move the Gumbel noise away from the firing decision")


class Writer:
    """Writes .npz files that np.load and DJL's NDList.decode read. Entries carry a fixed
    date, so a rerun gives byte-identical files (no churn in git)."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.total = 0
        os.makedirs(out_dir, exist_ok=True)

    def save(self, name, arrays):
        path = os.path.join(self.out_dir, name)
        with zipfile.ZipFile(path, "w") as zf:
            for key, value in arrays.items():
                assert isinstance(value, np.ndarray), (name, key)
                buf = io.BytesIO()
                np.lib.format.write_array(buf, value, allow_pickle=False)
                info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, buf.getvalue(), compresslevel=9)
        with np.load(path) as back:  # keys with ':' and '.' must survive the round trip
            assert sorted(back.files) == sorted(arrays), (name, back.files)
            for key, value in arrays.items():
                assert back[key].dtype == value.dtype and np.array_equal(back[key], value), key
        size = os.path.getsize(path)
        self.total += size
        print(f"{name}: {len(arrays)} arrays, {size / 1024:.1f} KiB")


def scalar(v):
    return np.asarray(v, dtype=np.float64)


# ---------------------------------------------------------------- 1. integration.npz

def make_integration(w):
    rng = np.random.default_rng(101)
    tau_syn, tau_mem = 0.02, 0.02          # defaults: alpha == beta (the degenerate kernel)
    tau_syn_alt, tau_mem_alt = 0.01, 0.03  # alpha != beta: catches swapped constants
    a, b = decays(tau_syn, tau_mem)
    a2, b2 = decays(tau_syn_alt, tau_mem_alt)
    arrays = {"dt": scalar(DT), "tau_syn": scalar(tau_syn), "tau_mem": scalar(tau_mem),
              "tau_syn_alt": scalar(tau_syn_alt), "tau_mem_alt": scalar(tau_mem_alt),
              "h_50": kernel_f64(a, b, 50)}
    for T in (5, 50, 1000):
        x = f32(rng.standard_normal((2, T, 3)))
        x[0, 0, :] = 1.0  # an impulse at t = 0 in sample 0 shows the kernel directly
        x[0, 1:, :] = 0.0
        mem = integrate_f64(x, a, b)
        conv = causal_conv_f64(x, kernel_f64(a, b, T))
        assert np.max(np.abs(mem - conv)) < 1e-9, "recurrence != causal convolution"
        circ = circular_fft_f64(x, a, b)
        print(f"  integration T={T}: max |circular - causal| = {np.max(np.abs(circ - mem)):.3g}")
        arrays[f"x_{T}"] = x
        arrays[f"mem_{T}"] = mem
        arrays[f"mem_alt_{T}"] = integrate_f64(x, a2, b2)
        if T < 1000:  # at T=1000 the two agree to 1e-14: nothing to show
            arrays[f"mem_circular_{T}"] = circ
    w.save("integration.npz", arrays)


# ---------------------------------------------------------------- 2. lif_layer.npz

def make_lif_layer(w):
    tau_syn, tau_mem = 0.01, 0.03
    a, b = decays(tau_syn, tau_mem)
    B, T, n_in, H, C = 3, 40, 12, 10, 5
    for seed in range(200, 300):
        rng = np.random.default_rng(seed)
        x = f32((rng.random((B, T, n_in)) < 0.3) * (1 + (rng.random((B, T, n_in)) < 0.1)))
        W1 = f32(rng.uniform(-0.6, 1.4, (H, n_in)))
        b1 = f32(rng.uniform(-0.1, 0.2, H))
        W2 = f32(rng.uniform(-1, 1, (C, H)) * math.sqrt(3 / H))
        b2 = f32(rng.uniform(-0.1, 0.1, C))
        R_out = f32(rng.standard_normal((B, T, C)))
        R_hid = f32(rng.standard_normal((B, T, H)))
        with torch.no_grad():
            _, _, before = lif_fire(t32(x) @ t32(W1).T + t32(b1), a, b)
        if np.min(np.abs(npy(before) - THRESHOLD)) >= DECISION_MARGIN:
            break
    else:
        raise RuntimeError("no LIF layer seed keeps clear of the threshold")

    xt, W1t, b1t, W2t, b2t = (t32(v, grad=True) for v in (x, W1, b1, W2, b2))
    X1 = xt @ W1t.T + b1t
    spikes, mem, before = lif_fire(X1, a, b)
    X2 = spikes @ W2t.T + b2t
    mem_out = leaky_integrate(X2, a, b)
    loss = (mem_out * t32(R_out)).sum() + (mem * t32(R_hid)).sum()
    loss.backward()
    ref_spikes, ref_mem = lif_f64(x.astype(np.float64) @ W1.T.astype(np.float64) + b1, a, b)
    assert np.array_equal(ref_spikes, npy(spikes)) and np.allclose(ref_mem, npy(mem), atol=1e-5)
    rate = npy(spikes).mean()
    print(f"  lif_layer: seed {seed}, spike rate {rate:.3f}")
    assert 0.05 < rate < 0.5
    dist = np.abs(npy(before) - THRESHOLD)
    w.save("lif_layer.npz", {
        "dt": scalar(DT), "tau_syn": scalar(tau_syn), "tau_mem": scalar(tau_mem),
        "threshold": scalar(THRESHOLD), "near_threshold_tol": scalar(NEAR_THRESHOLD),
        "min_decision_distance": scalar(dist.min()),
        "x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2, "R_out": R_out, "R_hid": R_hid,
        "X1": f32(npy(X1)), "spikes": f32(npy(spikes)), "mem": f32(npy(mem)),
        "mem_before_reset": f32(npy(before)), "near_threshold": dist < NEAR_THRESHOLD,
        "X2": f32(npy(X2)), "mem_out": f32(npy(mem_out)), "loss": f32(npy(loss)),
        "grad:W1": f32(npy(W1t.grad)), "grad:b1": f32(npy(b1t.grad)),
        "grad:W2": f32(npy(W2t.grad)), "grad:b2": f32(npy(b2t.grad)),
        "grad:x": f32(npy(xt.grad)),
    })


# ---------------------------------------------------------------- 3. spsn_layer.npz

def make_spsn_layer(w):
    tau_syn, tau_mem = 0.01, 0.03
    a, b = decays(tau_syn, tau_mem)
    B, T, n_in, H = 3, 40, 12, 10
    rng = np.random.default_rng(300)
    x = f32((rng.random((B, T, n_in)) < 0.3) * (1 + (rng.random((B, T, n_in)) < 0.1)))
    W = f32(rng.uniform(-1, 1, (H, n_in)) * 2 * math.sqrt(3 / n_in))
    bias = f32(rng.uniform(-0.3, 0.3, H))
    R = f32(rng.standard_normal((B, T, H)))
    with torch.no_grad():
        mem0 = npy(leaky_integrate(t32(x) @ t32(W).T + t32(bias), a, b))
    draw = NoiseDraw(rng, coded=False)
    (u_sb,) = sb_noise(draw, mem0)
    u_gs0, u_gs1 = gs_noise(draw, mem0)

    arrays = {"dt": scalar(DT), "tau_syn": scalar(tau_syn), "tau_mem": scalar(tau_mem),
              "x": x, "W": W, "b": bias, "R": R,
              "noise_sb": u_sb, "noise_gs0": u_gs0, "noise_gs1": u_gs1,
              "mem_f64": integrate_f64(x.astype(np.float64) @ W.T.astype(np.float64)
                                       + bias.astype(np.float64), a, b)}
    for kind in ("int", "sb", "gs"):
        Wt, bt = t32(W, grad=True), t32(bias, grad=True)
        mem = leaky_integrate(t32(x) @ Wt.T + bt, a, b)
        if kind == "int":
            out = mem
            arrays["mem"] = f32(npy(mem))
            arrays["p_sb"] = f32(npy(torch.sigmoid(mem)))
        elif kind == "sb":
            out = sigmoid_bernoulli(mem, t32(u_sb))
            arrays["spikes_sb"] = f32(npy(out))
        else:
            out = gumbel_softmax_spike(mem, t32(u_gs0), t32(u_gs1))
            arrays["spikes_gs"] = f32(npy(out))
            arrays["y_soft_gs"] = f32(npy(gumbel_soft(mem, t32(u_gs0), t32(u_gs1))))
        loss = (out * t32(R)).sum()
        loss.backward()
        arrays[f"loss_{kind}"] = f32(npy(loss))
        arrays[f"grad_{kind}:W"] = f32(npy(Wt.grad))
        arrays[f"grad_{kind}:b"] = f32(npy(bt.grad))
    print(f"  spsn_layer: SB rate {arrays['spikes_sb'].mean():.3f}, "
          f"GS rate {arrays['spikes_gs'].mean():.3f}")
    w.save("spsn_layer.npz", arrays)


# ---------------------------------------------------------------- 4. surrogates.npz

def make_surrogates(w):
    rng = np.random.default_rng(400)
    grid = f32([-10, -1, -0.1, -0.01, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.01, 0.1, 1, 10])
    x = np.concatenate([grid, f32(rng.uniform(-3, 3, 19))])
    weight = f32(rng.standard_normal(x.shape))
    arrays = {"x": x, "w": weight}

    xt = t32(x, grad=True)
    h = FastSigmoidStep.apply(xt)
    h.sum().backward()
    arrays["heaviside"] = f32(npy(h))
    arrays["heaviside_grad_sum"] = f32(npy(xt.grad))
    xt = t32(x, grad=True)
    (FastSigmoidStep.apply(xt) * t32(weight)).sum().backward()
    arrays["heaviside_grad_w"] = f32(npy(xt.grad))

    draw = NoiseDraw(rng, coded=False)
    (u,) = sb_noise(draw, x)
    mt = t32(x, grad=True)
    spk = sigmoid_bernoulli(mt, t32(u))
    (spk * t32(weight)).sum().backward()
    arrays.update({"sb_u": u, "sb_spikes": f32(npy(spk)), "sb_grad_w": f32(npy(mt.grad))})

    u0, u1 = gs_noise(draw, x)
    mt = t32(x, grad=True)
    spk = gumbel_softmax_spike(mt, t32(u0), t32(u1))
    (spk * t32(weight)).sum().backward()
    arrays.update({"gs_u0": u0, "gs_u1": u1, "gs_spikes": f32(npy(spk)),
                   "gs_grad_w": f32(npy(mt.grad))})
    # the autograd functions above must give the closed forms of REFERENCE.md
    x64, w64 = x.astype(np.float64), weight.astype(np.float64)
    p, y = 1 / (1 + np.exp(-x64)), npy(gumbel_soft(t32(x), t32(u0), t32(u1))).astype(np.float64)
    assert np.allclose(arrays["heaviside_grad_w"], w64 / (100 * np.abs(x64) + 1) ** 2, rtol=1e-5)
    assert np.allclose(arrays["sb_grad_w"], w64 * p * p * (1 - p), rtol=1e-4, atol=1e-7)
    assert np.allclose(arrays["gs_grad_w"], w64 * 2 * y * (1 - y), rtol=1e-4, atol=1e-7)
    w.save("surrogates.npz", arrays)


# ---------------------------------------------------------------- 5. loss.npz

def make_loss(w):
    rng = np.random.default_rng(500)
    B, T, C = 4, 20, 5
    out = f32(2 * rng.standard_normal((B, T, C)))
    labels = rng.integers(0, C, B).astype(np.int64)
    arrays = {"output": out, "labels": labels}
    for mode in LOSS_MODE_CODES:
        ot = t32(out, grad=True)
        loss = F.cross_entropy(reduce_time(ot, mode), torch.tensor(labels))
        loss.backward()
        arrays[f"loss_{mode}"] = f32(npy(loss))
        arrays[f"grad_{mode}:output"] = f32(npy(ot.grad))
    rates = [f32(rng.uniform(0, 0.5, n)) for n in (8, 10, 12)]
    thresholds = {"active": 0.1, "inactive": 0.4}
    for i, r in enumerate(rates):
        arrays[f"rate_{i}"] = r
    for case, thr in thresholds.items():
        rts = [t32(r, grad=True) for r in rates]
        reg = rate_regularizer(rts, thr)
        reg.backward()
        arrays[f"reg_thr_{case}"] = scalar(thr)
        arrays[f"reg_{case}"] = f32(npy(reg))
        for i, rt in enumerate(rts):
            arrays[f"reg_grad_{case}:rate_{i}"] = f32(npy(rt.grad))
    assert arrays["reg_active"] > 0 and arrays["reg_inactive"] == 0
    w.save("loss.npz", arrays)


# ---------------------------------------------------------------- 6. adamax.npz

def make_adamax(w):
    rng = np.random.default_rng(600)
    lr, beta1, beta2, eps = 1e-3, 0.9, 0.999, 1e-8
    params = {"a": f32(rng.standard_normal(7)), "b": f32(rng.standard_normal((2, 3)))}
    grads = []
    for step in range(3):
        g = {"a": f32(rng.standard_normal(7)), "b": f32(0.01 * rng.standard_normal((2, 3)))}
        g["a"][0] = 0.0                                  # no gradient at all
        g["a"][1] = f32(3e-9 * (1 if step != 1 else -1))  # eps-sized, changes sign
        g["a"][2] = f32([5.0, -0.5, 0.05][step])          # decaying: exp_inf keeps the max
        grads.append(g)
    tensors = {k: torch.nn.Parameter(t32(v)) for k, v in params.items()}
    opt = torch.optim.Adamax(list(tensors.values()), lr=lr, betas=(beta1, beta2), eps=eps)
    arrays = {"lr": scalar(lr), "beta1": scalar(beta1), "beta2": scalar(beta2),
              "eps": scalar(eps)}
    for k, v in params.items():
        arrays[f"param:{k}"] = v
    for step, g in enumerate(grads, start=1):
        opt.zero_grad()
        for k, t in tensors.items():
            t.grad = t32(g[k])
            arrays[f"grad_{step}:{k}"] = g[k]
        opt.step()
        for k, t in tensors.items():
            arrays[f"after_{step}:{k}"] = f32(npy(t))
    w.save("adamax.npz", arrays)


# ---------------------------------------------------------------- 7. network_<neuron>.npz

NETWORK = dict(input_size=700, hidden_size=128, nb_layers=3, nb_classes=20, batch=4, steps=100,
               tau_syn=0.015, tau_mem=0.025, loss_mode="mean")
# Per neuron: weight gain over Kaiming-uniform, bias range per layer (hidden..., output), and
# reg_thr. LIF weights are scaled up so that every layer fires within 100 steps. SPSN biases
# are negative so that the summed rate sits a little above reg_thr * N: the regulariser is
# active but does not drown the cross-entropy (the synaptic sum has a DC gain of
# 1/(1-alpha) ~ 67, so small biases already shift the rates).
SPSN_BIAS = [(-0.03, -0.01), (-0.15, -0.05), (-0.15, -0.05), (-0.1, 0.1)]
NETWORK_VARIANTS = {
    "LIF": dict(gain=3.0, bias=[(0.0, 0.2)] * 4, reg_thr=0.0),
    "SPSN-SB": dict(gain=1.0, bias=SPSN_BIAS, reg_thr=0.4),
    "SPSN-GS": dict(gain=1.0, bias=SPSN_BIAS, reg_thr=0.4),
    "Non-Spiking": dict(gain=1.0, bias=[(-0.1, 0.1)] * 4, reg_thr=0.0),
}


def param_names(neuron, nb_layers):
    """PyTorch state_dict names of the original's nn.Sequential."""
    names = []
    for layer in range(nb_layers + 1):
        prefix = f"{2 * layer}." if neuron == "Non-Spiking" else f"{layer}.fc."
        names += [prefix + "weight", prefix + "bias"]
    return names


def f16_exact(a):
    """Rounds to float16 so that the parameters can be stored in half the space losslessly."""
    return np.asarray(a).astype(np.float16)


def network_params(rng, neuron):
    """Fixed random float16-exact parameters: Kaiming-uniform-like weights times a gain, and
    small non-zero biases so that biases matter."""
    cfg, var = NETWORK, NETWORK_VARIANTS[neuron]
    sizes = [cfg["input_size"]] + [cfg["hidden_size"]] * cfg["nb_layers"] + [cfg["nb_classes"]]
    names = param_names(neuron, cfg["nb_layers"])
    params = {}
    for layer in range(cfg["nb_layers"] + 1):
        fan_in, fan_out = sizes[layer], sizes[layer + 1]
        bound = var["gain"] * math.sqrt(3 / fan_in)
        params[names[2 * layer]] = f16_exact(rng.uniform(-bound, bound, (fan_out, fan_in)))
        params[names[2 * layer + 1]] = f16_exact(rng.uniform(*var["bias"][layer], fan_out))
    return params


def clear_relu_biases(params, x):
    """Non-Spiking: nudges a neuron's bias until none of its pre-activations lies within
    DECISION_MARGIN of 0, layer by layer, so that ReLU's gradient gate cannot flip."""
    names = param_names("Non-Spiking", NETWORK["nb_layers"])
    h = t32(x)
    for layer in range(NETWORK["nb_layers"]):
        W, b = names[2 * layer], names[2 * layer + 1]
        for _ in range(100):
            z = F.linear(h, t32(params[W]), t32(params[b]))
            bad = npy((z.abs() < DECISION_MARGIN).any(dim=1).any(dim=0))
            if not bad.any():
                break
            params[b][bad] = f16_exact(params[b][bad].astype(np.float64) + 1e-3)
        else:
            raise RuntimeError("could not clear the ReLU decisions")
        h = torch.relu(z)


def network_input(rng):
    cfg = NETWORK
    shape = (cfg["batch"], cfg["steps"], cfg["input_size"])
    x = (rng.random(shape) < 0.02).astype(np.uint8)
    x[(x == 1) & (rng.random(shape) < 0.05)] = 2   # a few bins with two spikes
    labels = rng.integers(0, cfg["nb_classes"], cfg["batch"]).astype(np.int64)
    return x, labels


def network_forward(neuron, params, x, noise, alpha, beta, make_noise=None):
    """Returns output [B,T,C], rates per firing layer, the (stored) noise used, and the
    decision variables (positive = fires / ReLU passes). Works in the dtype of x. With
    make_noise, noise is drawn layer by layer (make_noise(kind, mem) -> list of arrays)
    instead of read from `noise`."""
    names = param_names(neuron, NETWORK["nb_layers"])
    h = x
    rates, used, decisions = [], [], []
    for layer in range(NETWORK["nb_layers"]):
        X = F.linear(h, params[names[2 * layer]], params[names[2 * layer + 1]])
        if neuron == "Non-Spiking":
            decisions.append(X.detach())
            h = torch.relu(X)
            continue
        if neuron == "LIF":
            spk, _, before = lif_fire(X, alpha, beta)
            decisions.append(before - THRESHOLD)
        else:
            mem = leaky_integrate(X, alpha, beta)
            count = 1 if neuron == "SPSN-SB" else 2
            if make_noise is not None:
                used += make_noise(neuron, npy(mem).astype(np.float32))
            else:
                used += noise[len(used):len(used) + count]
            us = [torch.as_tensor(decode_noise(u), dtype=mem.dtype) for u in used[-count:]]
            if neuron == "SPSN-SB":
                spk = sigmoid_bernoulli(mem, us[0])
                decisions.append((torch.sigmoid(mem) - us[0]).detach())
            else:
                spk = gumbel_softmax_spike(mem, us[0], us[1])
                decisions.append((gumbel_soft(mem, us[0], us[1]) - 0.5).detach())
        rates.append(spk.mean(dim=(0, 1)))
        h = spk
    last = NETWORK["nb_layers"]
    X = F.linear(h, params[names[2 * last]], params[names[2 * last + 1]])
    out = X if neuron == "Non-Spiking" else leaky_integrate(X, alpha, beta)
    return out, rates, used, decisions


def min_distance(decisions):
    return min(d.abs().min().item() for d in decisions)


def check_against_f64(neuron, params, x, noise, alpha, beta, decisions32):
    """Runs the same network in float64: every firing decision must agree, which shows that
    DECISION_MARGIN exceeds float32 rounding. Returns the largest decision-variable error."""
    with torch.no_grad():
        p64 = {k: torch.tensor(v.astype(np.float64)) for k, v in params.items()}
        _, _, _, d64 = network_forward(neuron, p64, torch.tensor(x.astype(np.float64)), noise,
                                       alpha, beta)
    err = 0.0
    for a, b in zip(decisions32, d64):
        assert torch.equal(a > 0, b > 0), f"{neuron}: float32 and float64 decisions differ"
        err = max(err, (a.double() - b).abs().max().item())
    return err


def make_network(w, neuron, seed):
    cfg, var = NETWORK, NETWORK_VARIANTS[neuron]
    alpha, beta = decays(cfg["tau_syn"], cfg["tau_mem"])
    for attempt in range(200):
        rng = np.random.default_rng([seed, attempt])
        params = network_params(rng, neuron)
        x, labels = network_input(rng)
        if neuron == "Non-Spiking":
            clear_relu_biases(params, x)
        draw = NoiseDraw(rng, coded=True)

        def make_noise(kind, mem):
            return sb_noise(draw, mem) if kind == "SPSN-SB" else gs_noise(draw, mem)

        with torch.no_grad():
            _, rates, noise, decisions = network_forward(
                neuron, {k: t32(v) for k, v in params.items()}, t32(x), [], alpha, beta,
                make_noise if neuron.startswith("SPSN") else None)
        if min_distance(decisions) >= DECISION_MARGIN and all(r.sum() > 0 for r in rates):
            break
    else:
        raise RuntimeError(f"{neuron}: no seed keeps clear of the firing decisions")

    tensors = {k: t32(v, grad=True) for k, v in params.items()}
    out, rates, _, decisions = network_forward(neuron, tensors, t32(x), noise, alpha, beta)
    f64_error = check_against_f64(neuron, params, x, noise, alpha, beta, decisions)
    ce = F.cross_entropy(reduce_time(out, cfg["loss_mode"]), torch.tensor(labels))
    reg = rate_regularizer(rates, var["reg_thr"]) if var["reg_thr"] > 0 else torch.zeros(())
    assert var["reg_thr"] == 0 or reg.item() > 0, f"{neuron}: the regulariser is not active"
    loss = ce + reg
    loss.backward()

    arrays = {"neuron_code": np.asarray(NEURON_CODES[neuron], dtype=np.int64),
              "loss_mode_code": np.asarray(LOSS_MODE_CODES[cfg["loss_mode"]], dtype=np.int64),
              "reg_thr": scalar(var["reg_thr"]), "tau_syn": scalar(cfg["tau_syn"]),
              "tau_mem": scalar(cfg["tau_mem"]), "dt": scalar(DT),
              "min_decision_distance": scalar(min_distance(decisions)),
              "x": x, "labels": labels, "output": f32(npy(out)),
              "loss": f32(npy(loss)), "loss_ce": f32(npy(ce)), "loss_reg": f32(npy(reg))}
    for key in ("input_size", "hidden_size", "nb_layers", "nb_classes"):
        arrays[key] = np.asarray(cfg[key], dtype=np.int64)
    for i, u in enumerate(noise):
        arrays[f"noise_{i}"] = u
    for i, r in enumerate(rates):
        arrays[f"rate_{i}"] = f32(npy(r))
    for k, v in params.items():
        arrays[f"param:{k}"] = v
        arrays[f"grad:{k}"] = f32(npy(tensors[k].grad))
    opt = torch.optim.Adamax(list(tensors.values()), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    opt.step()
    for k, v in params.items():
        # after_step - param, rounded to float16: one Adamax step from a zero state moves each
        # weight by about lr * sign(grad), so 11 significant bits check it to ~5e-4 relative
        step = npy(tensors[k]).astype(np.float64) - v.astype(np.float64)
        arrays[f"step:{k}"] = step.astype(np.float16)
    print(f"  network {neuron}: attempt {attempt}, decision distance "
          f"{min_distance(decisions):.2e}, f32-vs-f64 error {f64_error:.2e}, "
          f"rates {[round(float(r.mean()), 3) for r in rates]}, loss {loss.item():.4f} "
          f"(ce {ce.item():.4f}, reg {reg.item():.4f})")
    w.save(f"network_{neuron}.npz", arrays)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(0)  # nothing below draws from torch; fixed anyway
    w = Writer(os.path.normpath(args.out))
    make_integration(w)
    make_lif_layer(w)
    make_spsn_layer(w)
    make_surrogates(w)
    make_loss(w)
    make_adamax(w)
    for i, neuron in enumerate(NEURON_CODES):
        make_network(w, neuron, 700 + i)
    print(f"total {w.total / 1024:.1f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
