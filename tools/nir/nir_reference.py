#!/usr/bin/env python3
"""Simulates a NIR graph with NIR's documented equations, stepped by forward Euler at dt.

This is the reference for docs/NIR.md: it knows nothing of spsn-java. Every node's output is
computed once per step t, in the order the nodes are first reached from the Input; a node's input
is the sum of its predecessors' outputs (inputs x[b, t, :]):

    Affine:    y = W x + b                      Linear: y = W x
    CubaLIF:   I = I + dt/tau_syn * (-I + w_in * S)
               v = v + dt/tau_mem * (v_leak - v + r * I)
               z = v > v_threshold;  v = v_reset where z;  output z
    CubaLI:    the same two updates, output v (no threshold, no reset)
    Threshold: z = x > threshold

All state starts at 0. Computed in float64. The current is updated before the membrane in the
same step (the membrane sees this step's current), which is how spsn-java's neurons step.
An edge back to a node reached earlier (a recurrent cycle lif -> w_rec -> lif) carries the
output of the step before: the neuron at step t sees w_rec(z_{t-1}); before the first step every
neuron is at rest with no spike, so it sees w_rec(0) (an Affine's bias) at t = 0.
"""
import numpy as np


def order(graph):
    """Node names in the order they are first reached from the Input (depth first, edge order)."""
    import nir
    start = [k for k, n in graph.nodes.items() if isinstance(n, nir.Input)]
    assert len(start) == 1, "one Input node"
    seen, stack = [], [start[0]]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.append(name)
        stack.extend(reversed([b for a, b in graph.edges if a == name and b not in seen]))
    assert len(seen) == len(graph.nodes), f"nodes not reached from the Input: {set(graph.nodes) - set(seen)}"
    return seen


def simulate(graph, x, dt):
    """x [B, T, n_in] -> {node name: its output [B, T, n]} and, per CubaLIF or Threshold, the
    values compared with the threshold [B, T, n] and the thresholds [n]."""
    import nir
    x = np.asarray(x, dtype=np.float64)
    B, T, _ = x.shape
    names = order(graph)
    rank = {n: i for i, n in enumerate(names)}
    f64 = lambda a: np.asarray(a, np.float64)

    def size(name):
        node = graph.nodes[name]
        if isinstance(node, (nir.Affine, nir.Linear)):
            return node.weight.shape[0]
        if isinstance(node, nir.Input):
            return x.shape[2]
        if isinstance(node, nir.Threshold):
            return np.asarray(node.threshold).size
        if isinstance(node, nir.Output):
            return int(np.prod(node.output_type["output"]))
        return np.asarray(node.tau_mem).size

    def apply(name, signal):
        node = graph.nodes[name]
        if isinstance(node, nir.Affine):
            return signal @ f64(node.weight).T + f64(node.bias)
        if isinstance(node, nir.Linear):
            return signal @ f64(node.weight).T
        raise ValueError(f"node {name}: {type(node).__name__} is not simulated here")

    outputs = {n: np.zeros((B, T, size(n))) for n in names}
    compared = {}
    state = {}
    # before the first step: neurons at rest and silent; stateless nodes of a zero input
    previous = {n: (apply(n, np.zeros((B, graph.nodes[n].weight.shape[1])))
                    if isinstance(graph.nodes[n], (nir.Affine, nir.Linear)) else np.zeros((B, size(n))))
                for n in names}
    for t in range(T):
        current = {}
        for name in names:
            node = graph.nodes[name]
            if isinstance(node, nir.Input):
                current[name] = x[:, t]
                continue
            inputs = [a for a, b in graph.edges if b == name]
            signal = sum(current[a] if rank[a] < rank[name] else previous[a] for a in inputs)
            if isinstance(node, nir.Output):
                out = signal
            elif isinstance(node, (nir.Affine, nir.Linear)):
                out = apply(name, signal)
            elif isinstance(node, nir.Threshold):
                th = np.broadcast_to(f64(node.threshold), signal.shape[-1:])
                compared.setdefault(name, (np.zeros((B, T, signal.shape[-1])), th))[0][:, t] = signal
                out = (signal > th).astype(np.float64)
            elif isinstance(node, (nir.CubaLIF, nir.CubaLI)):
                n = signal.shape[-1]
                g = lambda a: np.broadcast_to(f64(a), (n,))
                I, v = state.get(name, (np.zeros((B, n)), np.zeros((B, n))))
                I = I + dt / g(node.tau_syn) * (-I + g(node.w_in) * signal)
                v = v + dt / g(node.tau_mem) * (g(node.v_leak) - v + g(node.r) * I)
                if isinstance(node, nir.CubaLIF):
                    th = g(node.v_threshold)
                    compared.setdefault(name, (np.zeros((B, T, n)), th))[0][:, t] = v
                    z = v > th
                    v = np.where(z, g(node.v_reset), v)
                    out = z.astype(np.float64)
                else:
                    out = v
                state[name] = (I, v)
            else:
                raise ValueError(f"node {name}: {type(node).__name__} is not simulated here")
            current[name] = out
            outputs[name][:, t] = out
        previous = current
    return outputs, compared


def margin(compared):
    """The smallest |value - threshold| / threshold of any firing decision."""
    return min(float(np.min(np.abs(v - th) / th)) for v, th in compared.values())


def tool_network(layers, x):
    """spsn-java's own discrete layers (REFERENCE.md, PARALIF.md), float64, for the self-check.
    Each layer: dict(kind='lif'|'threshold'|'output', W, b, a, b_, theta[, Wr, br]) with a, b_
    the (float32) decay factors (a, b_, theta: scalars, or [n] arrays per neuron): X = W x + b (+ Wr s_{t-1} + br); syn = a syn + X;
    mem = b_ mem + (1 - b_) syn; lif: spike mem > theta, mem = 0 after a spike; threshold: spike
    mem > theta, no reset; output: the membrane. Returns per-layer outputs and membranes compared."""
    signal = np.asarray(x, np.float64)
    outs, pres = [], []
    for layer in layers:
        X = signal @ layer["W"].astype(np.float64).T + layer["b"].astype(np.float64)
        # one decay pair and threshold per layer, or per neuron ([n] arrays, --per_neuron)
        a, b_ = np.asarray(layer["a"], np.float64), np.asarray(layer["b_"], np.float64)
        B, T, n = X.shape
        syn, mem, s = np.zeros((B, n)), np.zeros((B, n)), np.zeros((B, n))
        out, pre = np.zeros_like(X), np.zeros_like(X)
        for t in range(T):
            drive = X[:, t]
            if "Wr" in layer:
                drive = drive + s @ layer["Wr"].astype(np.float64).T + layer["br"].astype(np.float64)
            syn = a * syn + drive
            mem = b_ * mem + (1 - b_) * syn
            pre[:, t] = mem
            if layer["kind"] == "output":
                out[:, t] = mem
                continue
            s = (mem > layer["theta"]).astype(np.float64)
            if layer["kind"] == "lif":
                mem = np.where(s > 0, 0.0, mem)
            out[:, t] = s
        outs.append(out)
        pres.append(pre)
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
    with open(os.path.join(out, "margin.txt"), "w") as f:
        f.write(f"{margin(pres)!r}\n")
