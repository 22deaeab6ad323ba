"""Notebook 05 · Fitting a bias with softplus and the sum of squared residuals: the companion module.

The dosage example (after Josh Starmer's StatQuest videos on backpropagation): three observations,
dosage x = 0, 0.5, 1 with efficacy t = 0, 1, 0, and a network with two softplus units (eq. 05.1)

    ŷ = w3·f(w1·x + b1) + w4·f(w2·x + b2) + b3,   f = softplus,

scored by the sum of squared residuals SSR = Σᵢ (tᵢ − ŷᵢ)² (eq. 05.2).  In the notebook's order:
the data, the network and every partial derivative of SSR by the chain rule (eqs. 05.3, 05.5,
05.6); the plots of the squiggle and of SSR(b3); the b3 demo; gradient descent on some of the
parameters through the core's ``descend`` (``fit_dosage``, eq. 05.4, whose run gives the
iteration table) and its demos; then the exercises' checks.
"""

import numbers
from collections.abc import Mapping

import numpy as np
from matplotlib.patches import Circle

from ..activations import RAW
from ..calculus import numerical_derivative, numerical_gradient
from ..descent import descend, describe_run
from ..feedback import check_function, check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import COLORS, new_figure
from ..validation import as_float_array, real
from ..widgets import Demo, int_slider, log_slider, slider

__all__ = [
    "DOSAGE",
    "EFFICACY",
    "DOSAGE_PARAMS",
    "DOSAGE_PARAM_NAMES",
    "dosage_predict",
    "dosage_ssr",
    "dosage_gradients",
    "dosage_hessian",
    "SquigglePlot",
    "plot_squiggle",
    "draw_dosage_network",
    "plot_squiggle_parts",
    "plot_ssr_vs_b3",
    "dosage_b3_demo",
    "B3_CURVATURE",
    "DosageFit",
    "fit_dosage",
    "b3_run",
    "describe_b3_run",
    "dosage_learning_rate_demo",
    "dosage_start_guess",
    "full_fit_run",
    "dosage_full_fit_demo",
    "check_dssr_db3",
    "check_dssr_dw3_dw4",
    "check_dssr_all",
    "check_dssr_db3_at_1",
    "check_b3_after_one_step",
    "check_dssr_dw3",
]


# ---- the dosage example ------------------------------------------------------------------

DOSAGE = np.array([0.0, 0.5, 1.0])    # x: low, medium, high dosage
EFFICACY = np.array([0.0, 1.0, 0.0])  # t: only the medium dosage works
DOSAGE_PARAM_NAMES = ("w1", "b1", "w2", "b2", "w3", "w4", "b3")
DOSAGE_PARAMS = {"w1": 3.34, "b1": -1.43, "w2": -3.53, "b2": 0.57, "w3": -1.22, "w4": -2.30, "b3": 0.0}

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
    return {p: real(params[p], f"{name}[{p!r}]") for p in DOSAGE_PARAM_NAMES}


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


def dosage_hessian(params, names=DOSAGE_PARAM_NAMES):
    """The Hessian of SSR in the parameters ``names`` at ``params``: central differences of the chain-rule
    gradient, symmetrised.  Its eigenvalues are the curvatures of notebook 03 (the largest sets the limit
    2/λ_max on η; a negative one means a saddle, not a minimum)."""
    p, names = _check_params(params), tuple(names)
    if not names or any(n not in DOSAGE_PARAM_NAMES for n in names):
        raise ValueError(f"names must be parameters among {', '.join(DOSAGE_PARAM_NAMES)}, got {names!r}")

    def gradient(vector):
        grads = _ssr_and_gradients({**p, **dict(zip(names, vector))})[1]
        return np.array([grads[n] for n in names])

    start = np.array([p[n] for n in names])
    columns = [numerical_gradient(lambda v, i=i: gradient(v)[i], start.copy()) for i in range(len(names))]
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2

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
                                 label="residual t − ŷ" if i == 0 else None, zorder=2, gid=f"residual {i}")
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


