"""Notebook 08 · Better steps: momentum, adaptive learning rates and regularization: the companion module.

In the notebook's order:

- sections 1–4, optimizers on two surfaces (``SURFACES_NB08``: the long narrow valley
  E = ½(w₁² + 25·w₂²) and a surface with two minima): ``run_optimizer`` runs plain gradient
  descent, momentum, RMSprop or Adam (the classes of ``backprop_helpers.optimizers``) through
  the core ``descend`` and returns its ``Run``; ``describe_optimizer_runs`` writes the status
  line from two runs; ``optimizer_demo`` draws the paths and the loss per step.
- section 5, noisy gradients: ``moons_network_run`` trains notebook 06's network on mini-batches
  with any optimizer (``NOISY_RUNS``: SGD, momentum, Adam) through ``descend``; ``Decaying``
  wraps an optimizer in the schedule η_k = η₀/(1 + k/τ); ``gradient_scales`` measures how
  different the weights' gradients are.
- section 6, regularization: ``fit_penalized_polynomial`` fits a degree-9 polynomial to 12
  noisy points (``overfitting_data``) with an L1 or L2 penalty of strength λ (exactly: a linear
  solve for L2, coordinate descent for L1, neither of them gradient descent);
  ``penalized_fit`` records one fit and its errors, ``describe_penalized_fit`` says it, and
  ``regularization_demo`` shows the curve, the weights and the train/validation error.
- section 7, your turn: ``check_momentum_step`` and ``check_adam_step`` run the learner's update
  rules on hidden cases and name the typical mistakes (a sign, the order of the updates, a
  missing bias correction, β₁ and β₂ swapped, ε inside the root).
- the exercises' checks: two momentum steps, Adam's first step, the L2-penalised gradient,
  clipping by the global norm.

Convention (as in ``optimizers``): the L2 penalty is ½λΣw², so its gradient is λw.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np
import sympy

from ..datasets import make_moons
from ..descent import descend
from ..feedback import Feedback, check_array, check_expression, check_function, check_number
from ..losses import mse
from ..mlp import LOGISTIC, MLP, mlp_objective
from ..optimizers import SGD, Adam, Momentum, RMSProp
from ..plotting.style import COLORS, new_figure
from ..validation import choice as _choice_of
from ..validation import positive
from ..widgets import Demo, choice, int_slider, log_slider, slider

__all__ = [
    "SURFACES_NB08",
    "run_optimizer",
    "describe_optimizer_runs",
    "optimizer_demo",
    "Decaying",
    "NOISY_RUNS",
    "moons_network_run",
    "gradient_scales",
    "overfitting_data",
    "polynomial_features",
    "fit_penalized_polynomial",
    "penalty_path",
    "predict_polynomial",
    "PenalizedFit",
    "penalized_fit",
    "describe_penalized_fit",
    "regularization_demo",
    "check_momentum_step",
    "check_adam_step",
    "check_momentum_steps",
    "check_adam_first_step",
    "check_l2_gradient",
    "check_clipped_gradient",
]


_LIMIT = 1e6  # |w| beyond this counts as diverged; iteration stops before anything overflows


# ---- sections 1–4 · optimizers on two surfaces ------------------------------------------
def _valley(w1, w2):
    return 0.5 * (w1**2 + 25.0 * w2**2)


def _valley_grad(w):
    return np.array([w[0], 25.0 * w[1]])


def _two_minima(w1, w2):
    return (w1**2 - 1.0) ** 2 + 0.3 * w1 + w2**2


def _two_minima_grad(w):
    return np.array([4.0 * w[0] * (w[0] ** 2 - 1.0) + 0.3, 2.0 * w[1]])


def _two_minima_global():
    # Global minimum on the left: 4w(w² − 1) + 0.3 = 0, the root below −1 (w₂ = 0).
    roots = np.roots([4.0, 0.0, -4.0, 0.3])
    w1 = float(min(r.real for r in roots if abs(r.imag) < 1e-12))
    return w1, float(_two_minima(w1, 0.0))


SURFACES_NB08 = {
    "valley": {
        "E": _valley, "grad": _valley_grad, "start": (-4.5, 1.0), "E_min": 0.0,
        "xlim": (-5.0, 5.0), "ylim": (-1.6, 1.6), "title": "E = ½(w₁² + 25·w₂²)",
        "levels": [0.05, 0.2, 0.5, 1, 2, 4, 7, 11, 16, 22, 30],
    },
    "two minima": {
        "E": _two_minima, "grad": _two_minima_grad, "start": (1.9, 1.4), "E_min": _two_minima_global()[1],
        "xlim": (-2.0, 2.0), "ylim": (-1.6, 1.6), "title": "E = (w₁² − 1)² + 0.3·w₁ + w₂²",
        "levels": [-0.3, -0.15, 0.0, 0.2, 0.35, 0.6, 1.0, 1.5, 2.5, 4, 6, 9],
    },
}

_OPTIMIZERS = ("gradient descent", "momentum", "RMSprop", "Adam")


def _make_optimizer(name, eta, mu):
    if name == "gradient descent":
        return SGD(eta)
    if name == "momentum":
        return Momentum(eta, momentum=mu)
    if name == "RMSprop":
        return RMSProp(eta, rho=0.9)
    if name == "Adam":
        return Adam(eta, beta1=mu)
    raise ValueError(f"optimizer must be one of {list(_OPTIMIZERS)}, got {name!r}")


def run_optimizer(surface, optimizer, eta, mu=0.9, steps=100):
    """Run ``optimizer`` ("gradient descent", "momentum", "RMSprop" or "Adam") on a surface of
    ``SURFACES_NB08`` from its start point, through the series' one loop ``descend``.  ``mu`` is
    momentum's μ (Adam's β₁; RMSprop ignores it, its ρ is fixed at 0.9).

    Returns descend's ``Run``: ``path`` (the points w₀ … w_k, shape (k+1, 2)), ``losses`` (E at
    each), ``status`` ("step limit" after ``steps`` steps, or "diverged" when |w| passed 1e6;
    the tolerance is tiny, so a run only "converges" when it has stopped moving).
    """
    if surface not in SURFACES_NB08:
        raise ValueError(f"surface must be one of {sorted(SURFACES_NB08)}, got {surface!r}")
    spec = SURFACES_NB08[surface]
    return descend(spec["grad"], np.array(spec["start"], dtype=float), eta,
                   loss=lambda w: spec["E"](w[0], w[1]), tol=1e-12, steps=steps, limit=_LIMIT,
                   optimizer=_make_optimizer(optimizer, eta, mu))


def describe_optimizer_runs(optimizer, run, baseline, mu):
    """The optimizer demo's status line, from the two runs (the chosen optimizer's and plain descent's)."""
    eta = run.learning_rate
    setting = f"η = {eta:.3g}" + (f", μ = {mu:.2f}" if optimizer == "momentum" else "")
    setting += f", β₁ = {mu:.2f}" if optimizer == "Adam" else ""
    if run.status == "diverged":
        result = f"{optimizer} ({setting}) diverged after {run.steps} steps"
    else:
        w1, w2 = run.path[-1]
        when = f"converged after {run.steps} steps" if run.status == "converged" else f"after {run.steps} steps"
        result = f"{optimizer} ({setting}): E = {run.losses[-1]:.3g} at w = ({w1:.2f}, {w2:.2f}) {when}"
    if optimizer != "gradient descent":
        result += (f"; gradient descent diverged after {baseline.steps} steps" if baseline.status == "diverged"
                   else f"; gradient descent: E = {baseline.losses[-1]:.3g}")
    return result


