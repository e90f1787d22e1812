#!/usr/bin/python3
"""Runs ParaLIF's own examples/basic/run.py on an SHD-layout dataset and tabulates test accuracies.

    /usr/bin/python3 tools/paralif/run_paralif.py --paralif DIR --data DATA_DIR \\
        [--config LABEL=FLAGS ...] [--seeds 0,1,2] [--epochs 4] [--out OUT] [--threads 1] \\
        [-- FLAGS FOR EVERY RUN]

DIR is a checkout of NECOTIS/Parallelizable-Leaky-Integrate-and-Fire-Neuron (never committed
here); DATA_DIR holds shd_train.h5 and shd_test.h5 (the real SHD files, or a synthetic set from
write_synthetic_shd.py). Every run is ParaLIF's unmodified run.py with `--seed S --nb_epochs E`,
the config's flags and the common flags, started with Debian's torch (/usr/bin/python3) and:
- PYTHONPATH = an empty `tonic` stub (datasets.py imports tonic, used only for other datasets),
  a minimal `tqdm` stand-in if the interpreter lacks tqdm, and the checkout (for `import ParaLIF`);
- OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed for that command (they may be set on these
  machines to tune this project's engine; ParaLIF should run at its own best), and
  OMP/MKL/OPENBLAS_NUM_THREADS = --threads;
- `nice -n 19`, one run at a time (the machine is shared);
- cwd OUT/runs/<label>_seed<S>, so that run.py's `../../datasets/` is OUT/datasets (links to
  DATA_DIR's files) and its outputs/ land there.
A run whose results JSON exists is not rerun (rerun the command to resume). OUT/results.csv and
OUT/results.md list every run's test accuracy (run.py tests once, after the last epoch) and the
mean and standard deviation per config. Default configs: ParaLIF-GS, -TRB, -T feed-forward and
recurrent ParaLIF-GS, with run.py's defaults otherwise (3 x 128, batch 64, loss mean).
"""
import argparse
import csv
import glob
import io
import json
import os
import shlex
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CONFIGS = ["ParaLIF-GS=--neuron ParaLIF-GS", "ParaLIF-TRB=--neuron ParaLIF-TRB",
                   "ParaLIF-T=--neuron ParaLIF-T", "ParaLIF-GS-rec=--neuron ParaLIF-GS --recurrent"]
PYTHON = "/usr/bin/python3"


def fail(message):
    print(f"run_paralif: {message}", file=sys.stderr)
    sys.exit(2)


def parse_configs(items):
    configs = []
    for item in items:
        label, sep, flags = item.partition("=")
        if not sep or not label or any(c in label for c in "/ "):
            fail(f"--config {item!r}: expected LABEL=FLAGS, e.g. 'GS-rec=--neuron ParaLIF-GS --recurrent'")
        configs.append((label, shlex.split(flags)))
    return configs


def environment(paralif, threads):
    env = dict(os.environ)
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(key, None)
    paths = [os.path.join(HERE, "stubs")]
    if subprocess.run([PYTHON, "-c", "import tqdm"], capture_output=True).returncode != 0:
        paths.append(os.path.join(HERE, "stubs-tqdm"))
    paths.append(paralif)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[key] = str(threads)
    return env


def link_data(data, out):
    target = os.path.join(out, "datasets")
    os.makedirs(target, exist_ok=True)
    for name in ("shd_train.h5", "shd_test.h5"):
        source = os.path.abspath(os.path.join(data, name))
        if not os.path.isfile(source):
            fail(f"--data {data}: no {name} (write a synthetic set with tools/paralif/write_synthetic_shd.py)")
        link = os.path.join(target, name)
        if os.path.islink(link) or os.path.exists(link):
            os.remove(link)
        os.symlink(source, link)


def results_json(cwd):
    found = sorted(glob.glob(os.path.join(cwd, "outputs", "**", "results_*.json"), recursive=True),
                   key=os.path.getmtime)
    return found[-1] if found else None


