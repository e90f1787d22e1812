#!/usr/bin/python3
"""Times the original's training step in PyTorch, for a comparison made at the same moment.

These machines are shared and their speed drifts by 2x over hours, so a figure measured once is
no yardstick: compare with a run of `spsn bench` made right before or after (compare_original.sh
alternates the two). One step is what the original's train() does per batch: output of the
network, mean over time, cross-entropy, zero_grad, backward, Adamax(lr=1e-3) step, on an
SHD-sized batch of random binary input at SHD's density.

The spiking neurons need a checkout of the original repository (NECOTIS/Stochastic-Parallelizable-
Spiking-Neuron-SPSN; its network.py and neurons/ are imported from --original, nothing of it is
copied here). Non-Spiking runs without one: the original builds it as a plain
torch.nn.Sequential of Linear and ReLU, rebuilt here from /work/shared/spec/REFERENCE.md.

ParaLIF (NECOTIS/Parallelizable-Leaky-Integrate-and-Fire-Neuron) is timed the same way when
--original is a ParaLIF checkout (recognised by its ParaLIF/paralif.py): the network is its
examples/basic/network.py create_network with run.py's defaults (3 x 128, tau 20 ms, learnable
threshold, fast sigmoid), --neuron any of LIF, LIF-LT, ParaLIF-<mode> (mode GS, SB, TRB, D, SD, TD,
TRD, T, ST, TT, TRT), optionally --recurrent, --recurrent_relu, --learn_tau; one step is what its
train() does per batch (Adamax; StepLR is stepped per epoch, not timed).

The original runs at its best: with Debian's OpenBLAS, and with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset (the script re-executes itself without them when they are set: these
machines may set them to tune this project's engine). It prints the BLAS library, its version
and the kernel it picked (threadpoolctl when installed, else OpenBLAS's own openblas_get_corename
and openblas_get_config, plus torch's build BLAS_INFO and CPU capability).

    /usr/bin/python3 tools/bench/time_original.py --neuron Non-Spiking
    /usr/bin/python3 tools/bench/time_original.py --neuron SPSN-SB --original ~/SPSN --repeats 3
    /usr/bin/python3 tools/bench/time_original.py --neuron ParaLIF-SD --recurrent --original ~/ParaLIF
"""
import os
import sys

OPENBLAS_TUNING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if __name__ == "__main__" and any(k in os.environ for k in OPENBLAS_TUNING):
    # OpenBLAS reads these when it is loaded: restart before torch loads it
    os.execve(sys.executable, [sys.executable] + sys.argv,
              {k: v for k, v in os.environ.items() if k not in OPENBLAS_TUNING})

import argparse  # noqa: E402
import ctypes  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
from argparse import Namespace  # noqa: E402

import torch  # noqa: E402

CHANNELS, HIDDEN, CLASSES, LAYERS = 700, 128, 20, 3


def non_spiking():
    modules, width = [], CHANNELS
    for _ in range(LAYERS):
        modules += [torch.nn.Linear(width, HIDDEN), torch.nn.ReLU()]
        width = HIDDEN
    modules.append(torch.nn.Linear(HIDDEN, CLASSES))
    return torch.nn.Sequential(*modules)


def original_network(checkout, neuron, steps):
    sys.path.insert(0, checkout)
    try:
        import tqdm  # noqa: F401  (the original imports it; the timing does not need it)
    except ImportError:
        sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable=None, *a, **k: iterable)
    from network import create_network
    params = dict(neuron=neuron, nb_layers=LAYERS, input_size=CHANNELS, hidden_size=HIDDEN, nb_class=CLASSES,
                  tau_mem=2e-2, tau_syn=2e-2)
    return create_network(params, torch.device("cpu"), steps)


PARALIF_MODES = ["GS", "SB", "TRB", "D", "SD", "TD", "TRD", "T", "ST", "TT", "TRT"]
NEURONS = ["LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking", "LIF-LT"] + ["ParaLIF-" + m for m in PARALIF_MODES]


def is_paralif(checkout):
    return checkout is not None and os.path.isfile(os.path.join(checkout, "ParaLIF", "paralif.py"))


def paralif_network(checkout, args):
    """ParaLIF's own create_network (examples/basic/network.py), imported from the checkout."""
    sys.path.insert(0, os.path.abspath(checkout))
    sys.path.insert(0, os.path.join(os.path.abspath(checkout), "examples", "basic"))
    try:
        import tqdm  # noqa: F401
    except ImportError:
        sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable=None, *a, **k: iterable)
    from network import create_network
    params = Namespace(device=torch.device("cpu"), nb_layers=LAYERS, input_size=CHANNELS, nb_class=CLASSES,
                       neuron=args.neuron, hidden_size=HIDDEN, tau_mem=2e-2, tau_syn=2e-2,
                       recurrent=args.recurrent, recurrent_relu=args.recurrent_relu, learn_tau=args.learn_tau)
    return create_network(params)


