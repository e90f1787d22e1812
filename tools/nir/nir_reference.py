#!/usr/bin/env python3
"""Simulates a NIR graph with NIR's documented equations, stepped by forward Euler at dt.

This is the reference for docs/NIR.md: it knows nothing of spsn-java. For each step t and each
node along the chain Input -> ... -> Output (inputs x[b, t, :]):

    Affine:    y = W x + b                      Linear: y = W x
    CubaLIF:   I = I + dt/tau_syn * (-I + w_in * S)
               v = v + dt/tau_mem * (v_leak - v + r * I)
               z = v > v_threshold;  v = v_reset where z;  output z
    CubaLI:    the same two updates, output v (no threshold, no reset)

All state starts at 0. Computed in float64. The current is updated before the membrane in the
same step (the membrane sees this step's current), which is how spsn-java's neurons step.
"""
import numpy as np


def chain(graph):
    """Node names from the Input to the Output of a feed-forward chain."""
    import nir
    start = [k for k, n in graph.nodes.items() if isinstance(n, nir.Input)]
    assert len(start) == 1, "one Input node"
    order = [start[0]]
    while True:
        nxt = [b for a, b in graph.edges if a == order[-1]]
        if not nxt:
            return order
        assert len(nxt) == 1, f"{order[-1]} feeds {nxt}: not a chain"
        order.append(nxt[0])


def simulate(graph, x, dt):
    """x [B, T, n_in] -> {node name: its output [B, T, n]} and {CubaLIF name: v before reset}."""
    import nir
    x = np.asarray(x, dtype=np.float64)
    B, T, _ = x.shape
    outputs, before_reset = {}, {}
    signal = x
    for name in chain(graph)[1:]:
        node = graph.nodes[name]
        if isinstance(node, nir.Output):
            outputs[name] = signal
            continue
        if isinstance(node, nir.Affine):
            signal = signal @ node.weight.astype(np.float64).T + node.bias.astype(np.float64)
        elif isinstance(node, nir.Linear):
            signal = signal @ node.weight.astype(np.float64).T
        elif isinstance(node, (nir.CubaLIF, nir.CubaLI)):
            f = lambda a: np.broadcast_to(np.asarray(a, np.float64), signal.shape[-1:])
            tau_syn, tau_mem, r, v_leak, w_in = (f(node.tau_syn), f(node.tau_mem), f(node.r),
                                                f(node.v_leak), f(node.w_in))
            firing = isinstance(node, nir.CubaLIF)
            if firing:
                v_th, v_reset = f(node.v_threshold), f(node.v_reset)
            I = np.zeros((B, signal.shape[-1]))
            v = np.zeros((B, signal.shape[-1]))
            out = np.zeros_like(signal)
            pre = np.zeros_like(signal)
            for t in range(T):
                I = I + dt / tau_syn * (-I + w_in * signal[:, t])
                v = v + dt / tau_mem * (v_leak - v + r * I)
                pre[:, t] = v
                if firing:
                    z = v > v_th
                    v = np.where(z, v_reset, v)
                    out[:, t] = z
                else:
                    out[:, t] = v
            if firing:
                before_reset[name] = pre
            signal = out
        else:
            raise ValueError(f"node {name}: {type(node).__name__} is not simulated here")
        outputs[name] = signal
    return outputs, before_reset


def tool_network(params, x, tau_syn, tau_mem, dt=1e-3):
    """spsn-java's own discrete LIF network (REFERENCE.md), float64, for the self-check:
    syn = a syn + X; mem = b mem + (1-b) syn; spike mem > 1; mem = 0 after a spike;
    the last layer integrates without firing. Returns per-layer outputs and pre-reset membranes."""
    a, b = np.exp(-dt / tau_syn), np.exp(-dt / tau_mem)
    a, b = float(np.float32(a)), float(np.float32(b))  # the tool's decay factors are float32
    signal = np.asarray(x, np.float64)
    layers = len(params) // 2
    outs, pres = [], []
    for i in range(layers):
        X = signal @ params[f"{i}.fc.weight"].astype(np.float64).T + params[f"{i}.fc.bias"].astype(np.float64)
        syn = np.zeros(X.shape[::2]); mem = np.zeros(X.shape[::2])
        out = np.zeros_like(X); pre = np.zeros_like(X)
        for t in range(X.shape[1]):
            syn = a * syn + X[:, t]
            mem = b * mem + (1 - b) * syn
            pre[:, t] = mem
            if i < layers - 1:
                spk = mem > 1
                mem = np.where(spk, 0.0, mem)
                out[:, t] = spk
            else:
                out[:, t] = mem
        outs.append(out); pres.append(pre)
        signal = out
    return outs, pres


if __name__ == "__main__":
    # nir_reference.py GRAPH.nir X.bin B T N OUT_DIR: x as raw little-endian float32 [B, T, N];
    # writes OUT_DIR/<node>.bin (float64 [B, T, n], C order) for every node and margin.txt (the
    # smallest |v - threshold| / threshold of any firing decision). Needs NIR on PYTHONPATH.
    import os
    import sys
    import nir
    path, xfile, b, t, n, out = sys.argv[1:7]
    x = np.fromfile(xfile, dtype="<f4").reshape(int(b), int(t), int(n))
    graph = nir.read(path)
    outputs, pres = simulate(graph, x, 1e-3)
    os.makedirs(out, exist_ok=True)
    for name, value in outputs.items():
        np.ascontiguousarray(value, dtype="<f8").tofile(os.path.join(out, name + ".bin"))
    margins = [float(np.min(np.abs(p - np.broadcast_to(graph.nodes[k].v_threshold, p.shape[-1:]))
                            / np.broadcast_to(graph.nodes[k].v_threshold, p.shape[-1:])))
               for k, p in pres.items()]
    with open(os.path.join(out, "margin.txt"), "w") as f:
        f.write(f"{min(margins)!r}\n")
