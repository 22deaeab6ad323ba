"""Benchmarks: how fast the series runs and responds (``make bench``).

Reports, as medians of repeated runs:

1. each notebook's time to execute top to bottom in a fresh kernel (kernel start included),
   and the series' total;
2. each interactive demo's update cost, median and worst: the live frame sent while a slider
   is dragged (only the moved artists redrawn, at 1× pixel density, fast PNG) and the full-quality
   figure (``show``, ``set``, the settled figure, at 2×), next to building it from scratch;
3. the series' MLP training step (descend + mlp_objective) against a plain hand-written NumPy
   loop for the same network and data, on a small and a medium network;
4. the kernel's peak memory (max RSS) for every notebook, the heaviest first.

Prints a table and writes ``benchmarks/results.md``.  Targets: every notebook < 10 s, the
series < 60 s; each demo's live frame (a slider dragged in the browser) < 40 ms median and
its full-quality update < 150 ms median (issue 16); the MLP step at most 1.3x the plain loop.

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


def drag_values(control, n):
    """What a drag over the whole range sends: n values from one end to the other (every option of
    a choice), then back over the same values (a drag back and forth hits the live-frame cache)."""
    from backprop_helpers.widgets import _spread

    values = _spread(control, n)
    return values + values[::-1]


def bench_demos(points_per_slider, scratch_repeats):
    """Per demo: the full-quality update (update + draw everything + PNG, what ``set``, ``show`` and
    the settled figure cost) over a sweep of slider values; the live frame while dragging (update
    + redraw only what moved + fast PNG, as from the browser) over a drag of every slider; and the
    same demo built from scratch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from backprop_helpers import use_house_style

    use_house_style()  # the notebooks' style: 80 dpi, so 2× density renders at 160 dpi
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
        demo.refresh()
        png = demo.render()  # the first display: solves and freezes the layout
        full = []
        for control_name, control in demo.controls.items():
            for value in sweep_values(control, points_per_slider):
                started = time.perf_counter()
                with np.errstate(all="ignore"):
                    demo.update(**{**defaults, control_name: value})
                png = demo.render()
                full.append(time.perf_counter() - started)
        demo.update(**defaults)
        live, kinds, sizes = [], [], []
        blits_before = demo._blitter.frames["blit"]
        for control_name, control in demo.controls.items():  # a drag of each control, as in the browser
            for value in drag_values(control, 21):
                control.value = value  # no observers here: update and render as Demo._redraw does
                started = time.perf_counter()
                demo.refresh()
                png = demo.render(live=True)
                kinds.append(demo.timings[-1][0])
                if kinds[-1] != "cached":  # the way back is served from the live-frame cache
                    live.append(time.perf_counter() - started)
                sizes.append(len(png))
            control.value = defaults[control_name]
        plt.close(demo.fig)
        row = {
            "demo": f"{module}.{name}",
            "median_ms": 1000 * statistics.median(full),
            "worst_ms": 1000 * max(full),
            "live_median_ms": 1000 * statistics.median(live),
            "live_worst_ms": 1000 * max(live),
            "blit_share": (demo._blitter.frames["blit"] - blits_before) / max(1, len(live)),
            "live_kb": statistics.median(sizes) / 1000,
            "scratch_ms": 1000 * statistics.median(scratch),
            "n": len(full),
            "n_live": len(live),
            "frames": dict(demo._blitter.frames),
        }
        row["ratio"] = row["median_ms"] / row["scratch_ms"]
        rows.append(row)
        print(
            f"  {row['demo']:40s} full update median {row['median_ms']:6.1f} ms, worst {row['worst_ms']:6.1f};"
            f" live frame median {row['live_median_ms']:5.1f} ms, worst {row['live_worst_ms']:6.1f}"
            f" ({row['live_kb']:.0f} kB, blitted {row['frames']['blit']}, full draws {row['frames']['full']});"
            f" from scratch {row['scratch_ms']:6.1f} ms",
            flush=True,
        )
    return rows


def machine_load():
    """The load average over the last minute and the number of cores (other work on the machine
    slows every timing: compare ratios within one run)."""
    try:
        return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    except OSError:
        return "load average unknown"


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


def helper_step(state, lr):
    """The series' training step: one iteration of ``descend``'s update w ← w − η·∇E(w), with ∇E
    from ``mlp_objective`` (parameters set from w, forward, MSE gradient, backward, flattened)."""
    state["w"] = state["w"] - lr * state["grad"](state["w"])


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
    from backprop_helpers.mlp import MLP, MSE, mlp_objective
    from backprop_helpers.optimizers import SGD

    cases = [("small", [2, 16, 1], 200, 2000), ("medium", [20, 128, 128, 10], 512, 200)]
    rows = []
    for label, sizes, n, inner in cases:
        rng = np.random.default_rng(0)
        X = rng.normal(size=(n, sizes[0]))
        T = rng.normal(size=(n, sizes[-1]))
        model = MLP(sizes, activation="sigmoid", output_activation="identity", init="xavier", seed=0)
        optimizer = SGD(0.01)
        _, grad, w0 = mlp_objective(MLP(sizes, activation="sigmoid", seed=0), X, T, MSE)
        state = {"w": w0, "grad": grad}
        Ws = [W.copy() for W in model.weights]
        bs = [b.copy() for b in model.biases]
        # Interleaved: each repeat times the helper and then the plain loop, so a burst of load
        # on the machine hits both; the ratio is the median of the per-repeat ratios.
        time_per_call(lambda: helper_step(state, 0.01), inner)  # warm-up
        time_per_call(lambda: plain_step(X, T, Ws, bs, 0.01), inner)
        triples = []
        for _ in range(repeats):
            helper = time_per_call(lambda: helper_step(state, 0.01), inner)
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


