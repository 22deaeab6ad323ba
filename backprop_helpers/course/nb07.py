"""Notebook 07 · Vanishing and exploding gradients: the companion module.

In the notebook's order:

- ``deep_net``: the deep networks the notebook measures, an ``MLP`` with the same activation in
  every layer (the output layer included), with ``residual``/``normalize`` as the remedies.
- The "try it" demos, each a measurement (a record the tests assert on), a describer (its
  status line, from the record) and the demo that draws it: ``measure_gradient_norms`` /
  ``gradient_norms_demo`` (‖∂E/∂W_l‖ of every layer for the same fixed error signal, with a
  verdict: vanishing, exploding or healthy), and ``measure_variances`` /
  ``activation_variance_demo`` (Var(z_l) of every layer, "the variance argument").
- Section 8, training that proves it: ``train_deep`` trains a 10-layer network on
  ``regression_task`` through the core ``descend`` (the core's ``mlp_objective`` with the
  mean squared error, optionally clipping the gradient), and records how far each layer moved;
  ``training_comparison`` runs the settings of ``TRAINING_RUNS``, ``plot_training_comparison`` draws them.
- Your turn (section 9): ``check_init_std`` (σ_w of Xavier and He) and ``check_clip_gradients``
  (clipping a list of layer gradients by their global norm), each on hidden cases with its
  catalogue of typical mistakes.
- The exercises' checks: ``check_nb07_sigmoid_bound`` (the largest product of ten sigmoid
  derivatives), ``check_nb07_vanishing_depth`` (the fewest sigmoid layers with (¼)^L < 1e-6),
  ``check_nb07_he_variance`` (He's 2/n_in) and ``check_nb07_clipped`` (clipping by norm).
  Each recognises the usual slips and names them.
"""

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..descent import Run, descend
from ..diagnostics import activation_variances, layer_gradient_norms
from ..feedback import Feedback, check_array, check_function, check_number
from ..mlp import MLP, MSE, mlp_objective
from ..plotting.style import COLORS, new_figure
from ..validation import as_float_array, count, positive, real, rng_from
from ..widgets import Demo, choice, int_slider, log_slider

__all__ = [
    "fixed_error_signal",
    "gradient_health",
    "LOG_FLOOR",
    "LOG_CEILING",
    "plot_layer_values",
    "set_layer_values",
    "log_limits",
    "plot_gradient_norms",
    "plot_activation_variances",
    "deep_net",
    "ARCHITECTURES",
    "GradientNorms",
    "measure_gradient_norms",
    "describe_gradient_norms",
    "gradient_norms_demo",
    "Variances",
    "measure_variances",
    "describe_variances",
    "activation_variance_demo",
    "TRAINING_RUNS",
    "regression_task",
    "DeepTraining",
    "train_deep",
    "training_comparison",
    "plot_training_comparison",
    "check_init_std",
    "check_clip_gradients",
    "NB07_EXERCISE",
    "check_nb07_sigmoid_bound",
    "check_nb07_vanishing_depth",
    "check_nb07_he_variance",
    "check_nb07_clipped",
]


# ---- measuring: one fixed error signal for every network, and a verdict on the norms ----
def fixed_error_signal(n_samples, n_out, seed=1):
    """A fixed random error signal ∂E/∂a_L of shape (n_samples, n_out), entries ±1/n_samples.

    It is the gradient of E = (1/n)·Σ g·a_L for a fixed random sign pattern g: feeding the same
    signal into every network isolates what the layers do to it on the way back (notebook 07).
    """
    n_samples = count(n_samples, "n_samples", low=1, high=10**7)
    n_out = count(n_out, "n_out", low=1, high=10**5)
    signs = rng_from(seed).choice([-1.0, 1.0], size=(n_samples, n_out))
    return signs / n_samples


def _power_of_ten(x):
    """1.2e-09 → '1e-09' style rounding: the nearest power of ten as text."""
    if x == 0:
        return "0"
    return f"1e{int(round(math.log10(x))):+03d}"


