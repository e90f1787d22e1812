#!/usr/bin/python3
"""Binning references and a float16 SHD-layout set with the predictions PyTorch makes on it.

Run with Debian's interpreter (numpy, h5py, PyTorch 1.13):

    /usr/bin/python3 tools/reference/make_shd_reference.py

Writes (all deterministic; see tools/reference/README.md):
  * src/test/resources/reference/float16_bins.npz - for every one of the 31,744 finite
    non-negative float16 values t (bit patterns 0x0000..0x7bff, in order), numpy's quotient
    t/1e-3 (float16: numpy divides a float16 array in float16), the original SPSN's bin
    np.digitize(t/1e-3, bins, right=True) (= ceil) and ParaLIF's np.array(t/1e-3, dtype=int)
    (= floor); -1 where the quotient overflows to inf.
  * src/test/resources/shd/f16set/shd_train.h5, shd_test.h5 - a small SHD-layout set whose
    times are stored as float16, like the real SHD files.
  * src/test/resources/shd/f16set/model_LIF_small.pt, model_Non-Spiking_small.pt - fixed
    networks (700 -> 16 -> 16 -> 20) saved with torch.save, keys as the original's.
  * src/test/resources/shd/f16set/expected_fixed.json - the test predictions of those models,
    computed here with the original's equations (tools/reference/make_fixtures.py) on the
    original's bins, and for information the predictions float32 binning would give.
  * src/test/resources/shd/f16set/expected_published.json - the same for the original
    authors' published LIF and Non-Spiking models (only when ../shared/models is present;
    otherwise the committed file is left as it is).
"""
import collections
import json
import os
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "fixtures"))
from make_fixtures import Writer, decays, leaky_integrate, lif_fire  # noqa: E402
from make_shd_fixtures import KEYS, write_shd  # noqa: E402

RESOURCES = os.path.join(ROOT, "src", "test", "resources")
SET_DIR = os.path.join(RESOURCES, "shd", "f16set")
PUBLISHED = os.path.normpath(os.path.join(ROOT, "..", "shared", "models"))
PUBLISHED_MODELS = {"LIF": "basic/model_LIF_1675938986.pt",
                    "Non-Spiking": "basic/model_Non-Spiking_1675888688.pt"}
CHANNELS = 700
DT = 1e-3
TAU = 2e-2           # --tau_mem and --tau_syn defaults
BATCH = 16           # --batch_size of the tests: 3 test batches, each padded to its own length
TEST_SAMPLES = 96
TRAIN_SAMPLES = 4
DATA_SEED = 2026
FIXED_HIDDEN, FIXED_LAYERS = 16, 2
# A prediction counts as robust when float32 and float64 agree and the best logit leads the
# second by more than this (float32 rounding differences between two correct implementations
# are ~1e-6 of the logits).
MARGIN = 1e-4


# ---------------------------------------------------------------- binning

def original_bins(times):
    """The original SPSN's binning of one sample's stored times: numpy does the division in the
    array's dtype (float16 for SHD), then np.digitize(..., right=True) gives ceil."""
    q = times / 1e-3
    bins = np.digitize(q, np.arange(100_001), right=True)
    assert np.array_equal(bins, np.ceil(q)), "digitize(right=True) is ceil below 100000"
    return bins.astype(np.int64)


def float32_bins(times):
    """What a float32 ceil(t / 0.001f) gives (this tool before it followed the dtype)."""
    return np.ceil(times.astype(np.float32) / np.float32(1e-3)).astype(np.int64)


