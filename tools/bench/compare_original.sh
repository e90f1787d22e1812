#!/bin/bash
# Times the original (time_original.py) and this tool (spsn bench) in turn, so that both see the
# same machine speed, and prints each pair's ratio of seconds per training step.
#   tools/bench/compare_original.sh [--original DIR] [--rounds N] [--repeats N] [--recurrent]
#                                   [--recurrent_relu] [--learn_tau] [neuron ...]
# Default: Non-Spiking, 3 rounds; the spiking neurons need DIR, a checkout of the original: SPSN's
# (LIF, SPSN-SB, SPSN-GS) or ParaLIF's (LIF, LIF-LT, ParaLIF-<mode>; --recurrent, --recurrent_relu,
# --learn_tau apply to those). The original runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset
# (its best BLAS kernel; they stay as they are for spsn) and prints the BLAS and kernel it used.
set -euo pipefail
here=$(dirname "$0")
jar=${SPSN_JAR:-target/spsn.jar}
python=/usr/bin/python3
original=()
variant=()
rounds=3
repeats=5
neurons=()
while [ $# -gt 0 ]; do
    case "$1" in
        --original) original=(--original "$2"); shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --repeats) repeats=$2; shift 2 ;;
        --recurrent|--recurrent_relu|--learn_tau) variant+=("$1"); shift ;;
        *) neurons+=("$1"); shift ;;
    esac
done
[ ${#neurons[@]} -gt 0 ] || neurons=(Non-Spiking)
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "compare_original: needs Debian's PyTorch: apt-get install -y python3-torch" >&2
    exit 2
fi
[ -f "$jar" ] || { echo "compare_original: no $jar; build it with mvn -B package -DskipTests" >&2; exit 2; }
for neuron in "${neurons[@]}"; do
    for round in $(seq "$rounds"); do
        report=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$here/time_original.py" \
            --neuron "$neuron" --repeats "$repeats" "${original[@]}" "${variant[@]}")
        [ "$round" -gt 1 ] || grep '^BLAS:' <<<"$report" || true
        theirs=$(awk '/train step s/ {print $NF}' <<<"$report")
        # the train step column: after the label, which spiking neurons follow with their
        # integration, "SPSN-SB (java)", then the forward column
        ours=$(java -jar "$jar" bench --neurons "$neuron" --repeats "$repeats" "${variant[@]}" 2>/dev/null \
            | awk -v n="$neuron" '$1 == n { i = ($2 ~ /^\(/) ? 4 : 3; print $i }') || ours=""
        if [ -z "$ours" ]; then
            printf "%-12s round %d: original %.3f s per training step; spsn bench gave no figure for %s %s\n" \
                "$neuron" "$round" "$theirs" "$neuron" "${variant[*]:-}"
            continue
        fi
        awk -v n="$neuron" -v r="$round" -v o="$theirs" -v j="$ours" 'BEGIN {
            printf "%-12s round %d: original %.3f s, spsn %.3f s per training step: %.1fx\n", n, r, o, j, o / j }'
    done
done
