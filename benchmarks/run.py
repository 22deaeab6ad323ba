"""Benchmarks: how fast the series runs and responds (``make bench``).

Reports, as medians of repeated runs:

1. each notebook's time to execute top to bottom in a fresh kernel (kernel start included),
   and the series' total;
2. each interactive demo's update time (``update`` plus rendering the figure to the PNG the
   browser receives) over a sweep of slider values, median and worst, next to the time to
   build the same demo from scratch, and their ratio;
3. the helper MLP's training step against a plain hand-written NumPy loop for the same
   network and data, on a small and a medium network;
4. the kernel's peak memory (max RSS) for every notebook, the heaviest first.

Prints a table and writes ``benchmarks/results.md``.  Targets (from the issue): every
notebook < 10 s, the series < 60 s; each demo update < 150 ms median and at most 0.6x the
from-scratch time; the MLP step at most 1.3x the plain loop.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py --only demos    # one part: notebooks, demos, mlp
"""

import argparse
import os
import pathlib
import platform
import statistics
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "benchmarks" / "results.md"
MAXRSS_CELL = "import resource\nprint('MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


# ---------------------------------------------------------------- 1 and 4: notebooks
def run_notebook_once(path):
    """Execute a copy of the notebook in a fresh kernel; return (seconds, peak RSS in MiB)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(MAXRSS_CELL))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    kb = int(text.split("MAXRSS_KB")[1].split()[0])
    return seconds, kb / 1024


def bench_notebooks(repeats):
    rows = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        runs = [run_notebook_once(path) for _ in range(repeats)]
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        rows.append({"notebook": path.name, "seconds": seconds, "peak_mib": rss})
        print(f"  {path.name:60s} {seconds:6.2f} s   peak RSS {rss:6.0f} MiB", flush=True)
    return rows


# ---------------------------------------------------------------- 2: demos
def demo_factories():
    """Every ``*_demo`` function of the companion modules, in notebook order."""
    from backprop_helpers.course import demo_factories as factories

    return [(notebook, fn.__name__, fn) for notebook, fn in factories()]


def sweep_values(control, n):
    """n values across a control's range (log-spaced for log sliders), plus its options."""
    import ipywidgets

    if isinstance(control, ipywidgets.FloatLogSlider):
        return list(np.logspace(control.min, control.max, n, base=control.base))
    if hasattr(control, "options"):
        return list(control.options)
    if isinstance(control, ipywidgets.IntSlider):
        return sorted({int(round(v)) for v in np.linspace(control.min, control.max, n)})
    return list(np.linspace(control.min, control.max, n))


def bench_demos(points_per_slider, scratch_repeats):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = []
    for module, name, factory in demo_factories():
        scratch = []
        for _ in range(scratch_repeats):
            started = time.perf_counter()
            demo = factory()
            demo.refresh()
            demo.render()
            scratch.append(time.perf_counter() - started)
            plt.close(demo.fig)
        demo = factory()
        defaults = demo.values()
        demo.render()  # the first display: solves and freezes the layout
        updates = []
        for control_name, control in demo.controls.items():
            for value in sweep_values(control, points_per_slider):
                started = time.perf_counter()
                with np.errstate(all="ignore"):
                    demo.update(**{**defaults, control_name: value})
                demo.render()
                updates.append(time.perf_counter() - started)
        plt.close(demo.fig)
        row = {
            "demo": f"{module}.{name}",
            "median_ms": 1000 * statistics.median(updates),
            "worst_ms": 1000 * max(updates),
            "scratch_ms": 1000 * statistics.median(scratch),
            "n": len(updates),
        }
        row["ratio"] = row["median_ms"] / row["scratch_ms"]
        rows.append(row)
        print(
            f"  {row['demo']:45s} update median {row['median_ms']:6.1f} ms, worst {row['worst_ms']:6.1f} ms,"
            f" from scratch {row['scratch_ms']:6.1f} ms, ratio {row['ratio']:.2f} ({row['n']} updates)",
            flush=True,
        )
    return rows


# ---------------------------------------------------------------- 3: MLP step
def plain_step(X, T, Ws, bs, lr):
    """A hand-written training step: sigmoid hidden layers, identity output, MSE loss."""
    activations = [X]
    for W, b in zip(Ws[:-1], bs[:-1]):
        z = activations[-1] @ W + b
        activations.append(1.0 / (1.0 + np.exp(-z)))
    y = activations[-1] @ Ws[-1] + bs[-1]
    delta = 2.0 * (y - T) / T.size
    for i in range(len(Ws) - 1, -1, -1):
        dW = activations[i].T @ delta
        db = delta.sum(axis=0)
        if i > 0:
            a = activations[i]
            delta = (delta @ Ws[i].T) * a * (1.0 - a)
        Ws[i] -= lr * dW
        bs[i] -= lr * db


def helper_step(model, optimizer, X, T):
    """The helper's training step: MLP.train_step (forward, MSE gradient, backward, SGD)."""
    model.train_step(X, T, optimizer)


def helper_step_by_parts(model, optimizer, X, T):
    """The same step through the public pieces, each checking its own arguments."""
    from backprop_helpers.losses import mse_grad

    y = model.forward(X)
    model.backward(mse_grad(T, y))
    optimizer.step(model.parameters(), model.gradients())


def time_per_call(fn, inner):
    started = time.perf_counter()
    for _ in range(inner):
        fn()
    return (time.perf_counter() - started) / inner


