"""Notebook 05's demos: drag b3, choose the learning rate, watch all seven parameters fit."""

import numpy as np

from ..dosage import DOSAGE_PARAM_NAMES, DOSAGE_PARAMS, fit_dosage
from ..plotting.dosage_plots import SquigglePlot, plot_squiggle, plot_ssr_vs_b3
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, int_slider, log_slider, slider

__all__ = ["dosage_b3_demo", "dosage_learning_rate_demo", "dosage_full_fit_demo", "dosage_start_guess"]

# d²SSR/db3² = 2 × (number of observations) = 6: SSR(b3) is a parabola of curvature λ = 6,
# so a step of learning rate η multiplies the distance to the minimum by (1 − 6η).
_CURVATURE = 6.0


def dosage_b3_demo(b3=0.0):
    """Drag b3: the squiggle moves up and down, the residuals and SSR change, and the
    tangent on the SSR(b3) curve has slope dSSR/db3 (eq. 05.3)."""
    fig, (left, right) = new_figure("wide", ncols=2)
    squiggle = SquigglePlot(left, {**DOSAGE_PARAMS, "b3": b3}, ylim=(-3.8, 3.6))
    left.legend(loc="lower center", fontsize=8)
    curve = plot_ssr_vs_b3(right, DOSAGE_PARAMS, b3=b3)
    right.legend(loc="upper right", fontsize=8)
    title = right.set_title(" ")

    def update(b3=b3):
        params = {**DOSAGE_PARAMS, "b3": float(b3)}
        squiggle.update(params)
        ssr, slope = curve.move_to(float(b3))
        title.set_text(f"SSR = {ssr:.2f}, dSSR/db3 = {slope:.2f}")
        return f"b3 = {b3:.2f}: SSR = {ssr:.2f}, dSSR/db3 = {slope:.2f}"

    return Demo(fig, update, {"b3": slider("b3", -1.0, 5.0, b3, step=0.05)})


def _describe_run(history, eta):
    """One status sentence for a b3-only run: stopped, oscillating, diverging, crawling or diverged."""
    n = len(history) - 1
    b3 = history[-1].params["b3"]
    factor = 1 - _CURVATURE * eta
    if history.status == "diverged":
        return f"η = {eta:.3g}: diverged after {_steps(n)}: η is above 2/λ = 1/3, each step overshoots more"
    if history.status == "converged":
        how = "oscillating around the minimum" if factor < 0 else "approaching from one side"
        return f"η = {eta:.3g}: stopped after {_steps(n)} (step size below 0.001), {how}, at b3 = {b3:.2f}"
    if factor < -1:
        return (f"η = {eta:.3g}: diverging after {_steps(n)}: each overshoot is larger than the last "
                f"(η is above 2/λ = 1/3)")
    if factor == -1:
        return f"η = {eta:.3g}: oscillating without settling after {_steps(n)}: η is exactly 2/λ = 1/3"
    how = "oscillating, still converging" if factor < 0 else "still approaching the minimum"
    slow = " (η is small: slow progress)" if eta < 0.05 else ""
    return f"η = {eta:.3g}: {how} after {_steps(n)}, b3 = {b3:.2f}{slow}"


def _steps(n):
    return f"{n} step" if n == 1 else f"{n} steps"


def dosage_learning_rate_demo(eta=0.1, steps=30):
    """Gradient descent on b3 from b3 = 0 with learning rate η: the path on the SSR(b3)
    curve and b3 per iteration.  η < 1/6 converges from one side, 1/6 < η < 1/3 oscillates
    while converging, η > 1/3 diverges (the curvature of SSR(b3) is λ = 6)."""
    fig, (left, right) = new_figure("wide", ncols=2)
    lo, hi = -1.0, 6.0
    curve = plot_ssr_vs_b3(left, {**DOSAGE_PARAMS, "b3": 0.0}, b3_values=np.linspace(lo, hi, 141))
    for artist in (curve.tangent, curve.point):
        artist.set_visible(False)
        artist.set_label("_hidden")
    ymax = left.get_ylim()[1]
    (path,) = left.plot([], [], "-o", color=COLORS["point"], ms=4, lw=1, label="descent path")
    left.legend(loc="upper right", fontsize=8)
    (b3_line,) = right.plot([], [], "-o", color=COLORS["point"], ms=3)
    best = fit_dosage(DOSAGE_PARAMS, 0.1, tol=1e-9)[-1].params["b3"]
    right.axhline(best, color=COLORS["muted"], ls="--", label=f"minimum b3 = {best:.2f}")
    right.set_ylim(lo, hi)
    right.set_xlabel("iteration")
    right.set_ylabel("b3")
    right.legend(loc="lower right", fontsize=8)

    def update(eta=eta, steps=steps):
        history = fit_dosage(DOSAGE_PARAMS, learning_rate=float(eta), max_steps=int(steps))
        b3s = np.array([r.params["b3"] for r in history])
        ssrs = np.array([r.ssr for r in history])
        shown_b3 = np.clip(b3s, lo - 0.2, hi + 0.2)  # a diverging path leaves the axes, no inf drawn
        path.set_data(shown_b3, np.clip(ssrs, 0.0, 1.05 * ymax))
        b3_line.set_data(np.arange(len(b3s)), shown_b3)
        right.set_xlim(-0.5, max(int(steps), 1) + 0.5)
        return _describe_run(history, float(eta))

    return Demo(fig, update, {"eta": log_slider("η", 1e-3, 10.0, eta),
                              "steps": int_slider("steps", 1, 100, steps)})


def dosage_start_guess(seed=3):
    """A starting guess for fitting all seven parameters: weights drawn from a standard normal
    distribution (seeded), biases 0."""
    rng = np.random.default_rng(seed)
    return {p: (float(rng.normal()) if p.startswith("w") else 0.0) for p in DOSAGE_PARAM_NAMES}


def dosage_full_fit_demo(steps=200, learning_rate=0.05, seed=3, max_steps=3000):
    """All seven parameters fitted by gradient descent from ``dosage_start_guess(seed)``;
    the steps slider moves the squiggle from the starting guess onto the data."""
    start = dosage_start_guess(seed)
    history = fit_dosage(start, learning_rate, fit=DOSAGE_PARAM_NAMES, tol=1e-4, max_steps=max_steps)
    fig, (left, right) = new_figure("wide", ncols=2)
    plot_squiggle(left, start, color=COLORS["muted"], ls="--", label="starting guess")
    squiggle = SquigglePlot(left, start, ylim=(-0.5, 1.5), label="after the steps")
    left.legend(loc="lower center", fontsize=8)
    losses = [r.ssr for r in history]
    right.plot(np.arange(len(losses)), losses, color=COLORS["curve"], lw=2)
    right.set_yscale("log")
    right.set_xlabel("iteration")
    right.set_ylabel("SSR (log scale)")
    (marker,) = right.plot([], [], "o", color=COLORS["point"], ms=8, zorder=3)
    last = len(history) - 1

    def update(steps=steps):
        record = history[min(int(steps), last)]
        squiggle.update(record.params)
        marker.set_data([record.step], [record.ssr])
        done = ""
        if record.step == last:
            done = {"converged": " (converged: every step size below 0.0001)",
                    "diverged": " (diverged: the learning rate is too large)"}.get(
                        history.status, f" (still moving after {_steps(last)})")
        return f"after {_steps(record.step)}: SSR = {record.ssr:.4f}{done}"

    return Demo(fig, update, {"steps": int_slider("steps", 0, last, min(steps, last))})

