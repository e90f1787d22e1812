#!/usr/bin/python3
"""Writes an SHD-layout synthetic dataset (shd_train.h5, shd_test.h5) for runs of ParaLIF's run.py
and of this tool on the same files.

    /usr/bin/python3 tools/paralif/write_synthetic_shd.py OUT_DIR [--seed 0] [--train 512] [--test 128]

The Java CLI generates its synthetic set in memory (`--dataset synthetic`) but cannot write it as
HDF5, so this is a Python port of the generator in spsn.data.SyntheticDataset: the same model
(20 classes, each 3 of a pool of 10 frequency tracks; per sample a time stretch of ±15 %, an
onset, a channel shift of ±30, per-track weights and offsets, per-spike jitter, 4000-8000 signal
and 2000-4000 background spikes over 700 channels and ~0.9-1.3 s) with the same constants, hence
the same statistics, but numpy's random stream instead of Java's SplittableRandom: the class
tracks and the samples are another draw of the same kind of task, not the Java set's. Train with `--dataset heidelberg --data_dir OUT_DIR` here, and ParaLIF's
run.py with tools/paralif/run_paralif.py.

Layout as the real files (zenkelab SHD): /spikes/times (variable-length float16, seconds,
ascending), /spikes/units (variable-length uint16), /labels (uint16), /extra/speaker (uint16, 0),
/extra/keys (class names, bytes). A spike in 1 ms bin b gets the time (b + 0.5) ms, rounded to
float16 like the real files' times (spacing 0.5 ms near 1 s), so a reader's binning may move it
by one bin, exactly as it moves SHD's own spikes.
"""
import argparse
import os
import sys

import h5py
import numpy as np

CHANNELS, CLASSES = 700, 20
TASK_SEED = 0x5350534E
ACTIVE_STEPS, MAX_STRETCH, MAX_SHIFT, POOL = 800, 0.15, 30, 10
WEIGHT_VARIATION, TRACK_CHANNEL_SD, TRACK_TIME_SD = 0.5, 14.0, 0.04


def class_tracks():
    """Each class: 3 distinct tracks of a shared pool of 10, no two classes the same set.
    A track: (start, span, base, slope, bend, width, weight), times as fractions of the sample."""
    rng = np.random.default_rng(TASK_SEED)
    pool = []
    for _ in range(POOL):
        start = rng.uniform(0, 0.45)
        span = rng.uniform(0.35, 1 - start)
        pool.append((start, span, rng.uniform(120, 580), rng.uniform(-220, 220), rng.uniform(-250, 250),
                     rng.uniform(6, 16), rng.uniform(0.5, 1.5)))
    classes, used = [], set()
    while len(classes) < CLASSES:
        a, b, c = rng.integers(0, POOL, 3)
        key = frozenset((a, b, c))
        if len(key) < 3 or key in used:
            continue
        used.add(key)
        classes.append([pool[a], pool[b], pool[c]])
    return classes


def centre(track, u):
    _, _, base, slope, bend, _, _ = track
    v = u - 0.5
    return base + slope * v + bend * (v * v - 1.0 / 12)


def sample(tracks, rng):
    """(bins, units) of one sample, sorted by bin (as spsn.data.SyntheticDataset.sample)."""
    active = ACTIVE_STEPS * (1 + rng.uniform(-MAX_STRETCH, MAX_STRETCH))
    onset = 20 + int(rng.integers(0, 100))
    length = onset + int(np.ceil(active)) + 20 + int(rng.integers(0, 100))
    shift = int(rng.integers(-MAX_SHIFT, MAX_SHIFT + 1))
    signal = 4000 + int(rng.integers(0, 4000))
    noise = 2000 + int(rng.integers(0, 2000))
    weight = np.array([t[6] for t in tracks]) * (1 + rng.uniform(-WEIGHT_VARIATION, WEIGHT_VARIATION, 3))
    channel_offset = rng.standard_normal(3) * TRACK_CHANNEL_SD
    time_offset = rng.standard_normal(3) * TRACK_TIME_SD
    bins, units = [], []
    while sum(len(b) for b in bins) < signal:
        n = signal - sum(len(b) for b in bins)
        k = rng.choice(3, size=n, p=weight / weight.sum())
        u = rng.random(n)
        start = np.array([tracks[j][0] for j in k])
        span = np.array([tracks[j][1] for j in k])
        width = np.array([tracks[j][5] for j in k])
        time = onset + (start + time_offset[k] + u * span) * active + rng.standard_normal(n) * 3
        chan = np.array([centre(tracks[j], uu) for j, uu in zip(k, u)]) + shift + channel_offset[k] \
            + rng.standard_normal(n) * width
        b, c = np.rint(time).astype(int), np.rint(chan).astype(int)
        keep = (b >= 0) & (b < length) & (c >= 0) & (c < CHANNELS)
        bins.append(b[keep])
        units.append(c[keep])
    bins.append(rng.integers(0, length, noise))
    units.append(rng.integers(0, CHANNELS, noise))
    b, c = np.concatenate(bins), np.concatenate(units)
    order = np.argsort(b, kind="stable")
    return b[order], c[order]


def write(path, classes, size, rng):
    times, units, labels = [], [], []
    for i in range(size):
        label = i % CLASSES
        b, c = sample(classes[label], rng)
        times.append(((b + 0.5) * 1e-3).astype(np.float16))
        units.append(c.astype(np.uint16))
        labels.append(label)
    tmp = path + ".tmp"
    with h5py.File(tmp, "w") as f:
        spikes = f.create_group("spikes")
        t = spikes.create_dataset("times", (size,), dtype=h5py.vlen_dtype(np.float16))
        u = spikes.create_dataset("units", (size,), dtype=h5py.vlen_dtype(np.uint16))
        for i in range(size):
            t[i] = times[i]
            u[i] = units[i]
        f.create_dataset("labels", data=np.asarray(labels, np.uint16))
        extra = f.create_group("extra")
        extra.create_dataset("speaker", data=np.zeros(size, np.uint16))
        extra.create_dataset("keys", data=np.array([f"class-{k}".encode() for k in range(CLASSES)]))
    os.replace(tmp, path)
    spikes = sum(len(x) for x in times)
    steps = [int(x.astype(np.float64).max() / 1e-3) + 1 for x in times]
    print(f"{path}: {size} samples, {spikes / size:.0f} spikes per sample, "
          f"{min(steps)}..{max(steps)} steps")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=0, help="picks the samples (the task is fixed)")
    parser.add_argument("--train", type=int, default=512)
    parser.add_argument("--test", type=int, default=128)
    args = parser.parse_args()
    if args.train < 1 or args.test < 1:
        sys.exit("write_synthetic_shd: --train and --test must be >= 1")
    os.makedirs(args.out_dir, exist_ok=True)
    classes = class_tracks()
    train_rng, test_rng = np.random.default_rng([args.seed, 0]), np.random.default_rng([args.seed, 1])
    write(os.path.join(args.out_dir, "shd_train.h5"), classes, args.train, train_rng)
    write(os.path.join(args.out_dir, "shd_test.h5"), classes, args.test, test_rng)


if __name__ == "__main__":
    main()
