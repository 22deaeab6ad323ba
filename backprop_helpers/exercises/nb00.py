"""Notebook 00's warm-up exercise: reading a slope off the tangent demo."""

from .core import check_number

__all__ = ["check_nb00_slope"]


def check_nb00_slope(answer):
    """The slope of f(x) = x² at x₀ = 1.5, which the tangent demo shows as f′(x₀) = 2x₀ = 3."""
    return check_number(
        answer, 3.0,
        mistakes=[
            (2.25, "2.25 is f(1.5) = 1.5², the height of the curve. The slope is f′(x₀) = 2x₀."),
            (1.5, "1.5 is x₀ itself. The slope of x² at x₀ is 2x₀."),
            (-3.0, "check the sign: x² rises to the right of 0, so its slope at 1.5 is positive."),
        ],
        hint="move the slider to x₀ = 1.50 with f = x² and read the slope from the status line, or use f′(x) = 2x.",
        success="f′(1.5) = 2 · 1.5 = 3: the tangent rises 3 units per unit of x.",
    )
