"""Checks for notebook 07's exercises (vanishing and exploding gradients).

1. ``check_nb07_sigmoid_bound``: the largest product of ten sigmoid derivatives, (¼)^10.
2. ``check_nb07_vanishing_depth``: the fewest sigmoid layers for which (¼)^L < 1e-6.
3. ``check_nb07_he_variance``: He's weight variance 2/n_in for a ReLU layer with 128 inputs.
4. ``check_nb07_clipped``: the gradient g = (3, −4, 12) clipped to norm 2.6.

Each check recognises the usual slips and names them; a wrong kind of answer gets a message.
"""

import numpy as np

from .core import Feedback, check_array, check_number

__all__ = [
    "NB07_EXERCISE",
    "check_nb07_sigmoid_bound", "check_nb07_vanishing_depth", "check_nb07_he_variance", "check_nb07_clipped",
]

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
