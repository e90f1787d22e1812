# Shared by basic.sh, data_aug.sh, regul.sh and paper.sh (sourced, not run): reads the
# settings from the environment, finds the tool, and defines `train` and `run`.
#   EPOCHS      training epochs (--nb_epochs), default 200 as in the paper
#   SEEDS       space-separated seeds, one run per seed, default "0"
#   DATASET     heidelberg (default) or synthetic
#   EXTRA_ARGS  more training flags, appended to every run
#   OUTPUTS     results folder (--output_dir / report --outputs); default: outputs/ here
#   DATA_DIR    folder of shd_train.h5 / shd_test.h5 (--data_dir); default: datasets/ here
#   SPSN        command that runs the tool; default: java -jar <repo>/target/spsn.jar

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EPOCHS="${EPOCHS:-200}"
SEEDS="${SEEDS:-0}"
DATASET="${DATASET:-heidelberg}"

if [[ -z "${SEEDS// /}" ]]; then
  echo "error: SEEDS is empty; give one or more seeds, e.g. SEEDS=\"0 1 2\"" >&2
  exit 2
fi

if [[ -n "${SPSN:-}" ]]; then
  # Split on spaces (no quote handling): paths inside SPSN must not contain spaces.
  read -r -a SPSN_CMD <<< "$SPSN"
else
  JAR="$ROOT/target/spsn.jar"
  if [[ ! -f "$JAR" ]]; then
    echo "error: $JAR not found; build it with: cd \"$ROOT\" && mvn -q package -DskipTests (or set SPSN to the command that runs the tool)" >&2
    exit 1
  fi
  SPSN_CMD=(java -jar "$JAR")
fi

read -r -a EXTRA <<< "${EXTRA_ARGS:-}"
COMMON_ARGS=()
# The seed README's commands rely on the default dataset; name it only when it differs.
if [[ "$DATASET" != heidelberg ]]; then COMMON_ARGS+=(--dataset "$DATASET"); fi
if [[ -n "${OUTPUTS:-}" ]]; then COMMON_ARGS+=(--output_dir "$OUTPUTS"); fi
if [[ -n "${DATA_DIR:-}" ]]; then COMMON_ARGS+=(--data_dir "$DATA_DIR"); fi

# Prints a command, then runs it.
run() {
  echo "+ $*"
  "$@"
}

FAILED_RUNS=0

# train NEURON DIR [FLAG...]: one run of NEURON per seed, results in <outputs>/DIR.
# A failed run is reported and counted, and the others still run (see finish).
train() {
  local neuron="$1" dir="$2" seed status
  shift 2
  for seed in $SEEDS; do
    status=0
    run "${SPSN_CMD[@]}" --seed "$seed" --neuron "$neuron" "$@" --nb_epochs "$EPOCHS" --dir "$dir" \
      ${COMMON_ARGS[@]+"${COMMON_ARGS[@]}"} ${EXTRA[@]+"${EXTRA[@]}"} || status=$?
    if (( status != 0 )); then
      echo "error: $neuron seed $seed ($dir) failed with exit code $status; continuing with the other runs" >&2
      FAILED_RUNS=$((FAILED_RUNS + 1))
    fi
  done
}

# Exits 1 if any run failed.
finish() {
  if (( FAILED_RUNS > 0 )); then
    echo "error: $FAILED_RUNS run(s) failed in $(basename "$0"); see the messages above" >&2
    exit 1
  fi
}
