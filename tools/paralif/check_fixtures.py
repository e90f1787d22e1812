#!/usr/bin/python3
"""Checks the ParaLIF parity fixtures against ParaLIF's own code (an independent reference).

    /usr/bin/python3 tools/paralif/check_fixtures.py --paralif DIR [--fixtures DIR]

Model files (model_*.pt with their .json and .npz) are loaded into create_network's model with
load_state_dict(strict=True) and evaluated.

DIR is a checkout of NECOTIS/Parallelizable-Leaky-Integrate-and-Fire-Neuron (never committed
here). For every layer_*.npz, lif_*.npz and network_*.npz written by
tools/reference/make_paralif_fixtures.py it builds the module with ParaLIF's classes
(ParaLIF.ParaLIF, ParaLIF.LIF, examples/basic/network.py's create_network), checks that its
state_dict has the fixture's keys (in order), shapes and dtypes, loads the fixture's values,
injects the fixture's noise (torch.bernoulli and GumbelSoftmax's uniform sampler replaced by the
stored uniforms, in the order ParaLIF asks for them) and compares spikes, membranes, outputs,
losses, every gradient and one Adamax step.

ParaLIF's code runs in float64 here (model.double()), so that its float32 FFT error (up to ~2e-3 of
a gradient's scale) does not hide real differences. Its parallel forward multiplies length-2T spectra, a circular product whose wrap-around
changes the first T-2 steps of short sequences (see PARALIF-FIXTURES.md); the fixtures follow the
causal integration. So the input is padded here with zeros after its end to 32T steps (which
leaves a causal integration's first T steps unchanged and makes the wrap-around negligible), and
only the first T steps are compared. The size of the artefact without padding is printed.
"""
import argparse
import glob
import os
import sys
import types
from argparse import Namespace

import numpy as np
import torch
import torch.nn.functional as F

MODES = ["GS", "SB", "TRB", "D", "SD", "TD", "TRD", "T", "ST", "TT", "TRT"]
LOSS_MODES = ["last", "max", "mean", "cumsum"]
PAD = 32
FORWARD_TOL, GRADIENT_TOL = 1e-5, 1e-4


class NoiseInjector:
    """Replaces ParaLIF's random draws by the fixture's uniforms, in the order they are asked for.
    Arrays are [B, T, H]; a request for [B, PAD*T, H] gets them padded with 0.5."""

    def __init__(self, arrays):
        self.arrays = list(arrays)
        self.used = 0

    def _next(self, shape):
        u = torch.tensor(self.arrays[self.used].astype(np.float64))
        self.used += 1
        pad = shape[1] - u.shape[1]
        return F.pad(u, (0, 0, 0, pad), value=0.5) if pad > 0 else u

    def bernoulli(self, p, *args, **kwargs):
        return (self._next(p.shape) < p).to(p.dtype)

    def uniform_sample(self, shape):
        shape = tuple(shape)[:-1]
        u0 = self._next(shape)
        u1 = self._next(shape)
        return torch.stack([u0, u1], dim=-1)


def install_noise(model, injector):
    torch.bernoulli = injector.bernoulli
    for module in model.modules():
        if module.__class__.__name__ == "GumbelSoftmax":
            module.uniform = types.SimpleNamespace(sample=injector.uniform_sample)
            module.device = torch.device("cpu")  # else it rebuilds its sampler


def state_matches(model, fx, where):
    """The module's state_dict = the fixture's param:/buffer: keys, kinds, order, shapes, dtypes."""
    sd = model.state_dict()
    params = {n for n, _ in model.named_parameters()}
    fx_params = [k[6:] for k in fx.files if k.startswith("param:")]
    fx_buffers = [k[7:] for k in fx.files if k.startswith("buffer:")]
    problems = []
    if [k for k in sd if k in params] != fx_params:
        problems.append(f"parameters {[k for k in sd if k in params]} != fixture {fx_params}")
    if [k for k in sd if k not in params] != fx_buffers:
        problems.append(f"buffers {[k for k in sd if k not in params]} != fixture {fx_buffers}")
    for k, v in sd.items():
        key = ("param:" if k in params else "buffer:") + k
        if key in fx.files:
            ref = fx[key]
            if tuple(v.shape) != ref.shape or v.dtype != torch.float32 or ref.dtype != np.float32:
                problems.append(f"{k}: {tuple(v.shape)} {v.dtype} vs fixture {ref.shape} {ref.dtype}")
    if problems:
        raise AssertionError(f"{where}: " + "; ".join(problems))
    state = {k: torch.tensor(fx[("param:" if k in params else "buffer:") + k]) for k in sd}
    model.load_state_dict(state)
    model.double()  # ParaLIF's code run in float64: its float32 FFT error would hide real differences


