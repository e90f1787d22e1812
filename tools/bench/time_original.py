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

    /usr/bin/python3 tools/bench/time_original.py --neuron Non-Spiking
    /usr/bin/python3 tools/bench/time_original.py --neuron SPSN-SB --original ~/SPSN --repeats 3
"""
import argparse
import sys
import time
import types

import torch

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neuron", default="Non-Spiking", choices=["LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking"])
    parser.add_argument("--original", help="checkout of the original repository (needed by the spiking neurons)")
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=1126, help="time steps of the batch (the bench's T)")
    parser.add_argument("--density", type=float, default=0.0118, help="fraction of non-zero inputs")
    parser.add_argument("--repeats", type=int, default=5, help="timed steps (median), after one warm-up")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (the Java bench uses every core)")
    args = parser.parse_args()
    if args.original is None and args.neuron != "Non-Spiking":
        parser.error(f"--neuron {args.neuron} needs --original: a checkout of the original repository")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = (torch.rand(args.batch_size, args.steps, CHANNELS) < args.density).float()
    y = torch.randint(0, CLASSES, (args.batch_size,))
    model = non_spiking() if args.original is None else original_network(args.original, args.neuron, args.steps)
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
    print("original %s (PyTorch %s, %d threads): train step s %.3f"
          % (args.neuron, torch.__version__, torch.get_num_threads(), times[len(times) // 2]))


if __name__ == "__main__":
    main()
