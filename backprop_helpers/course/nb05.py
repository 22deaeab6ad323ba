"""Notebook 05 · Fitting a bias with softplus and the sum of squared residuals: the companion module.

The softplus dosage example of notebook 05: three observations, two softplus units, one output.

Notebook 05's network (eq. 05.1) predicts the efficacy of a drug dosage x as

    ŷ = w3·softplus(w1·x + b1) + w4·softplus(w2·x + b2) + b3,

and measures the fit with the sum of squared residuals (eq. 05.2)

    SSR = Σᵢ (tᵢ − ŷᵢ)²,   tᵢ the observed efficacy.

``dosage_gradients`` returns every partial derivative of SSR by the chain rule (eqs. 05.3, 05.5, 05.6);
``fit_dosage`` runs gradient descent on some of the parameters and records every iteration
(the iteration table of notebook 05).  The worked example, data and starting values follow
Josh Starmer's StatQuest videos on backpropagation.

Plots of notebook 05's dosage example: the squiggle with the data and residuals, and SSR(b3).

Notebook 05's exercises: the chain rule and one descent step on the dosage example.

Notebook 05's demos: drag b3, choose the learning rate, watch all seven parameters fit.
"""

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..activations import RAW, as_float_array
from ..feedback import check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, int_slider, log_slider, slider

__all__ = [
    "DOSAGE",
    "EFFICACY",
    "DOSAGE_PARAMS",
    "DOSAGE_PARAM_NAMES",
    "dosage_predict",
    "dosage_ssr",
    "dosage_gradients",
    "fit_dosage",
    "DosageStep",
    "DosageHistory",
    "SquigglePlot",
    "plot_squiggle",
    "plot_ssr_vs_b3",
    "check_dssr_db3_at_1",
    "check_b3_after_one_step",
    "check_dssr_dw3",
    "dosage_b3_demo",
    "dosage_learning_rate_demo",
    "dosage_full_fit_demo",
    "dosage_start_guess",
]


# ---- the dosage example ------------------------------------------------------------------

DOSAGE = np.array([0.0, 0.5, 1.0])    # x: low, medium, high dosage
EFFICACY = np.array([0.0, 1.0, 0.0])  # t: only the medium dosage works
DOSAGE_PARAM_NAMES = ("w1", "b1", "w2", "b2", "w3", "w4", "b3")
DOSAGE_PARAMS = {"w1": 3.34, "b1": -1.43, "w2": -3.53, "b2": 0.57, "w3": -1.22, "w4": -2.30, "b3": 0.0}

DIVERGED_SSR = 1e8      # an SSR above this (or not finite) counts as a diverged run
DIVERGED_PARAM = 1e6    # so does a parameter larger than this in magnitude

_softplus, _sigmoid = RAW["softplus"]  # softplus and its derivative, softplus'(z) = sigmoid(z)


def _check_params(params, name="params"):
    """A float copy of ``params`` after checking it names exactly w1, b1, w2, b2, w3, w4, b3."""
    if not isinstance(params, Mapping):
        raise TypeError(f"{name} must be a dict of the seven parameters, got {type(params).__name__}")
    unknown = sorted(set(params) - set(DOSAGE_PARAM_NAMES), key=str)
    if unknown:
        raise ValueError(f"{name} has unknown parameter(s) {unknown}; expected {', '.join(DOSAGE_PARAM_NAMES)}")
    missing = [p for p in DOSAGE_PARAM_NAMES if p not in params]
    if missing:
        raise ValueError(f"{name} is missing parameter(s) {missing}; expected {', '.join(DOSAGE_PARAM_NAMES)}")
    checked = {}
    for p in DOSAGE_PARAM_NAMES:
        value = params[p]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name}[{p!r}] must be a real number, got {type(value).__name__}")
        if not math.isfinite(value):
            raise ValueError(f"{name}[{p!r}] must be finite, got {value!r}")
        checked[p] = float(value)
    return checked


def _forward(x, p):
    """Hidden pre-activations z1, z2, activations a1, a2 and prediction ŷ (no input checks)."""
    z1 = p["w1"] * x + p["b1"]
    z2 = p["w2"] * x + p["b2"]
    a1, a2 = _softplus(z1), _softplus(z2)
    return z1, z2, a1, a2, p["w3"] * a1 + p["w4"] * a2 + p["b3"]