def gradient_health(norms, vanish=1e-2, explode=1e2):
    """Classify per-layer gradient norms: ``(verdict, sentence)``.

    Judged first on the ratio first/last: vanishing below ``vanish``, exploding above ``explode``.
    With a ratio near 1, a network whose every norm is above 1e4 (or below 1e-4) for the series'
    fixed error signal (``fixed_error_signal``, unit-variance inputs) is exploding (vanishing) all
    the same: its forward activations grow (shrink) with depth, and so does every ∂E/∂W_l.
    Numbers are rounded, so the sentence is the same on every machine.
    """
    norms = as_float_array(norms, "norms", finite=True)
    vanish, explode = positive(vanish, "vanish"), positive(explode, "explode")
    if norms.ndim != 1 or norms.size == 0:
        raise ValueError(f"norms must be a non-empty 1-D array, got shape {norms.shape}")
    if not np.isfinite(norms).all() or (norms < 0).any():
        raise ValueError("norms must be finite and non-negative")
    first, last, largest = norms[0], norms[-1], norms.max()
    if last == 0:
        return "vanishing", "vanishing: the last layer's gradient is exactly 0"
    ratio = first / last
    if ratio < vanish:
        return "vanishing", f"vanishing: first-layer gradient is {_power_of_ten(ratio)} of the last"
    if ratio > explode:
        return "exploding", f"exploding: first-layer gradient is {_power_of_ten(ratio)} × the last"
    # first/last near 1, but every layer far from the size the same error signal gives a healthy
    # network: the activations themselves grow or shrink layer by layer (the forward pass)
    if largest > 1e4:
        return "exploding", (f"exploding: first/last = {ratio:.2g}, but every layer's gradient is about "
                             f"{_power_of_ten(largest)}: the activations grow layer by layer")
    if largest < 1e-4:
        return "vanishing", (f"vanishing: first/last = {ratio:.2g}, but every layer's gradient is about "
                             f"{_power_of_ten(largest)}: the activations shrink layer by layer")
    return "healthy", f"healthy: first/last = {ratio:.2g}, norms between {norms.min():.2g} and {largest:.2g}"


# ---- the plots of this notebook: per-layer values on a log scale ----
# The artists are made to be moved by a slider: ``plot_layer_values`` draws a line with markers
# once, ``set_layer_values`` gives it new values (any number of layers), clipped into a plottable
# range, so zeros and overflows never reach the log axis.
LOG_FLOOR = 1e-300    # zeros and underflows are drawn here
LOG_CEILING = 1e300   # overflows are drawn here


def _clipped(values, name="values"):
    """Per-layer values as a 1-D float array; NaN (a value that could not be measured) is allowed."""
    try:
        if np.iscomplexobj(values) or isinstance(values, (str, bytes, bool)):
            raise TypeError
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} must be a list of real numbers, one per layer, got {values!r:.60}") from None
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D list of numbers, one per layer, got shape {values.shape}")
    values = np.where(np.isnan(values), LOG_FLOOR, values)
    return np.clip(values, LOG_FLOOR, LOG_CEILING)


def log_limits(values, min_decades=4):
    """Y-limits for a log axis: whole decades around the clipped values, at least ``min_decades`` wide."""
    values = _clipped(values)
    min_decades = real(min_decades, "min_decades", low=1, high=600)
    if values.size == 0:
        return 10.0 ** -(min_decades / 2), 10.0 ** (min_decades / 2)
    low = math.floor(math.log10(values.min()) - 0.5)
    high = math.ceil(math.log10(values.max()) + 0.5)
    if high - low < min_decades:
        middle = (high + low) / 2
        low, high = math.floor(middle - min_decades / 2), math.ceil(middle + min_decades / 2)
    return 10.0 ** low, 10.0 ** high


def set_layer_values(line, values, autoscale=True, min_decades=4):
    """Move ``line`` to layers 1..L with the given values (clipped to [1e-300, 1e300]).

    With ``autoscale`` the y-limits become whole decades around the values and the x-limits
    span the layers; otherwise the axes keep their limits.  Returns the clipped values.
    """
    clipped = _clipped(values)
    layers = np.arange(1, clipped.size + 1)
    line.set_data(layers, clipped)
    if autoscale:
        ax = line.axes
        ax.set_ylim(*log_limits(clipped, min_decades))
        ax.set_xlim(0.5, max(clipped.size, 2) + 0.5)
    return clipped


def plot_layer_values(ax, values=(), label=None, color=None, ylabel="", title=None, marker="o"):
    """Draw per-layer values (layer 1 = first layer, on the left) as a line with markers on a
    log y-axis; return the line so that ``set_layer_values`` can move it."""
    ax.set_yscale("log")
    ax.set_xlabel("layer l (1 = first, next to the input)")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    line, = ax.plot([], [], marker=marker, markersize=4, color=color or COLORS["curve"], label=label)
    ax.xaxis.get_major_locator().set_params(integer=True)
    set_layer_values(line, values if len(values) else [1.0])
    if not len(values):
        line.set_data([], [])
    return line


