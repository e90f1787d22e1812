#!/bin/bash
# Per-epoch training time on SHD-layout data (384 training samples: 6 batches of 64), the first
# epoch against the later ones, and the steady state per epoch.
#   tools/bench/epoch_times.sh [--data DIR] [--rounds N] [--cold] [--original DIR] [neuron ...]
# Each round runs, per neuron, a 3-epoch and a 1-epoch training (seed 0, --progress False) and
# prints the 3-epoch run's epoch durations (from its results file), first/later, both runs' whole
# command seconds, and the steady state per epoch, (whole 3-epoch run - whole 1-epoch run) / 2,
# in which start-up, loading, warm-up and test drop out. --cold sets SPSN_NO_WARMUP=1 (no warm-up
# while the data loads), SPSN_ALLOCATOR=glibc and GLIBC_TUNABLES=glibc.malloc.hugetlb=0 (glibc's
# malloc without huge pages): the tool as it was before these. Without --data the set is written
# to a temporary folder first (Debian's numpy and h5py: tools/paralif/write_synthetic_shd.py,
# seed 0, 384 train / 64 test samples).
# --original DIR, a checkout of SPSN's original code (run.py): right after each pair of runs, the
# original's run.py trains the same neuron on the same files the same way (a 3-epoch and a 1-epoch
# run, seed 0, Debian's torch with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset: its best BLAS
# kernel), and the row adds its steady s/epoch and the ratio original / spsn (neurons the
# original has: LIF, SPSN-SB, SPSN-GS, Non-Spiking).
# Default neurons: SPSN-SB SPSN-GS Non-Spiking LIF ParaLIF-SD (with --original: SPSN-SB SPSN-GS
# Non-Spiking); 1 round.
set -euo pipefail
here=$(dirname "$0")
jar=${SPSN_JAR:-target/spsn.jar}
data=""
rounds=1
cold=()
original=""
neurons=()
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --cold) cold=(SPSN_NO_WARMUP=1 SPSN_ALLOCATOR=glibc GLIBC_TUNABLES=glibc.malloc.hugetlb=0); shift ;;
        --original) original=$(cd "$2" && pwd); shift 2 ;;
        *) neurons+=("$1"); shift ;;
    esac
done
if [ ${#neurons[@]} -eq 0 ]; then
    if [ -n "$original" ]; then neurons=(SPSN-SB SPSN-GS Non-Spiking); else neurons=(SPSN-SB SPSN-GS Non-Spiking LIF ParaLIF-SD); fi
fi
if [ -n "$original" ]; then
    [ -f "$original/run.py" ] || { echo "epoch_times: --original $original has no run.py (a checkout of SPSN's code)" >&2; exit 2; }
    for neuron in "${neurons[@]}"; do
        case "$neuron" in LIF|SPSN-SB|SPSN-GS|Non-Spiking) ;;
            *) echo "epoch_times: the original has no $neuron (it has LIF, SPSN-SB, SPSN-GS, Non-Spiking)" >&2; exit 2 ;;
        esac
    done
fi
[ -f "$jar" ] || { echo "epoch_times: no $jar; build it with mvn -B package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$data" ]; then
    data=$work/data
    /usr/bin/python3 "$here/../paralif/write_synthetic_shd.py" "$data" --seed 0 --train 384 --test 64 >/dev/null
fi
# the seconds a command takes as a whole; its output goes to $1.log (shown if it fails)
seconds() {
    local log=$1 start end
    shift
    start=$(date +%s.%N)
    "$@" >"$log.log" 2>&1 || { cat "$log.log" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
# whole-command seconds of one training run of $2 epochs of neuron $1 into $3
run() {
    seconds "$3" env "${cold[@]}" java -jar "$jar" --dataset heidelberg --data_dir "$data" --neuron "$1" \
        --nb_epochs "$2" --seed 0 --progress False --output_dir "$3"
}
# the original's network.py imports tqdm: without Debian's python3-tqdm, the stand-in ParaLIF's runs use
python_path=${PYTHONPATH:-}
if ! /usr/bin/python3 -c 'import tqdm' 2>/dev/null; then
    python_path=$(cd "$here/../paralif/stubs-tqdm" && pwd)${PYTHONPATH:+:$PYTHONPATH}
fi
# the same for the original's run.py, in a folder of its own that holds the data where it reads it
run_original() {
    mkdir -p "$3/datasets"
    ln -sf "$data/shd_train.h5" "$3/datasets/shd_train.h5"
    ln -sf "$data/shd_test.h5" "$3/datasets/shd_test.h5"
    seconds "$3" env -C "$3" -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$python_path" /usr/bin/python3 \
        "$original/run.py" --neuron "$1" --nb_epochs "$2" --seed 0
}
printf "%-12s %5s %22s %8s %8s %9s %9s %9s %12s" neuron round "epochs s (3-epoch run)" first/s later/s first/later \
    "3-ep run s" "1-ep run s" "steady s/ep"
[ -z "$original" ] || printf " %14s %14s %14s %8s" "orig 3-ep s" "orig 1-ep s" "orig steady s" "ratio"
echo
for round in $(seq "$rounds"); do
    for neuron in "${neurons[@]}"; do
        three=$(run "$neuron" 3 "$work/$neuron-$round-3")
        one=$(run "$neuron" 1 "$work/$neuron-$round-1")
        theirs=()
        if [ -n "$original" ]; then
            theirs=("$(run_original "$neuron" 3 "$work/original-$neuron-$round-3")"
                    "$(run_original "$neuron" 1 "$work/original-$neuron-$round-1")")
        fi
        python3 - "$work/$neuron-$round-3" "$neuron" "$round" "$three" "$one" "${theirs[@]}" <<'PY'
import glob, json, sys
folder, neuron, rnd, three, one = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
epochs = json.load(open(glob.glob(folder + "/results_*.json")[0]))["epoch_durations"]
later = sum(epochs[1:]) / len(epochs[1:])
steady = (three - one) / 2
row = "%-12s %5s %22s %8.2f %8.2f %9.2f %9.2f %9.2f %12.2f" % (neuron, rnd, " ".join("%.2f" % e for e in epochs),
      epochs[0], later, epochs[0] / later, three, one, steady)
if len(sys.argv) > 6:
    their_three, their_one = float(sys.argv[6]), float(sys.argv[7])
    their_steady = (their_three - their_one) / 2
    row += " %14.2f %14.2f %14.2f %7.1fx" % (their_three, their_one, their_steady, their_steady / steady)
print(row)
PY
    done
done
