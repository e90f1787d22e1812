#!/usr/bin/env bash
# The seed README's basic commands: the four neurons without augmentation, into outputs/basic/.
# Settings (EPOCHS, SEEDS, DATASET, EXTRA_ARGS, OUTPUTS, DATA_DIR, SPSN): see common.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for neuron in LIF SPSN-SB SPSN-GS Non-Spiking; do
  train "$neuron" basic/
done
finish