def plot_gradient_norms(ax, norms, label=None, color=None, title=None):
    """Per-layer gradient norms ‖∂E/∂W_l‖ on a log scale (notebook 07); returns the line."""
    _clipped(norms, "norms")
    return plot_layer_values(ax, norms, label=label, color=color, title=title,
                             ylabel=r"gradient norm $\Vert\partial E/\partial W_l\Vert$ (log)")


def plot_activation_variances(ax, variances, label=None, color=None, title=None):
    """Variance of each layer's pre-activation z_l on a log scale (notebook 07); returns the line."""
    _clipped(variances, "variances")
    return plot_layer_values(ax, variances, label=label, color=color, title=title,
                             ylabel=r"variance of $z_l$ (log scale)", marker=".")


# ---- the deep networks of this notebook ---------------------------------------------------


def deep_net(depth=10, width=32, activation="relu", init="he", gain=1.0, residual=False, normalize=False,
             seed=0, n_in=None):
    """``depth`` layers of ``width`` units, every layer a_l = f(a_{l-1} W_l + b_l) with the same f,
    the output layer included: the networks whose gradients notebook 07 measures.  An ``MLP``
    with ``residual``/``normalize`` as the remedies; ``n_in`` is the input width (default ``width``).
    """
    depth, width = count(depth, "depth", low=1, high=1000), count(width, "width", low=1, high=10_000)
    n_in = width if n_in is None else count(n_in, "n_in", low=1, high=10_000)
    sizes = [n_in] + [width] * depth
    return MLP(sizes, activation, output_activation=activation, init=init, seed=seed, gain=gain,
               residual=residual, normalize=normalize)


# ---- sections 2 and 4 · the "try it" demos: measure, then describe ------------------------

ARCHITECTURES = {
    "plain": (False, False),
    "residual": (True, False),
    "normalised": (False, True),
    "residual + normalised": (True, True),
}
WIDTH, N_SAMPLES = 32, 64


MAX_DEPTH = 50  # the depth slider's maximum
ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = ("normal", "xavier", "he")
GAIN_RANGE = (0.1, 10.0)  # the gain slider's range


def _network_controls(depth, activation, init, gain):
    """The sliders both demos share: depth, activation, initialisation scheme and gain."""
    return {
        "depth": int_slider("depth L", 1, MAX_DEPTH, depth),
        "activation": choice("activation f", list(ACTIVATIONS), activation),
        "init": choice("initialisation", list(INITS), init),
        "gain": log_slider("weight scale (gain)", *GAIN_RANGE, gain),
    }


def _fixed_log_limits(measure, values, **choices):
    """The y range (whole decades) of a demo's log axis for one setting of its choice buttons, wide
    enough for every value of its sliders: the values measured at their extremes (depth 1 and the
    deepest, smallest, unit and largest gain), with 0.01 to 100 always included.  Dragging a slider
    then only moves the lines (no full redraw); a click on a choice may change the range."""
    shown = [np.array([1e-2, 1e2])]
    for depth, gain in itertools.product((1, MAX_DEPTH), (GAIN_RANGE[0], 1.0, GAIN_RANGE[1])):
        record_values = values(measure(depth=depth, gain=gain, **choices))
        if record_values is not None:
            shown.append(np.clip(record_values, 1e-300, 1e300))
    return log_limits(np.concatenate(shown))


@functools.cache
def _gradient_norm_limits(activation, init, architecture):
    """The gradient-norm demo's y range for these choices (computed once)."""
    return _fixed_log_limits(measure_gradient_norms, lambda record: record.norms, activation=activation,
                             init=init, architecture=architecture)


@functools.cache
def _variance_limits(activation, init):
    """The variance demo's y range for these choices (computed once)."""
    return _fixed_log_limits(measure_variances, lambda record: record.variances, activation=activation, init=init)


def _setting(depth, activation, init, gain, architecture=None, width=WIDTH):
    if architecture is None:
        return f"L = {int(depth)}, {activation}, {init} with gain {gain:.3g}, {width} units"
    std = gain * {"normal": 1.0, "xavier": np.sqrt(1 / width), "he": np.sqrt(2 / width)}[init]
    return f"L = {int(depth)}, {activation}, {init} with gain {gain:.3g} (σ_w ≈ {std:.2g}), {architecture}"


@dataclass(frozen=True, eq=False)
class GradientNorms:
    """One measurement of ``gradient_norms_demo``: ‖∂E/∂W_l‖ per layer (None if float64
    overflowed), the verdict ("vanishing", "exploding", "healthy" or "overflowed") and the
    sentence of ``gradient_health``."""

    setting: str
    norms: np.ndarray | None
    verdict: str
    sentence: str


