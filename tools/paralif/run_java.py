#!/usr/bin/python3
"""Runs this tool's side of the learning comparison with ParaLIF's run.py and tabulates test accuracies.

    python3 tools/paralif/run_java.py [--jar target/spsn.jar] [--data DATA_DIR] \\
        [--config LABEL=FLAGS ...] [--seeds 0,1,2] [--epochs 4] [--out OUT] [-- FLAGS FOR EVERY RUN]

The counterpart of run_paralif.py, with the same configs, seeds, epochs and tables: every run is
`java -jar JAR --seed S --nb_epochs E --progress False` with the config's flags and the common
flags, plus `--dataset heidelberg --data_dir DATA_DIR` when --data is given (the SHD-layout files
ParaLIF read: write them with write_synthetic_shd.py). Without --data the flags must name the
dataset themselves (e.g. `--dataset synthetic --synthetic_order True`). Runs go one at a time under
`nice -n 19` (the machine is shared), each into OUT/runs/<label>_seed<S>/ with its log in
OUT/logs/; a run whose results JSON has its test accuracy is not rerun (rerun the command to
resume; a run stopped before its test runs again).
OUT/results.csv and OUT/results.md list every run's test accuracy (the last one of the run) and
the mean and sample standard deviation per config. Default configs: ParaLIF-GS, -TRB, -T
feed-forward and recurrent ParaLIF-GS, as run_paralif.py.

Any python3 works (no torch needed). Build the jar first: mvn -B -q -o package -DskipTests.
"""
import argparse
import csv
import io
import json
import os
import shlex
import statistics
import subprocess
import sys

from run_paralif import DEFAULT_CONFIGS, atomic_write, fail, parse_configs, results_json

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_one(args, label, flags, seed):
    name = f"{label}_seed{seed}"
    cwd = os.path.join(args.out, "runs", name)
    os.makedirs(cwd, exist_ok=True)
    data = ["--dataset", "heidelberg", "--data_dir", args.data] if args.data else []
    done = results_json(cwd)
    if done is not None and not tested(done):
        done = None  # a run stopped before its test: run it again (its own results stay beside)
    if done is None:
        command = ["nice", "-n", str(args.nice), "java", "-jar", args.jar, "--seed", str(seed),
                   "--nb_epochs", str(args.epochs), "--progress", "False",
                   "--output_dir", os.path.join(cwd, "outputs")] + data + flags + args.common
        log = os.path.join(args.out, "logs", name + ".log")
        os.makedirs(os.path.dirname(log), exist_ok=True)
        print(f"{name}: {' '.join(shlex.quote(c) for c in command[3:])}  (log {log})", flush=True)
        with open(log, "w") as out:
            code = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode
        done = results_json(cwd)
        if code != 0 or done is None or not tested(done):
            with open(log) as f:
                tail = f.read()[-1500:]
            print(f"{name}: spsn failed (exit {code}); the end of {log}:\n{tail}", file=sys.stderr)
            return None
    with open(done) as f:
        result = json.load(f)
    tests = result["test_accuracies"]
    test = tests[-1] if isinstance(tests, list) else tests
    duration = result.get("train_duration")
    duration = duration[-1] if isinstance(duration, list) else duration
    row = {"config": label, "seed": seed, "neuron": result["PARAMS"].get("neuron"),
           "flags": " ".join(flags + args.common), "epochs": len(result["train_accuracies"]),
           "test_accuracy": round(float(test), 4), "train_accuracy": round(float(result["train_accuracies"][-1]), 4),
           "final_loss": round(float(result["loss_hist"][-1]), 5),
           "train_s_per_epoch": round(float(duration), 1) if duration is not None else "",
           "results": os.path.relpath(done, args.out)}
    print(f"{name}: test accuracy {row['test_accuracy']:.4f} (train {row['train_accuracy']:.4f})", flush=True)
    return row


def tested(results):
    """Whether a results file holds a test accuracy (a stopped run's has none)."""
    with open(results) as f:
        tests = json.load(f).get("test_accuracies")
    last = tests[-1] if isinstance(tests, list) and tests else tests
    return isinstance(last, (int, float))


def write_tables(args, rows, configs):
    fields = ["config", "seed", "neuron", "flags", "epochs", "test_accuracy", "train_accuracy", "final_loss",
              "train_s_per_epoch", "results"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(os.path.join(args.out, "results.csv"), buf.getvalue())
    where = os.path.abspath(args.data) if args.data else "the flags' dataset"
    lines = [f"spsn-java on {where} (test accuracy after the last epoch)", "",
             "| config | flags | seeds | test accuracy per seed | mean | sd |", "|---|---|---|---|---|---|"]
    for label, _ in configs:
        mine = [r for r in rows if r["config"] == label]
        if not mine:
            continue
        accs = [r["test_accuracy"] for r in mine]
        sd = statistics.stdev(accs) if len(accs) > 1 else float("nan")
        lines.append(f"| {label} | `{mine[0]['flags']}` | {','.join(str(r['seed']) for r in mine)} | "
                     f"{', '.join(f'{a:.4f}' for a in accs)} | {statistics.mean(accs):.4f} | {sd:.4f} |")
    atomic_write(os.path.join(args.out, "results.md"), "\n".join(lines) + "\n")


def main():
    argv = sys.argv[1:]
    common = []
    if "--" in argv:
        common = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--jar", default=os.path.join(REPO, "target", "spsn.jar"))
    parser.add_argument("--data", help="folder with shd_train.h5 and shd_test.h5 (--dataset heidelberg)")
    parser.add_argument("--config", action="append", help="LABEL=FLAGS (repeatable); default: "
                        + "; ".join(DEFAULT_CONFIGS))
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--out", default="outputs/java-runs", help="work and results folder")
    parser.add_argument("--nice", type=int, default=19)
    args = parser.parse_args(argv)
    args.common = common
    args.jar = os.path.abspath(args.jar)
    args.out = os.path.abspath(args.out)
    if not os.path.isfile(args.jar):
        fail(f"--jar {args.jar}: no such file (build it: mvn -B -q -o package -DskipTests)")
    if args.data:
        args.data = os.path.abspath(args.data)
        for name in ("shd_train.h5", "shd_test.h5"):
            if not os.path.isfile(os.path.join(args.data, name)):
                fail(f"--data {args.data}: no {name} (write a synthetic set with tools/paralif/write_synthetic_shd.py)")
    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        fail(f"--seeds {args.seeds!r}: expected comma-separated integers")
    if args.epochs < 1:
        fail("--epochs must be >= 1")
    configs = parse_configs(args.config or DEFAULT_CONFIGS)
    rows, failed = [], 0
    for label, flags in configs:
        for seed in seeds:
            row = run_one(args, label, flags, seed)
            if row is None:
                failed += 1
                continue
            rows.append(row)
            write_tables(args, rows, configs)
    print(open(os.path.join(args.out, "results.md")).read() if rows else "no results")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