def blas_report():
    """Which BLAS torch uses and which kernel it picked, in one line."""
    parts = []
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                parts.append(f"{info.get('internal_api')} {info.get('version')} kernel {info.get('architecture')}, "
                             f"{info.get('num_threads')} threads ({info.get('filepath')})")
    except ImportError:
        seen = set()
        with open("/proc/self/maps") as maps:
            libs = sorted({line.split()[-1] for line in maps if re.search(r"openblas|libblas", line)})
        for path in libs:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                line = (f"{lib.openblas_get_config().decode()}, kernel {lib.openblas_get_corename().decode()}, "
                        f"{lib.openblas_get_num_threads()} threads")
            except (OSError, AttributeError):
                continue
            if line not in seen:
                seen.add(line)
                parts.append(f"{line} ({os.path.realpath(path)})")
    config = torch.__config__.show()
    blas_info = re.search(r"BLAS_INFO=(\w+)", config)
    capability = re.search(r"CPU capability usage: (\w+)", config)
    parts.append(f"torch {torch.__version__} BLAS_INFO={blas_info.group(1) if blas_info else '?'}, "
                 f"CPU capability {capability.group(1) if capability else '?'}")
    unset = ", ".join(f"{k}={os.environ[k]}" for k in OPENBLAS_TUNING if k in os.environ) or "unset"
    return "BLAS: " + "; ".join(parts or ["no OpenBLAS found"]) + f"; OPENBLAS_CORETYPE/L2_SIZE {unset}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neuron", default="Non-Spiking", choices=NEURONS)
    parser.add_argument("--original", help="checkout of the original repository (SPSN or ParaLIF; needed by the "
                        "spiking neurons)")
    parser.add_argument("--recurrent", action="store_true", help="ParaLIF: recurrent hidden layers")
    parser.add_argument("--recurrent_relu", action="store_true", help="ParaLIF: relu instead of spikes fed back")
    parser.add_argument("--learn_tau", action="store_true", help="ParaLIF: learnable time constants")
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=1126, help="time steps of the batch (the bench's T)")
    parser.add_argument("--density", type=float, default=0.0118, help="fraction of non-zero inputs")
    parser.add_argument("--repeats", type=int, default=5, help="timed steps (median), after one warm-up")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (the Java bench uses every core)")
    args = parser.parse_args()
    if args.original is None and args.neuron != "Non-Spiking":
        parser.error(f"--neuron {args.neuron} needs --original: a checkout of the original repository")
    paralif = is_paralif(args.original)
    if (args.neuron.startswith("ParaLIF") or args.neuron == "LIF-LT") and not paralif:
        parser.error(f"--neuron {args.neuron} needs --original: a checkout of ParaLIF's repository "
                     "(with ParaLIF/paralif.py)")
    if paralif and args.neuron.startswith("SPSN"):
        parser.error(f"--neuron {args.neuron} is SPSN's: give --original a checkout of the SPSN repository")
    if (args.recurrent or args.recurrent_relu or args.learn_tau) and not paralif:
        parser.error("--recurrent, --recurrent_relu and --learn_tau are ParaLIF's: --original must be its checkout")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = (torch.rand(args.batch_size, args.steps, CHANNELS) < args.density).float()
    y = torch.randint(0, CLASSES, (args.batch_size,))
    if args.original is None or (paralif and args.neuron == "Non-Spiking"):
        model = non_spiking()
    elif paralif:
        model = paralif_network(args.original, args)
    else:
        model = original_network(args.original, args.neuron, args.steps)
    print(blas_report(), flush=True)
    optimizer = torch.optim.Adamax(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    times = []
    for i in range(args.repeats + 1):
        start = time.perf_counter()
        loss = loss_fn(torch.mean(model(x), 1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i > 0:
            times.append(time.perf_counter() - start)
    times.sort()
    variant = "".join(f" --{k}" for k in ("recurrent", "recurrent_relu", "learn_tau") if getattr(args, k))
    print("original %s%s (%s, PyTorch %s, %d threads): train step s %.3f"
          % (args.neuron, variant, "ParaLIF" if paralif else "SPSN", torch.__version__, torch.get_num_threads(),
             times[len(times) // 2]))


if __name__ == "__main__":
    main()