def scaled(ref, got):
    ref, got = np.asarray(ref, np.float64), np.asarray(got, np.float64)
    return float(np.max(np.abs(ref - got)) / max(np.max(np.abs(ref)), 1e-30))


class Report:
    def __init__(self):
        self.worst = {}
        self.failures = []

    def check(self, where, what, ref, got, tol):
        err = scaled(ref, got)
        self.worst[what] = max(self.worst.get(what, 0.0), err)
        if not err <= tol:
            self.failures.append(f"{where}: {what} scaled error {err:.2e} > {tol:g}")

    def exact(self, where, what, ref, got):
        if not np.array_equal(np.asarray(ref), np.asarray(got)):
            self.failures.append(f"{where}: {what} differ in {int(np.sum(np.asarray(ref) != np.asarray(got)))} places")


def adamax_check(report, where, model, fx, lr, wd):
    model.float()  # the step in float32, from float32 gradients, as the fixture's
    for p in model.parameters():
        if p.grad is not None:
            p.grad = p.grad.float()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    torch.optim.Adamax(model.parameters(), lr=lr, weight_decay=wd).step()
    for n, p in model.named_parameters():
        step = (p.detach() - before[n]).numpy()
        ref = fx["step:" + n]
        if ("nograd:" + n) in fx.files:
            report.exact(where, "unchanged " + n, np.zeros_like(ref), step)
            continue
        grad = fx["grad:" + n]
        keep = np.abs(grad) > GRADIENT_TOL * np.max(np.abs(grad))  # sign undetermined below
        if not np.allclose(step[keep], ref[keep], rtol=1e-3, atol=1e-9):
            report.failures.append(f"{where}: Adamax step {n} differs")


def neuron_kwargs(fx):
    per_neuron = int(fx["per_neuron"]) if "per_neuron" in fx.files else 0
    to = (lambda a: [float(v) for v in a]) if per_neuron else (lambda a: float(a))
    return dict(spk_threshold=to(fx["spk_threshold_init"]), learn_threshold=bool(fx["learn_threshold"]),
                tau_mem=to(fx["tau_mem"]), tau_syn=to(fx["tau_syn"]), learn_tau=bool(fx["learn_tau"]),
                surrogate_mode=["fastsig", "atan"][int(fx["surrogate_code"])],
                surrogate_scale=float(fx["surrogate_scale"]))


def check_layer(path, report, ParaLIF, LIF):
    fx = np.load(path)
    where = os.path.basename(path)
    x = torch.tensor(fx["x"].astype(np.float64))
    B, T, n_in = x.shape
    H = fx["spikes"].shape[-1]
    kw = neuron_kwargs(fx)
    paralif = int(fx["mode_code"]) >= 0
    if paralif:
        neuron = ParaLIF(H, MODES[int(fx["mode_code"])], recurrent=bool(fx["recurrent"]), fire=True,
                         recurrent_fire=bool(fx["recurrent_fire"]), debug=True, **kw)
    else:
        neuron = LIF(H, recurrent=bool(fx["recurrent"]), fire=True, recurrent_fire=bool(fx["recurrent_fire"]),
                     debug=True, **kw)
    model = torch.nn.Sequential(torch.nn.Linear(n_in, H), neuron)
    state_matches(model, fx, where)
    noise = [fx[k] for k in sorted((k for k in fx.files if k.startswith("noise_")), key=lambda k: int(k[6:]))]
    steps = PAD * T if paralif else T
    if paralif:  # the circular artefact, for information
        with torch.no_grad():
            install_noise(model, NoiseInjector(noise))
            _, mem_circ = model(x)
        artefact = float(np.max(np.abs(mem_circ.numpy() - fx["mem"])))
        report.worst["unpadded membrane (circular artefact)"] = max(
            report.worst.get("unpadded membrane (circular artefact)", 0.0), artefact)
    injector = NoiseInjector(noise)
    install_noise(model, injector)
    xg = F.pad(x, (0, 0, 0, steps - T)).requires_grad_(True)
    spikes, mem = model(xg)
    if injector.used != len(noise):
        report.failures.append(f"{where}: ParaLIF drew {injector.used} noise arrays, the fixture has {len(noise)}")
    report.exact(where, "spikes", fx["spikes"], spikes[:, :T].detach().numpy())
    report.check(where, "membrane", fx["mem"], mem[:, :T].detach().numpy(), FORWARD_TOL)
    loss = (spikes[:, :T] * torch.tensor(fx["R"].astype(np.float64))).sum()
    report.check(where, "loss", fx["loss"], loss.detach().numpy(), FORWARD_TOL)
    model.zero_grad()
    loss.backward()
    report.check(where, "grad x", fx["grad:x"], xg.grad[:, :T].numpy(), GRADIENT_TOL)
    for n, p in model.named_parameters():
        if ("nograd:" + n) in fx.files:
            if p.grad is not None and p.grad.abs().max() > 0:
                report.failures.append(f"{where}: {n} gets a gradient in ParaLIF, the fixture says none")
            continue
        report.check(where, "grad " + n.split(".")[-1], fx["grad:" + n], p.grad.numpy(), GRADIENT_TOL)
    adamax_check(report, where, model, fx, float(fx["adamax_lr"]), float(fx["adamax_weight_decay"]))