def measure_gradient_norms(depth=20, activation="sigmoid", init="xavier", gain=1.0, architecture="plain"):
    """The per-layer gradient norms of ``deep_net(depth, 32, ...)`` for the demo's fixed batch
    (64 samples) and fixed error signal (``fixed_error_signal``): a ``GradientNorms``."""
    residual, normalize = ARCHITECTURES[architecture]
    net = deep_net(int(depth), WIDTH, activation, init, float(gain), residual, normalize, seed=0)
    X = np.random.default_rng(0).normal(size=(N_SAMPLES, WIDTH))
    setting = _setting(depth, activation, init, gain, architecture)
    try:
        norms = layer_gradient_norms(net, X, fixed_error_signal(N_SAMPLES, WIDTH))
    except OverflowError:
        return GradientNorms(setting, None, "overflowed", "overflowed: the numbers left float64's range "
                                                           "(about 1e308), exploding")
    verdict, sentence = gradient_health(norms)
    return GradientNorms(setting, norms, verdict, sentence)


def describe_gradient_norms(record):
    """The demo's status line, from the record."""
    return f"{record.sentence} ({record.setting})"


def gradient_norms_demo(depth=20, activation="sigmoid", init="xavier", gain=1.0, architecture="plain"):
    """Per-layer gradient norms of a deep network with sliders (notebook 07, "Try it").

    Every network gets the same input batch X (64 samples, 32 features) and the same error
    signal ∂E/∂a_L from ``fixed_error_signal``, so differences come from the layers alone.
    """
    fig, ax = new_figure("wide")
    line = plot_gradient_norms(ax, [], label=r"measured $\Vert\partial E/\partial W_l\Vert$")
    quarter, = ax.plot([], [], "--", color=COLORS["muted"],
                       label=r"×¼ per layer (best sigmoid $f'$, with $\sigma_w\sqrt{n} = 1$)")
    ax.axhline(1.0, color=COLORS["muted"], linewidth=0.8)   # the y-range always includes 0.01 to 100
    ax.legend(loc="lower right")
    overflow_text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", color=COLORS["bad"], fontsize=14)
    ax.set_xlim(0.5, MAX_DEPTH + 0.5)  # fixed, like the y range per choice: dragging only moves the lines

    def update(depth=depth, activation=activation, init=init, gain=gain, architecture=architecture):
        record = measure_gradient_norms(depth, activation, init, gain, architecture)
        ax.set_title(f"Gradient norm per layer: {record.setting}", fontsize=9)
        limits = _gradient_norm_limits(activation, init, architecture)
        if tuple(ax.get_ylim()) != limits:
            ax.set_ylim(*limits)
        norms = record.norms
        if norms is None:
            line.set_data([], [])
            quarter.set_data([], [])
            overflow_text.set_text("overflowed")
            return describe_gradient_norms(record)
        overflow_text.set_text("")
        set_layer_values(line, norms, autoscale=False)
        if activation == "sigmoid" and norms[-1] > 0:
            layers = np.arange(1, norms.size + 1)
            set_layer_values(quarter, norms[-1] * 0.25 ** (norms.size - layers).astype(float), False)
        else:
            quarter.set_data([], [])
        return describe_gradient_norms(record)

    controls = {
        **_network_controls(depth, activation, init, gain),
        "architecture": choice("architecture", list(ARCHITECTURES), architecture),
    }
    return Demo(fig, update, controls)


def _fold(ratio):
    return f"{ratio:.2g}" if 1e-2 <= ratio <= 1e2 else f"1e{round(np.log10(ratio)):+03d}"


@dataclass(frozen=True, eq=False)
class Variances:
    """One measurement of ``activation_variance_demo``: Var(z_l) per layer (None if float64
    overflowed), the ratio Var(z_L)/Var(z_1), the verdict and whether tanh/sigmoid units saturate."""

    setting: str
    variances: np.ndarray | None
    ratio: float | None
    verdict: str
    saturated: bool


VARIANCE_WIDTH = 64


