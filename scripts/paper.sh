#!/usr/bin/env bash
# Every run of the paper's tables (basic.sh, data_aug.sh, regul.sh), then the report
# (<outputs>/report.md and its plots in <outputs>/report/).
# Quick check: EPOCHS=2 DATASET=synthetic scripts/paper.sh
# Settings (EPOCHS, SEEDS, DATASET, EXTRA_ARGS, OUTPUTS, DATA_DIR, SPSN): see common.sh.
# BACKEND=local or BACKEND=slurm runs the same grid with `spsn sweep --paper` instead of one run
# after another: a pool of runs on this machine, or one Slurm job array (SWEEP_ARGS: more sweep
# flags, e.g. "--partition gpu --time 24:00:00 --cpus_per_task 4"). Run again to continue a
# stopped sweep (`spsn sweep resume`).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/common.sh"

if [[ -n "${BACKEND:-}" ]]; then
  if [[ "$BACKEND" != local && "$BACKEND" != slurm ]]; then
    echo "error: BACKEND=$BACKEND: choose local or slurm (or unset it to run one after another)" >&2
    exit 2
  fi
  # the cluster's nodes see absolute paths only
  SWEEP_DIR="$(realpath -m "${OUTPUTS:-outputs}")"
  read -r -a SWEEP_FLAGS <<< "${SWEEP_ARGS:-}"
  RUN_FLAGS=(--nb_epochs "$EPOCHS")
  if [[ "$DATASET" != heidelberg ]]; then RUN_FLAGS+=(--dataset "$DATASET"); fi
  if [[ -n "${DATA_DIR:-}" ]]; then RUN_FLAGS+=(--data_dir "$(realpath -m "$DATA_DIR")"); fi
  status=0
  if [[ -f "$SWEEP_DIR/sweep.json" ]]; then
    run "${SPSN_CMD[@]}" sweep resume "$SWEEP_DIR" --backend "$BACKEND" ${SWEEP_FLAGS[@]+"${SWEEP_FLAGS[@]}"} \
      || status=$?
  else
    run "${SPSN_CMD[@]}" sweep --paper --seeds "$(echo $SEEDS | tr ' ' ',')" --backend "$BACKEND" \
      --output_dir "$SWEEP_DIR" ${SWEEP_FLAGS[@]+"${SWEEP_FLAGS[@]}"} \
      -- "${RUN_FLAGS[@]}" ${EXTRA[@]+"${EXTRA[@]}"} || status=$?
  fi
  if [[ "$BACKEND" == slurm ]]; then
    if (( status == 0 )); then
      echo "Submitted. Follow with: ${SPSN_CMD[*]} sweep status $SWEEP_DIR; when every run is done:" \
        "${SPSN_CMD[*]} report --outputs $SWEEP_DIR"
    fi
  elif (( status != 130 )); then
    # report whatever was trained, even if some runs failed
    run "${SPSN_CMD[@]}" report --outputs "$SWEEP_DIR" || status=1
  fi
  exit "$status"
fi

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