STEPS_MAX = 300         # the optimizer demo's steps slider ends here
DEMO_ETA = 10 ** -1.1   # ≈ 0.0794, the η slider's last stop below plain descent's limit 2/25 on the valley


def optimizer_demo(surface="valley", optimizer="momentum", eta=DEMO_ETA, mu=0.5, steps=100):
    """Paths of an optimizer (and of plain gradient descent, grey) on a chosen surface.  The default
    shows plain descent zig-zagging across the valley (each step multiplies w₂ by 1 − 25η ≈ −0.99)
    and momentum with μ = 0.5 damping the zig-zag."""
    surface = _choice_of(surface, "surface", tuple(SURFACES_NB08))
    optimizer = _choice_of(optimizer, "optimizer", _OPTIMIZERS)
    fig, (ax, ax_loss) = new_figure("wide", ncols=2, gridspec_kw={"width_ratios": [1.35, 1]})
    grids = {}
    for name, spec in SURFACES_NB08.items():
        g1, g2 = np.meshgrid(np.linspace(*spec["xlim"], 161), np.linspace(*spec["ylim"], 121))
        grids[name] = (g1, g2, spec["E"](g1, g2))
    contour = [None]
    gd_line, = ax.plot([], [], ".-", color=COLORS["muted"], lw=1, ms=3, label="gradient descent")
    opt_line, = ax.plot([], [], ".-", color=COLORS["tangent"], lw=1.5, ms=4, label="chosen optimizer")
    ax.plot(*SURFACES_NB08[surface]["start"], "o", color=COLORS["data"], ms=5)
    start_marker = ax.lines[-1]
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    opt_line.set_label(optimizer)
    legends = [ax.legend(loc="lower right", fontsize=8)]
    gd_loss, = ax_loss.semilogy([], [], color=COLORS["muted"], label="gradient descent")
    opt_loss, = ax_loss.semilogy([], [], color=COLORS["tangent"], label=optimizer)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("E − E_min (log scale)")
    ax_loss.set_ylim(1e-8, 1e3)
    ax_loss.set_xlim(0, STEPS_MAX)   # the steps slider's maximum, fixed: an update only moves the lines
    legends.append(ax_loss.legend(loc="upper right", fontsize=8))
    shown = {"surface": None}

    def draw_surface(name):
        if shown["surface"] == name:
            return
        spec = SURFACES_NB08[name]
        if contour[0] is not None:
            contour[0].remove()
        g1, g2, e = grids[name]
        contour[0] = ax.contour(g1, g2, e, levels=spec["levels"], colors=COLORS["curve"], linewidths=0.6, alpha=0.6,
                                zorder=1.6)   # below the paths, above the axis (left out of a live frame)
        ax.set_xlim(spec["xlim"])
        ax.set_ylim(spec["ylim"])
        ax.set_aspect("equal")   # a valley 5 times longer than wide must look it
        ax.set_title(spec["title"])
        start_marker.set_data([spec["start"][0]], [spec["start"][1]])
        shown["surface"] = name

    def gap(losses, e_min):
        return np.clip(losses - e_min, 1e-9, 1e4)

    runs = {}  # (surface, optimizer, η, μ) -> the longest run computed: the steps slider (and Play) cut it short

    def run_for(surface, optimizer, eta, mu, steps):
        key = (surface, optimizer, float(eta), float(mu))
        run = runs.get(key)
        if run is None or (run.status == "step limit" and run.steps < steps):
            if len(runs) > 400:
                runs.clear()
            # the first time as far as asked; when asked for more (the steps slider moves up), to its end at once
            runs[key] = run = run_optimizer(surface, optimizer, eta, mu, steps if run is None else STEPS_MAX)
        return run.first(steps)

    def update(surface=surface, optimizer=optimizer, eta=eta, mu=mu, steps=steps):
        draw_surface(surface)
        spec = SURFACES_NB08[surface]
        run = run_for(surface, optimizer, eta, mu, steps)
        baseline = run_for(surface, "gradient descent", eta, mu, steps)
        for line, loss_line, r in ((opt_line, opt_loss, run), (gd_line, gd_loss, baseline)):
            clipped = np.clip(r.path, -1e3, 1e3)
            line.set_data(clipped[:, 0], clipped[:, 1])
            loss_line.set_data(np.arange(len(r.losses)), gap(r.losses, spec["E_min"]))
        for legend, line in zip(legends, (opt_line, opt_loss)):   # rename the entry in place (no new legend)
            line.set_label(optimizer)
            text = legend.get_texts()[1]
            if text.get_text() != optimizer:
                text.set_text(optimizer)
                legend.stale = True
        result = describe_optimizer_runs(optimizer, run, baseline, mu)
        if surface == "valley" and optimizer == "gradient descent" and eta >= 2 / 25:
            result += " (plain descent needs η < 2/25 = 0.08 here)"
        return result

    controls = {
        "surface": choice("surface", list(SURFACES_NB08), surface),
        "optimizer": choice("optimizer", _OPTIMIZERS, optimizer),
        "eta": log_slider("η", 1e-3, 1.0, eta),
        "mu": slider("μ (β₁ for Adam; unused by RMSprop)", 0.0, 0.99, mu, step=0.01),
        "steps": int_slider("steps", 5, STEPS_MAX, steps, step=5),
    }
    return Demo(fig, update, controls, play="steps")