def make_bin_table(w):
    t = np.arange(0, 0x7c00, dtype=np.uint16).view(np.float16)
    assert len(t) == 31744 and np.all(np.isfinite(t)) and np.all(t >= 0)
    with np.errstate(over="ignore", invalid="ignore"):
        q = t / 1e-3
        assert q.dtype == np.float16
        # numpy's float16 division: float32 quotient of the float16 values, rounded to float16.
        assert np.array_equal(q, (t.astype(np.float32) / np.float32(np.float16(1e-3))).astype(np.float16))
        finite = np.isfinite(q)
        ceil = np.full(len(t), -1, dtype=np.int32)
        floor = np.full(len(t), -1, dtype=np.int32)
        ceil[finite] = np.digitize(q[finite], np.arange(70_000), right=True)
        floor[finite] = np.array(q[finite], dtype=int)
    assert np.array_equal(ceil[finite], np.ceil(q[finite])) and np.array_equal(floor[finite], np.floor(q[finite]))
    print(f"float16 table: {finite.sum()} finite quotients, {(~finite).sum()} overflow "
          f"(times from {t[~finite][0]} s); float32 ceil differs for "
          f"{(float32_bins(t)[finite] != ceil[finite]).sum()} values")
    w.save("float16_bins.npz", {"window": np.asarray(1e-3), "quotient": q, "bin_ceil": ceil, "bin_floor": floor})


# ---------------------------------------------------------------- the float16 set

def sample(rng, label):
    """SHD-like: three class-specific frequency tracks (channel ridges drifting in time) with
    jitter, plus background spikes; 0.1 to 0.4 s long, a few spikes per ms (SHD has ~10, but
    the file must stay small); times ascending."""
    duration = rng.uniform(0.1, 0.4)
    track_rng = np.random.default_rng([DATA_SEED, label])  # the class's tracks
    times, units = [], []
    for _ in range(3):
        start = track_rng.uniform(30, 670)
        slope = track_rng.uniform(-150, 150)
        n = int(rng.integers(120, 180))
        t = rng.uniform(0, duration, n)
        u = start + slope * t / duration + rng.normal(0, 6, n)
        times.append(t)
        units.append(u)
    n = int(rng.integers(30, 60))
    times.append(rng.uniform(0, duration, n))
    units.append(rng.uniform(0, CHANNELS, n))
    t = np.concatenate(times)
    u = np.clip(np.rint(np.concatenate(units)), 0, CHANNELS - 1).astype(np.uint16)
    order = np.argsort(t, kind="stable")
    return t[order].astype(np.float16), u[order]


def make_set():
    rng = np.random.default_rng(DATA_SEED)
    splits = {}
    for name, count in (("shd_train.h5", TRAIN_SAMPLES), ("shd_test.h5", TEST_SAMPLES)):
        labels = rng.integers(0, 20, count)
        samples = [sample(rng, int(c)) for c in labels]
        path = os.path.join(SET_DIR, name)
        write_shd(path, [s[0] for s in samples], [s[1] for s in samples], labels, np.float16)
        with h5py.File(path, "r") as f:  # as stored, read back
            assert f["spikes/times"].dtype.metadata["vlen"] == np.float16
            times = [np.asarray(x) for x in f["spikes/times"]]
            units = [np.asarray(x) for x in f["spikes/units"]]
            stored_labels = np.asarray(f["labels"]).astype(np.int64)
        splits[name] = (times, units, stored_labels)
        print(f"{name}: {count} samples, {sum(len(t) for t in times)} spikes, "
              f"{os.path.getsize(path) / 1024:.1f} KiB")
    return splits


def binning_stats(times):
    moved = sum(int((original_bins(t) != float32_bins(t)).sum()) for t in times)
    spikes = sum(len(t) for t in times)
    lengths = sum(int(original_bins(t).max() != float32_bins(t).max()) for t in times)
    return {"spikes": spikes, "spikes_in_another_bin_with_float32": moved,
            "samples": len(times), "samples_of_another_length_with_float32": lengths}