def measure_variances(depth=50, activation="relu", init="he", gain=1.0):
    """Var(z_l) in every layer of ``deep_net(depth, 64, ...)`` for 64 random inputs: a ``Variances``."""
    width = VARIANCE_WIDTH
    net = deep_net(int(depth), width, activation, init, float(gain), seed=0)
    setting = _setting(depth, activation, init, gain, width=width)
    try:
        variances = activation_variances(net, np.random.default_rng(0).normal(size=(64, width)))
    except OverflowError:
        return Variances(setting, None, None, "overflowed", False)
    if variances[0] == 0:
        return Variances(setting, variances, None, "vanishing", False)
    ratio = float(variances[-1] / variances[0])
    if ratio > 1e3:
        verdict = "exploding"
    elif ratio < 1e-3:
        verdict = "vanishing"
    elif ratio > 10 or ratio < 0.1:
        verdict = "growing slowly" if ratio > 1 else "shrinking slowly"
    else:
        verdict = "kept"
    saturated = activation in ("tanh", "sigmoid") and variances[-1] > 10    # |z| mostly > 3: f' is nearly 0
    return Variances(setting, variances, ratio, verdict, bool(saturated))


def describe_variances(record):
    """The variance demo's status line, from the record."""
    if record.verdict == "overflowed":
        return f"overflowed: the activations left float64's range (about 1e308) ({record.setting})"
    if record.ratio is None:
        return f"vanishing: every z_l is 0 ({record.setting})"
    saturated = f", Var(z_L) = {record.variances[-1]:.2g} (units saturated)" if record.saturated else ""
    return f"{record.verdict}: Var(z_L)/Var(z_1) = {_fold(record.ratio)}{saturated} ({record.setting})"


def activation_variance_demo(depth=50, activation="relu", init="he", gain=1.0):
    """Variance of z_l in every layer with sliders (notebook 07, "the variance argument").

    A network of 64 units per layer, 64 random inputs; the status compares Var(z_L) with Var(z_1).
    """
    fig, ax = new_figure("wide")
    line = plot_activation_variances(ax, [], label=r"Var$(z_l)$")
    ax.axhline(1.0, color=COLORS["muted"], linewidth=0.8)
    ax.legend(loc="lower right")
    overflow_text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", color=COLORS["bad"], fontsize=14)
    ax.set_xlim(0.5, MAX_DEPTH + 0.5)  # fixed, like the y range per choice: dragging only moves the line

    def update(depth=depth, activation=activation, init=init, gain=gain):
        record = measure_variances(depth, activation, init, gain)
        ax.set_title(f"Variance of $z_l$ per layer: {record.setting}", fontsize=9)
        limits = _variance_limits(activation, init)
        if tuple(ax.get_ylim()) != limits:
            ax.set_ylim(*limits)
        if record.variances is None:
            line.set_data([], [])
            overflow_text.set_text("overflowed")
        else:
            overflow_text.set_text("")
            set_layer_values(line, record.variances, autoscale=False)
        return describe_variances(record)

    return Demo(fig, update, _network_controls(depth, activation, init, gain))


# ---- section 8 · training deep networks: the remedies at work -----------------------------

TRAIN_DEPTH, TRAIN_WIDTH, TRAIN_SAMPLES, TRAIN_STEPS = 10, 8, 64, 200

# (activation, init, residual, normalize, η): each remedy next to the plain network it mends
TRAINING_RUNS = {
    "sigmoid, Xavier": ("sigmoid", "xavier", False, False, 0.1),
    "tanh, Xavier": ("tanh", "xavier", False, False, 0.03),
    "tanh, Xavier, residual": ("tanh", "xavier", True, False, 0.03),
    "ReLU, He": ("relu", "he", False, False, 0.1),
    "ReLU, He, normalised": ("relu", "he", False, True, 0.1),
}


def regression_task(n=TRAIN_SAMPLES, seed=0):
    """64 points x in [−1, 1]² with the target t = sin(πx₁)·x₂ + ½x₁², standardised (mean 0,
    variance 1, so predicting the mean gives E = 1): ``(X, T)`` with T shaped (n, 1)."""
    X = rng_from(seed).uniform(-1.0, 1.0, size=(count(n, "n", low=2), 2))
    t = np.sin(np.pi * X[:, 0]) * X[:, 1] + 0.5 * X[:, 0] ** 2
    return X, ((t - t.mean()) / t.std())[:, None]


@dataclass(frozen=True, eq=False)
class DeepTraining:
    """One training run of section 8: descend's ``run`` and, per layer, how far training moved
    its weights relative to their start, ‖W_l(end) − W_l(0)‖ / ‖W_l(0)‖ (first layer first)."""

    name: str
    run: Run
    layer_changes: np.ndarray