# ---- section 5 · noisy gradients: the notebook-06 network, three optimizers and a schedule ---

class Decaying:
    """A learning-rate schedule around an optimizer: step k (from 0) uses η_k = η₀ / (1 + k/τ).
    It has the optimizer's ``learning_rate`` (η₀) and ``step``, so ``descend(optimizer=...)`` runs it."""

    def __init__(self, optimizer, tau):
        self.optimizer, self.tau = optimizer, positive(tau, "tau")
        self.learning_rate, self.k = optimizer.learning_rate, 0

    def step(self, params, grads):
        self.optimizer.learning_rate = self.learning_rate / (1 + self.k / self.tau)
        self.k += 1
        self.optimizer.step(params, grads)


# each optimizer at the best η of a small grid for this task (SGD 0.3–10, momentum 0.03–1, Adam 0.003–0.3)
NOISY_RUNS = {"SGD": lambda: SGD(3.0), "momentum": lambda: Momentum(0.3, momentum=0.9), "Adam": lambda: Adam(0.3)}


def moons_network_run(optimizer, batch_size=10, steps=500):
    """Notebook 06's MLP([2, 8, 1]) (tanh, seed 0) on its 200 two-moons points, trained by ``optimizer``
    on mini-batches of ``batch_size`` (the same sequence of batches for every optimizer) through the
    core ``descend``: its ``Run``, with the cross-entropy on all 200 points at every step."""
    X, t = make_moons(200, noise=0.15, seed=0)
    net = MLP([2, 8, 1], activation="tanh", seed=0)
    loss, grad, w0 = mlp_objective(net, X, t[:, None].astype(float), LOGISTIC, batch_size=batch_size, seed=1)
    with np.errstate(under="ignore"):
        return descend(grad, w0, optimizer.learning_rate, loss=loss, tol=1e-12, steps=steps, optimizer=optimizer)