BROWSER_RESULTS = ROOT / "tests" / "browser" / "artifacts" / "interaction.json"


def browser_section():
    """The demos measured in JupyterLab in headless Chromium by the browser tests (their last run,
    ``tests/browser/artifacts/interaction.json``): figures per drag, time to settle, Play fps."""
    import json

    if not BROWSER_RESULTS.exists():
        return []
    rows = json.loads(BROWSER_RESULTS.read_text())
    sliders = [r for r in rows if r["kind"] == "slider" and r.get("settle_ms") is not None]
    plays = [r for r in rows if r["kind"] == "play"]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(BROWSER_RESULTS.stat().st_mtime))
    loads = [r["load"] for r in rows if "load" in r]
    if loads:
        when += f", load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores"
    lines = [f"## Demos in the browser (the browser tests' last run, {when})", "",
             "JupyterLab in headless Chromium on this machine; each slider dragged with the mouse over 70 % of "
             "its track in 20 steps of 60 ms. *Figures*: new figures that arrived during the drag, per 20 drag "
             "steps that changed the value; *final values*: from the release to the figure of the final values; "
             "*full quality*: to the settled figure (the debounce is included); *kernel*: the median time of one "
             "live frame in the kernel during the drag. Targets: figures ≥ 15 median and ≥ 10 for the slowest, "
             "final values ≤ 100 ms median, Play ≥ 10 fps.", "",
             "| notebook | control | figures / 20 steps | final values ms | full quality ms | kernel ms |",
             "|---|---|---:|---:|---:|---:|"]
    for r in sliders:
        per20 = min(20.0, 20.0 * r["updates"] / max(1, r["moves"]))
        kernel = "" if r.get("kernel_ms") is None else f"{r['kernel_ms']:.0f}"
        lines.append(f"| {r['notebook'][:2]} | {r['control']} | {per20:.1f} ({r['updates']}/{r['moves']}) | "
                     f"{r['settle_ms']:.0f} | {r['full_ms']:.0f} | {kernel} |")
    if sliders:
        per20 = [min(20.0, 20.0 * r["updates"] / max(1, r["moves"])) for r in sliders]
        settle = statistics.median(r["settle_ms"] for r in sliders)
        lines += ["", f"{len(sliders)} sliders: figures per 20 drag steps median **{statistics.median(per20):.1f}** "
                  f"(target ≥ 15 {verdict(statistics.median(per20) >= 15)}), slowest **{min(per20):.1f}** "
                  f"(target ≥ 10 {verdict(min(per20) >= 10)}); final values shown **{settle:.0f} ms** after the "
                  f"release, median (target ≤ 100 {verdict(settle <= 100)}); full quality "
                  f"{statistics.median(r['full_ms'] for r in sliders):.0f} ms."]
    for r in plays:
        fps = r.get("fps")
        lines.append(f"Play ({r['notebook'][:2]}, {r['control']}): **{fps:.1f} fps** over {r['frames']} frames "
                     f"(target ≥ 10 {verdict(fps >= 10)})." if fps else f"Play ({r['notebook'][:2]}): no frames")
    return lines + [""]


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
        lines += [f"## Demos: one slider update, measured in the kernel ({args.load_before} at the start, "
                  f"{args.load_after} at the end)", "",
                  "*Full*: `update` + drawing the whole figure + PNG (level 6), at 2× pixel density: what `show`, "
                  f"`set` and the settled figure cost ({args.points} values per slider). *Live*: a frame while a "
                  "slider is dragged from the browser: `update` + redrawing only the artists that moved over the "
                  "cached background, at 1× pixel density, + a fast PNG (level 1), over a drag of every slider "
                  "across its range and back (21 values each way; the way back is served from the live-frame "
                  "cache and left out of the timings). "
                  "*Blitted*: live frames that redrew only what moved (the rest were full draws: the first "
                  "frame, or a change of axis limits, ticks or artists).  Targets: live median < 40 ms "
                  "(20 drag steps in 1.2 s leave 60 ms a step; the next change travels while a frame is drawn); "
                  "full < 150 ms.", "",
                  "| demo | live median ms | live worst ms | blitted | live PNG kB | full median ms | full worst ms "
                  "| from scratch ms | targets |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|:---:|"]
        for r in demo_rows:
            ok = r["live_median_ms"] < 40 and r["median_ms"] < 150
            lines.append(f"| {r['demo']} | {r['live_median_ms']:.1f} | {r['live_worst_ms']:.1f} | "
                         f"{100 * r['blit_share']:.0f} % | {r['live_kb']:.0f} | {r['median_ms']:.1f} | "
                         f"{r['worst_ms']:.1f} | {r['scratch_ms']:.1f} | {verdict(ok)} |")
        lines.append("")
    lines += browser_section()
    if mlp_rows:
        lines += ["## MLP training step: helper vs. a plain NumPy loop (sigmoid hidden layers, MSE, SGD)", "",
                  "One step of the series' training loop (`descend`'s update with the gradient from "
                  "`mlp_objective`: parameters set from one flat vector, forward, MSE gradient, backward, "
                  "flattened) against the same step written by hand; the last column is the same step "
                  "through the public pieces (`forward`, `mse_grad`, `backward`, `SGD.step`).", "",
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
    args.load_before = machine_load()
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
    args.load_after = machine_load()
    write_report(nb_rows, demo_rows, mlp_rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