def _ssr_and_gradients(p):
    """SSR (eq. 05.2) and its seven partials (eqs. 05.3, 05.5 and 05.6) at checked parameters ``p``."""
    x, t = DOSAGE, EFFICACY
    z1, z2, a1, a2, y = _forward(x, p)
    residual = t - y
    d_y = -2.0 * residual                  # dSSR/dŷᵢ = −2(tᵢ − ŷᵢ)
    d_z1 = d_y * p["w3"] * _sigmoid(z1)    # … · dŷ/da1 · da1/dz1
    d_z2 = d_y * p["w4"] * _sigmoid(z2)
    grads = {
        "w1": float(np.sum(d_z1 * x)), "b1": float(np.sum(d_z1)),
        "w2": float(np.sum(d_z2 * x)), "b2": float(np.sum(d_z2)),
        "w3": float(np.sum(d_y * a1)), "w4": float(np.sum(d_y * a2)),
        "b3": float(np.sum(d_y)),
    }
    return float(np.sum(residual**2)), grads


def dosage_predict(x, params):
    """The squiggle ŷ = w3·softplus(w1·x + b1) + w4·softplus(w2·x + b2) + b3 (eq. 05.1).

    ``x`` is a dosage or an array of dosages; a float comes back for a number.
    """
    p = _check_params(params)
    xs = as_float_array(x, "x")
    y = _forward(xs, p)[-1]
    return float(y) if np.ndim(x) == 0 else y


def dosage_ssr(params):
    """SSR = Σᵢ (tᵢ − ŷᵢ)² over the three observations (DOSAGE, EFFICACY) (eq. 05.2)."""
    return _ssr_and_gradients(_check_params(params))[0]


def dosage_gradients(params):
    """All seven partial derivatives of SSR, by the chain rule (eqs. 05.3, 05.5 and 05.6).

    With rᵢ = tᵢ − ŷᵢ, zₖ = wₖ·x + bₖ and softplus' = sigmoid σ:
    dSSR/db3 = Σ −2rᵢ;  dSSR/dw3 = Σ −2rᵢ·softplus(z1ᵢ);  dSSR/dw4 = Σ −2rᵢ·softplus(z2ᵢ);
    dSSR/db1 = Σ −2rᵢ·w3·σ(z1ᵢ);  dSSR/dw1 = Σ −2rᵢ·w3·σ(z1ᵢ)·xᵢ  (and w4, z2 for b2, w2).
    Returns a dict keyed w1, b1, w2, b2, w3, w4, b3.
    """
    return _ssr_and_gradients(_check_params(params))[1]


@dataclass(frozen=True)
class DosageStep:
    """One row of the iteration table: the parameters at ``step``, their SSR, the derivatives
    dSSR/dp and the step sizes dSSR/dp × η of the fitted parameters (the ones ``fit`` names)."""

    step: int
    params: dict
    ssr: float
    gradients: dict
    step_sizes: dict


class DosageHistory(list):
    """The list of ``DosageStep`` records of one run, starting point first, with ``status``:
    "converged" (every step size below ``tol``), "max_steps" (still moving), or "diverged"."""

    def __init__(self, records, status, learning_rate, fit, tol):
        super().__init__(records)
        self.status, self.learning_rate, self.fit, self.tol = status, learning_rate, fit, tol

    @property
    def final(self):
        """The parameters at the last recorded iteration."""
        return dict(self[-1].params)

    def table(self, digits=4, max_rows=None):
        """The iteration table as fixed-digit text: step, fitted p, SSR, dSSR/dp, step size η·dSSR/dp."""
        head = ["step", *self.fit, "SSR", *(f"dSSR/d{p}" for p in self.fit),
                *(f"step size {p}" if len(self.fit) > 1 else "step size" for p in self.fit)]
        rows = [[str(r.step)] + [f"{v:.{digits}f}" for v in (
                    *(r.params[p] for p in self.fit), r.ssr,
                    *(r.gradients[p] for p in self.fit), *(r.step_sizes[p] for p in self.fit))]
                for r in self]
        if max_rows is not None and len(rows) > max_rows:
            rows = rows[: max_rows - 1] + [["…"] * len(head)] + rows[-1:]
        widths = [max(len(row[i]) for row in [head] + rows) for i in range(len(head))]
        return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in [head] + rows)


