"""Demos of notebook 08: optimizer trajectories, and L1/L2 penalties against overfitting.

``optimizer_demo()`` runs plain gradient descent, momentum, RMSprop or Adam (the classes of
``backprop_helpers.optimizers``) on a long narrow valley E = ½(w₁² + 25·w₂²) or on a
surface with two minima, and draws the path and the loss per step.
``regularization_demo()`` fits a degree-9 polynomial to 12 noisy points with an L1 or L2
penalty of strength λ and shows the curve, the weights and the train/validation error.
"""

import math

import numpy as np

from ..optimizers import SGD, Adam, Momentum, RMSProp
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, choice, int_slider, log_slider, slider

__all__ = [
    "SURFACES_NB08", "run_optimizer", "optimizer_demo",
    "overfitting_data", "polynomial_features", "fit_penalized_polynomial", "penalty_path", "regularization_demo",
]

_LIMIT = 1e6  # |w| beyond this counts as diverged; iteration stops before anything overflows


# ---------------------------------------------------------------- surfaces
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
    ``SURFACES_NB08`` from its start point.  ``mu`` is momentum's μ (Adam's β₁; RMSprop ignores it,
    its ρ is fixed at 0.9).

    Returns ``(path, losses, diverged_at)``: the points w₀ … w_k (shape (k+1, 2)), E at each,
    and the step at which |w| passed 1e6 (``None`` if it never did; the run stops there).
    """
    if surface not in SURFACES_NB08:
        raise ValueError(f"surface must be one of {sorted(SURFACES_NB08)}, got {surface!r}")
    spec = SURFACES_NB08[surface]
    opt = _make_optimizer(optimizer, eta, mu)
    w = np.array(spec["start"], dtype=float)
    path = [w.copy()]
    diverged_at = None
    for k in range(1, steps + 1):
        opt.step([w], [spec["grad"](w)])
        if not np.all(np.abs(w) < _LIMIT):
            diverged_at = k
            break
        path.append(w.copy())
    path = np.array(path)
    losses = spec["E"](path[:, 0], path[:, 1])
    return path, losses, diverged_at


def optimizer_demo(surface="valley", optimizer="momentum", eta=0.02, mu=0.9, steps=100):
    """Paths of an optimizer (and of plain gradient descent, grey) on a chosen surface."""
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
    ax.legend(loc="lower right", fontsize=8)
    gd_loss, = ax_loss.semilogy([], [], color=COLORS["muted"], label="gradient descent")
    opt_loss, = ax_loss.semilogy([], [], color=COLORS["tangent"], label=optimizer)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("E − E_min (log scale)")
    ax_loss.set_ylim(1e-8, 1e3)
    ax_loss.legend(loc="upper right", fontsize=8)
    shown = {"surface": None}

    def draw_surface(name):
        if shown["surface"] == name:
            return
        spec = SURFACES_NB08[name]
        if contour[0] is not None:
            contour[0].remove()
        g1, g2, e = grids[name]
        contour[0] = ax.contour(g1, g2, e, levels=spec["levels"], colors=COLORS["curve"], linewidths=0.6, alpha=0.6)
        ax.set_xlim(spec["xlim"])
        ax.set_ylim(spec["ylim"])
        ax.set_title(spec["title"])
        start_marker.set_data([spec["start"][0]], [spec["start"][1]])
        shown["surface"] = name

    def gap(losses, e_min):
        return np.clip(losses - e_min, 1e-9, 1e4)

    def update(surface=surface, optimizer=optimizer, eta=eta, mu=mu, steps=steps):
        draw_surface(surface)
        spec = SURFACES_NB08[surface]
        path, losses, diverged = run_optimizer(surface, optimizer, eta, mu, steps)
        gd_path, gd_losses, gd_diverged = run_optimizer(surface, "gradient descent", eta, mu, steps)
        for line, loss_line, p, e in ((opt_line, opt_loss, path, losses), (gd_line, gd_loss, gd_path, gd_losses)):
            clipped = np.clip(p, -1e3, 1e3)
            line.set_data(clipped[:, 0], clipped[:, 1])
            loss_line.set_data(np.arange(len(e)), gap(e, spec["E_min"]))
        opt_line.set_label(optimizer)
        opt_loss.set_label(optimizer)
        ax.legend(loc="lower right", fontsize=8)
        ax_loss.legend(loc="upper right", fontsize=8)
        ax_loss.set_xlim(0, steps)
        setting = f"η = {eta:.3g}" + (f", μ = {mu:.2f}" if optimizer == "momentum" else "")
        setting += f", β₁ = {mu:.2f}" if optimizer == "Adam" else ""
        if diverged is not None:
            result = f"{optimizer} ({setting}) diverged after {diverged} steps"
        else:
            w1, w2 = path[-1]
            result = f"{optimizer} ({setting}): E = {losses[-1]:.3g} at w = ({w1:.2f}, {w2:.2f}) after {steps} steps"
        if optimizer != "gradient descent":
            result += (f"; gradient descent diverged after {gd_diverged} steps" if gd_diverged is not None
                       else f"; gradient descent: E = {gd_losses[-1]:.3g}")
        if surface == "valley" and optimizer == "gradient descent" and eta >= 2 / 25:
            result += " (plain descent needs η < 2/25 = 0.08 here)"
        return result

    controls = {
        "surface": choice("surface", list(SURFACES_NB08), surface),
        "optimizer": choice("optimizer", _OPTIMIZERS, optimizer),
        "eta": log_slider("η", 1e-3, 1.0, eta),
        "mu": slider("μ (β₁ for Adam; unused by RMSprop)", 0.0, 0.99, mu, step=0.01),
        "steps": int_slider("steps", 5, 300, steps, step=5),
    }
    return Demo(fig, update, controls)


# ---------------------------------------------------------------- regularization
def overfitting_data(n_train=12, n_val=60, noise=0.25, seed=1):
    """A small noisy data set, t = sin(πx) + noise: ``(x_train, t_train, x_val, t_val)``."""
    rng = np.random.default_rng(seed)
    x_train = np.sort(rng.uniform(-1.0, 1.0, n_train))
    t_train = np.sin(math.pi * x_train) + noise * rng.normal(size=n_train)
    x_val = np.sort(rng.uniform(-0.95, 0.95, n_val))
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


def _mse(w, b, x, t, degree=9):
    return float(np.mean((t - (b + polynomial_features(x, degree) @ w)) ** 2))


def _path(lams, penalty, degree, data):
    x_train, t_train, x_val, t_val = data
    errors, weights = np.zeros((len(lams), 2)), [None] * len(lams)
    w = None
    for i in np.argsort(lams)[::-1]:
        w, b = fit_penalized_polynomial(x_train, t_train, float(lams[i]), penalty, degree, sweeps=500, w_start=w)
        errors[i] = _mse(w, b, x_train, t_train, degree), _mse(w, b, x_val, t_val, degree)
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
        w, b = fit_penalized_polynomial(x_train, t_train, float(lam), penalty, degree, w_start=w_start)
        fit_line.set_data(x_plot, np.clip(b + X_plot @ w, -10, 10))
        for bar, value in zip(bars, np.clip(w, -2.5, 2.5), strict=True):
            bar.set_height(value)
        train_line.set_ydata(curves[penalty][:, 0])
        val_line.set_ydata(curves[penalty][:, 1])
        marker.set_xdata([lam, lam])
        ax_fit.set_title(f"{penalty} penalty, λ = {lam:.2g}")
        ax_w.set_title(f"weights: {int(np.sum(np.abs(w) < 1e-10))} of {degree} exactly 0")
        ax_err.set_title("error against λ")
        train, val = _mse(w, b, x_train, t_train, degree), _mse(w, b, x_val, t_val, degree)
        return (f"{penalty}, λ = {lam:.2g}: training MSE = {train:.3f}, validation MSE = {val:.3f}, "
                f"largest |wⱼ| = {np.abs(w).max():.3g}")

    controls = {
        "lam": log_slider("λ", 1e-6, 10.0, lam),
        "penalty": choice("penalty", ["L2", "L1"], penalty),
    }
    return Demo(fig, update, controls)