def bench_mlp(repeats):
    from backprop_helpers.mlp import MLP
    from backprop_helpers.optimizers import SGD

    cases = [("small", [2, 16, 1], 200, 2000), ("medium", [20, 128, 128, 10], 512, 200)]
    rows = []
    for label, sizes, n, inner in cases:
        rng = np.random.default_rng(0)
        X = rng.normal(size=(n, sizes[0]))
        T = rng.normal(size=(n, sizes[-1]))
        model = MLP(sizes, activation="sigmoid", output_activation="identity", init="xavier", seed=0)
        optimizer = SGD(0.01)
        Ws = [W.copy() for W in model.weights]
        bs = [b.copy() for b in model.biases]
        # Interleaved: each repeat times the helper and then the plain loop, so a burst of load
        # on the machine hits both; the ratio is the median of the per-repeat ratios.
        time_per_call(lambda: helper_step(model, optimizer, X, T), inner)  # warm-up
        time_per_call(lambda: plain_step(X, T, Ws, bs, 0.01), inner)
        triples = []
        for _ in range(repeats):
            helper = time_per_call(lambda: helper_step(model, optimizer, X, T), inner)
            plain = time_per_call(lambda: plain_step(X, T, Ws, bs, 0.01), inner)
            parts = time_per_call(lambda: helper_step_by_parts(model, optimizer, X, T), inner)
            triples.append((helper, plain, parts))
        row = {
            "case": f"{label} {sizes}, batch {n}",
            "helper_us": 1e6 * statistics.median(h for h, _, _ in triples),
            "plain_us": 1e6 * statistics.median(p for _, p, _ in triples),
            "ratio": statistics.median(h / p for h, p, _ in triples),
            "parts_ratio": statistics.median(q / p for _, p, q in triples),
        }
        rows.append(row)
        print(f"  {row['case']:40s} helper {row['helper_us']:8.1f} µs  plain {row['plain_us']:8.1f} µs"
              f"  ratio {row['ratio']:.2f} (by parts {row['parts_ratio']:.2f})", flush=True)
    return rows


# ---------------------------------------------------------------- report
def machine_description():
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        memory = f"{mem_kb / 1024**2:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    import matplotlib

    return (f"{cpu}, {os.cpu_count()} cores, {memory} RAM; Python {platform.python_version()}, "
            f"NumPy {np.__version__}, matplotlib {matplotlib.__version__}, {platform.system()} {platform.release()}")


def verdict(ok):
    return "✓" if ok else "✗"


def write_report(nb_rows, demo_rows, mlp_rows, args):
    lines = ["# Benchmark results", "", f"Measured {time.strftime('%Y-%m-%d')} with `make bench` on: "
             f"{machine_description()}.", ""]
    if nb_rows:
        total = sum(r["seconds"] for r in nb_rows)
        title = f"## Notebooks: execution in a fresh kernel (median of {args.repeats} runs, kernel start included)"
        lines += [title, "",
                  "| notebook | seconds | target < 10 s | kernel peak RSS (MiB) |", "|---|---:|:---:|---:|"]
        for r in nb_rows:
            ok = verdict(r["seconds"] < 10)
            lines.append(f"| {r['notebook']} | {r['seconds']:.2f} | {ok} | {r['peak_mib']:.0f} |")
        heaviest = max(nb_rows, key=lambda r: r["peak_mib"])
        lines += ["", f"Whole series: **{total:.1f} s** (target < 60 s {verdict(total < 60)}). "
                  f"Heaviest notebook by kernel peak memory: **{heaviest['notebook']}, "
                  f"{heaviest['peak_mib']:.0f} MiB**.", ""]
    if demo_rows:
        lines += [f"## Demos: one slider update (update + render to PNG), {args.points} values per slider", "",
                  "| demo | median ms | worst ms | from scratch ms | ratio | targets (< 150 ms, ≤ 0.6×) |",
                  "|---|---:|---:|---:|---:|:---:|"]
        for r in demo_rows:
            ok = r["median_ms"] < 150 and r["ratio"] <= 0.6
            lines.append(f"| {r['demo']} | {r['median_ms']:.1f} | {r['worst_ms']:.1f} | {r['scratch_ms']:.1f} | "
                         f"{r['ratio']:.2f} | {verdict(ok)} |")
        lines.append("")
    if mlp_rows:
        lines += ["## MLP training step: helper vs. a plain NumPy loop (sigmoid hidden layers, MSE, SGD)", "",
                  "`MLP.train_step` (checks X and T once) against the same step written by hand; the last "
                  "column is the same step through the public pieces (`forward`, `mse_grad`, `backward`, "
                  "`SGD.step`), each checking its own arguments.", "",
                  "| network | helper µs | plain µs | ratio | target ≤ 1.3× | by parts, ratio |",
                  "|---|---:|---:|---:|:---:|---:|"]
        for r in mlp_rows:
            lines.append(f"| {r['case']} | {r['helper_us']:.1f} | {r['plain_us']:.1f} | {r['ratio']:.2f} | "
                         f"{verdict(r['ratio'] <= 1.3)} | {r['parts_ratio']:.2f} |")
        lines.append("")
    RESULTS.write_text("\n".join(lines))
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark the notebook series.")
    parser.add_argument("--only", choices=["notebooks", "demos", "mlp"], action="append")
    parser.add_argument("--repeats", type=int, default=3, help="runs per notebook (median)")
    parser.add_argument("--points", type=int, default=7, help="slider values per slider")
    args = parser.parse_args(argv)
    parts = set(args.only or ["notebooks", "demos", "mlp"])
    print(machine_description())
    nb_rows = demo_rows = mlp_rows = []
    if "notebooks" in parts:
        print("1/3 notebooks")
        nb_rows = bench_notebooks(args.repeats)
    if "demos" in parts:
        print("2/3 demos")
        demo_rows = bench_demos(args.points, scratch_repeats=5)
    if "mlp" in parts:
        print("3/3 MLP training step")
        mlp_rows = bench_mlp(repeats=9)
    write_report(nb_rows, demo_rows, mlp_rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
