#!/usr/bin/env bash
# The seed README's regularisation commands: SPSN with augmentation and a spike-rate threshold
# (0.4 for SPSN-SB, 0.1 for SPSN-GS), into outputs/regul/.
# Settings (EPOCHS, SEEDS, DATASET, EXTRA_ARGS, OUTPUTS, DATA_DIR, SPSN): see common.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

train SPSN-SB regul/ --data_augmentation True --reg_thr 0.4
train SPSN-GS regul/ --data_augmentation True --reg_thr 0.1
finish
