"""Notebook 08 · Better steps: momentum, adaptive learning rates and regularization: the companion module.

Notebook 08's exercises: two momentum steps, Adam's first step, the L2-penalised gradient,
clipping by the global norm.

Convention (as in ``optimizers``): the L2 penalty is ½λΣw², so its gradient is λw.

Demos of notebook 08: optimizer trajectories, and L1/L2 penalties against overfitting.

``optimizer_demo()`` runs plain gradient descent, momentum, RMSprop or Adam (the classes of
``backprop_helpers.optimizers``) on a long narrow valley E = ½(w₁² + 25·w₂²) or on a
surface with two minima, and draws the path and the loss per step.
``regularization_demo()`` fits a degree-9 polynomial to 12 noisy points with an L1 or L2
penalty of strength λ and shows the curve, the weights and the train/validation error.
"""

import math
import numbers

import numpy as np
import sympy

from ..feedback import Feedback, check_array, check_expression, check_number
from ..optimizers import SGD, Adam, Momentum, RMSProp
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, choice, int_slider, log_slider, slider

__all__ = [
    "check_momentum_steps",
    "check_adam_first_step",
    "check_l2_gradient",
    "check_clipped_gradient",
    "SURFACES_NB08",
    "run_optimizer",
    "optimizer_demo",
    "overfitting_data",
    "polynomial_features",
    "fit_penalized_polynomial",
    "penalty_path",
    "regularization_demo",
]


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


# ---- demos -------------------------------------------------------------------------------

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