def gradient_scales(run):
    """The root-mean-square of each parameter's gradient over a run: how steep each weight's direction is."""
    return np.sqrt(np.mean(run.gradients ** 2, axis=0))


# ---- section 6 · L1 and L2 penalties on a small noisy data set ------------------------------
def overfitting_data(n_train=12, n_val=60, noise=0.25, seed=1):
    """A small noisy data set, t = sin(πx) + noise: ``(x_train, t_train, x_val, t_val)``."""
    rng = np.random.default_rng(seed)
    x_train = np.sort(rng.uniform(-1.0, 1.0, n_train))
    t_train = np.sin(math.pi * x_train) + noise * rng.normal(size=n_train)
    x_val = np.sort(rng.uniform(-1.0, 1.0, n_val))     # the training range, edges included
    t_val = np.sin(math.pi * x_val) + noise * rng.normal(size=n_val)
    return x_train, t_train, x_val, t_val


def polynomial_features(x, degree=9):
    """Legendre polynomials P₁(x) … P_degree(x) as columns (x in [−1, 1]): well-conditioned features."""
    return np.polynomial.legendre.legvander(np.asarray(x, dtype=float), degree)[:, 1:]


def fit_penalized_polynomial(x, t, lam, penalty="L2", degree=9, sweeps=2000, w_start=None):
    """Minimise E(w, b) = (1/2N)·Σ(t − y)² + penalty, with y = b + Σ wⱼ·Pⱼ(x); the bias b is not penalised.

    ``penalty`` "L2" adds ½λΣw² (solved exactly: (XᵀX/N + λI)·w = Xᵀt/N after centring);
    "L1" adds λΣ|w| (coordinate descent from ``w_start``, at most ``sweeps`` passes; it sets
    weights exactly to 0).  Returns ``(w, b)``.
    """
    if penalty not in ("L1", "L2"):
        raise ValueError(f"penalty must be 'L1' or 'L2', got {penalty!r}")
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not math.isfinite(lam) or lam < 0:
        raise ValueError(f"lam must be a finite number ≥ 0, got {lam!r}")
    X = polynomial_features(x, degree)
    t = np.asarray(t, dtype=float)
    n = len(t)
    x_mean, t_mean = X.mean(axis=0), t.mean()
    Xc, tc = X - x_mean, t - t_mean  # centring removes the bias from the problem
    gram, rhs = Xc.T @ Xc / n, Xc.T @ tc / n
    if penalty == "L2":
        w = np.linalg.solve(gram + lam * np.eye(degree), rhs)
    else:
        w = np.zeros(degree) if w_start is None else np.array(w_start, dtype=float)
        gram_rows, diag = gram.tolist(), np.diag(gram).tolist()
        w_list, rhs_list = w.tolist(), rhs.tolist()
        for _ in range(sweeps):
            largest_change = 0.0
            for j in range(degree):
                # exact minimiser along wⱼ: soft-threshold of the partial residual correlation
                rho = rhs_list[j] - sum(g * v for g, v in zip(gram_rows[j], w_list, strict=True)) + diag[j] * w_list[j]
                new = math.copysign(max(abs(rho) - lam, 0.0), rho) / diag[j]
                largest_change = max(largest_change, abs(new - w_list[j]))
                w_list[j] = new
            if largest_change < 1e-10:
                break
        w = np.array(w_list)
    return w, float(t_mean - x_mean @ w)


def predict_polynomial(w, b, x):
    """The model y = b + Σⱼ wⱼ·Pⱼ(x) of ``fit_penalized_polynomial`` (degree = len(w))."""
    return b + polynomial_features(x, len(w)) @ w


def _mse(w, b, x, t):
    return mse(t, predict_polynomial(w, b, x))


@dataclass(frozen=True, eq=False)
class PenalizedFit:
    """One fit of the regularization demo: the weights, the bias and the two errors."""

    lam: float
    penalty: str
    w: np.ndarray
    b: float
    train_mse: float
    val_mse: float

    @property
    def zeros(self):
        """How many weights are exactly 0 (below 1e-10)."""
        return int(np.sum(np.abs(self.w) < 1e-10))


def penalized_fit(lam, penalty="L2", data=None, w_start=None, degree=9):
    """Fit the degree-9 polynomial with penalty strength λ and measure both errors: a ``PenalizedFit``."""
    x_train, t_train, x_val, t_val = overfitting_data() if data is None else data
    w, b = fit_penalized_polynomial(x_train, t_train, float(lam), penalty, degree, w_start=w_start)
    return PenalizedFit(float(lam), penalty, w, b, _mse(w, b, x_train, t_train), _mse(w, b, x_val, t_val))