def _check_positive(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def fit_dosage(params, learning_rate=0.1, fit=("b3",), tol=0.001, max_steps=1000):
    """Gradient descent p ← p − η·dSSR/dp on the parameters named in ``fit`` (eq. 05.4).

    Starts from ``params`` (not modified) and records one ``DosageStep`` per iteration, the
    start first.  Stops when every step size |η·dSSR/dp| is below ``tol`` ("converged"),
    after ``max_steps`` updates ("max_steps"), or when SSR exceeds 1e8, a parameter exceeds
    1e6 or anything becomes non-finite ("diverged", without numpy warnings).
    Returns a ``DosageHistory`` (a list of the records, with ``.status``).
    """
    current = _check_params(params)
    learning_rate = _check_positive(learning_rate, "learning_rate")
    tol = _check_positive(tol, "tol")
    if isinstance(max_steps, (bool, np.bool_)) or not isinstance(max_steps, numbers.Integral):
        raise TypeError(f"max_steps must be an int, got {type(max_steps).__name__}")
    if max_steps < 0:
        raise ValueError(f"max_steps must be 0 or more, got {max_steps}")
    if isinstance(fit, str) or not all(isinstance(p, str) for p in fit):
        raise TypeError(f"fit must be a tuple of parameter names such as ('b3',), got {fit!r}")
    fit = tuple(fit)
    unknown = [p for p in fit if p not in DOSAGE_PARAM_NAMES]
    if unknown or not fit or len(set(fit)) != len(fit):
        raise ValueError(f"fit must name distinct parameters among {', '.join(DOSAGE_PARAM_NAMES)}, got {fit!r}")

    records, status = [], "max_steps"
    with np.errstate(all="ignore"):  # divergence is detected below and reported as a status
        for step in range(max_steps + 1):
            ssr, grads = _ssr_and_gradients(current)
            sizes = {p: grads[p] * learning_rate for p in fit}
            records.append(DosageStep(step, dict(current), ssr, grads, sizes))
            if not (ssr <= DIVERGED_SSR and all(abs(v) <= DIVERGED_PARAM for v in current.values())
                    and all(math.isfinite(s) for s in sizes.values())):
                status = "diverged"
                break
            if all(abs(s) < tol for s in sizes.values()):
                status = "converged"
                break
            if step < max_steps:
                current = {p: v - sizes.get(p, 0.0) for p, v in current.items()}
    return DosageHistory(records, status, learning_rate, fit, tol)


# ---- plots of the dosage example ---------------------------------------------------------

_XS = np.linspace(0.0, 1.0, 201)


def plot_squiggle(ax, params, xs=_XS, **style):
    """Draw the squiggle ŷ(x) (eq. 05.1) for ``params`` on ``ax``; return the line."""
    style = {"color": COLORS["curve"], "lw": 2, **style}
    (line,) = ax.plot(xs, dosage_predict(xs, params), **style)
    return line


class SquigglePlot:
    """The three observations, the squiggle ŷ(x) and the residuals tᵢ − ŷᵢ as vertical segments.

    ``update(params)`` moves the squiggle and the residual segments (for sliders) and returns
    the predictions ŷᵢ at the three dosages.  Drawn values are clipped to ``ylim`` so a wild
    parameter never produces a plot full of inf.
    """

    def __init__(self, ax, params, ylim=(-0.5, 1.5), label="squiggle ŷ(x)", residuals=True):
        self.ax, self.ylim = ax, ylim
        margin = 10 * (ylim[1] - ylim[0])
        self._clip = (ylim[0] - margin, ylim[1] + margin)
        self.residuals = []
        if residuals:
            for i, (x, t) in enumerate(zip(DOSAGE, EFFICACY)):
                (seg,) = ax.plot([x, x], [t, t], color=COLORS["residual"], lw=2.5,
                                 label="residual t − ŷ" if i == 0 else None, zorder=2)
                self.residuals.append(seg)
        (self.line,) = ax.plot(_XS, np.zeros_like(_XS), color=COLORS["curve"], lw=2, label=label)
        ax.plot(DOSAGE, EFFICACY, "o", color=COLORS["data"], ms=7, label="observed t", zorder=3)
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(*ylim)
        ax.set_xlabel("dosage x")
        ax.set_ylabel("efficacy")
        self.update(params)

    def update(self, params):
        """Redraw the squiggle and the residuals for ``params``; return ŷ at the observations."""
        with np.errstate(all="ignore"):
            self.line.set_ydata(np.clip(np.nan_to_num(dosage_predict(_XS, params)), *self._clip))
            predicted = dosage_predict(DOSAGE, params)
        for seg, x, t, y in zip(self.residuals, DOSAGE, EFFICACY, predicted):
            seg.set_data([x, x], [t, float(np.clip(np.nan_to_num(y), *self._clip))])
        return predicted


def plot_ssr_vs_b3(ax, params, b3_values=np.linspace(-1.0, 5.0, 121), b3=None):
    """SSR as a function of b3 (the other six parameters fixed) with the tangent at ``b3``.

    Returns a ``TangentPlot``: ``.move_to(b3)`` moves the point and the tangent of slope
    dSSR/db3 (eq. 05.3).  ``b3`` defaults to ``params["b3"]``.
    """
    b3 = params["b3"] if b3 is None else b3
    plot = TangentPlot(
        ax,
        lambda b: dosage_ssr({**params, "b3": b}),
        lambda b: dosage_gradients({**params, "b3": b})["b3"],
        b3_values, b3, half_width=0.8, label="SSR(b3)",
    )
    ax.set_xlabel("b3")
    ax.set_ylabel("SSR")
    return plot


# ---- exercises: the check_* functions ----------------------------------------------------

_AT_B3_1 = {**DOSAGE_PARAMS, "b3": 1.0}


def _residual_sum(params):
    """Σ (tᵢ − ŷᵢ): dSSR/db3 = −2 × this (eq. 05.3)."""
    return -dosage_gradients(params)["b3"] / 2


def check_dssr_db3_at_1(answer):
    """Exercise 1: dSSR/db3 at b3 = 1 (the other six parameters as in DOSAGE_PARAMS)."""
    expected = dosage_gradients(_AT_B3_1)["b3"]
    total = _residual_sum(_AT_B3_1)
    return check_number(answer, expected, mistakes=[
        (total, "that is Σ(tᵢ − ŷᵢ). The outer derivative of the square brings a factor −2: "
                "d/dŷ (t − ŷ)² = −2(t − ŷ)."),
        (-total, "close: the factor is −2, not −1. d/dŷ (t − ŷ)² = 2(t − ŷ)·(−1)."),
        (-expected, "the sign is flipped. The residual is t − ŷ, and dŷ/db3 = +1, "
                    "so each term is −2(tᵢ − ŷᵢ); here the predictions are below the data."),
    ], hint="add up −2(tᵢ − ŷᵢ) over the three dosages, with ŷᵢ computed at b3 = 1.")


def check_b3_after_one_step(answer):
    """Exercise 2: b3 after one gradient-descent step from b3 = 1 with learning rate 0.1."""
    slope = dosage_gradients(_AT_B3_1)["b3"]
    step = 0.1 * slope
    return check_number(answer, 1.0 - step, mistakes=[
        (1.0 + step, "you moved uphill: the update subtracts the step size, b3_new = b3 − η·dSSR/db3."),
        (1.0 - slope, "the step size is the derivative times the learning rate η = 0.1."),
        (step, "that is the step size η·dSSR/db3; the new b3 is the old b3 minus it."),
        (-step, "you have −(step size); add the old b3 = 1: b3_new = b3 − η·dSSR/db3."),
    ], hint="step size = η·dSSR/db3 with η = 0.1; then b3_new = b3 − step size.")


def check_dssr_dw3(answer):
    """Exercise 3: dSSR/dw3 at the notebook's parameters (b3 = 0)."""
    grads = dosage_gradients(DOSAGE_PARAMS)
    expected = grads["w3"]
    return check_number(answer, expected, mistakes=[
        (grads["b3"], "that is dSSR/db3. For w3 the chain has one more factor: dŷ/dw3 = softplus(w1·x + b1), "
                      "so multiply each −2(tᵢ − ŷᵢ) by the first hidden unit's output at xᵢ."),
        (-expected, "the sign is flipped: each term is −2(tᵢ − ŷᵢ)·softplus(w1·xᵢ + b1)."),
        (expected / 2, "close: the factor from the square is −2, and you have −1."),
        (expected / -2, "you left out the −2 from d/dŷ (t − ŷ)²."),
        (grads["b3"] * DOSAGE_PARAMS["w3"], "dŷ/dw3 is the hidden unit's output softplus(w1·x + b1), not w3."),
    ], hint="Σ −2(tᵢ − ŷᵢ)·softplus(w1·xᵢ + b1), with ŷᵢ at b3 = 0.")


# ---- demos -------------------------------------------------------------------------------

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
