"""Notebook 07: the gradient norm of every layer of a deep network, live.

``gradient_norms_demo`` builds a ``DeepNet`` for the slider values (depth, activation,
initialisation scheme, weight scale, and the remedies residual / normalised), sends the
same fixed error signal back through it and plots ‖∂E/∂W_l‖ for every layer on a log
scale, with a one-line verdict: vanishing, exploding or healthy.  ``activation_variance_demo``
plots the variance of every layer's z_l for an activation, initialisation and weight scale.
"""

import numpy as np

from ..diagnostics import DeepNet, activation_variances, fixed_error_signal, gradient_health, layer_gradient_norms
from ..plotting.gradients import log_limits, plot_activation_variances, plot_gradient_norms, set_layer_values
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, choice, int_slider, log_slider

__all__ = ["gradient_norms_demo", "activation_variance_demo", "ARCHITECTURES"]

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
        net = DeepNet(int(depth), WIDTH, activation, init, float(gain), residual, normalize, seed=0)
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
        net = DeepNet(int(depth), width, activation, init, float(gain), seed=0)
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
