"""Notebook 03's exercises: one update step, the stability limit 2/λ, the factor 1 − ηλ."""

import numbers

import numpy as np
import sympy

from .core import Feedback, check_number

__all__ = ["check_nb03_update_step", "check_nb03_stability_limit", "check_nb03_error_factor", "check_nb03_bowl_limit"]


def _as_float(answer):
    """``answer`` as a float if it is one real number (also a sympy number or a size-1 array), else None."""
    if isinstance(answer, sympy.Basic):
        return float(answer) if answer.is_number and answer.is_real else None
    if isinstance(answer, np.ndarray) and answer.size == 1 and np.issubdtype(answer.dtype, np.number):
        answer = answer.reshape(-1)[0]
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.floating, np.integer)):
        return None
    return float(answer)


def _check_limit(answer, limit, mistakes, hint, success):
    """check_number for a stability limit, plus a hint for a stable η just below the limit.

    The extra hint comes after the right answer and the known mistakes, but before core's
    "is close" message (which would otherwise catch answers within 5% of the limit).
    """
    feedback = check_number(answer, limit, mistakes=mistakes, hint=hint, success=success)
    value = _as_float(answer)
    known = value is not None and any(np.isclose(value, wrong, rtol=1e-3, atol=1e-6) for wrong, _ in mistakes)
    if feedback.correct or value is None or known:
        return feedback
    if 0.8 * limit <= value < limit:
        return Feedback(False, f"η = {value:g} is stable, but the question asks for the limit itself, 2/λ.")
    return feedback


def check_nb03_update_step(answer):
    """Exercise 1: one step on E(w) = (w − 3)² from w = 1 with η = 0.1; answer the new w."""
    w, eta = 1.0, 0.1
    grad = 2 * (w - 3)  # −4
    return check_number(
        answer, w - eta * grad,
        mistakes=[
            (w + eta * grad, "mind the minus sign in the update: w_new = w − η·dE/dw. Here dE/dw < 0, so w grows."),
            (w - eta * (w - 3), "dE/dw of (w − 3)² is 2(w − 3): keep the factor 2 from the power."),
            (w - grad, "multiply the derivative by the learning rate η = 0.1 before subtracting it."),
            (-eta * grad, "that is the step −η·dE/dw; add it to the old w = 1 to get the new weight."),
            (eta * grad, "that is η·dE/dw; the new weight is w − η·dE/dw."),
        ],
        hint="compute dE/dw = 2(w − 3) at w = 1, then w_new = w − η·dE/dw.",
        success="w_new = 1 − 0.1·(−4) = 1.4: the slope is negative, so the step goes right, towards w* = 3.",
    )


def check_nb03_stability_limit(answer):
    """Exercise 2: the limit 2/λ below which gradient descent converges on E(w) = 5(w − 1)² (λ = E'' = 10)."""
    return _check_limit(
        answer, 0.2,
        mistakes=[
            (0.4, "λ is the curvature E''(w), not the coefficient 5: E = 5(w − 1)² = ½·10·(w − 1)², so λ = 10."),
            (0.1, "η = 1/λ reaches w* in one step; beyond it the steps overshoot but still converge up to 2/λ."),
            (20.0, "it is 2/λ, not 2λ: a steeper bowl needs a smaller step."),
            (0.05, "it is 2/λ, not 1/(2λ)."),
        ],
        hint="find λ = d²E/dw², then use |1 − ηλ| < 1.",
        success="λ = 10, so the limit is η < 2/λ = 0.2.",
    )


def check_nb03_error_factor(answer):
    """Exercise 3: the factor 1 − ηλ that multiplies w − w* each step, for λ = 10 and η = 0.15."""
    return check_number(
        answer, 1 - 0.15 * 10,
        mistakes=[
            (0.5, "keep the sign: 1 − 1.5 = −0.5. The negative sign is what makes the iterates oscillate."),
            (1 + 0.15 * 10, "the update subtracts η·λ(w − w*), so the factor is 1 − ηλ, not 1 + ηλ."),
            (-0.15 * 10, "w_{k+1} − w* = (w_k − w*) − ηλ(w_k − w*): do not drop the first term, the 1."),
        ],
        hint="subtract w* from both sides of w_{k+1} = w_k − ηλ(w_k − w*).",
        success="1 − ηλ = −0.5: the distance w − w* halves and flips sign every step, an oscillation that converges.",
    )


def check_nb03_bowl_limit(answer):
    """Exercise 4: the limit on η below which descent converges on the bowl E = ½(w₁² + 25·w₂²) (curvatures 1, 25)."""
    return _check_limit(
        answer, 2 / 25,
        mistakes=[
            (2.0, "2/λ₁ = 2 keeps w₁ stable, but w₂ (curvature 25) diverges for η > 2/25: the steepest "
                  "direction rules."),
            (1 / 25, "1/λ₂ is the step that lands w₂ at 0 in one step; stability holds up to 2/λ₂."),
            (2 / 26, "the curvatures do not add: each direction has its own condition |1 − ηλᵢ| < 1."),
            (4 / 25, "λ₂ is 25 (the second derivative of ½·25·w₂²), not 12.5."),
        ],
        hint="each coordinate descends on its own with factor 1 − ηλᵢ; all must satisfy |1 − ηλᵢ| < 1.",
        success="η < 2/25 = 0.08: the steepest direction sets the limit, the shallow one then crawls.",
    )
