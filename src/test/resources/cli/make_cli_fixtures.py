#!/usr/bin/python3
"""Writes the SHD-layout files of the spsn.cli tests that src/test/resources/shd lacks.

Run with Debian's Python (it has h5py and numpy): /usr/bin/python3 src/test/resources/cli/make_cli_fixtures.py

  * bad_missing_times.h5 - /spikes/units and /labels but no /spikes/times
  * bad_missing_units.h5 - /spikes/times and /labels but no /spikes/units
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "tools", "fixtures"))
from make_shd_fixtures import write_shd  # noqa: E402  (same layout as the spsn.data fixtures)

TIMES = [[0.001, 0.002, 0.003], [0.01, 0.02]]
UNITS = [[1, 2, 3], [4, 5]]
LABELS = [0, 1]

if __name__ == "__main__":
    write_shd(os.path.join(HERE, "bad_missing_times.h5"), TIMES, UNITS, LABELS, np.float32, skip=("times",))
    write_shd(os.path.join(HERE, "bad_missing_units.h5"), TIMES, UNITS, LABELS, np.float32, skip=("units",))
    print("fixtures written to", HERE)