def batches(times, units, binning, dtype):
    """Dense [B, T, 700] batches of BATCH samples in file order, padded at the START to the
    batch's longest sample (as the original's collate); duplicates add."""
    out = []
    for start in range(0, len(times), BATCH):
        bins = [binning(t) for t in times[start:start + BATCH]]
        length = max(int(b.max()) + 1 for b in bins)
        x = np.zeros((len(bins), length, CHANNELS), dtype=dtype)
        for i, (b, u) in enumerate(zip(bins, units[start:start + BATCH])):
            np.add.at(x[i], (b + length - (int(b.max()) + 1), u.astype(np.int64)), 1)
        out.append(torch.from_numpy(x))
    return out


# ---------------------------------------------------------------- networks

def forward(neuron, params, x, nb_layers):
    """The original's network: Linear then LIF per hidden layer and a non-firing output layer
    (spiking), or Linear, ReLU ... Linear (Non-Spiking); logits = output averaged over time
    (--loss_mode mean)."""
    alpha, beta = decays(TAU, TAU)
    h = x
    for layer in range(nb_layers + 1):
        if neuron == "LIF":
            X = F.linear(h, params[f"{layer}.fc.weight"], params[f"{layer}.fc.bias"])
            h = leaky_integrate(X, alpha, beta) if layer == nb_layers else lif_fire(X, alpha, beta)[0]
        else:
            X = F.linear(h, params[f"{2 * layer}.weight"], params[f"{2 * layer}.bias"])
            h = X if layer == nb_layers else torch.relu(X)
    return h.mean(1)


def predict(neuron, params, xs, nb_layers, robust=True):
    """Predictions in float32 (the original's), checked against float64 (when robust): returns
    them with the smallest lead of the best logit over the second."""
    preds, margin = [], float("inf")
    with torch.no_grad():
        p64 = {k: v.double() for k, v in params.items()}
        for x in xs:
            logits = forward(neuron, params, x.float(), nb_layers)
            logits64 = forward(neuron, p64, x.double(), nb_layers)
            top = logits.topk(2, dim=1).values
            margin = min(margin, float((top[:, 0] - top[:, 1]).min()))
            assert not robust or torch.equal(logits.argmax(1), logits64.argmax(1)), \
                f"{neuron}: float32 and float64 disagree"
            preds += logits.argmax(1).tolist()
    assert not robust or margin > MARGIN, f"{neuron}: a prediction lies within {margin} of a tie"
    return preds, margin


