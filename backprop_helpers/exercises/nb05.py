"""Notebook 05's exercises: the chain rule and one descent step on the dosage example."""

from ..dosage import DOSAGE_PARAMS, dosage_gradients
from .core import check_number

__all__ = ["check_dssr_db3_at_1", "check_b3_after_one_step", "check_dssr_dw3"]

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