def draw_dosage_network(ax, params):
    """The 1→2→1 network of eq. 05.1 with every parameter on its edge or node: x → (w1, b1), (w2, b2) →
    softplus units → (w3, w4) → the sum + b3 = ŷ.  Each parameter's text has the gid of its name."""
    p = _check_params(params)
    nodes = {"x": (0.0, 0.5), "unit 1": (0.5, 0.85), "unit 2": (0.5, 0.15), "ŷ": (1.0, 0.5)}
    for name, (cx, cy) in nodes.items():
        ax.add_patch(Circle((cx, cy), 0.075, facecolor="white", edgecolor=COLORS["curve"], lw=2, zorder=3))
        ax.text(cx, cy, {"unit 1": "f", "unit 2": "f", "ŷ": "Σ"}.get(name, "x"), ha="center", va="center",
                fontsize=12, zorder=4)
    for (start, end, weight, side) in [("x", "unit 1", "w1", 1), ("x", "unit 2", "w2", -1),
                                       ("unit 1", "ŷ", "w3", 1), ("unit 2", "ŷ", "w4", -1)]:
        (x0, y0), (x1, y1) = nodes[start], nodes[end]
        ax.annotate("", xy=(x1 - 0.08 * (x1 - x0) / 0.5, y1 - 0.08 * (y1 - y0) / 0.5), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "color": COLORS["muted"], "lw": 1.5,
                                "shrinkA": 9, "shrinkB": 0}, zorder=2)
        outward = -0.09 if start == "x" else 0.09  # beside the arrow, away from the middle of the drawing
        ax.text((x0 + x1) / 2 + outward, (y0 + y1) / 2 + 0.08 * side, f"{weight} = {p[weight]:.2f}", ha="center",
                va="center", fontsize=9, color=COLORS["tangent"], gid=weight)
    for unit, bias, dy in [("unit 1", "b1", 0.13), ("unit 2", "b2", -0.13)]:
        cx, cy = nodes[unit]
        ax.text(cx, cy + dy, f"+ {bias} = {p[bias]:.2f}", ha="center", va="center", fontsize=9,
                color=COLORS["tangent"], gid=bias)
    ax.text(1.0, 0.36, f"+ b3 = {p['b3']:.2f}", ha="center", va="center", fontsize=9, color=COLORS["tangent"],
            gid="b3")
    ax.text(0.5, 0.5, "f = softplus", ha="center", va="center", fontsize=8, color=COLORS["muted"])
    ax.set(xlim=(-0.15, 1.15), ylim=(-0.05, 1.05), aspect="equal", title="ŷ = w3·f(w1·x + b1) + w4·f(w2·x + b2) + b3")
    ax.axis("off")


def plot_squiggle_parts(ax, params, b3_shown=None):
    """The squiggle built from its parts: w3·f(z1) and w4·f(z2) (f = softplus), their sum, and the sum + b3
    (for ``b3_shown`` if given), with the data.  Lines are labelled, and have gids "unit 1", "unit 2",
    "sum" and "squiggle"."""
    p = _check_params(params)
    b3 = p["b3"] if b3_shown is None else real(b3_shown, "b3_shown")
    z1, z2, a1, a2, _ = _forward(_XS, p)
    parts = [(p["w3"] * a1, "w3·f(z1)", COLORS["cycle"][2], "unit 1", "--"),
             (p["w4"] * a2, "w4·f(z2)", COLORS["cycle"][3], "unit 2", "--"),
             (p["w3"] * a1 + p["w4"] * a2, "their sum", COLORS["muted"], "sum", "-"),
             (p["w3"] * a1 + p["w4"] * a2 + b3, f"sum + b3 (b3 = {b3:.2f})", COLORS["curve"], "squiggle", "-")]
    for ys, label, color, gid, style in parts:
        ax.plot(_XS, ys, style, color=color, lw=2, label=label, gid=gid)
    ax.plot(DOSAGE, EFFICACY, "o", color=COLORS["data"], ms=7, label="observed t", zorder=3)
    ax.set(xlabel="dosage x", ylabel="efficacy", title="the squiggle, part by part")


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


# ---- section 3: drag b3 ------------------------------------------------------------------------

# d²SSR/db3² = 2 × (number of observations) = 6: SSR(b3) is a parabola of curvature λ = 6,
# so a step of learning rate η multiplies the distance to the minimum by (1 − 6η).
B3_CURVATURE = 6.0


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


# ---- sections 4 and 6: gradient descent on the parameters, and its demos ----------------------

