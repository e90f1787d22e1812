#!/usr/bin/env bash
# Every run of the paper's tables (basic.sh, data_aug.sh, regul.sh), then the report
# (<outputs>/report.md and its plots in <outputs>/report/).
# Quick check: EPOCHS=2 DATASET=synthetic scripts/paper.sh
# Settings (EPOCHS, SEEDS, DATASET, EXTRA_ARGS, OUTPUTS, DATA_DIR, SPSN): see common.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/common.sh"

bash "$HERE/basic.sh"
bash "$HERE/data_aug.sh"
bash "$HERE/regul.sh"
run "${SPSN_CMD[@]}" report --outputs "${OUTPUTS:-outputs}"