def describe_penalized_fit(fit):
    """The regularization demo's status line, from the record."""
    return (f"{fit.penalty}, λ = {fit.lam:.2g}: training MSE = {fit.train_mse:.3f}, validation MSE = "
            f"{fit.val_mse:.3f}, largest |wⱼ| = {np.abs(fit.w).max():.3g}")


def _path(lams, penalty, degree, data):
    x_train, t_train, x_val, t_val = data
    errors, weights = np.zeros((len(lams), 2)), [None] * len(lams)
    w = None
    for i in np.argsort(lams)[::-1]:
        w, b = fit_penalized_polynomial(x_train, t_train, float(lams[i]), penalty, degree, sweeps=500, w_start=w)
        errors[i] = _mse(w, b, x_train, t_train), _mse(w, b, x_val, t_val)
        weights[i] = w
    return errors, weights


def penalty_path(lams, penalty="L2", degree=9, data=None):
    """Train and validation MSE of ``fit_penalized_polynomial`` for each λ in ``lams``: shape (len(lams), 2).

    L1 fits are warm-started from the previous (larger) λ, which makes the sweep fast.
    """
    return _path(np.asarray(lams, dtype=float), penalty, degree, overfitting_data() if data is None else data)[0]


def regularization_demo(lam=1e-6, penalty="L2"):
    """Fitted curve, weights and train/validation error of a degree-9 polynomial for a chosen λ."""
    data = x_train, t_train, x_val, t_val = overfitting_data()
    degree = 9
    lams = np.logspace(-6, 1, 36)
    paths = {name: _path(lams, name, degree, data) for name in ("L1", "L2")}
    curves = {name: errors for name, (errors, _) in paths.items()}
    x_plot = np.linspace(-1, 1, 200)
    X_plot = polynomial_features(x_plot, degree)

    fig, (ax_fit, ax_w, ax_err) = new_figure("wide", ncols=3, figsize=(10.5, 3.6))
    ax_fit.plot(x_plot, np.sin(math.pi * x_plot), "--", color=COLORS["muted"], lw=1, label="sin(πx)")
    ax_fit.plot(x_val, t_val, ".", color=COLORS["muted"], ms=4, label="validation")
    ax_fit.plot(x_train, t_train, "o", color=COLORS["data"], ms=4, label="training")
    fit_line, = ax_fit.plot([], [], color=COLORS["curve"], lw=2, label="fit")
    ax_fit.set_ylim(-2.0, 2.0)
    ax_fit.set_xlabel("x")
    ax_fit.set_ylabel("t, y")
    ax_fit.legend(loc="lower right", fontsize=7, ncol=2)
    bars = ax_w.bar(np.arange(1, degree + 1), np.zeros(degree), color=COLORS["curve"])
    ax_w.set_ylim(-2.5, 2.5)
    ax_w.set_axisbelow(True)
    ax_w.set_xticks(np.arange(1, degree + 1))
    ax_w.set_xlabel("weight index j")
    ax_w.set_ylabel("wⱼ")
    ax_w.axhline(0, color=COLORS["muted"], lw=0.8)
    train_line, = ax_err.loglog(lams, curves["L2"][:, 0], color=COLORS["data"], label="training")
    val_line, = ax_err.loglog(lams, curves["L2"][:, 1], color=COLORS["tangent"], label="validation")
    marker = ax_err.axvline(lam, color=COLORS["point"], lw=1.5)
    ax_err.set_xlabel("λ (log scale)")
    ax_err.set_ylabel("mean squared error")
    ax_err.set_ylim(1e-4, 10)
    ax_err.legend(loc="upper left", fontsize=8)

    def update(lam=lam, penalty=penalty):
        nearest = int(np.argmin(np.abs(np.log(lams) - math.log(lam))))  # warm start for L1
        w_start = paths[penalty][1][nearest]
        fit = penalized_fit(lam, penalty, data, w_start=w_start, degree=degree)
        fit_line.set_data(x_plot, np.clip(fit.b + X_plot @ fit.w, -10, 10))
        for bar, value in zip(bars, np.clip(fit.w, -2.5, 2.5), strict=True):
            bar.set_height(value)
        train_line.set_ydata(curves[penalty][:, 0])
        val_line.set_ydata(curves[penalty][:, 1])
        marker.set_xdata([lam, lam])
        ax_fit.set_title(f"{penalty} penalty, λ = {lam:.2g}")
        ax_w.set_title(f"weights: {fit.zeros} of {degree} exactly 0")
        ax_err.set_title("error against λ")
        return describe_penalized_fit(fit)

    controls = {
        "lam": log_slider("λ", 1e-6, 10.0, lam),
        "penalty": choice("penalty", ["L2", "L1"], penalty),
    }
    return Demo(fig, update, controls)