def train_deep(activation, init, learning_rate, residual=False, normalize=False, clip=None,
               steps=TRAIN_STEPS, name=""):
    """Full-batch gradient descent (the core ``descend``) of a network with ``TRAIN_DEPTH`` hidden
    layers of ``TRAIN_WIDTH`` units and a linear output on ``regression_task()``: a ``DeepTraining``."""
    X, T = regression_task()
    net = MLP([2] + [TRAIN_WIDTH] * TRAIN_DEPTH + [1], activation, init=init, residual=residual,
              normalize=normalize, seed=0)
    loss, grad, w0 = mlp_objective(net, X, T, MSE, clip=clip)
    run = descend(grad, w0, learning_rate, loss=loss, tol=1e-12, steps=steps, limit=1e6)
    bounds = np.cumsum([0] + [p.size for p in net.parameters()])
    changes = [np.linalg.norm(run.path[-1, a:b] - run.path[0, a:b]) / np.linalg.norm(run.path[0, a:b])
               for a, b in zip(bounds[:-1:2], bounds[1::2], strict=True)]     # the W_l, not the b_l
    return DeepTraining(name, run, np.array(changes))


def training_comparison(runs=None):
    """``train_deep`` for every setting of ``TRAINING_RUNS`` (or of ``runs``): {name: DeepTraining}."""
    runs = TRAINING_RUNS if runs is None else runs
    return {name: train_deep(act, init, eta, residual, normalize, name=name)
            for name, (act, init, residual, normalize, eta) in runs.items()}


def plot_training_comparison(trainings):
    """Loss per step (left) and how far each layer's weights moved (right), one line per run."""
    fig, (ax_loss, ax_layers) = new_figure("wide", ncols=2)
    for name, training in trainings.items():
        ax_loss.semilogy(training.run.losses, label=name, gid=f"loss: {name}")
        layers = np.arange(1, training.layer_changes.size + 1)
        ax_layers.semilogy(layers, training.layer_changes, "o-", ms=3, label=name, gid=f"changes: {name}")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("training loss E (mean squared error)")
    ax_loss.set_title("loss per step")
    ax_layers.set_xlabel("layer l (the last is the linear output)")
    ax_layers.set_ylabel(r"$\Vert W_l(200) - W_l(0)\Vert \,/\, \Vert W_l(0)\Vert$")
    ax_layers.set_title("how far training moved each layer")
    ax_layers.legend(fontsize=7)
    return fig


# ---- section 9 · your turn: He/Xavier initialisation and clipping by norm -----------------

def _init_std_reference(n_in, n_out, scheme):
    """σ_w of Xavier/Glorot, √(2/(n_in + n_out)), or of He, √(2/n_in)."""
    return math.sqrt(2.0 / (n_in + n_out)) if scheme == "xavier" else math.sqrt(2.0 / n_in)


def _init_std_mistake(xavier, he):
    return lambda n_in, n_out, scheme: xavier(n_in, n_out) if scheme == "xavier" else he(n_in, n_out)


def _xavier(n_in, n_out):
    return math.sqrt(2.0 / (n_in + n_out))


def _he(n_in, n_out):
    return math.sqrt(2.0 / n_in)


_INIT_STD_MISTAKES = [
    (_init_std_mistake(lambda i, o: 2.0 / (i + o), lambda i, o: 2.0 / i),
     "those are the variances σ_w²; return the standard deviation σ_w, their square root."),
    (_init_std_mistake(_xavier, lambda i, o: 2.0 / i),
     "He's number is the variance 2/n_in; return its square root, σ_w = √(2/n_in)."),
    (_init_std_mistake(lambda i, o: 2.0 / (i + o), _he),
     "Xavier's number is the variance 2/(n_in + n_out); return its square root."),
    (_init_std_mistake(_xavier, lambda i, o: math.sqrt(2.0 / o)),
     "He divides by n_in: each unit's z sums over its n_in inputs, so Var(z) = n_in·σ_w²·E[a²]."),
    (_init_std_mistake(_xavier, lambda i, o: math.sqrt(1.0 / i)),
     "He keeps the 2: ReLU zeroes half of z, so E[a²] = Var(z)/2, and σ_w² = 2/n_in makes the factor 1."),
    (_init_std_mistake(lambda i, o: math.sqrt(1.0 / i), _he),
     "Xavier averages the forward and the backward condition: σ_w² = 2/(n_in + n_out), not 1/n_in."),
    (_init_std_mistake(_he, _xavier),
     "the two schemes are swapped: Xavier (for tanh) is √(2/(n_in + n_out)), He (for ReLU) √(2/n_in)."),
]

_INIT_STD_CASES = [(f"{scheme}, n_in = {n_in}, n_out = {n_out}", (n_in, n_out, scheme))
                   for n_in, n_out in ((128, 64), (32, 32), (1, 1), (300, 10), (3, 200)) for scheme in ("xavier", "he")]


