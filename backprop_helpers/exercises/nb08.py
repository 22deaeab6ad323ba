"""Notebook 08's exercises: two momentum steps, Adam's first step, the L2-penalised gradient,
clipping by the global norm.

Convention (as in ``optimizers``): the L2 penalty is ½λΣw², so its gradient is λw.
"""

import numbers

import numpy as np
import sympy

from .core import Feedback, check_array, check_expression, check_number

__all__ = ["check_momentum_steps", "check_adam_first_step", "check_l2_gradient", "check_clipped_gradient"]


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