class DosageFit:
    """A gradient-descent run on some of the dosage parameters (eq. 05.4): the core's ``Run`` over the
    vector of the parameters named in ``fit`` (in that order), plus the fixed ones from ``start``.

    ``run.path[k]``, ``run.losses[k]`` (SSR) and ``run.gradients[k]`` (dSSR/dp of the fitted p) are
    row k of the iteration table; ``status`` and ``steps`` are the run's.
    """

    def __init__(self, run, fit, start):
        self.run, self.fit, self.start = run, tuple(fit), dict(start)

    status = property(lambda self: self.run.status)
    steps = property(lambda self: self.run.steps)
    learning_rate = property(lambda self: self.run.learning_rate)

    def params(self, k):
        """All seven parameters at iteration ``k`` (negative k counts from the end)."""
        return {**self.start, **{p: float(v) for p, v in zip(self.fit, np.atleast_1d(self.run.path[k]))}}

    @property
    def final(self):
        """The parameters at the last iterate."""
        return self.params(-1)

    def table(self, digits=4, max_rows=None):
        """The iteration table as fixed-digit text: step, fitted p, SSR, dSSR/dp, step size η·dSSR/dp
        (row k's step leads to row k + 1; the last row has none, shown as —)."""
        path = self.run.path.reshape(len(self.run.path), -1)
        grads = self.run.gradients.reshape(len(self.run.gradients), -1)
        head = ["step", *self.fit, "SSR", *(f"dSSR/d{p}" for p in self.fit),
                *(f"step size {p}" if len(self.fit) > 1 else "step size" for p in self.fit)]
        rows = [[str(k)] + [f"{v:.{digits}f}" for v in (*path[k], self.run.losses[k], *grads[k],
                                                          *(self.learning_rate * grads[k]))]
                for k in range(len(path))]
        for k in range(len(grads), len(path)):  # a diverged run has no gradient at its last iterate
            rows[k][1 + 2 * len(self.fit) + 1:] = ["—"] * (2 * len(self.fit))
        rows[-1][-len(self.fit):] = ["—"] * len(self.fit)  # the run stopped: no step is taken from the last row
        if max_rows is not None and len(rows) > max_rows:
            rows = rows[: max_rows - 1] + [["…"] * len(head)] + rows[-1:]
        widths = [max(len(row[i]) for row in [head] + rows) for i in range(len(head))]
        return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in [head] + rows)

    def __repr__(self):
        return f"DosageFit(fit={self.fit}, status={self.status!r}, steps={self.steps})"


def fit_dosage(params, learning_rate=0.1, fit=("b3",), tol=0.001, steps=1000):
    """Gradient descent p ← p − η·dSSR/dp on the parameters named in ``fit`` (eq. 05.4), from ``params``
    (not modified), through the core's ``descend``: it stops when the step (its Euclidean length over
    the fitted parameters) is below ``tol`` ("converged"), after ``steps`` updates ("step limit"), or
    when a parameter passes 1e6 or SSR stops being finite ("diverged").  Returns a ``DosageFit``.
    """
    start = _check_params(params)
    if isinstance(fit, str) or not all(isinstance(p, str) for p in fit):
        raise TypeError(f"fit must be a tuple of parameter names such as ('b3',), got {fit!r}")
    fit = tuple(fit)
    if not fit or len(set(fit)) != len(fit) or any(p not in DOSAGE_PARAM_NAMES for p in fit):
        raise ValueError(f"fit must name distinct parameters among {', '.join(DOSAGE_PARAM_NAMES)}, got {fit!r}")

    def at(vector):
        return {**start, **dict(zip(fit, np.atleast_1d(vector)))}

    def grad(vector):
        grads = _ssr_and_gradients(at(vector))[1]
        return np.array([grads[p] for p in fit])

    w0 = start[fit[0]] if len(fit) == 1 else np.array([start[p] for p in fit])  # one parameter: a scalar run
    run = descend(grad, w0, learning_rate,
                  loss=lambda vector: _ssr_and_gradients(at(vector))[0], tol=tol, steps=steps)
    return DosageFit(run, fit, start)


def b3_run(eta, steps=30):
    """What the learning-rate demo computes: b3 alone, from b3 = 0, with learning rate η (tol 0.001)."""
    return fit_dosage(DOSAGE_PARAMS, learning_rate=eta, steps=steps)


def describe_b3_run(fit):
    """The core's ``describe_run`` for a b3-only fit (SSR(b3) is a parabola of curvature λ = 6), and where
    b3 ended."""
    where = f"; b3 = {fit.final['b3']:.2f}" if fit.status != "diverged" else ""
    return describe_run(fit.run, B3_CURVATURE) + where


