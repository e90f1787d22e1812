#!/bin/sh
# Recurrent against feed-forward ParaLIF-SD and -GS on the synthetic-order task (classes differ
# only in time order; see README, Datasets): 3 seeds, after 1 and after 3 epochs, one run at a
# time under nice -n 19. Tables in OUT/epochs-1/results.md and OUT/epochs-3/results.md.
#   tools/paralif/order_task.sh [OUT] [JAR]     (defaults: outputs/order-task, target/spsn.jar)
set -e
here=$(dirname "$0")
out=${1:-outputs/order-task}
jar=${2:-$here/../../target/spsn.jar}
for epochs in 1 3; do
    python3 "$here/run_java.py" --jar "$jar" --out "$out/epochs-$epochs" --seeds 0,1,2 --epochs "$epochs" \
        --config "ParaLIF-SD=--neuron ParaLIF-SD" --config "ParaLIF-SD-rec=--neuron ParaLIF-SD --recurrent" \
        --config "ParaLIF-GS=--neuron ParaLIF-GS" --config "ParaLIF-GS-rec=--neuron ParaLIF-GS --recurrent" \
        -- --dataset synthetic-order --synthetic_train 192 --synthetic_test 96 --batch_size 16 \
        --nb_layers 1 --hidden_size 128 --lr 1e-2
done
