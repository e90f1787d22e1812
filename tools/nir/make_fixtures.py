#!/usr/bin/env python3
"""Builds the NIR fixtures under src/test/resources/nir/ with NIR's own reader and writer.

    /usr/bin/python3 tools/nir/make_fixtures.py --nir /path/to/NIR [--spsn "java -jar target/spsn.jar"]

--nir is a source checkout of github.com/neuromorphs/NIR (nothing is installed; its code is
never copied here). Debian's python3 with numpy, h5py and torch is needed. The output is the
same from run to run (fixed seeds). It writes:

  fixed_model.pt                 a small LIF network (20 -> 10 -> 10 -> 4) as a PyTorch state_dict
  fixed_model.read_by_nir.json   what nir.read() read from `spsn export --to nir fixed_model.pt`
  fixed_model.expected.json      a fixed input x, and the spikes of each hidden layer and the
                                 output that NIR's equations (nir_reference.simulate, forward
                                 Euler, dt = 1 ms) give on the exported graph; checked here to
                                 equal this tool's own discrete equations (nir_reference.tool_network)
  written_by_nir.nir             a graph written by nir.write() (gzip datasets, variable-length
                                 strings), with per-neuron r, w_in and thresholds not 1, names
                                 "0".."5", float32 parameters as snnTorch writes them
  written_by_nir.expected.json   the same input x and that graph's simulated spikes and output
  paralif_t_model.pt             a ParaLIF-T network (ParaLIF's keys, learned thresholds 0.8 and 1.25)
  recurrent_lif_model.pt         a recurrent LIF network (SPSN's keys, fc_recu with a bias)
  lif_lt_model.pt                a recurrent LIF-LT network with learned thresholds and learned time
                                 constants (raw _alpha, _beta: the decays are their sigmoids)
  <model>.read_by_nir.json       for each of the three, what nir.read() read from our export
  <model>.expected.json          their hidden spikes and outputs under NIR's equations (the input x
                                 of fixed_model.expected.json), checked to equal this tool's equations
  written_by_nir_paralif_t.nir   nir.write(): Affine -> CubaLI -> Threshold layers, per-neuron r,
                                 w_in and thresholds; and its .expected.json
  paralif_t_pn_model.pt          a --per_neuron ParaLIF-T network: [H] learned thresholds and raw
                                 _alpha, _beta (decays their sigmoids); its .read_by_nir.json and
                                 .expected.json as for the three above
  written_by_nir_paralif_t_pn.nir  nir.write(): as written_by_nir_paralif_t but with time constants
                                 that differ between neurons (only --per_neuron holds them); and
                                 its .expected.json
  recurrent_by_nir.nir           nir.write(): recurrent CubaLIF layers, one cycle through a Linear,
                                 one through an Affine with a bias; and its .expected.json

No firing decision of either simulation lies within 1e-4 (relative to the threshold) of its
threshold: parameters are re-drawn until that holds, so float32 rounding cannot flip a spike.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections import OrderedDict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "src", "test", "resources", "nir")
DT = 1e-3
B, T, N_IN, HIDDEN, CLASSES = 3, 60, 20, 10, 4
TAU_SYN, TAU_MEM = 0.01, 0.03
MARGIN = 1e-4


def draw_input(rng):
    return (rng.random((B, T, N_IN)) < 0.15).astype(np.float64) * rng.integers(1, 3, (B, T, N_IN))


def margin(pres, thresholds):
    return min(float(np.min(np.abs(p - th) / th)) for p, th in zip(pres, thresholds))


def spsn_lif_layers(params, tau_syn, tau_mem, n_layers=3):
    """A state dict of SPSN's LIF network as nir_reference.tool_network layers."""
    a, b = np.float32(np.exp(-DT / tau_syn)), np.float32(np.exp(-DT / tau_mem))
    layers = []
    for i in range(n_layers):
        layer = dict(kind="lif" if i < n_layers - 1 else "output", W=params[f"{i}.fc.weight"],
                     b=params[f"{i}.fc.bias"], a=a, b_=b, theta=1.0)
        if f"{i}.fc_recu.weight" in params:
            layer.update(Wr=params[f"{i}.fc_recu.weight"], br=params[f"{i}.fc_recu.bias"])
        layers.append(layer)
    return layers