def dosage_learning_rate_demo(eta=0.1, steps=30):
    """Gradient descent on b3 from b3 = 0 with learning rate η: the path on the SSR(b3)
    curve and b3 per iteration.  η < 1/6 converges from one side, 1/6 < η < 1/3 oscillates
    while converging, η > 1/3 diverges (the curvature of SSR(b3) is λ = 6)."""
    fig, (left, right) = new_figure("wide", ncols=2)
    lo, hi = -4.0, 9.0  # wide enough to show the first swings of a diverging run before it leaves the axes
    curve = plot_ssr_vs_b3(left, {**DOSAGE_PARAMS, "b3": 0.0}, b3_values=np.linspace(lo, hi, 141))
    for artist in (curve.tangent, curve.point):
        artist.set_visible(False)
        artist.set_label("_hidden")
    left.set_xlim(lo, hi)
    left.set_ylim(-5, 1.05 * left.get_ylim()[1])
    (path,) = left.plot([], [], "-o", color=COLORS["point"], ms=4, lw=1, label="descent path", gid="path")
    left.legend(loc="upper center", fontsize=8)
    (b3_line,) = right.plot([], [], "-o", color=COLORS["point"], ms=3, gid="b3")
    best = fit_dosage(DOSAGE_PARAMS, 0.1, tol=1e-9).final["b3"]
    right.axhline(best, color=COLORS["muted"], ls="--", label=f"minimum b3 = {best:.2f}")
    right.set_ylim(lo, hi)
    right.set_xlim(-0.5, 100.5)  # the steps slider's maximum, fixed: an update only moves the lines
    right.set_xlabel("iteration")
    right.set_ylabel("b3")
    right.legend(loc="lower right", fontsize=8)
    for ax in (left, right):
        ax.title.set_zorder(1.9)  # clear of the moving lines: stays in a live frame's cached background

    def update(eta=eta, steps=steps):
        fit = b3_run(float(eta), int(steps))
        # the run's path is finite (descend stops a diverging run at |b3| > 1e6); lines leave the axes as they go
        path.set_data(fit.run.path, fit.run.losses)
        b3_line.set_data(np.arange(fit.steps + 1), fit.run.path)
        return describe_b3_run(fit)

    return Demo(fig, update, {"eta": log_slider("η", 1e-3, 10.0, eta),
                              "steps": int_slider("steps", 1, 100, steps)}, play="steps")


def dosage_start_guess(seed=3):
    """A starting guess for fitting all seven parameters: weights drawn from a standard normal
    distribution (seeded), biases 0."""
    rng = np.random.default_rng(seed)
    return {p: (float(rng.normal()) if p.startswith("w") else 0.0) for p in DOSAGE_PARAM_NAMES}


def full_fit_run(learning_rate=0.05, seed=3, steps=3000):
    """What the seven-parameter demo computes: all seven fitted from ``dosage_start_guess(seed)``, tol 0.0001."""
    return fit_dosage(dosage_start_guess(seed), learning_rate, fit=DOSAGE_PARAM_NAMES, tol=1e-4, steps=steps)


def _steps(n):
    return f"{n} step" if n == 1 else f"{n} steps"


FULL_FIT_STRIDE = 10  # the seven-parameter demo's steps slider moves 10 steps at a time (Play: 80 frames)


