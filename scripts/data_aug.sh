#!/usr/bin/env bash
# The seed README's data-augmentation commands: the four neurons, into outputs/data_aug/.
# Settings (EPOCHS, SEEDS, DATASET, EXTRA_ARGS, OUTPUTS, DATA_DIR, SPSN): see common.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for neuron in LIF SPSN-SB SPSN-GS Non-Spiking; do
  train "$neuron" data_aug/ --data_augmentation True
done
finish