def fixed_model(rng, x):
    import nir_reference as ref
    for attempt in range(1000):
        params = OrderedDict()
        sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
        for i in range(3):
            bound = np.sqrt(3.0 / sizes[i]) * 2.5
            params[f"{i}.fc.weight"] = rng.uniform(-bound, bound, (sizes[i + 1], sizes[i])).astype(np.float32)
            params[f"{i}.fc.bias"] = rng.uniform(-0.2, 0.4, sizes[i + 1]).astype(np.float32)
        outs, pres = ref.tool_network(spsn_lif_layers(params, TAU_SYN, TAU_MEM), x)
        m = margin(pres[:2], [1.0, 1.0])
        rates = [float(o.mean()) for o in outs[:2]]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return params, outs, m
    sys.exit("no fixed model with a safe margin")


def nir_written_graph(rng, x, nir):
    import nir_reference as ref
    tau_syn, tau_mem = 0.005, 0.04
    for attempt in range(1000):
        nodes = {"input": nir.Input(input_type={"input": np.array([N_IN])})}
        edges, prev, sizes = [], "input", [N_IN, HIDDEN, HIDDEN, CLASSES]
        thresholds = []
        for i in range(3):
            n = sizes[i + 1]
            bound = np.sqrt(3.0 / sizes[i]) * 2.5
            w = rng.uniform(-bound, bound, (n, sizes[i])).astype(np.float32)
            b = rng.uniform(-0.2, 0.4, n).astype(np.float32)
            r = rng.uniform(0.5, 2.0, n).astype(np.float32)
            w_in = (rng.uniform(0.5, 2.0, n) * tau_syn / DT).astype(np.float32)
            common = dict(tau_syn=np.full(n, tau_syn, np.float32), tau_mem=np.full(n, tau_mem, np.float32),
                          r=r, v_leak=np.zeros(n, np.float32), w_in=w_in)
            aff, neu = str(2 * i), str(2 * i + 1)
            nodes[aff] = nir.Affine(weight=w, bias=b)
            if i < 2:
                th = rng.uniform(0.5, 1.5, n).astype(np.float32)
                thresholds.append(th.astype(np.float64))
                nodes[neu] = nir.CubaLIF(v_threshold=th, v_reset=np.zeros(n, np.float32), **common)
            else:
                nodes[neu] = nir.CubaLI(**common)
            edges += [(prev, aff), (aff, neu)]
            prev = neu
        nodes["output"] = nir.Output(output_type={"output": np.array([CLASSES])})
        edges.append((prev, "output"))
        graph = nir.NIRGraph(nodes=nodes, edges=edges)
        outs, pres = ref.simulate(graph, x, DT)
        m = ref.margin(pres)
        rates = [float(outs["1"].mean()), float(outs["3"].mean())]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return graph, outs, m, (tau_syn, tau_mem)
    sys.exit("no NIR-written graph with a safe margin")


def affine(rng, n_in, n_out, scale=2.5):
    bound = np.sqrt(3.0 / n_in) * scale
    return (rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32),
            rng.uniform(-0.2, 0.4, n_out).astype(np.float32))


def paralif_t_model(rng, x):
    """ParaLIF-T 20 -> 10 -> 10 -> 4 under ParaLIF's keys; learned thresholds, fixed time constants."""
    import nir_reference as ref
    a, b = np.float32(np.exp(-DT / TAU_SYN)), np.float32(np.exp(-DT / TAU_MEM))
    sizes, thetas = [N_IN, HIDDEN, HIDDEN, CLASSES], [0.8, 1.25, 1.0]
    for attempt in range(1000):
        params, layers = OrderedDict(), []
        for i in range(3):
            w, bias = affine(rng, sizes[i], sizes[i + 1], 1.5)
            n = sizes[i + 1]
            params[f"{2 * i}.weight"], params[f"{2 * i}.bias"] = w, bias - np.float32(0.15)
            params[f"{2 * i + 1}._spk_threshold"] = np.array(thetas[i], np.float32)
            params[f"{2 * i + 1}.nb_spike_per_neuron"] = np.zeros(n, np.float32)
            params[f"{2 * i + 1}._alpha"], params[f"{2 * i + 1}._beta"] = np.array(a), np.array(b)
            params[f"{2 * i + 1}.nb_spike_per_neuron_rec"] = np.zeros(n, np.float32)  # ParaLIF keeps it always
            layers.append(dict(kind="threshold" if i < 2 else "output", W=w, b=params[f"{2 * i}.bias"], a=a, b_=b,
                               theta=thetas[i]))
        outs, pres = ref.tool_network(layers, x)
        m = margin(pres[:2], thetas[:2])
        rates = [float(o.mean()) for o in outs[:2]]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return params, outs
    sys.exit("no ParaLIF-T model with a safe margin")