def dosage_full_fit_demo(steps=200, learning_rate=0.05, seed=3, max_steps=3000):
    """All seven parameters fitted by gradient descent from ``dosage_start_guess(seed)``;
    the steps slider moves the squiggle from the starting guess onto the data."""
    fit = full_fit_run(learning_rate, seed, max_steps)
    fig, (left, right) = new_figure("wide", ncols=2)
    plot_squiggle(left, fit.start, color=COLORS["muted"], ls="--", label="starting guess")
    squiggle = SquigglePlot(left, fit.start, ylim=(-0.5, 1.5), label="after the steps")
    left.legend(loc="lower center", fontsize=8)
    right.plot(np.arange(fit.steps + 1), fit.run.losses, color=COLORS["curve"], lw=2, gid="ssr")
    right.set_yscale("log")
    right.set_xlabel("iteration")
    right.set_ylabel("SSR (log scale)")
    (marker,) = right.plot([], [], "o", color=COLORS["point"], ms=8, zorder=3, gid="marker")
    right.set_xlim(right.get_xlim())  # fixed: the marker moves, the axes stay
    for ax in (left, right):
        ax.title.set_zorder(1.9)  # clear of the moving lines: stays in a live frame's cached background
    last = fit.steps
    # the slider (and Play) go in strides of FULL_FIT_STRIDE steps; its end, rounded up, shows the last step
    end = -(-last // FULL_FIT_STRIDE) * FULL_FIT_STRIDE

    def update(steps=steps):
        k = min(int(steps), last)
        squiggle.update(fit.params(k))
        ssr = fit.run.losses[k]
        marker.set_data([k], [ssr])
        done = ""
        if k == last:
            done = {"converged": " (converged: the last step was shorter than 0.0001)",
                    "diverged": " (diverged: the learning rate is too large)"}.get(
                        fit.status, f" (still moving: the step limit of {_steps(last)})")
        return f"after {_steps(k)}: SSR = {ssr:.4f}{done}"

    start = min(round(steps / FULL_FIT_STRIDE) * FULL_FIT_STRIDE, end)
    return Demo(fig, update, {"steps": int_slider("steps", 0, end, start, step=FULL_FIT_STRIDE)}, play="steps")


# ---- your turn: dSSR/db3, then dSSR/dw3 and dSSR/dw4, then all seven partials ---------------------
# The reference is central differences of SSR (notebook 01), independent of the chain rule.

def _by_differences(params, name):
    return numerical_derivative(lambda v: dosage_ssr({**params, name: v}), params[name])


def _random_params(seed):
    rng = np.random.default_rng(seed)
    return dict(zip(DOSAGE_PARAM_NAMES, (round(float(v), 2) for v in rng.normal(0, 1.5, size=7))))


_PARAM_CASES = [
    ("the notebook's values, b3 = 0", (dict(DOSAGE_PARAMS),)),
    ("the notebook's values with b3 = 2.61", ({**DOSAGE_PARAMS, "b3": 2.61},)),
    ("random values 1", (_random_params(11),)),
    ("random values 2", (_random_params(12),)),
]


def _parts(p):
    """z1, z2, softplus(z1), softplus(z2) and the terms −2(tᵢ − ŷᵢ) at parameters ``p``."""
    z1, z2, a1, a2, y = _forward(DOSAGE, p)
    return z1, z2, a1, a2, -2 * (EFFICACY - y)


def _compare_named(names):
    """A compare for check_function: the learner's number, pair or dict against the differences, named."""
    def compare(got, expected):
        if got is None:
            return "it returned None: the body is still missing, or a return statement is"
        if isinstance(expected, dict):
            if not isinstance(got, dict) or set(got) != set(expected):
                return f"expected a dict with the keys {', '.join(DOSAGE_PARAM_NAMES)}, got {got!r:.60}"
            got, expected = [got[p] for p in DOSAGE_PARAM_NAMES], [expected[p] for p in DOSAGE_PARAM_NAMES]
        elif isinstance(expected, tuple):
            if not isinstance(got, (tuple, list)) or len(got) != len(expected):
                return f"expected the pair ({', '.join(names)}), got {got!r:.60}"
        else:
            got, expected = [got], [expected]
        for name, value, wanted in zip(names, got, expected):
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.ndarray)):
                return f"{name} must be a number, got {type(value).__name__} {value!r:.40}"
            if np.ndim(value) != 0:
                return f"{name} must be one number (add up the three terms), got shape {np.shape(value)}"
            if not np.isfinite(value):
                return f"{name} is {float(value)}, expected a finite number"
            if abs(float(value) - wanted) > 1e-6 + 1e-6 * abs(wanted):
                return f"{name} should be {wanted:.6g}, got {float(value):.6g}"
        return None
    return compare


def check_dssr_db3(dssr_db3):
    """Your turn, part 1: ``dssr_db3(params)`` returns dSSR/db3 (eq. 05.3), checked against central differences
    at the notebook's values (−15.66 at b3 = 0) and at three more hidden points."""
    return check_function(
        dssr_db3, _PARAM_CASES, lambda p: _by_differences(p, "b3"), compare=_compare_named(["dSSR/db3"]),
        name="dssr_db3",
        mistakes=[
            (lambda p: float(np.sum(_parts(p)[4])) / 2, "the factor 2: d/dŷ (t − ŷ)² = −2(t − ŷ); SSR has no ½."),
            (lambda p: -float(np.sum(_parts(p)[4])), "the sign: the inner derivative d(t − ŷ)/dŷ = −1 makes each "
                                                    "term −2(tᵢ − ŷᵢ)."),
        ],
        success="dssr_db3 agrees with finite differences at all 4 hidden points: Σ −2(tᵢ − ŷᵢ).",
    )