def check_init_std(init_std):
    """Your turn: ``init_std(n_in, n_out, scheme)`` is σ_w of Xavier ("xavier") or He ("he")."""
    return check_function(
        init_std, _INIT_STD_CASES, _init_std_reference, mistakes=_INIT_STD_MISTAKES, rtol=1e-9, atol=0.0,
        name="init_std",
        success=f"init_std is right on all {len(_INIT_STD_CASES)} hidden layer shapes: Xavier √(2/(n_in + n_out)) "
                "for tanh, He √(2/n_in) for ReLU.",
    )


def _clip_reference(grads, max_norm):
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    factor = max_norm / norm if norm > max_norm else 1.0
    return [g * factor for g in grads]


def _clip_each(grads, max_norm):
    return [_clip_reference([g], max_norm)[0] for g in grads]


def _always_rescale(grads, max_norm):
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    return [g * (max_norm / norm) if norm > 0 else g for g in grads]


def _upside_down(grads, max_norm):
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    return [g * (norm / max_norm) if norm > max_norm else g for g in grads]


def _no_root(grads, max_norm):
    squares = sum(float(np.sum(g * g)) for g in grads)
    return [g * (max_norm / squares) if squares > max_norm else g for g in grads]


_CLIP_MISTAKES = [
    (_clip_each, "you clipped each array on its own; clipping by the global norm scales every layer's gradient "
                 "by the same factor, max_norm/‖g‖ with ‖g‖ over all of them together."),
    (lambda grads, max_norm: [np.clip(g, -max_norm, max_norm) for g in grads],
     "that clips each entry (clipping by value), which turns the direction; clipping by norm multiplies "
     "every entry by the same factor."),
    (_always_rescale, "a gradient already shorter than max_norm must stay as it is: the factor is "
                      "min(1, max_norm/‖g‖), so small gradients are never scaled up."),
    (_upside_down, "the factor is upside down: multiply by max_norm/‖g‖, not ‖g‖/max_norm."),
    (_no_root, "‖g‖ is the square root of the sum of squares, √(Σ g²)."),
]

_CLIP_CASES = [
    ("one vector of norm 13, max_norm 2.6", ([np.array([3.0, -4.0, 12.0])], 2.6)),
    ("a matrix and a vector, global norm 13, max_norm 6.5", ([np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([12.0])],
                                                             6.5)),
    ("a gradient shorter than max_norm", ([np.array([0.3, -0.4]), np.array([[0.1]])], 1.0)),
    ("three random layers", ([np.random.default_rng(0).normal(size=(4, 3)), np.random.default_rng(1).normal(size=3),
                              np.random.default_rng(2).normal(size=(3, 1)) * 50], 5.0)),
    ("an all-zero gradient", ([np.zeros((2, 2)), np.zeros(2)], 1.0)),
]


def check_clip_gradients(clip_gradients):
    """Your turn: ``clip_gradients(grads, max_norm)`` returns the list of arrays scaled together by
    min(1, max_norm/‖g‖), ‖g‖ the global norm over all of them."""
    return check_function(
        clip_gradients, _CLIP_CASES, _clip_reference, mistakes=_CLIP_MISTAKES, rtol=1e-9, atol=1e-12,
        name="clip_gradients",
        success=f"clip_gradients is right on all {len(_CLIP_CASES)} hidden cases, the all-zero gradient "
                "and one already short enough included: one factor min(1, max_norm/‖g‖) for every layer.",
    )


# ---- exercises: the check_* functions ----------------------------------------------------

NB07_EXERCISE = {
    "layers": 10,                       # exercise 1
    "threshold": 1e-6,                  # exercise 2
    "n_in": 128, "n_out": 64,           # exercise 3
    "g": [3.0, -4.0, 12.0], "max_norm": 2.6,   # exercise 4
}


def check_nb07_sigmoid_bound(answer):
    """Exercise 1: the bound on f′(z_1)·…·f′(z_10) for ten sigmoid layers, whatever the z_l: (¼)^10.
    Accepted to 1%, so the rounded 9.5e-7 counts."""
    layers = NB07_EXERCISE["layers"]
    return check_number(
        answer, 0.25 ** layers, rtol=1e-2, atol=0.0,
        mistakes=[
            (0.25, "that is one layer's factor; ten layers multiply ten factors, each at most ¼."),
            (0.25 * layers, "the factors multiply (chain rule), they do not add: (¼)^10, not 10·¼."),
            (0.5 ** layers, "σ(0) = ½ is the sigmoid's value; its derivative σ(z)(1 − σ(z)) is at most ½·½ = ¼."),
            (1.0, "the sigmoid's derivative never reaches 1: it is at most ¼, at z = 0."),
            (3.9e-7, "that is the most one particular chain reaches (weights 1 and biases 0 keep every z_l after the "
                     "first between 0 and 1, away from 0); the bound for any z_l lets each factor reach ¼."),
        ],
        hint="each factor σ(z)(1 − σ(z)) is at most ¼ (at z = 0); multiply ten of them.",
        success=f"(¼)^10 ≈ {0.25 ** layers:.2e}: even in the best case the signal shrinks a millionfold.",
    )


