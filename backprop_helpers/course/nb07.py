"""Notebook 07 · Vanishing and exploding gradients: the companion module.

Checks for notebook 07's exercises (vanishing and exploding gradients).

1. ``check_nb07_sigmoid_bound``: the largest product of ten sigmoid derivatives, (¼)^10.
2. ``check_nb07_vanishing_depth``: the fewest sigmoid layers for which (¼)^L < 1e-6.
3. ``check_nb07_he_variance``: He's weight variance 2/n_in for a ReLU layer with 128 inputs.
4. ``check_nb07_clipped``: the gradient g = (3, −4, 12) clipped to norm 2.6.

Each check recognises the usual slips and names them; a wrong kind of answer gets a message.

Notebook 07: the gradient norm of every layer of a deep network, live.

``gradient_norms_demo`` builds a deep ``MLP`` (``deep_net``) for the slider values (depth, activation,
initialisation scheme, weight scale, and the remedies residual / normalised), sends the
same fixed error signal back through it and plots ‖∂E/∂W_l‖ for every layer on a log
scale, with a one-line verdict: vanishing, exploding or healthy.  ``activation_variance_demo``
plots the variance of every layer's z_l for an activation, initialisation and weight scale.
"""

import numpy as np

from ..diagnostics import activation_variances, fixed_error_signal, gradient_health, layer_gradient_norms
from ..feedback import Feedback, check_array, check_number
from ..mlp import MLP
from ..plotting.gradients import log_limits, plot_activation_variances, plot_gradient_norms, set_layer_values
from ..plotting.style import COLORS, new_figure
from ..validation import count
from ..widgets import Demo, choice, int_slider, log_slider

__all__ = [
    "deep_net",
    "NB07_EXERCISE",
    "check_nb07_sigmoid_bound",
    "check_nb07_vanishing_depth",
    "check_nb07_he_variance",
    "check_nb07_clipped",
    "gradient_norms_demo",
    "activation_variance_demo",
    "ARCHITECTURES",
]


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


# ---- exercises: the check_* functions ----------------------------------------------------

NB07_EXERCISE = {
    "layers": 10,                       # exercise 1
    "threshold": 1e-6,                  # exercise 2
    "n_in": 128, "n_out": 64,           # exercise 3
    "g": [3.0, -4.0, 12.0], "max_norm": 2.6,   # exercise 4
}