def fixed_params(neuron, test, attempt):
    """Hidden layers: Kaiming-uniform weights (the original's init), scaled up so that the LIF
    layers fire on this set, small non-zero biases (padded steps then matter). Output layer:
    fitted by ridge regression to the labels (the mean over time of the output is linear in
    it), so that the predictions spread over the classes and depend on the input."""
    rng = np.random.default_rng([DATA_SEED, 1 if neuron == "LIF" else 2, attempt])
    params = collections.OrderedDict()
    sizes = [CHANNELS] + [FIXED_HIDDEN] * FIXED_LAYERS + [20]
    for layer in range(FIXED_LAYERS + 1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        bound = np.sqrt(3 / n_in) * (6.0 if neuron == "LIF" and layer == 0 else 2.0)
        key = f"{layer}.fc" if neuron == "LIF" else f"{2 * layer}"
        params[f"{key}.weight"] = torch.tensor(rng.uniform(-bound, bound, (n_out, n_in)), dtype=torch.float32)
        params[f"{key}.bias"] = torch.tensor(rng.uniform(-0.05, 0.05, n_out), dtype=torch.float32)
    times, units, labels = test
    features = []
    alpha, beta = decays(TAU, TAU)
    with torch.no_grad():
        for x in batches(times, units, original_bins, np.float64):
            h = x
            p64 = {k: v.double() for k, v in params.items()}
            for layer in range(FIXED_LAYERS):
                if neuron == "LIF":
                    h = lif_fire(F.linear(h, p64[f"{layer}.fc.weight"], p64[f"{layer}.fc.bias"]), alpha, beta)[0]
                else:
                    h = torch.relu(F.linear(h, p64[f"{2 * layer}.weight"], p64[f"{2 * layer}.bias"]))
            ones = torch.ones_like(h[..., :1])
            if neuron == "LIF":  # the output layer integrates W h + b
                h, ones = leaky_integrate(h, alpha, beta), leaky_integrate(ones, alpha, beta)
            features.append(torch.cat([h.mean(1), ones.mean(1)], dim=1).numpy())
    a = np.concatenate(features)
    target = np.eye(20)[labels]
    ridge = 1e-3 * np.trace(a.T @ a) / a.shape[1]
    solution = np.linalg.solve(a.T @ a + ridge * np.eye(a.shape[1]), a.T @ target)
    out = f"{FIXED_LAYERS}.fc" if neuron == "LIF" else f"{2 * FIXED_LAYERS}"
    params[f"{out}.weight"] = torch.tensor(solution[:-1].T, dtype=torch.float32).contiguous()
    params[f"{out}.bias"] = torch.tensor(solution[-1], dtype=torch.float32)
    return params


def evaluate(neuron, params, nb_layers, test, source):
    times, units, labels = test
    preds, margin = predict(neuron, params, batches(times, units, original_bins, np.float32), nb_layers)
    preds32, _ = predict(neuron, params, batches(times, units, float32_bins, np.float32), nb_layers,
                         robust=False)
    confusion = np.zeros((20, 20), dtype=np.int64)
    for truth, p in zip(labels, preds):
        confusion[truth, p] += 1
    differ = sum(a != b for a, b in zip(preds, preds32))
    print(f"  {source}: accuracy {np.mean(np.array(preds) == labels):.4f}, {len(set(preds))} classes "
          f"predicted, margin {margin:.2e}; float32 binning changes {differ} predictions")
    assert differ > 0, f"{source}: float32 binning would give the same predictions; the test could not fail"
    return {"model": source, "neuron": neuron, "hidden_size": int(params[next(iter(params))].shape[0]),
            "nb_layers": nb_layers, "batch_size": BATCH, "predictions": preds,
            "accuracy": float(np.mean(np.array(preds) == labels)), "confusion": confusion.tolist(),
            "smallest_logit_lead": margin, "predictions_with_float32_binning": preds32,
            "predictions_changed_by_float32_binning": differ}


def write_json(name, content):
    path = os.path.join(SET_DIR, name)
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {os.path.getsize(path) / 1024:.1f} KiB")


def main():
    torch.set_num_threads(1)
    os.makedirs(SET_DIR, exist_ok=True)
    make_bin_table(Writer(os.path.join(RESOURCES, "reference")))
    splits = make_set()
    test = splits["shd_test.h5"]
    stats = binning_stats(test[0])
    print(f"binning: {stats}")
    header = {"data": "shd_train.h5, shd_test.h5 beside this file", "binning": stats, "tau_mem": TAU,
              "tau_syn": TAU, "loss_mode": "mean", "labels": test[2].tolist()}

    fixed = []
    for neuron in ("LIF", "Non-Spiking"):
        name = f"model_{neuron}_small.pt"
        for attempt in range(20):  # draw again until no prediction is near a tie
            params = fixed_params(neuron, test, attempt)
            try:
                fixed.append(dict(evaluate(neuron, params, FIXED_LAYERS, test, name), attempt=attempt))
                break
            except AssertionError as e:
                print(f"  {name}, attempt {attempt}: {e}")
        else:
            raise RuntimeError(f"{name}: every attempt came near a tie")
        torch.save(params, os.path.join(SET_DIR, name))
    write_json("expected_fixed.json", dict(header, models=fixed))

    if not os.path.isdir(PUBLISHED):
        print(f"{PUBLISHED} is absent: expected_published.json left as it is")
        return
    published = []
    for neuron, rel in PUBLISHED_MODELS.items():
        params = torch.load(os.path.join(PUBLISHED, rel), map_location="cpu")
        published.append(evaluate(neuron, params, 3, test, rel))
    write_json("expected_published.json", dict(header, models=published))


if __name__ == "__main__":
    main()