def check_nb07_vanishing_depth(answer):
    """Exercise 2: the smallest number of layers L with (¼)^L below 1e-6."""
    return check_number(
        answer, 10, rtol=0.0, atol=1e-9,
        mistakes=[
            (9, "(¼)^9 ≈ 3.8e-6 is still above 1e-6; one more layer is needed."),
            (6, "that would hold for a factor 1/10 per layer; the sigmoid's factor is ¼: solve 4^L > 10^6."),
            (20, "that is the count for a factor ½ per layer; the sigmoid's derivative is at most ¼."),
            (6 / np.log10(4), "L counts layers, so it is a whole number: round 6/log10(4) ≈ 9.97 up."),
        ],
        hint="solve (¼)^L < 10^-6, i.e. L > 6 / log10(4), and round up to a whole number of layers.",
        success="L = 10: (¼)^10 ≈ 9.5e-7. Ten sigmoid layers can already shrink the signal a millionfold.",
    )


def check_nb07_he_variance(answer):
    """Exercise 3: the variance σ_w² He initialisation gives a ReLU layer with 128 inputs, 64 outputs."""
    n_in, n_out = NB07_EXERCISE["n_in"], NB07_EXERCISE["n_out"]
    return check_number(
        answer, 2 / n_in, rtol=1e-3, atol=0.0,
        mistakes=[
            (np.sqrt(2 / n_in), "that is the standard deviation σ_w; the question asks for the variance σ_w²."),
            (1 / n_in, "1/n_in keeps the variance for a layer that passes z on unchanged; ReLU zeroes half of it, "
                       "so E[a²] = Var(z)/2 and He doubles the variance: 2/n_in."),
            (2 / (n_in + n_out), "that is Xavier/Glorot (2/(n_in + n_out)), made for tanh; He uses 2/n_in."),
            (2 / n_out, "each unit sums over its n_in = 128 inputs, so He divides by n_in, not n_out."),
        ],
        hint="Var(z) = n_in·σ_w²·E[a²] and for ReLU E[a²] = Var(z_prev)/2; choose σ_w² so the factor is 1.",
        success=f"σ_w² = 2/128 = {2 / n_in:.6g}, i.e. σ_w = {np.sqrt(2 / n_in):.3g}.",
    )


def check_nb07_clipped(answer):
    """Exercise 4: the gradient g = (3, −4, 12) after clipping by norm to max_norm = 2.6."""
    g = np.array(NB07_EXERCISE["g"])
    max_norm = NB07_EXERCISE["max_norm"]
    norm = float(np.sqrt(np.sum(g ** 2)))        # 13
    try:
        shape = np.shape(np.asarray(answer, dtype=float)) if answer is not None else g.shape
    except (TypeError, ValueError):
        shape = g.shape                          # not numbers: check_array says so
    if shape != g.shape:                         # no sum is involved, so no hint about axes
        return Feedback(False, f"expected a vector of {g.size} numbers, shape {g.shape}, like g; got shape {shape}.")
    return check_array(
        answer, g * (max_norm / norm), atol=1e-9,
        mistakes=[
            (np.clip(g, -max_norm, max_norm), "that clips each entry separately (clipping by value), which turns "
                                              "the direction; clipping by norm multiplies all of g by max_norm/‖g‖."),
            (g / norm, "that vector has norm 1; scale it to norm max_norm = 2.6: multiply g by 2.6/13."),
            (g, "‖g‖ = 13 is above max_norm = 2.6, so g must be scaled down."),
            (g * (norm / max_norm), "the factor is upside down: multiply by max_norm/‖g‖ = 2.6/13, not 13/2.6."),
        ],
        hint="compute ‖g‖ = √(3² + 4² + 12²); if it exceeds 2.6, multiply every entry by 2.6/‖g‖.",
        success="(0.6, −0.8, 2.4): the same direction as g, with norm 2.6.",
    )
