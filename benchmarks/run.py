"""Time one gradient call of each workload in each system, in one process, and print tables.

Every gradient is checked against the hand-written one before it is timed. Timing goes in rounds:
in each round every system runs one batch of calls (in a rotated order), so the systems share the
machine's state; a ratio is taken within each round, and the tables show medians over the rounds.
"""

import argparse
import gc
from importlib import metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

from . import systems, workloads

# Targets from the benchmarks issue: tapeless / hand-written NumPy at most this.
NUMPY_TARGET = {"poly": 1.5, "logistic": 1.10, "mlp": 1.10, "rnn": 1.10, "scalar_loop": 1.5, "while_loop": 1.5}
# ... and faster than these systems (ratio below 1).
FASTER_THAN = {
    "poly": ("autograd", "jax", "jax.jit", "torch"),
    "scalar_loop": ("autograd", "jax", "jax.jit", "torch"),
    "while_loop": ("autograd", "jax", "jax.jit", "torch"),
    "logistic": ("autograd", "jax", "torch"),
    "rnn": ("autograd", "jax", "torch"),
}
TRANSFORM_TARGET_MS = 50.0
MEMORY_TARGET = 1.5
MEMORY_WORKLOADS = ("rnn", "scalar_loop")
# A system that takes longer than SLOW seconds a call is timed in the first SLOW_ROUNDS rounds only.
SLOW, SLOW_ROUNDS = 0.25, 5


def batch(call, n):
    """Seconds per call over ``n`` calls, with the garbage collector off (as timeit does)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(n):
            call()
        return (time.perf_counter() - start) / n
    finally:
        gc.enable()


def calls_per_batch(call, min_time):
    """The number of calls that takes at least ``min_time`` seconds, and the seconds per call."""
    n = 1
    while True:
        t = batch(call, n)
        if t * n >= min_time:
            return n, t
        n = max(2 * n, int(1.2 * min_time / max(t, 1e-9)))


def peak_memory(call):
    """Peak bytes allocated (as tracemalloc sees Python objects and NumPy buffers) during one call,
    including the gradients it returns."""
    call()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = call()
        peak = tracemalloc.get_traced_memory()[1] - base
        del result
        return peak
    finally:
        tracemalloc.stop()


def transformation_ms(names):
    """Cold transformation times of the workloads, each measured in a fresh interpreter (coldstart.py).

    Bytecode is cached as after a normal install (in a temporary folder, even where
    PYTHONDONTWRITEBYTECODE is set): a first, discarded run writes it."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as cache:
        env["PYTHONPYCACHEPREFIX"] = cache

        def run(name):
            out = subprocess.run([sys.executable, "-m", "benchmarks.coldstart", name], capture_output=True,
                                 text=True, check=True, cwd=root, env=env)
            return json.loads(out.stdout)

        run(names[0])
        return {name: run(name) for name in names}


def bench_workload(name, system_names, repeats, min_time, log):
    """Times (seconds per call, one per round) of each system that runs this workload, and the
    reasons of those that do not."""
    workload = workloads.load(name)
    args = workloads.make_args(workload)
    reference = workloads.as_tuple(workload.grad_numpy(*args))
    calls, skipped = {}, {}
    for system in system_names:
        try:
            start = time.perf_counter()
            call, to_numpy = systems.maker(system)(workload, args)
            got = to_numpy(call())
            first = time.perf_counter() - start
        except systems.Unsupported as e:
            skipped[system] = str(e)
            continue
        if not workloads.close(got, reference):
            skipped[system] = "WRONG GRADIENT: differs from the hand-written one"
            log(f"  {name:12s} {system:9s} {skipped[system]}")
            continue
        n, seconds = calls_per_batch(call, min_time)
        calls[system] = (call, n, repeats if seconds < SLOW else min(repeats, SLOW_ROUNDS))
        log(f"  {name:12s} {system:9s} checked; first call {first * 1e3:8.1f} ms; {n} calls per batch")
    times = {system: [] for system in calls}
    order = list(calls)
    for r in range(repeats):
        for system in order[r % len(order):] + order[:r % len(order)]:
            call, n, rounds = calls[system]
            if r < rounds:
                times[system].append(batch(call, n))
    memory = {}
    for system in ("numpy", "tapeless"):
        if system in calls:
            memory[system] = peak_memory(calls[system][0])
    return times, skipped, memory


def median_ratio(a, b):
    """The median of a[r] / b[r] over the rounds r that both were timed in."""
    return statistics.median(x / y for x, y in zip(a, b))


def fmt_time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine():
    import numpy as np
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    pinned = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "all"
    lines = [f"CPU: {cpu}; {os.cpu_count()} cores, this process runs on core(s) {pinned}",
             f"Python {platform.python_version()} on {platform.system()} {platform.release()}; NumPy {np.__version__}"]
    versions = []
    for package in ("tapeless", "autograd", "jax", "jaxlib", "torch"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} not installed")
    lines.append(", ".join(versions))
    try:
        from threadpoolctl import threadpool_info
        pools = [f"{p['internal_api']} {p.get('version')} ({p.get('architecture')}): {p['num_threads']} thread(s)"
                 for p in threadpool_info()]
        lines.append("Thread pools: " + "; ".join(pools))
    except ImportError:
        pass
    return lines