def recurrent_lif_model(rng, x):
    """Recurrent LIF 20 -> 10 -> 10 -> 4 under SPSN's keys (fc_recu with a bias)."""
    import nir_reference as ref
    sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
    for attempt in range(1000):
        params = OrderedDict()
        for i in range(3):
            params[f"{i}.fc.weight"], params[f"{i}.fc.bias"] = affine(rng, sizes[i], sizes[i + 1])
            if i < 2:
                params[f"{i}.fc_recu.weight"], _ = affine(rng, HIDDEN, HIDDEN, 2.0)
                params[f"{i}.fc_recu.bias"] = rng.uniform(-0.3, 0.3, HIDDEN).astype(np.float32)
        outs, pres = ref.tool_network(spsn_lif_layers(params, TAU_SYN, TAU_MEM), x)
        m = margin(pres[:2], [1.0, 1.0])
        rates = [float(o.mean()) for o in outs[:2]]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return params, outs
    sys.exit("no recurrent LIF model with a safe margin")


LIF_LT_RAW = [(2.2, 3.0), (1.5, 2.5), (2.0, 3.5)]  # raw (_alpha, _beta) per layer: decays sigmoid(raw)
LIF_LT_THETAS = [0.9, 1.15]


def lif_lt_model(rng, x, torch):
    """Recurrent LIF-LT 20 -> 10 -> 10 -> 4 under ParaLIF's keys, learned thresholds and time constants."""
    import nir_reference as ref
    sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
    sig = lambda v: np.float32(torch.sigmoid(torch.tensor(v, dtype=torch.float32)).item())
    for attempt in range(1000):
        params, layers = OrderedDict(), []
        for i in range(3):
            n = sizes[i + 1]
            w, bias = affine(rng, sizes[i], n)
            p = f"{2 * i + 1}."
            params[f"{2 * i}.weight"], params[f"{2 * i}.bias"] = w, bias
            params[p + "_spk_threshold"] = np.array(LIF_LT_THETAS[i] if i < 2 else 1.0, np.float32)
            params[p + "_alpha"], params[p + "_beta"] = (np.array(v, np.float32) for v in LIF_LT_RAW[i])
            params[p + "nb_spike_per_neuron"] = np.zeros(n, np.float32)
            layer = dict(kind="lif" if i < 2 else "output", W=w, b=bias, a=sig(LIF_LT_RAW[i][0]),
                         b_=sig(LIF_LT_RAW[i][1]), theta=LIF_LT_THETAS[i] if i < 2 else 1.0)
            if i < 2:
                params[p + "fc_recu.weight"], _ = affine(rng, HIDDEN, HIDDEN, 2.0)
                params[p + "fc_recu.bias"] = rng.uniform(-0.3, 0.3, HIDDEN).astype(np.float32)
                layer.update(Wr=params[p + "fc_recu.weight"], br=params[p + "fc_recu.bias"])
            layers.append(layer)
        outs, pres = ref.tool_network(layers, x)
        m = margin(pres[:2], LIF_LT_THETAS)
        rates = [float(o.mean()) for o in outs[:2]]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return params, outs
    sys.exit("no LIF-LT model with a safe margin")


def neuron_params(rng, n, tau_syn, tau_mem):
    return dict(tau_syn=np.full(n, tau_syn, np.float32), tau_mem=np.full(n, tau_mem, np.float32),
                r=rng.uniform(0.5, 2.0, n).astype(np.float32), v_leak=np.zeros(n, np.float32),
                w_in=(rng.uniform(0.5, 2.0, n) * tau_syn / DT).astype(np.float32))