def check_dssr_dw3_dw4(dssr_dw3_dw4):
    """Your turn, part 2: ``dssr_dw3_dw4(params)`` returns (dSSR/dw3, dSSR/dw4) (eq. 05.5), checked against
    central differences at four hidden points."""
    def pair(p, first, second):
        parts = _parts(p)
        return float(np.sum(parts[4] * first(parts, p))), float(np.sum(parts[4] * second(parts, p)))
    return check_function(
        dssr_dw3_dw4, _PARAM_CASES, lambda p: (_by_differences(p, "w3"), _by_differences(p, "w4")),
        compare=_compare_named(["dSSR/dw3", "dSSR/dw4"]), name="dssr_dw3_dw4",
        mistakes=[
            (lambda p: tuple(v / 2 for v in pair(p, lambda q, _: q[2], lambda q, _: q[3])),
             "the factor 2: each term is −2(tᵢ − ŷᵢ) times the hidden unit's output."),
            (lambda p: pair(p, lambda q, _: _sigmoid(q[0]), lambda q, _: _sigmoid(q[1])),
             "a wrong chain: dŷ/dw3 is the unit's output softplus(z1) itself, not its slope softplus′(z1)."),
            (lambda p: pair(p, lambda q, r: r["w3"], lambda q, r: r["w4"]),
             "a wrong chain: dŷ/dw3 is what w3 multiplies, softplus(w1·x + b1), not w3."),
            (lambda p: pair(p, lambda q, _: q[3], lambda q, _: q[2]),
             "the units are swapped: w3 multiplies the first unit, softplus(w1·x + b1); w4 the second."),
        ],
        success="dssr_dw3_dw4 agrees with finite differences at all 4 hidden points: Σ −2(tᵢ − ŷᵢ)·f(z1ᵢ) "
                "and Σ −2(tᵢ − ŷᵢ)·f(z2ᵢ).",
    )


def _all_partials(p, hidden_slope=None, factor=1.0, with_x=True, with_weight=True):
    """The seven partials by the chain rule, with knobs that make the typical mistakes."""
    z1, z2, a1, a2, d_y = _parts(p)
    d_y = d_y * factor
    slope = hidden_slope or _sigmoid
    d_z1 = d_y * (p["w3"] if with_weight else 1.0) * slope(z1)
    d_z2 = d_y * (p["w4"] if with_weight else 1.0) * slope(z2)
    x = DOSAGE if with_x else 1.0
    return {"w1": float(np.sum(d_z1 * x)), "b1": float(np.sum(d_z1)), "w2": float(np.sum(d_z2 * x)),
            "b2": float(np.sum(d_z2)), "w3": float(np.sum(d_y * a1)), "w4": float(np.sum(d_y * a2)),
            "b3": float(np.sum(d_y))}


def check_dssr_all(dssr_all):
    """Your turn, part 3: ``dssr_all(params)`` returns the dict of all seven partials (eqs. 05.3, 05.5, 05.6),
    checked against central differences at four hidden points."""
    return check_function(
        dssr_all, _PARAM_CASES, lambda p: {name: _by_differences(p, name) for name in DOSAGE_PARAM_NAMES},
        compare=_compare_named([f"dSSR/d{name}" for name in DOSAGE_PARAM_NAMES]), name="dssr_all",
        mistakes=[
            (lambda p: _all_partials(p, factor=0.5), "the factor 2: every partial starts with −2(tᵢ − ŷᵢ)."),
            (lambda p: _all_partials(p, hidden_slope=lambda z: 1.0),
             "the softplus′ link is missing: going back through a hidden unit multiplies by f′(z) = σ(z)."),
            (lambda p: _all_partials(p, hidden_slope=_softplus),
             "a wrong chain: through a hidden unit the factor is its slope f′(z) = σ(z), not its output f(z)."),
            (lambda p: _all_partials(p, with_weight=False),
             "a wrong chain: on the way back to a hidden unit, pass through the output weight (w3 or w4) first."),
            (lambda p: _all_partials(p, with_x=False),
             "∂z1/∂w1 = x: the weights w1 and w2 get one more factor, the dosage xᵢ (the biases do not)."),
        ],
        success="dssr_all agrees with finite differences in all seven partials at 4 hidden points: "
                "the same −2(tᵢ − ŷᵢ), then one more link of the chain per layer.",
    )


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
