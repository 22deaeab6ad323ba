"""Notebook 03's exercises: one update step, the stability limit 2/λ, the factor 1 − ηλ."""

from .core import check_number

__all__ = ["check_nb03_update_step", "check_nb03_stability_limit", "check_nb03_error_factor", "check_nb03_bowl_limit"]



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
    """Exercise 2: the largest stable learning rate for E(w) = 5(w − 1)² (λ = E'' = 10)."""
    return check_number(
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
        success="1 − ηλ = −0.5: the error halves and flips sign every step, an oscillation that converges.",
    )


def check_nb03_bowl_limit(answer):
    """Exercise 4: the largest stable η on the bowl E = ½(w₁² + 25·w₂²) (curvatures 1 and 25)."""
    return check_number(
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