def written_paralif_t_graph(rng, x, nir):
    """Affine -> CubaLI -> Threshold x 2, Affine -> CubaLI, written as snnTorch would (float32, per neuron)."""
    import nir_reference as ref
    tau_syn, tau_mem = 0.005, 0.04
    sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
    for attempt in range(1000):
        nodes, edges, prev = {"input": nir.Input(input_type={"input": np.array([N_IN])})}, [], "input"
        for i in range(3):
            n = sizes[i + 1]
            w, b = affine(rng, sizes[i], n, 1.5)
            nodes[f"{3 * i}"] = nir.Affine(weight=w, bias=b - np.float32(0.15))
            nodes[f"{3 * i + 1}"] = nir.CubaLI(**neuron_params(rng, n, tau_syn, tau_mem))
            edges += [(prev, f"{3 * i}"), (f"{3 * i}", f"{3 * i + 1}")]
            prev = f"{3 * i + 1}"
            if i < 2:
                nodes[f"{3 * i + 2}"] = nir.Threshold(threshold=rng.uniform(0.5, 1.5, n).astype(np.float32))
                edges.append((prev, f"{3 * i + 2}"))
                prev = f"{3 * i + 2}"
        nodes["output"] = nir.Output(output_type={"output": np.array([CLASSES])})
        edges.append((prev, "output"))
        graph = nir.NIRGraph(nodes=nodes, edges=edges)
        outs, pres = ref.simulate(graph, x, DT)
        rates = [float(outs[k].mean()) for k in ("2", "5")]
        if ref.margin(pres) >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return graph, outs, ref.margin(pres), (tau_syn, tau_mem), ("2", "5", "7")
    sys.exit("no NIR-written ParaLIF-T graph with a safe margin")


def paralif_t_pn_model(rng, x, torch):
    """--per_neuron ParaLIF-T 20 -> 10 -> 10 -> 4 under ParaLIF's keys: [n] learned thresholds and time constants."""
    import nir_reference as ref
    sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
    # the decays are sigmoids of the [n] raw tensors, as the network computes them (one tensor)
    sig = lambda v: torch.sigmoid(torch.from_numpy(v)).numpy()
    for attempt in range(1000):
        params, layers, thetas = OrderedDict(), [], []
        for i in range(3):
            n = sizes[i + 1]
            w, bias = affine(rng, sizes[i], n, 1.5)
            p = f"{2 * i + 1}."
            theta = rng.uniform(0.6, 1.4, n).astype(np.float32) if i < 2 else np.ones(n, np.float32)
            raw_a = rng.uniform(1.0, 3.0, n).astype(np.float32)
            raw_b = rng.uniform(2.0, 4.0, n).astype(np.float32)
            params[f"{2 * i}.weight"], params[f"{2 * i}.bias"] = w, bias - np.float32(0.15)
            params[p + "_spk_threshold"] = theta
            params[p + "_alpha"], params[p + "_beta"] = raw_a, raw_b
            params[p + "nb_spike_per_neuron"] = np.zeros(n, np.float32)
            params[p + "nb_spike_per_neuron_rec"] = np.zeros(n, np.float32)
            layers.append(dict(kind="threshold" if i < 2 else "output", W=w, b=params[f"{2 * i}.bias"],
                               a=sig(raw_a), b_=sig(raw_b), theta=theta.astype(np.float64)))
            thetas.append(theta.astype(np.float64))
        outs, pres = ref.tool_network(layers, x)
        m = margin(pres[:2], thetas[:2])
        rates = [float(o.mean()) for o in outs[:2]]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return params, outs
    sys.exit("no per-neuron ParaLIF-T model with a safe margin")