# ---- section 7 · your turn: the momentum and Adam updates ----------------------------------

def _momentum_reference(w, v, g, learning_rate, mu):
    """v ← μ·v − η·g, then w ← w + v (the new v)."""
    v = mu * v - learning_rate * g
    return w + v, v


_MOMENTUM_MISTAKES = [
    (lambda w, v, g, eta, mu: (w + (mu * v + eta * g), mu * v + eta * g),
     "the velocity gets −η·g (downhill): v ← μ·v − η·g."),
    (lambda w, v, g, eta, mu: (w - (mu * v - eta * g), mu * v - eta * g),
     "the velocity already points downhill: w ← w + v, not w − v."),
    (lambda w, v, g, eta, mu: (w + v, mu * v - eta * g),
     "update v first, then move w by the new v: w ← w + (μ·v − η·g)."),
    (lambda w, v, g, eta, mu: (w - eta * g, mu * v - eta * g),
     "that is plain gradient descent for w: momentum moves w by the velocity v, which carries μ·v from before."),
    (lambda w, v, g, eta, mu: (w + mu * (v - eta * g), mu * (v - eta * g)),
     "μ multiplies only the old velocity: v ← μ·v − η·g, the new gradient's step −η·g is not damped."),
]


def _momentum_case(label, shape, seed, eta, mu):
    rng = np.random.default_rng(seed)
    return label, (rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape), eta, mu)


_MOMENTUM_CASES = [
    _momentum_case("3 weights, η = 0.1, μ = 0.9", (3,), 0, 0.1, 0.9),
    _momentum_case("a 2 × 2 weight matrix, η = 0.01, μ = 0.5", (2, 2), 1, 0.01, 0.5),
    _momentum_case("1 weight, μ = 0 (plain descent)", (1,), 2, 0.3, 0.0),
    _momentum_case("4 weights, η = 1, μ = 0.99", (4,), 3, 1.0, 0.99),
]


def check_momentum_step(momentum_step):
    """Your turn: ``momentum_step(w, v, g, learning_rate, mu)`` returns (new w, new v)."""
    return check_function(
        momentum_step, _MOMENTUM_CASES, _momentum_reference, mistakes=_MOMENTUM_MISTAKES, rtol=1e-9, atol=1e-12,
        name="momentum_step",
        success=f"momentum_step is right on all {len(_MOMENTUM_CASES)} hidden cases: v ← μ·v − η·g, w ← w + v.",
    )


def _adam(w, m, v, g, t, eta, beta1, beta2, eps, *, correct=(True, True), swap=False, eps_inside=False,
          root=True, power=True, return_hats=False):
    """Adam's update with switches for the typical mistakes (all off: the right rule)."""
    b_m, b_v = (beta2, beta1) if swap else (beta1, beta2)
    m = b_m * m + (1 - b_m) * g
    v = b_v * v + (1 - b_v) * g * g
    m_hat = m / (1 - b_m ** (t if power else 1)) if correct[0] else m
    v_hat = v / (1 - b_v ** (t if power else 1)) if correct[1] else v
    if eps_inside:
        denominator = np.sqrt(v_hat + eps)
    else:
        denominator = (np.sqrt(v_hat) if root else v_hat) + eps
    w = w - eta * m_hat / denominator
    return (w, m_hat, v_hat) if return_hats else (w, m, v)


def _adam_reference(w, m, v, g, t, learning_rate, beta1, beta2, eps):
    return _adam(w, m, v, g, t, learning_rate, beta1, beta2, eps)


def _adam_mistake(**switches):
    return lambda w, m, v, g, t, eta, b1, b2, eps: _adam(w, m, v, g, t, eta, b1, b2, eps, **switches)


_ADAM_MISTAKES = [
    (_adam_mistake(correct=(False, False)),
     "you skipped the bias correction: m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ); without it the first steps are "
     "far too small or too large, because m and v start at 0."),
    (_adam_mistake(correct=(True, False)), "you corrected m but not v: v̂ = v/(1 − β₂ᵗ)."),
    (_adam_mistake(correct=(False, True)), "you corrected v but not m: m̂ = m/(1 − β₁ᵗ)."),
    (_adam_mistake(swap=True),
     "β₁ and β₂ are swapped: β₁ (0.9) averages the gradient m, β₂ (0.999) averages its square v."),
    (_adam_mistake(eps_inside=True), "ε goes outside the square root: √v̂ + ε, not √(v̂ + ε)."),
    (_adam_mistake(root=False), "divide by the square root of v̂: v̂ estimates g², so √v̂ has the size of g."),
    (_adam_mistake(power=False), "the correction uses the power t: 1 − β₁ᵗ and 1 − β₂ᵗ, with t the step number."),
    (_adam_mistake(return_hats=True),
     "return the running averages m and v themselves, not m̂ and v̂: the next step continues from m and v."),
]