def check_network(path, report, create_network):
    fx = np.load(path)
    where = os.path.basename(path)
    mode = int(fx["mode_code"])
    if mode >= 0:
        neuron = "ParaLIF-" + MODES[mode]
    else:
        neuron = "LIF-LT" if "param:1._spk_threshold" in fx.files else "LIF"
    params = Namespace(device=torch.device("cpu"), nb_layers=int(fx["nb_layers"]), input_size=int(fx["input_size"]),
                       nb_class=int(fx["nb_classes"]), neuron=neuron, hidden_size=int(fx["hidden_size"]),
                       tau_mem=float(fx["tau_mem"]), tau_syn=float(fx["tau_syn"]), recurrent=bool(fx["recurrent"]),
                       recurrent_relu=not bool(fx["recurrent_fire"]), learn_tau=bool(fx["learn_tau"]),
                       spk_threshold=float(fx["spk_threshold_init"]))
    model = create_network(params)
    state_matches(model, fx, where)
    noise = [fx[k] for k in sorted((k for k in fx.files if k.startswith("noise_")), key=lambda k: int(k[6:]))]
    injector = NoiseInjector(noise)
    install_noise(model, injector)
    fired, spike_calls = [], {}
    for module in model:
        if module.__class__.__name__ in ("ParaLIF", "LIF") and module.fire:
            module.register_forward_hook(lambda m, i, o: fired.append(o))
            if getattr(module, "spike_fn", None) is not None and isinstance(module.spike_fn, torch.nn.Module):
                spike_calls[module] = []
                module.spike_fn.register_forward_hook(lambda m, i, o, key=module: spike_calls[key].append(o))
    x = torch.tensor(fx["x"].astype(np.float64))
    B, T, _ = x.shape
    steps = PAD * T if mode >= 0 else T
    out = model(F.pad(x, (0, 0, 0, steps - T)))[:, :T]
    if injector.used != len(noise):
        report.failures.append(f"{where}: ParaLIF drew {injector.used} noise arrays, the fixture has {len(noise)}")
    report.check(where, "network output", fx["output"], out.detach().numpy(), FORWARD_TOL)
    loss_mode = LOSS_MODES[int(fx["loss_mode_code"])]
    logits = {"last": lambda o: o[:, -1], "max": lambda o: o.max(1)[0],
              "cumsum": lambda o: F.softmax(o, dim=2).sum(1), "mean": lambda o: o.mean(1)}[loss_mode](out)
    report.check(where, "logits", fx["logits"], logits.detach().numpy(), FORWARD_TOL)
    ce = torch.nn.CrossEntropyLoss()(logits, torch.tensor(fx["labels"]))
    # the regulariser of network.train with N = the firing layers' neurons (ParaLIF v2's own
    # line raises AttributeError); rates over the real T steps only
    layers = [m for m in model if m.__class__.__name__ in ("ParaLIF", "LIF") and m.fire]
    N = sum(m.n_neuron for m in layers)
    reg = torch.zeros((), dtype=torch.float64)
    if float(fx["reg_thr"]) > 0:
        reg = reg + F.relu(sum(s[:, :T].mean((0, 1)).sum() for s in fired) - float(fx["reg_thr"]) * N) ** 2
    if float(fx["reg_thr_r"]) > 0:
        rec = [spike_calls[m][0][:, :T].mean((0, 1)).sum() for m in layers
               if m.__class__.__name__ == "ParaLIF" and m.recurrent and m.recurrent_fire]
        reg = reg + F.relu(sum(rec, torch.zeros((), dtype=torch.float64)) - float(fx["reg_thr_r"]) * N) ** 2
    for i, s in enumerate(fired):
        report.check(where, "rates", fx[f"rate_{i}"], s[:, :T].mean((0, 1)).detach().numpy(), FORWARD_TOL)
    loss = ce + reg
    report.check(where, "network loss", fx["loss"], loss.detach().numpy(), FORWARD_TOL)
    model.zero_grad()
    loss.backward()
    for n, p in model.named_parameters():
        if ("nograd:" + n) in fx.files:
            if p.grad is not None:
                report.failures.append(f"{where}: {n} gets a gradient in ParaLIF, the fixture says none")
            continue
        report.check(where, "network grad " + n.split(".")[-1], fx["grad:" + n], p.grad.numpy(), GRADIENT_TOL)
    adamax_check(report, where, model, fx, float(fx["adamax_lr"]), float(fx["adamax_weight_decay"]))


