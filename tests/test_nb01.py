"""Notebook 01: the worked example's gradient, the directional-derivative demo, the exercises."""

import numpy as np
import pytest
import sympy

from backprop_helpers import numerical_gradient
from backprop_helpers.course.nb01 import (
    NB01_G,
    NB01_X,
    NB01_Y,
    check_nb01_directional_derivative,
    check_nb01_gradient_at_point,
    check_nb01_partial_x,
    check_nb01_partial_y,
    check_nb01_steepest_slope,
    directional_derivative_demo,
    nb01_f,
    nb01_grad,
)

x, y = NB01_X, NB01_Y


@pytest.mark.parametrize("point", [(1.5, 0.5), (-2.0, 1.0), (0.3, -1.7)])
def test_gradient_matches_finite_differences_and_sympy(point):
    numeric = numerical_gradient(lambda p: nb01_f(p[0], p[1]), np.array(point))
    assert np.allclose(nb01_grad(*point), numeric, rtol=1e-8, atol=1e-9)
    f_expr = x**2 * y + sympy.sin(y)
    symbolic = [float(sympy.diff(f_expr, v).subs({x: point[0], y: point[1]})) for v in (x, y)]
    assert np.allclose(nb01_grad(*point), symbolic, rtol=1e-12)


def test_demo_sweep_gives_a_status_for_every_extreme():
    demo = directional_derivative_demo()
    results = demo.sweep_extremes()
    assert len(results) == 9
    for _name, _value, status in results:
        assert status.startswith("at (x, y) = (")
        assert "nan" not in status.lower() and "inf" not in status
    statuses = {(name, value): status for name, value, status in results}
    # x = -2, y = 1: ∇f = (2·(−2)·1, 4 + cos 1) = (−4, 4.54), |∇f| = 6.05, along θ = 90° the slope is 4.54
    assert "∇f = (-4.00, 4.54), |∇f| = 6.05 at θ = 131°" in statuses[("x", -2.0)]
    assert statuses[("x", -2.0)].endswith("the slope ∇f·u = 4.54")
    assert "along θ = 360° the slope ∇f·u = 2.00" in statuses[("theta", 360.0)]


def test_demo_names_steepest_ascent_descent_and_contour_directions():
    demo = directional_derivative_demo()
    # at (1, 1): ∇f = (2, 1 + cos 1) = (2, 1.5403); its angle is atan2(1.5403, 2) = 37.6°
    angle = np.degrees(np.arctan2(1 + np.cos(1.0), 2.0))
    ascent = demo.update(x=1.0, y=1.0, theta=angle)
    assert ascent.endswith("the slope ∇f·u = 2.52 — the steepest ascent, equal to |∇f|")
    assert "the steepest descent" in demo.update(x=1.0, y=1.0, theta=angle + 180)
    assert "along the contour" in demo.update(x=1.0, y=1.0, theta=angle + 90)
    assert demo.update(x=1.0, y=1.0, theta=0.0).endswith("the slope ∇f·u = 2.00")


def test_demo_at_a_flat_spot_says_so_without_warnings():
    demo = directional_derivative_demo()
    with np.errstate(all="raise"):
        status = demo.update(x=0.0, y=np.pi / 2, theta=45.0)
    assert "∇f ≈ 0, a flat spot" in status


def test_demo_moves_the_point_and_slope_marker():
    demo = directional_derivative_demo()
    demo.set(x=-1.0, y=0.5, theta=180.0)
    axes = demo.fig.axes
    point = [line for line in axes[0].lines if line.get_marker() == "o"][0]
    assert list(point.get_xdata()) == [-1.0] and list(point.get_ydata()) == [0.5]
    chosen = axes[1].lines[2]
    # slope along θ = 180° is −∂f/∂x = −2xy = −2·(−1)·0.5 = 1
    assert chosen.get_xdata()[0] == 180.0 and chosen.get_ydata()[0] == pytest.approx(1.0)


# --- exercises -----------------------------------------------------------------------------

CASES = [
    # (check, right answer, [(mistake, words in its hint)], wrong kind)
    (check_nb01_partial_x, "3*x**2*y", [
        ("3*x**2*y - 2*sin(2*y)", "held fixed"),
        ("3*x**2", "keep the factor y"),
        ("x**3", "∂/∂y of x³y"),
    ], "3 x^^2"),
    (check_nb01_partial_y, x**3 - 2 * sympy.sin(2 * y), [
        ("x**3 - sin(2*y)", "chain factor"),
        ("x**3 + 2*sin(2*y)", "sign"),
        ("3*x**2*y + x**3 - 2*sin(2*y)", "x is held fixed"),
    ], [1, 2]),
    (check_nb01_gradient_at_point, [6.0, 8 - 2 * np.sin(1.0)], [
        ([8 - 2 * np.sin(1.0), 6.0], "wrong order"),
        ([6.0, 8 - np.sin(1.0)], "chain factor"),
        ([6.0, 8 + 2 * np.sin(1.0)], "sign error"),
    ], "six"),
    (check_nb01_directional_derivative, -1 / np.sqrt(2), [
        (-1.0, "divide v by its length"),
        (1 / np.sqrt(2), "sign"),
        (5.0, "along the gradient itself"),
    ], "-0.7"),
    (check_nb01_steepest_slope, 5.0, [
        (25.0, "square root"),
        (7.0, "not |3| + |−4|"),
        (-5.0, "steepest *descent*"),
    ], "5"),
]


@pytest.mark.parametrize(("check", "right", "mistakes", "wrong_kind"), CASES)
def test_checks_accept_the_answer_and_explain_mistakes(check, right, mistakes, wrong_kind):
    assert check(right).correct
    assert repr(check(right)).startswith("✅ Correct!")
    for mistake, words in mistakes:
        feedback = check(mistake)
        assert not feedback.correct
        assert words in feedback.message, (mistake, feedback.message)
    assert not check(None).correct and "no answer yet" in check(None).message
    wrong = check(wrong_kind)
    assert not wrong.correct
    assert "expected" in wrong.message or "could not read" in wrong.message


def test_partial_derivative_checks_agree_with_sympy():
    assert check_nb01_partial_x(sympy.diff(NB01_G, x)).correct
    assert check_nb01_partial_y(sympy.diff(NB01_G, y)).correct


def test_steepest_slope_asks_for_a_number_not_a_direction():
    assert "one number" in check_nb01_steepest_slope([0.6, -0.8]).message
    # a size-1 array is a number, not a direction
    assert check_nb01_steepest_slope(np.array(5.0)).correct
    assert check_nb01_steepest_slope(np.array([5.0])).correct
    assert "one number" not in check_nb01_steepest_slope(np.array([7.0])).message


def test_demo_says_along_the_contour_at_the_nearest_slider_angle():
    demo = directional_derivative_demo()
    # at (1, 1) the gradient's angle is 37.6°; the slider moves in 5° steps, so the closest
    # perpendicular angle it reaches is 130° (2.4° off), where |slope| = |∇f|·sin 2.4° ≈ 0.042·|∇f|
    angle = np.degrees(np.arctan2(1 + np.cos(1.0), 2.0))
    nearest = 5 * round((angle + 90) / 5)
    assert abs(np.sin(np.radians(nearest - angle - 90))) < 0.05
    assert "along the contour" in demo.update(x=1.0, y=1.0, theta=float(nearest))
    assert "along the contour" not in demo.update(x=1.0, y=1.0, theta=float(nearest + 5))