def written_paralif_t_pn_graph(rng, x, nir):
    """written_paralif_t_graph with tau_syn, tau_mem drawn per neuron (3-10 ms, 20-60 ms)."""
    import nir_reference as ref
    sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
    for attempt in range(1000):
        nodes, edges, prev = {"input": nir.Input(input_type={"input": np.array([N_IN])})}, [], "input"
        for i in range(3):
            n = sizes[i + 1]
            w, b = affine(rng, sizes[i], n, 1.5)
            tau_syn = rng.uniform(0.003, 0.01, n).astype(np.float32)
            tau_mem = rng.uniform(0.02, 0.06, n).astype(np.float32)
            nodes[f"{3 * i}"] = nir.Affine(weight=w, bias=b - np.float32(0.15))
            nodes[f"{3 * i + 1}"] = nir.CubaLI(tau_syn=tau_syn, tau_mem=tau_mem,
                                               r=rng.uniform(0.5, 2.0, n).astype(np.float32),
                                               v_leak=np.zeros(n, np.float32),
                                               w_in=(rng.uniform(0.5, 2.0, n) * tau_syn / DT).astype(np.float32))
            edges += [(prev, f"{3 * i}"), (f"{3 * i}", f"{3 * i + 1}")]
            prev = f"{3 * i + 1}"
            if i < 2:
                nodes[f"{3 * i + 2}"] = nir.Threshold(threshold=rng.uniform(0.5, 1.5, n).astype(np.float32))
                edges.append((prev, f"{3 * i + 2}"))
                prev = f"{3 * i + 2}"
        nodes["output"] = nir.Output(output_type={"output": np.array([CLASSES])})
        edges.append((prev, "output"))
        graph = nir.NIRGraph(nodes=nodes, edges=edges)
        outs, pres = ref.simulate(graph, x, DT)
        rates = [float(outs[k].mean()) for k in ("2", "5")]
        if ref.margin(pres) >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return graph, outs, ref.margin(pres), ("per neuron", "per neuron"), ("2", "5", "7")
    sys.exit("no NIR-written per-neuron ParaLIF-T graph with a safe margin")


def written_recurrent_graph(rng, x, nir):
    """Recurrent CubaLIF layers: lif0's cycle through a Linear, lif1's through an Affine with a bias."""
    import nir_reference as ref
    tau_syn, tau_mem = 0.01, 0.02
    sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
    for attempt in range(1000):
        nodes, edges, prev = {"input": nir.Input(input_type={"input": np.array([N_IN])})}, [], "input"
        for i in range(3):
            n = sizes[i + 1]
            w, b = affine(rng, sizes[i], n)
            nodes[f"fc{i}"] = nir.Affine(weight=w, bias=b)
            p = neuron_params(rng, n, tau_syn, tau_mem)
            edges.append((prev, f"fc{i}"))
            if i < 2:
                nodes[f"lif{i}"] = nir.CubaLIF(v_threshold=rng.uniform(0.5, 1.5, n).astype(np.float32),
                                               v_reset=np.zeros(n, np.float32), **p)
                wr, br = affine(rng, n, n, 2.0)
                nodes[f"rec{i}"] = (nir.Linear(weight=wr) if i == 0
                                    else nir.Affine(weight=wr, bias=rng.uniform(-0.3, 0.3, n).astype(np.float32)))
                edges += [(f"fc{i}", f"lif{i}"), (f"lif{i}", f"rec{i}"), (f"rec{i}", f"lif{i}")]
                prev = f"lif{i}"
            else:
                nodes[f"li{i}"] = nir.CubaLI(**p)
                edges.append((f"fc{i}", f"li{i}"))
                prev = f"li{i}"
        nodes["output"] = nir.Output(output_type={"output": np.array([CLASSES])})
        edges.append((prev, "output"))
        graph = nir.NIRGraph(nodes=nodes, edges=edges)
        outs, pres = ref.simulate(graph, x, DT)
        rates = [float(outs[k].mean()) for k in ("lif0", "lif1")]
        if ref.margin(pres) >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return graph, outs, ref.margin(pres), (tau_syn, tau_mem), ("lif0", "lif1", "li2")
    sys.exit("no NIR-written recurrent graph with a safe margin")


