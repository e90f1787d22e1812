#!/usr/bin/python3
"""Writes the SHD-layout files of the spsn.cli tests that src/test/resources/shd lacks.

Run with Debian's Python (it has h5py and numpy): /usr/bin/python3 src/test/resources/cli/make_cli_fixtures.py

  * bad_missing_times.h5 - /spikes/units and /labels but no /spikes/times
  * bad_missing_units.h5 - /spikes/times and /labels but no /spikes/units
  * resume_train.h5, resume_test.h5 - a small SHD-layout pair (20 class names) to train on;
    resume_train_relabelled.h5 - the same training set with one label changed, and
    resume_test_moved.h5 - the same test set with one spike time changed (same sizes: a
    resume on them must be refused by the data fingerprint)
  * filter_shuffle.h5, filter_lzf.h5 - resume_train.h5 with the shuffle filter (+ gzip), with
    LZF on every dataset; filter_scaleoffset.h5 - /labels with the scale-offset filter (jhdf
    cannot decode it); checksum_bad_label.h5 - /labels with Fletcher32, one byte of its data
    flipped (checksum_ok.h5: the same, intact); labels_uint64.h5 - /labels stored as uint64
  * test_classes_reordered.h5 - resume_test.h5 with two class names swapped; and
    train_nokeys.h5 / test_nokeys_fewer.h5 - no /extra/keys, the test split lacks the
    highest class
"""
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "tools", "fixtures"))
from make_shd_fixtures import KEYS, write_shd  # noqa: E402  (same layout as the spsn.data fixtures)

TIMES = [[0.001, 0.002, 0.003], [0.01, 0.02]]
UNITS = [[1, 2, 3], [4, 5]]
LABELS = [0, 1]



def small_split(seed, n):
    rng = np.random.default_rng(seed)
    times, units = [], []
    for _ in range(n):
        k = int(rng.integers(10, 40))
        times.append(np.sort(rng.uniform(0, 0.05, k)).astype(np.float32))
        units.append(rng.integers(0, 700, k))
    labels = rng.integers(0, 20, n)
    labels[0] = 19
    return times, units, labels


def write_filtered(path, times, units, labels, **filters):
    """The SHD layout with filters on its datasets (chunked, as filters need)."""
    label_filters = filters.pop("label_filters", {})
    with h5py.File(path, "w") as f:
        d = f.create_dataset("spikes/times", (len(times),), dtype=h5py.vlen_dtype(np.float32), chunks=(4,), **filters)
        for i, t in enumerate(times):
            d[i] = t
        d = f.create_dataset("spikes/units", (len(units),), dtype=h5py.vlen_dtype(np.uint16), chunks=(4,), **filters)
        for i, u in enumerate(units):
            d[i] = np.asarray(u, dtype=np.uint16)
        f.create_dataset("labels", data=np.asarray(labels, dtype=np.uint16), chunks=(4,), **(label_filters or filters))
        f.create_dataset("extra/keys", data=np.array([k.encode() for k in KEYS]))


def flip_label_byte(path):
    """Flips one byte of /labels' first chunk on disk: its Fletcher32 checksum no longer matches."""
    with h5py.File(path, "r") as f:
        info = f["labels"].id.get_chunk_info(0)
        offset = info.byte_offset
    with open(path, "r+b") as raw:
        raw.seek(offset)
        b = raw.read(1)
        raw.seek(offset)
        raw.write(bytes([b[0] ^ 0x01]))


def make_resume_and_filter_fixtures():
    train = small_split(1, 8)
    test = small_split(2, 4)
    write_shd(os.path.join(HERE, "resume_train.h5"), *train, np.float32)
    write_shd(os.path.join(HERE, "resume_test.h5"), *test, np.float32)
    relabelled = train[2].copy()
    relabelled[3] = (relabelled[3] + 1) % 20
    write_shd(os.path.join(HERE, "resume_train_relabelled.h5"), train[0], train[1], relabelled, np.float32)
    moved = [t.copy() for t in test[0]]
    moved[1][0] += np.float32(0.002)
    moved[1] = np.sort(moved[1])
    write_shd(os.path.join(HERE, "resume_test_moved.h5"), moved, test[1], test[2], np.float32)
    swapped = list(KEYS)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    write_shd(os.path.join(HERE, "test_classes_reordered.h5"), *test, np.float32, keys=swapped)

    write_filtered(os.path.join(HERE, "filter_shuffle.h5"), *train, shuffle=True, compression="gzip")
    write_filtered(os.path.join(HERE, "filter_lzf.h5"), *train, compression="lzf")
    write_filtered(os.path.join(HERE, "filter_scaleoffset.h5"), *train, label_filters={"scaleoffset": 0})
    write_filtered(os.path.join(HERE, "checksum_ok.h5"), *train, label_filters={"fletcher32": True})
    path = os.path.join(HERE, "checksum_bad_label.h5")
    write_filtered(path, *train, label_filters={"fletcher32": True})
    flip_label_byte(path)
    path = os.path.join(HERE, "labels_uint64.h5")
    write_shd(path, *train, np.float32)
    with h5py.File(path, "r+") as f:
        del f["labels"]
        f.create_dataset("labels", data=np.asarray(train[2], dtype=np.uint64))

    no_keys_train = (train[0], train[1], np.minimum(train[2], 4))
    no_keys_train[2][0] = 4
    no_keys_test = (test[0], test[1], np.minimum(test[2], 3))
    write_shd(os.path.join(HERE, "train_nokeys.h5"), *no_keys_train, np.float32, keys=None)
    write_shd(os.path.join(HERE, "test_nokeys_fewer.h5"), *no_keys_test, np.float32, keys=None)


if __name__ == "__main__":
    make_resume_and_filter_fixtures()
    write_shd(os.path.join(HERE, "bad_missing_times.h5"), TIMES, UNITS, LABELS, np.float32, skip=("times",))
    write_shd(os.path.join(HERE, "bad_missing_units.h5"), TIMES, UNITS, LABELS, np.float32, skip=("units",))
    print("fixtures written to", HERE)