def _adam_case(label, shape, seed, t, scale=1.0, eps=1e-8, eta=0.01):
    rng = np.random.default_rng(seed)
    g = rng.normal(size=shape) * scale
    m = 0.5 * rng.normal(size=shape) * scale if t > 1 else np.zeros(shape)
    v = rng.uniform(0.5, 2.0, size=shape) * scale**2 if t > 1 else np.zeros(shape)
    return label, (rng.normal(size=shape), m, v, g, t, eta, 0.9, 0.999, eps)


_ADAM_CASES = [
    _adam_case("the first step, t = 1, 3 weights", (3,), 0, 1),
    _adam_case("t = 2, a 2 × 3 matrix", (2, 3), 1, 2),
    _adam_case("t = 10, 4 weights", (4,), 2, 10, eta=0.1),
    _adam_case("t = 3, tiny gradients (about 1e-4)", (3,), 3, 3, scale=1e-4),
    _adam_case("t = 1000, ε = 0.1", (2,), 4, 1000, eps=0.1),
]


def check_adam_step(adam_step):
    """Your turn: ``adam_step(w, m, v, g, t, learning_rate, beta1, beta2, eps)`` returns (new w, new m, new v)."""
    return check_function(
        adam_step, _ADAM_CASES, _adam_reference, mistakes=_ADAM_MISTAKES, rtol=1e-9, atol=1e-15,
        name="adam_step",
        success=f"adam_step is right on all {len(_ADAM_CASES)} hidden cases: running averages, bias correction "
                "with β₁ᵗ and β₂ᵗ, and ε outside the root.",
    )


# ---- exercises: the check_* functions ----------------------------------------------------

def check_momentum_steps(answer):
    """Exercise 1: w after two momentum steps on E = ½w² (so ∂E/∂w = w) from w = 2, v = 0,
    with η = 0.1 and μ = 0.9, using v ← μ·v − η·∂E/∂w and w ← w + v."""
    w0, eta, mu = 2.0, 0.1, 0.9
    v1 = -eta * w0                     # −0.2
    w1 = w0 + v1                       # 1.8
    v2 = mu * v1 - eta * w1            # −0.36
    expected = w1 + v2                 # 1.44
    return check_number(
        answer, expected,
        mistakes=[
            (w1, "that is w after the first step (1.8); take one more step, now with v = −0.2 carried over."),
            (w1 - eta * w1, "that is plain gradient descent (1.62): the second step also adds μ·v, 0.9 times "
                            "the first step's velocity."),
            (w1 + mu * v1 - eta * w0, "the second gradient is taken at the new point: ∂E/∂w = w₁ = 1.8, not 2."),
            (w0 + eta * w0 + mu * eta * w0 + eta * (w0 + eta * w0),
             "the velocity gets −η·∂E/∂w (downhill); you added the gradient and walked uphill."),
        ],
        hint="step 1: v = 0.9·0 − 0.1·2, w = 2 + v. Step 2: v = 0.9·v − 0.1·w, w = w + v.",
        success="v₁ = −0.2, w₁ = 1.8; v₂ = 0.9·(−0.2) − 0.1·1.8 = −0.36, w₂ = 1.44 (plain descent: 1.62).",
    )


def check_adam_first_step(answer):
    """Exercise 2: w after Adam's first step from w = 0 with g = 0.5, η = 0.01, β₁ = 0.9,
    β₂ = 0.999, ε = 1e-8 (with bias correction)."""
    w, g, eta, b1, b2, eps = 0.0, 0.5, 0.01, 0.9, 0.999, 1e-8
    m, v = (1 - b1) * g, (1 - b2) * g * g                     # 0.05, 0.00025
    m_hat, v_hat = m / (1 - b1), v / (1 - b2)                  # 0.5, 0.25
    expected = w - eta * m_hat / (np.sqrt(v_hat) + eps)        # ≈ −0.01
    return check_number(
        answer, expected,
        mistakes=[
            (w - eta * m / (np.sqrt(v) + eps),                 # ≈ −0.0316
             "you skipped the bias correction: at step t = 1 divide m by 1 − β₁¹ = 0.1 and v by 1 − β₂¹ = 0.001 "
             "(m̂ = 0.5, v̂ = 0.25)."),
            (w - eta * m_hat / (np.sqrt(v) + eps),             # ≈ −0.316
             "you corrected m but not v: v̂ = v / (1 − β₂) = 0.00025 / 0.001 = 0.25."),
            (w - eta * m / (np.sqrt(v_hat) + eps),             # ≈ −0.001
             "you corrected v but not m: m̂ = m / (1 − β₁) = 0.05 / 0.1 = 0.5."),
            (w - eta * g, "that is plain gradient descent (w − η·g = −0.005); Adam divides by √v̂ + ε, so its "
                          "first step is about η·sign(g) = 0.01 whatever the size of g."),
            (w + eta * m_hat / (np.sqrt(v_hat) + eps), "the step goes against the gradient: w − η·m̂/(√v̂ + ε)."),
            (w - eta * m_hat / (v_hat + eps), "divide by the square root of v̂: √0.25 = 0.5."),  # ≈ −0.02
        ],
        hint="m = (1 − β₁)·g, v = (1 − β₂)·g², then m̂ = m/(1 − β₁), v̂ = v/(1 − β₂), w − η·m̂/(√v̂ + ε).",
        success="m̂ = 0.5 and v̂ = 0.25 recover g and g² exactly, so the step is η·0.5/0.5 = 0.01: w ≈ −0.01.",
    )


