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
  recurrent_by_nir.nir           a graph with a recurrent cycle (lif -> w_rec -> lif): refused on import

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


def fixed_model(rng, x):
    import nir_reference as ref
    for attempt in range(1000):
        params = OrderedDict()
        sizes = [N_IN, HIDDEN, HIDDEN, CLASSES]
        for i in range(3):
            bound = np.sqrt(3.0 / sizes[i]) * 2.5
            params[f"{i}.fc.weight"] = rng.uniform(-bound, bound, (sizes[i + 1], sizes[i])).astype(np.float32)
            params[f"{i}.fc.bias"] = rng.uniform(-0.2, 0.4, sizes[i + 1]).astype(np.float32)
        outs, pres = ref.tool_network(params, x, TAU_SYN, TAU_MEM)
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
        m = margin([pres["1"], pres["3"]], thresholds)
        rates = [float(outs["1"].mean()), float(outs["3"].mean())]
        if m >= MARGIN and all(0.03 < r < 0.5 for r in rates):
            return graph, outs, m, (tau_syn, tau_mem)
    sys.exit("no NIR-written graph with a safe margin")


def recurrent_graph(nir):
    rng = np.random.default_rng(7)
    n = 4
    p = dict(tau_syn=np.full(n, 0.01), tau_mem=np.full(n, 0.02), r=np.ones(n), v_leak=np.zeros(n), w_in=np.full(n, 10.0))
    return nir.NIRGraph(nodes={
        "input": nir.Input(input_type={"input": np.array([3])}),
        "fc": nir.Affine(weight=rng.normal(size=(n, 3)).astype(np.float32), bias=np.zeros(n, np.float32)),
        "lif": nir.CubaLIF(v_threshold=np.ones(n), v_reset=np.zeros(n), **p),
        "w_rec": nir.Linear(weight=rng.normal(size=(n, n)).astype(np.float32)),
        "fc_out": nir.Affine(weight=rng.normal(size=(2, n)).astype(np.float32), bias=np.zeros(2, np.float32)),
        "li": nir.CubaLI(**{k: v[:2] for k, v in p.items()}),
        "output": nir.Output(output_type={"output": np.array([2])}),
    }, edges=[("input", "fc"), ("fc", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "fc_out"),
              ("fc_out", "li"), ("li", "output")])


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
    sim_margin = margin([pres["lif0"], pres["lif1"]], [1.0, 1.0])
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

    # 3. a recurrent graph
    path = os.path.join(args.out, "recurrent_by_nir.nir")
    if os.path.exists(path):
        os.remove(path)
    nir.write(path, recurrent_graph(nir))
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(os.path.join(args.out, name)):8d}  {name}")


if __name__ == "__main__":
    main()