def time_table(results, present):
    rows = [[n] + [fmt_time(statistics.median(times[s])) if s in times else "n/a" for s in present]
            for n, (times, _, _) in results.items()]
    return table(["workload"] + present, rows)


def ratio_table(results, others):
    rows = []
    for n, (times, _, _) in results.items():
        row = [n]
        for s in others:
            if "tapeless" not in times or s not in times:
                row.append("n/a")
                continue
            ratio = median_ratio(times["tapeless"], times[s])
            target = NUMPY_TARGET.get(n) if s == "numpy" else (1.0 if s in FASTER_THAN.get(n, ()) else None)
            row.append(f"{ratio:.2f}" + ("" if target is None else " ✓" if ratio <= target else " ✗"))
        rows.append(row)
    return table(["workload"] + others, rows)


def transform_memory_table(results, transform):
    rows = []
    for n, (_, _, memory) in results.items():
        row = [n]
        t = transform.get(n)
        if t:
            cold = t["import"] + t["transform"]
            row += [f"{cold:.0f}" + (" ✓" if cold < TRANSFORM_TARGET_MS else " ✗"),
                    f"{t['import']:.0f}", f"{t['transform']:.0f}", f"{t['first_call']:.1f}", f"{t['warm']:.0f}"]
        else:
            row += ["n/a"] * 5
        if len(memory) == 2 and memory["numpy"]:
            ratio = memory["tapeless"] / memory["numpy"]
            mark = (" ✓" if ratio <= MEMORY_TARGET else " ✗") if n in MEMORY_WORKLOADS else ""
            row += [f"{memory['tapeless'] / 1024:.1f} / {memory['numpy'] / 1024:.1f}", f"{ratio:.2f}{mark}"]
        else:
            row += ["n/a"] * 2
        rows.append(row)
    return table(["workload", "cold ms", "import", "transform", "first call", "warm ms",
                  "peak KiB tapeless / numpy", "ratio"], rows)


def report(results, transform, system_names):
    present = [s for s in system_names if any(s in times for times, _, _ in results.values())]
    others = [s for s in present if s != "tapeless"]
    out = ["Median time per gradient call:", "", time_table(results, present), "",
           "tapeless / system: the median over rounds of the ratio of times within a round "
           "(below 1: tapeless is faster; ✓/✗: target met/missed):", "", ratio_table(results, others), "",
           "tapeless: cold transformation time in a fresh interpreter (= import of the compiler + transform; "
           "the gradient's first call is shown apart; warm: transforming again in the same process), "
           "and peak memory of one gradient call (tracemalloc):", "", transform_memory_table(results, transform), ""]
    skipped = [f"- {s} on {n}: {why}" for n, (_, reasons, _) in results.items() for s, why in reasons.items()]
    if skipped:
        out += ["Not run:"] + skipped + [""]
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("-w", "--workloads", nargs="+", action="extend", choices=workloads.NAMES,
                        metavar="NAME", help=f"workloads to run (default all: {' '.join(workloads.NAMES)})")
    parser.add_argument("-s", "--systems", nargs="+", action="extend", choices=list(systems.SYSTEMS),
                        metavar="NAME", help=f"systems to run besides numpy and tapeless (default all: "
                                            f"{' '.join(systems.SYSTEMS)})")
    parser.add_argument("-r", "--repeats", type=int, default=21,
                        help=f"rounds of timing (default 21; {SLOW_ROUNDS} for calls slower than {SLOW} s)")
    parser.add_argument("--min-time", type=float, default=0.01,
                        help="seconds one batch of calls takes at least (default 0.01)")
    parser.add_argument("--no-transform", action="store_true", help="skip the cold transformation timing")
    args = parser.parse_args(argv)
    args.workloads = args.workloads or list(workloads.NAMES)  # (a default list would be extended)
    args.systems = args.systems or list(systems.SYSTEMS)
    chosen = {"numpy", "tapeless", *args.systems}  # the reference and the subject are always measured
    args.systems = [s for s in systems.SYSTEMS if s in chosen]

    if hasattr(os, "sched_setaffinity"):  # Linux: one core for the whole process and its subprocesses
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    results = {name: bench_workload(name, args.systems, args.repeats, args.min_time, log) for name in args.workloads}
    transform = {} if args.no_transform else transformation_ms(args.workloads)
    print("\n".join(machine()) + "\n")
    print(f"{args.repeats} rounds, batches of at least {args.min_time * 1e3:.0f} ms, float64; one thread "
          "(OMP/OPENBLAS/MKL_NUM_THREADS=1, XLA_FLAGS single-threaded, torch.set_num_threads(1), one core)\n")
    print(report(results, transform, args.systems))