def check_model(path, report, create_network):
    """A model file as ParaLIF's run.py would load it: create_network from the JSON's flags,
    load_state_dict(torch.load(.pt)) strictly, same key order, then evaluate the npz's input."""
    import json
    where = os.path.basename(path)
    base = path[:-len(".pt")]
    with open(base + ".json") as f:
        desc = json.load(f)
    params = Namespace(device=torch.device("cpu"), **{k: desc[k] for k in (
        "nb_layers", "input_size", "nb_class", "neuron", "hidden_size", "tau_mem", "tau_syn", "recurrent",
        "recurrent_relu", "learn_tau", "spk_threshold")})
    model = create_network(params)
    state = torch.load(path)
    model.load_state_dict(state, strict=True)
    ours = [(e["key"], tuple(e["shape"]), e["kind"]) for e in desc["state_dict"]]
    names = {n for n, _ in model.named_parameters()}
    theirs = [(k, tuple(v.shape), "parameter" if k in names else "buffer") for k, v in model.state_dict().items()]
    if ours != theirs or list(state.keys()) != [k for k, _, _ in theirs]:
        report.failures.append(f"{where}: state_dict {theirs} != file {ours}")
    fx = np.load(base + ".npz")
    model.double()
    x = torch.tensor(fx["x"].astype(np.float64))
    T = x.shape[1]
    fired = []
    for module in model:
        if module.__class__.__name__ in ("ParaLIF", "LIF") and module.fire:
            module.register_forward_hook(lambda m, i, o: fired.append(o))
    steps = PAD * T if desc["neuron"].startswith("ParaLIF") else T
    with torch.no_grad():
        out = model(F.pad(x, (0, 0, 0, steps - T)))[:, :T]
    report.check(where, "model output", fx["output"], out.numpy(), FORWARD_TOL)
    logits = {"last": lambda o: o[:, -1], "max": lambda o: o.max(1)[0],
              "cumsum": lambda o: F.softmax(o, dim=2).sum(1), "mean": lambda o: o.mean(1)}[desc["loss_mode"]](out)
    report.check(where, "model logits", fx["logits"], logits.numpy(), FORWARD_TOL)
    report.exact(where, "prediction", fx["prediction"], logits.argmax(1).numpy())
    for i, spikes in enumerate(fired):
        rate = spikes[:, :T].mean((0, 1)).numpy()
        report.check(where, "model rates", fx[f"rate_{i}"], rate, FORWARD_TOL)
        report.check(where, "saved nb_spike_per_neuron", state[f"{2 * i + 1}.nb_spike_per_neuron"].numpy(),
                     rate, FORWARD_TOL)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paralif", required=True, help="checkout of ParaLIF's repository")
    parser.add_argument("--fixtures", default=os.path.join(here, "..", "..", "src", "test", "resources",
                                                           "reference", "paralif"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    sys.path.insert(0, os.path.abspath(args.paralif))
    sys.path.insert(0, os.path.join(os.path.abspath(args.paralif), "examples", "basic"))
    try:
        import tqdm  # noqa: F401  (network.py imports it; nothing here needs it)
    except ImportError:
        sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable=None, *a, **k: iterable)
    from ParaLIF import LIF, ParaLIF
    from network import create_network
    bernoulli = torch.bernoulli
    report = Report()
    files = sorted(glob.glob(os.path.join(args.fixtures, "layer_*.npz")) + glob.glob(os.path.join(args.fixtures, "lif_*.npz")))
    networks = sorted(glob.glob(os.path.join(args.fixtures, "network_*.npz")))
    models = sorted(glob.glob(os.path.join(args.fixtures, "model_*.pt")))
    if not files or not networks or not models:
        sys.exit(f"check_fixtures: no fixtures in {args.fixtures}: run tools/reference/make_paralif_fixtures.py")
    try:
        for path in files:
            check_layer(path, report, ParaLIF, LIF)
        for path in networks:
            check_network(path, report, create_network)
        for path in models:
            check_model(path, report, create_network)
    finally:
        torch.bernoulli = bernoulli
    print(f"checked {len(files)} layer files, {len(networks)} network files and {len(models)} model files "
          f"against ParaLIF's code")
    for what, err in sorted(report.worst.items()):
        print(f"  worst {what}: {err:.2e}")
    if report.failures:
        print("\n".join(["FAILURES:"] + report.failures))
        sys.exit(1)
    print("all agree")


if __name__ == "__main__":
    main()