_w, _x, _t, _lam = sympy.symbols("w x t lam")
_LOCALS = {"w": _w, "x": _x, "t": _t, "lam": _lam, "λ": _lam}


def check_l2_gradient(answer):
    """Exercise 3: dE/dw for E = ½(t − w·x)² + ½·λ·w², as a formula in w, x, t and lam
    (a string such as ``"-(t - w*x)*x"`` or a sympy expression in symbols of those names)."""
    if isinstance(answer, sympy.Basic):
        # compare by name, so symbols the learner made (with or without assumptions) match ours
        answer = str(answer)
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        return Feedback(False, "expected a formula in w, x, t and lam (a string such as '-(t - w*x)*x'), "
                               "not a number.")
    data = -(_t - _w * _x) * _x
    return check_expression(
        answer, data + _lam * _w, locals=_LOCALS,
        mistakes=[
            (data + 2 * _lam * _w, "2λw is the gradient of λw²; this notebook's penalty is ½λw², whose gradient "
                                   "is λw (the ½ cancels the 2, as in the squared error)."),
            (data, "you dropped the penalty: ½λw² depends on w, so it adds λw to the gradient."),
            (-data + _lam * _w, "check the sign of the data term: d/dw of ½(t − wx)² is −(t − wx)·x."),
            (data + _lam, "d/dw of ½λw² is λw, not λ: keep the w."),
            (data + _lam * sympy.sign(_w), "λ·sign(w) is the L1 penalty's gradient; for ½λw² it is λw."),
            (-(_t - _w * _x) + _lam * _w, "the chain rule through z = w·x gives a factor x on the data term."),
        ],
        hint="differentiate each term: d/dw ½(t − wx)² = −(t − wx)·x by the chain rule, then add d/dw ½λw².",
        success="dE/dw = −(t − wx)·x + λw: the penalty pulls every weight towards 0 in proportion to its size.",
    )


def _flatten_layers(answer):
    """A list of per-layer arrays (what ``clip_by_norm`` returns) as one flat array; anything else unchanged."""
    if isinstance(answer, (list, tuple)) and any(isinstance(part, (np.ndarray, list, tuple)) for part in answer):
        try:
            return np.concatenate([np.ravel(np.asarray(part, dtype=float)) for part in answer])
        except (TypeError, ValueError):
            return answer
    return answer


def check_clipped_gradient(answer):
    """Exercise 4: clip g₁ = [3, 4] and g₂ = [12] together to a global norm of at most 6.5;
    answer the three clipped numbers [g₁[0], g₁[1], g₂[0]] (a flat list or array, or the list of
    per-layer arrays that ``clip_by_norm`` returns)."""
    if (isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], list)
            and isinstance(answer[1], numbers.Real)):
        return Feedback(False, "clip_by_norm returns (clipped, norm): answer the clipped arrays, flattened: "
                               "np.concatenate(clipped).")
    answer = _flatten_layers(answer)
    g = np.array([3.0, 4.0, 12.0])   # global norm √(9 + 16 + 144) = 13
    expected = g * 6.5 / 13.0        # [1.5, 2, 6]
    return check_array(
        answer, expected,
        mistakes=[
            (np.array([3.0, 4.0, 6.5]), "you clipped each array on its own (‖g₁‖ = 5 stays, g₂ drops to 6.5); "
                                        "clipping by the global norm scales all arrays by the same factor."),
            (g / 13.0, "that is the unit direction g/‖g‖; multiply by max_norm = 6.5."),
            (g * 13.0 / 6.5, "the factor is max_norm/‖g‖ = 6.5/13 = 0.5, not its inverse."),
            (g, "‖g‖ = √(3² + 4² + 12²) = 13 is above 6.5, so the gradients must shrink."),
            (g * 6.5 / 19.0, "the global norm is √(Σ g²) = 13, not the sum of the entries (19)."),
        ],
        hint="‖g‖ = √(3² + 4² + 12²); if it exceeds 6.5, multiply every entry by 6.5/‖g‖.",
        success="‖g‖ = 13, factor 6.5/13 = 0.5: [1.5, 2, 6], same direction, half the length.",
    )