def ints(a):
    return np.asarray(a).astype(np.int64).tolist()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nir", required=True, help="NIR source checkout (github.com/neuromorphs/NIR)")
    ap.add_argument("--spsn", default="java -jar target/spsn.jar", help="command that runs spsn-java")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.nir))
    sys.path.insert(0, HERE)
    import nir
    import torch
    import nir_reference as ref
    from read_nir import record
    if not hasattr(nir, "version"):  # set by pip's metadata; a bare checkout has none
        nir.version = "1.0.7"
    os.makedirs(args.out, exist_ok=True)

    # 1. our export of a fixed model, read by NIR's reader, simulated with NIR's equations
    rng = np.random.default_rng(15)
    x = draw_input(rng)
    params, tool_outs, tool_margin = fixed_model(rng, x)
    model_pt = os.path.join(args.out, "fixed_model.pt")
    torch.save(OrderedDict((k, torch.from_numpy(v)) for k, v in params.items()), model_pt)
    with tempfile.TemporaryDirectory() as tmp:
        exported = os.path.join(tmp, "fixed_model.nir")
        cmd = shlex.split(args.spsn) + ["export", "--to", "nir", model_pt, "-o", exported,
                                        "--neuron", "LIF", "--tau_mem", str(TAU_MEM), "--tau_syn", str(TAU_SYN)]
        subprocess.run(cmd, check=True, cwd=ROOT)
        rec = record(exported)
        graph = nir.read(exported)
    outs, pres = ref.simulate(graph, x, DT)
    for i, name in enumerate(["lif0", "lif1"]):
        assert np.array_equal(outs[name], tool_outs[i]), f"{name}: NIR's equations and the tool's differ"
    err = float(np.max(np.abs(outs["li2"] - tool_outs[2])))
    assert err < 1e-9, f"output differs by {err}"
    sim_margin = ref.margin(pres)
    with open(os.path.join(args.out, "fixed_model.read_by_nir.json"), "w") as f:
        json.dump(rec, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(args.out, "fixed_model.expected.json"), "w") as f:
        json.dump({"dt": DT, "tau_syn": TAU_SYN, "tau_mem": TAU_MEM, "x": ints(x),
                   "spikes_lif0": ints(outs["lif0"]), "spikes_lif1": ints(outs["lif1"]),
                   "output_li2": outs["li2"].tolist(), "min_margin": sim_margin,
                   "max_difference_from_tool_equations": err}, f)
        f.write("\n")
    print(f"fixed model: margin {sim_margin:.2e}, rates {[float(outs[n].mean()) for n in ('lif0', 'lif1')]},"
          f" NIR vs tool equations {err:.1e}")

    # 2. a graph written by NIR's writer
    rng = np.random.default_rng(16)
    graph, outs, m, (tau_syn, tau_mem) = nir_written_graph(rng, x, nir)
    path = os.path.join(args.out, "written_by_nir.nir")
    if os.path.exists(path):
        os.remove(path)
    nir.write(path, graph)
    back = nir.read(path)
    outs_back, _ = ref.simulate(back, x, DT)
    assert np.array_equal(outs_back["5"], outs["5"])
    with open(os.path.join(args.out, "written_by_nir.expected.json"), "w") as f:
        json.dump({"dt": DT, "nir_tau_syn": tau_syn, "nir_tau_mem": tau_mem, "x": ints(x),
                   "spikes_1": ints(outs["1"]), "spikes_3": ints(outs["3"]), "output_5": outs["5"].tolist(),
                   "min_margin": m}, f)
        f.write("\n")
    print(f"written by NIR: margin {m:.2e}, rates {[float(outs[n].mean()) for n in ('1', '3')]}")

    # 3. ParaLIF-T, recurrent LIF, recurrent LIF-LT with learned thresholds and time constants:
    # our exports, read by NIR's reader, simulated with NIR's equations = the tool's equations
    models = [
        ("paralif_t_model", 17, lambda r: paralif_t_model(r, x),
         ["--neuron", "ParaLIF-T", "--tau_mem", str(TAU_MEM), "--tau_syn", str(TAU_SYN), "--learn_tau", "False"],
         ["thr0", "thr1", "li2"]),
        ("recurrent_lif_model", 18, lambda r: recurrent_lif_model(r, x),
         ["--neuron", "LIF", "--tau_mem", str(TAU_MEM), "--tau_syn", str(TAU_SYN), "--recurrent_relu", "False"],
         ["lif0", "lif1", "li2"]),
        ("lif_lt_model", 19, lambda r: lif_lt_model(r, x, torch),
         ["--neuron", "LIF-LT", "--tau_mem", "0.02", "--tau_syn", "0.02", "--learn_tau", "True",
          "--recurrent_relu", "False"],
         ["lif0", "lif1", "li2"]),
        ("paralif_t_pn_model", 22, lambda r: paralif_t_pn_model(r, x, torch),
         ["--neuron", "ParaLIF-T", "--tau_mem", str(TAU_MEM), "--tau_syn", str(TAU_SYN), "--learn_tau", "True",
          "--per_neuron", "True"],
         ["thr0", "thr1", "li2"]),
    ]
    for name, seed, make, flags, spiking in models:
        params, tool_outs = make(np.random.default_rng(seed))
        pt = os.path.join(args.out, name + ".pt")
        torch.save(OrderedDict((k, torch.from_numpy(np.asarray(v))) for k, v in params.items()), pt)
        with tempfile.TemporaryDirectory() as tmp:
            exported = os.path.join(tmp, name + ".nir")
            subprocess.run(shlex.split(args.spsn) + ["export", "--to", "nir", pt, "-o", exported] + flags,
                           check=True, cwd=ROOT)
            rec = record(exported)
            graph = nir.read(exported)
        outs, pres = ref.simulate(graph, x, DT)
        for i, node in enumerate(spiking[:2]):
            assert np.array_equal(outs[node], tool_outs[i]), f"{name} {node}: NIR's equations and the tool's differ"
        # lif_lt: the tool's decays (DJL's libtorch) against this torch's sigmoid: equal or 1 float step
        err = float(np.max(np.abs(outs[spiking[2]] - tool_outs[2])))
        learned = name in ("lif_lt_model", "paralif_t_pn_model")
        assert err < (1e-5 if learned else 1e-9), f"{name} output differs by {err}"
        with open(os.path.join(args.out, name + ".read_by_nir.json"), "w") as f:
            json.dump(rec, f, indent=1, sort_keys=True)
            f.write("\n")
        expected = {"dt": DT, "x_from": "fixed_model.expected.json", "flags": flags, "min_margin": ref.margin(pres),
                    "max_difference_from_tool_equations": err}
        for node in spiking[:2]:
            expected["spikes_" + node] = ints(outs[node])
        expected["output_" + spiking[2]] = outs[spiking[2]].tolist()
        with open(os.path.join(args.out, name + ".expected.json"), "w") as f:
            json.dump(expected, f)
            f.write("\n")
        print(f"{name}: margin {ref.margin(pres):.2e}, rates {[float(outs[n].mean()) for n in spiking[:2]]},"
              f" NIR vs tool equations {err:.1e}")

    # 4. graphs of these shapes written by NIR's writer
    for name, seed, make in [("written_by_nir_paralif_t", 20, written_paralif_t_graph),
                             ("recurrent_by_nir", 21, written_recurrent_graph),
                             ("written_by_nir_paralif_t_pn", 23, written_paralif_t_pn_graph)]:
        graph, outs, m, (tau_syn, tau_mem), nodes = make(np.random.default_rng(seed), x, nir)
        path = os.path.join(args.out, name + ".nir")
        if os.path.exists(path):
            os.remove(path)
        nir.write(path, graph)
        back, _ = ref.simulate(nir.read(path), x, DT)
        assert all(np.array_equal(back[k], outs[k]) for k in nodes)
        expected = {"dt": DT, "x_from": "fixed_model.expected.json", "nir_tau_syn": tau_syn, "nir_tau_mem": tau_mem,
                    "min_margin": m, "output_" + nodes[2]: outs[nodes[2]].tolist()}
        for node in nodes[:2]:
            expected["spikes_" + node] = ints(outs[node])
        with open(os.path.join(args.out, name + ".expected.json"), "w") as f:
            json.dump(expected, f)
            f.write("\n")
        print(f"{name}: margin {m:.2e}, rates {[float(outs[n].mean()) for n in nodes[:2]]}")
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(os.path.join(args.out, name)):8d}  {name}")


if __name__ == "__main__":
    main()