def run_one(args, env, label, flags, seed):
    name = f"{label}_seed{seed}"
    cwd = os.path.join(args.out, "runs", name)
    os.makedirs(cwd, exist_ok=True)
    done = results_json(cwd)
    if done is None:
        command = ["nice", "-n", str(args.nice), PYTHON, os.path.join(args.paralif, "examples", "basic", "run.py"),
                   "--seed", str(seed), "--nb_epochs", str(args.epochs)] + flags + args.common
        log = os.path.join(args.out, "logs", name + ".log")
        os.makedirs(os.path.dirname(log), exist_ok=True)
        print(f"{name}: {' '.join(shlex.quote(c) for c in command[3:])}  (log {log})", flush=True)
        with open(log, "w") as out:
            code = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
        done = results_json(cwd)
        if code != 0 or done is None:
            with open(log) as f:
                tail = f.read()[-1500:]
            print(f"{name}: run.py failed (exit {code}); the end of {log}:\n{tail}", file=sys.stderr)
            return None
    with open(done) as f:
        result = json.load(f)
    tests = result["test_accuracies"]
    test = tests[-1] if isinstance(tests, list) else tests
    row = {"config": label, "seed": seed, "neuron": result["PARAMS"].get("neuron"),
           "flags": " ".join(flags + args.common), "epochs": len(result["train_accuracies"]),
           "test_accuracy": round(float(test), 4), "train_accuracy": round(float(result["train_accuracies"][-1]), 4),
           "final_loss": round(float(result["loss_hist"][-1]), 5),
           "train_s_per_epoch": round(float(result["train_duration"]), 1),
           "results": os.path.relpath(done, args.out)}
    print(f"{name}: test accuracy {row['test_accuracy']:.4f} (train {row['train_accuracy']:.4f})", flush=True)
    return row


def write_tables(out, rows, configs, data):
    fields = ["config", "seed", "neuron", "flags", "epochs", "test_accuracy", "train_accuracy", "final_loss",
              "train_s_per_epoch", "results"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(os.path.join(out, "results.csv"), buf.getvalue())
    lines = [f"ParaLIF's run.py on {os.path.abspath(data)} (test accuracy after the last epoch)", "",
             "| config | flags | seeds | test accuracy per seed | mean | sd |", "|---|---|---|---|---|---|"]
    for label, _ in configs:
        mine = [r for r in rows if r["config"] == label]
        if not mine:
            continue
        accs = [r["test_accuracy"] for r in mine]
        sd = statistics.stdev(accs) if len(accs) > 1 else float("nan")
        lines.append(f"| {label} | `{mine[0]['flags']}` | {','.join(str(r['seed']) for r in mine)} | "
                     f"{', '.join(f'{a:.4f}' for a in accs)} | {statistics.mean(accs):.4f} | {sd:.4f} |")
    atomic_write(os.path.join(out, "results.md"), "\n".join(lines) + "\n")


def atomic_write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    argv = sys.argv[1:]
    common = []
    if "--" in argv:
        common = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--paralif", required=True, help="checkout of ParaLIF's repository")
    parser.add_argument("--data", required=True, help="folder with shd_train.h5 and shd_test.h5")
    parser.add_argument("--config", action="append", help="LABEL=FLAGS (repeatable); default: "
                        + "; ".join(DEFAULT_CONFIGS))
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--out", default="outputs/paralif-runs", help="work and results folder")
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads of each run")
    parser.add_argument("--nice", type=int, default=19)
    args = parser.parse_args(argv)
    args.common = common
    args.paralif = os.path.abspath(args.paralif)
    args.out = os.path.abspath(args.out)
    if not os.path.isfile(os.path.join(args.paralif, "examples", "basic", "run.py")):
        fail(f"--paralif {args.paralif}: no examples/basic/run.py (give a checkout of "
             "NECOTIS/Parallelizable-Leaky-Integrate-and-Fire-Neuron)")
    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        fail(f"--seeds {args.seeds!r}: expected comma-separated integers")
    if args.epochs < 1 or args.threads < 1:
        fail("--epochs and --threads must be >= 1")
    configs = parse_configs(args.config or DEFAULT_CONFIGS)
    link_data(args.data, args.out)
    env = environment(args.paralif, args.threads)
    rows, failed = [], 0
    for label, flags in configs:
        for seed in seeds:
            row = run_one(args, env, label, flags, seed)
            if row is None:
                failed += 1
                continue
            rows.append(row)
            write_tables(args.out, rows, configs, args.data)
    print(open(os.path.join(args.out, "results.md")).read() if rows else "no results")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