def check_nb07_sigmoid_bound(answer):
    """Exercise 1: the largest possible product f′(z_1)·…·f′(z_10) of ten sigmoid derivatives."""
    layers = NB07_EXERCISE["layers"]
    return check_number(
        answer, 0.25 ** layers, rtol=1e-3, atol=0.0,
        mistakes=[
            (0.25, "that is one layer's factor; ten layers multiply ten factors, each at most ¼."),
            (0.25 * layers, "the factors multiply (chain rule), they do not add: (¼)^10, not 10·¼."),
            (0.5 ** layers, "σ(0) = ½ is the sigmoid's value; its derivative σ(z)(1 − σ(z)) is at most ½·½ = ¼."),
            (1.0, "the sigmoid's derivative never reaches 1: it is at most ¼, at z = 0."),
        ],
        hint="each factor σ(z)(1 − σ(z)) is at most ¼ (at z = 0); multiply ten of them.",
        success=f"(¼)^10 ≈ {0.25 ** layers:.1e}: even in the best case the signal shrinks a millionfold.",
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


# ---- demos -------------------------------------------------------------------------------

ARCHITECTURES = {
    "plain": (False, False),
    "residual": (True, False),
    "normalised": (False, True),
    "residual + normalised": (True, True),
}
WIDTH, N_SAMPLES = 32, 64


def _network_controls(depth, activation, init, gain):
    """The sliders both demos share: depth, activation, initialisation scheme and gain."""
    return {
        "depth": int_slider("depth L", 1, 50, depth),
        "activation": choice("activation f", ["sigmoid", "tanh", "relu"], activation),
        "init": choice("initialisation", ["normal", "xavier", "he"], init),
        "gain": log_slider("weight scale (gain)", 0.1, 10.0, gain),
    }


def gradient_norms_demo(depth=20, activation="sigmoid", init="xavier", gain=1.0, architecture="plain"):
    """Per-layer gradient norms of a deep network with sliders (notebook 07, "Try it").

    Every network gets the same input batch X (64 samples, 32 features) and the same error
    signal ∂E/∂a_L from ``fixed_error_signal``, so differences come from the layers alone.
    """
    X = np.random.default_rng(0).normal(size=(N_SAMPLES, WIDTH))
    signal = fixed_error_signal(N_SAMPLES, WIDTH)
    fig, ax = new_figure("wide")
    line = plot_gradient_norms(ax, [], label=r"measured $\Vert\partial E/\partial W_l\Vert$")
    quarter, = ax.plot([], [], "--", color=COLORS["muted"],
                       label=r"×¼ per layer (best sigmoid $f'$, with $\sigma_w\sqrt{n} = 1$)")
    ax.axhline(1.0, color=COLORS["muted"], linewidth=0.8)   # the y-range always includes 0.01 to 100
    ax.legend(loc="lower right")
    overflow_text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", color=COLORS["bad"], fontsize=14)

    def update(depth=depth, activation=activation, init=init, gain=gain, architecture=architecture):
        residual, normalize = ARCHITECTURES[architecture]
        net = deep_net(int(depth), WIDTH, activation, init, float(gain), residual, normalize, seed=0)
        std = gain * {"normal": 1.0, "xavier": np.sqrt(1 / WIDTH), "he": np.sqrt(2 / WIDTH)}[init]
        setting = f"L = {int(depth)}, {activation}, {init} with gain {gain:.3g} (σ_w ≈ {std:.2g}), {architecture}"
        ax.set_title(f"Gradient norm per layer: {setting}", fontsize=9)
        try:
            norms = layer_gradient_norms(net, X, signal)
        except OverflowError:
            line.set_data([], [])
            quarter.set_data([], [])
            overflow_text.set_text("overflowed")
            return f"overflowed: the numbers left float64's range (about 1e308), exploding ({setting})"
        overflow_text.set_text("")
        shown = [set_layer_values(line, norms), [1e-2, 1e2]]
        if activation == "sigmoid" and norms[-1] > 0:
            layers = np.arange(1, norms.size + 1)
            shown.append(set_layer_values(quarter, norms[-1] * 0.25 ** (norms.size - layers).astype(float), False))
        else:
            quarter.set_data([], [])
        ax.set_ylim(*log_limits(np.concatenate(shown)))
        return f"{gradient_health(norms)[1]} ({setting})"

    controls = {
        **_network_controls(depth, activation, init, gain),
        "architecture": choice("architecture", list(ARCHITECTURES), architecture),
    }
    return Demo(fig, update, controls)


def _fold(ratio):
    return f"{ratio:.2g}" if 1e-2 <= ratio <= 1e2 else f"1e{round(np.log10(ratio)):+03d}"


def activation_variance_demo(depth=50, activation="relu", init="he", gain=1.0):
    """Variance of z_l in every layer with sliders (notebook 07, "the variance argument").

    A network of 64 units per layer, 64 random inputs; the status compares Var(z_L) with Var(z_1).
    """
    width = 64
    X = np.random.default_rng(0).normal(size=(64, width))
    fig, ax = new_figure("wide")
    line = plot_activation_variances(ax, [], label=r"Var$(z_l)$")
    ax.axhline(1.0, color=COLORS["muted"], linewidth=0.8)
    ax.legend(loc="lower right")
    overflow_text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", color=COLORS["bad"], fontsize=14)

    def update(depth=depth, activation=activation, init=init, gain=gain):
        net = deep_net(int(depth), width, activation, init, float(gain), seed=0)
        setting = f"L = {int(depth)}, {activation}, {init} with gain {gain:.3g}, {width} units"
        ax.set_title(f"Variance of $z_l$ per layer: {setting}", fontsize=9)
        try:
            variances = activation_variances(net, X)
        except OverflowError:
            line.set_data([], [])
            overflow_text.set_text("overflowed")
            return f"overflowed: the activations left float64's range (about 1e308) ({setting})"
        overflow_text.set_text("")
        shown = set_layer_values(line, variances, autoscale=True)
        ax.set_ylim(*log_limits(np.concatenate([shown, [1e-2, 1e2]])))
        if variances[0] == 0:
            return f"vanishing: every z_l is 0 ({setting})"
        ratio = variances[-1] / variances[0]
        if ratio > 1e3:
            verdict = "exploding"
        elif ratio < 1e-3:
            verdict = "vanishing"
        elif ratio > 10 or ratio < 0.1:
            verdict = "growing slowly" if ratio > 1 else "shrinking slowly"
        else:
            verdict = "kept"
        saturated = ""
        if activation in ("tanh", "sigmoid") and variances[-1] > 10:   # |z| mostly > 3: f' is nearly 0
            saturated = f", Var(z_L) = {variances[-1]:.2g} (units saturated)"
        return f"{verdict}: Var(z_L)/Var(z_1) = {_fold(ratio)}{saturated} ({setting})"

    controls = {
        **_network_controls(depth, activation, init, gain),
    }
    return Demo(fig, update, controls)
