#!/usr/bin/env bash
# Every run of the paper's tables (basic.sh, data_aug.sh, regul.sh), then the report
# (<outputs>/report.md and its plots in <outputs>/report/).
# Quick check: EPOCHS=2 DATASET=synthetic scripts/paper.sh
# Settings (EPOCHS, SEEDS, DATASET, EXTRA_ARGS, OUTPUTS, DATA_DIR, SPSN): see common.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/common.sh"

# Report whatever was trained even if some runs failed, then fail.
status=0
bash "$HERE/basic.sh" || status=1
bash "$HERE/data_aug.sh" || status=1
bash "$HERE/regul.sh" || status=1
run "${SPSN_CMD[@]}" report --outputs "${OUTPUTS:-outputs}"
if (( status != 0 )); then
  echo "error: some runs failed (see above); the report covers the others" >&2
fi
exit "$status"
