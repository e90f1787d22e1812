#!/bin/bash
# Per-epoch training time on SHD-layout data (384 training samples: 6 batches of 64), the first
# epoch against the later ones, and the steady state per epoch.
#   tools/bench/epoch_times.sh [--data DIR] [--rounds N] [--cold] [neuron ...]
# Each round runs, per neuron, a 3-epoch and a 1-epoch training (seed 0, --progress False) and
# prints the 3-epoch run's epoch durations (from its results file), first/later, both runs' whole
# command seconds, and the steady state per epoch, (whole 3-epoch run - whole 1-epoch run) / 2,
# in which start-up, loading, warm-up and test drop out. --cold sets SPSN_NO_WARMUP=1 (no warm-up
# while the data loads) and GLIBC_TUNABLES=glibc.malloc.hugetlb=0 (no huge pages): the tool as it
# was before both. Without --data the set is written to a temporary folder first (Debian's numpy
# and h5py: tools/paralif/write_synthetic_shd.py, seed 0, 384 train / 64 test samples).
# Default neurons: SPSN-SB SPSN-GS Non-Spiking LIF ParaLIF-SD; 1 round.
set -euo pipefail
here=$(dirname "$0")
jar=${SPSN_JAR:-target/spsn.jar}
data=""
rounds=1
cold=()
neurons=()
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --cold) cold=(SPSN_NO_WARMUP=1 GLIBC_TUNABLES=glibc.malloc.hugetlb=0); shift ;;
        *) neurons+=("$1"); shift ;;
    esac
done
[ ${#neurons[@]} -gt 0 ] || neurons=(SPSN-SB SPSN-GS Non-Spiking LIF ParaLIF-SD)
[ -f "$jar" ] || { echo "epoch_times: no $jar; build it with mvn -B package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$data" ]; then
    data=$work/data
    /usr/bin/python3 "$here/../paralif/write_synthetic_shd.py" "$data" --seed 0 --train 384 --test 64 >/dev/null
fi
# whole-command seconds of one training run of $2 epochs of neuron $1 into $3
run() {
    local start end
    start=$(date +%s.%N)
    env "${cold[@]}" java -jar "$jar" --dataset heidelberg --data_dir "$data" --neuron "$1" --nb_epochs "$2" \
        --seed 0 --progress False --output_dir "$3" >"$3.log" 2>&1 || { cat "$3.log" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
printf "%-12s %5s %22s %8s %8s %9s %9s %9s %12s\n" neuron round "epochs s (3-epoch run)" first/s later/s first/later \
    "3-ep run s" "1-ep run s" "steady s/ep"
for round in $(seq "$rounds"); do
    for neuron in "${neurons[@]}"; do
        three=$(run "$neuron" 3 "$work/$neuron-$round-3")
        one=$(run "$neuron" 1 "$work/$neuron-$round-1")
        python3 - "$work/$neuron-$round-3" "$neuron" "$round" "$three" "$one" <<'PY'
import glob, json, sys
folder, neuron, rnd, three, one = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
epochs = json.load(open(glob.glob(folder + "/results_*.json")[0]))["epoch_durations"]
later = sum(epochs[1:]) / len(epochs[1:])
print("%-12s %5s %22s %8.2f %8.2f %9.2f %9.2f %9.2f %12.2f" % (neuron, rnd, " ".join("%.2f" % e for e in epochs),
      epochs[0], later, epochs[0] / later, three, one, (three - one) / 2))
PY
    done
done
