"""Notebook 01: the worked example's gradient, the directional-derivative demo, the exercises."""

import pathlib
import re

import matplotlib.pyplot as plt
import nbformat
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
    check_partial_x,
    describe_slope,
    directional_derivative_demo,
    directional_slope,
    nb01_f,
    nb01_grad,
    nb01_hessian,
    slice_figure,
)

x, y = NB01_X, NB01_Y


@pytest.mark.parametrize("point", [(1.5, 0.5), (-2.0, 1.0), (0.3, -1.7)])
def test_gradient_matches_finite_differences_and_sympy(point):
    numeric = numerical_gradient(lambda p: nb01_f(p[0], p[1]), np.array(point))
    assert np.allclose(nb01_grad(*point), numeric, rtol=1e-8, atol=1e-9)
    f_expr = x**2 * y + sympy.sin(y)
    symbolic = [float(sympy.diff(f_expr, v).subs({x: point[0], y: point[1]})) for v in (x, y)]
    assert np.allclose(nb01_grad(*point), symbolic, rtol=1e-12)


def test_hessian_matches_sympy_and_finite_differences():
    f_expr = x**2 * y + sympy.sin(y)
    for point in [(1.5, 0.5), (0.0, np.pi / 2), (-1.0, -2.0)]:
        subs = {x: point[0], y: point[1]}
        symbolic = [[float(sympy.diff(f_expr, a, b).subs(subs)) for b in (x, y)] for a in (x, y)]
        assert np.allclose(nb01_hessian(*point), symbolic, atol=1e-12)
        rows = [numerical_gradient(lambda p, i=i: nb01_grad(p[0], p[1])[i], np.array(point)) for i in range(2)]
        assert np.allclose(nb01_hessian(*point), rows, atol=1e-7)


def test_slope_record_against_hand_numbers():
    # x = −2, y = 1: ∇f = (2·(−2)·1, 4 + cos 1) = (−4, 4.5403), |∇f| = 6.051, angle atan2(4.54, −4) = 131.4°
    record = directional_slope(-2.0, 1.0, 90.0)
    assert record.gradient == pytest.approx([-4.0, 4 + np.cos(1.0)])
    assert record.norm == pytest.approx(np.hypot(4, 4 + np.cos(1.0)))
    assert record.gradient_angle == pytest.approx(180 - np.degrees(np.arctan2(4 + np.cos(1.0), 4)))
    assert record.slope == pytest.approx(4 + np.cos(1.0))  # along θ = 90° the slope is ∂f/∂y
    assert record.kind == ""
    assert directional_slope(1.0, 1.0, 360.0).slope == pytest.approx(2.0)  # θ = 360° is the x-axis: ∂f/∂x = 2


def test_slope_record_names_ascent_descent_contour_and_flat():
    angle = np.degrees(np.arctan2(1 + np.cos(1.0), 2.0))  # ∇f(1, 1) = (2, 1 + cos 1) points at 37.6°
    ascent = directional_slope(1.0, 1.0, angle)
    assert ascent.kind == "ascent" and ascent.slope == pytest.approx(np.hypot(2, 1 + np.cos(1.0)))
    assert directional_slope(1.0, 1.0, angle + 180).kind == "descent"
    assert directional_slope(1.0, 1.0, angle + 90).kind == "contour"
    assert directional_slope(1.0, 1.0, 0.0).kind == ""
    with np.errstate(all="raise"):
        flat = directional_slope(0.0, np.pi / 2, 45.0)
    assert flat.kind == "flat" and flat.gradient_angle is None and flat.norm < 1e-12
    # the slider's nearest stop to the flat spot, y = 1.55, is almost flat but not flat
    near = directional_slope(0.0, 1.55, 45.0)
    assert near.kind != "flat" and near.norm == pytest.approx(np.cos(1.55))


def test_every_slider_extreme_gives_a_record_and_a_status():
    demo = directional_derivative_demo()
    try:
        for name, value, status in demo.sweep_extremes():
            record = directional_slope(**{**demo.values(), name: value})
            assert np.isfinite(record.slope) and np.isfinite(record.norm)
            assert status == describe_slope(record)
    finally:
        plt.close(demo.fig)


def _by_gid(fig, gid):
    (artist,) = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    return artist


def test_demo_moves_the_point_and_slope_marker_and_labels_its_contours():
    demo = directional_derivative_demo()
    try:
        demo.set(x=-1.0, y=0.5, theta=180.0)
        point = _by_gid(demo.fig, "point")
        assert list(point.get_xdata()) == [-1.0] and list(point.get_ydata()) == [0.5]
        chosen = _by_gid(demo.fig, "chosen θ")
        # slope along θ = 180° is −∂f/∂x = −2xy = −2·(−1)·0.5 = 1
        assert chosen.get_xdata()[0] == 180.0 and chosen.get_ydata()[0] == pytest.approx(1.0)
        peak = _by_gid(demo.fig, "peak")  # at the gradient's angle, with height |∇f|
        record = directional_slope(-1.0, 0.5, 180.0)
        assert peak.get_xdata()[0] == pytest.approx(record.gradient_angle)
        assert peak.get_ydata()[0] == pytest.approx(record.norm)
        contour_axes = demo.fig.axes[0]
        assert len(contour_axes.texts) >= 5  # contour labels carry the values of f
        assert any(ax.get_ylabel() == "f(x, y)" for ax in demo.fig.axes)  # the colour bar
    finally:
        plt.close(demo.fig)


def test_slice_tangents_have_the_partial_derivatives_as_slopes():
    fig, (left, right) = slice_figure(1.5, 0.5)
    try:
        for gid, expected in (("tangent ∂f/∂x", 2 * 1.5 * 0.5), ("tangent ∂f/∂y", 1.5**2 + np.cos(0.5))):
            xs, ys = _by_gid(fig, gid).get_data()
            assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(expected)
        assert left.slope == pytest.approx(1.5) and right.slope == pytest.approx(2.25 + np.cos(0.5))
    finally:
        plt.close(fig)
    with pytest.raises(TypeError, match="x0"):
        slice_figure("1")


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


def test_along_the_contour_at_the_nearest_slider_angle():
    # at (1, 1) the gradient's angle is 37.6°; the slider moves in 5° steps, so the closest
    # perpendicular angle it reaches is 130° (2.4° off), where |slope| = |∇f|·sin 2.4° ≈ 0.042·|∇f|
    angle = np.degrees(np.arctan2(1 + np.cos(1.0), 2.0))
    nearest = 5 * round((angle + 90) / 5)
    assert abs(np.sin(np.radians(nearest - angle - 90))) < 0.05
    assert directional_slope(1.0, 1.0, float(nearest)).kind == "contour"
    assert directional_slope(1.0, 1.0, float(nearest + 5)).kind == ""


# --- the numbers the committed notebook shows ------------------------------------------------

NOTEBOOK = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "01_partial_derivatives_and_gradients.ipynb"


def _stdout(marker):
    """The printed text of the one code cell whose source contains ``marker``."""
    (cell,) = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code" and marker in c.source]
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_notebook_linear_approximation_errors_shrink_like_h_squared():
    text = _stdout("tangent plane = ")
    errors = [float(e) for e in re.findall(r"error = ([0-9.e+-]+)", text)]
    assert len(errors) == 3
    # second-order Taylor term ½·dᵀHd with d = h·(1, 2) and H(1.5, 0.5) = [[1, 3], [3, −sin 0.5]]:
    # ½h²(1 + 12 − 4 sin 0.5) = 5.54·h²
    for h, error in zip((0.1, 0.01, 0.001), errors):
        assert error == pytest.approx(0.5 * h**2 * (13 - 4 * np.sin(0.5)), rel=0.05)


def test_notebook_curvature_along_u_and_saddle_eigenvalues():
    text = _stdout("eigvalsh")
    assert "sympy check: g''(0) = uᵀHu ✓" in text
    # uᵀHu at (1.5, 0.5) along 30°: cos²30°·2y + 2 cos30° sin30°·2x + sin²30°·(−sin y), worked by hand
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    by_hand = c * c * 1.0 + 2 * c * s * 3.0 - s * s * np.sin(0.5)
    shown = [float(v) for v in re.findall(r"numerical (-?[0-9.]+)\s+uᵀHu = (-?[0-9.]+)", text)[0]]
    assert shown == pytest.approx([by_hand, by_hand], abs=1e-5)
    # at (0, ±π/2): H = diag(±π, ∓1), eigenvalues −1, π and −π, 1
    pairs = [tuple(map(float, p)) for p in re.findall(r"eigenvalues of H = (-?[0-9.]+) and (-?[0-9.]+)", text)]
    assert pairs == [pytest.approx((-1.0, np.pi), abs=1e-4), pytest.approx((-np.pi, 1.0), abs=1e-4)]


def test_check_partial_x_accepts_a_central_difference_and_names_each_mistake():
    def partial_x(f, x, y, h=1e-5):
        return (f(x + h, y) - f(x - h, y)) / (2 * h)

    assert check_partial_x(partial_x).correct
    assert check_partial_x(lambda f, x, y, h=1e-4: (f(x + h, y) - f(x - h, y)) / (2 * h)).correct  # any small h
    for wrong, words in [
        (lambda f, x, y, h=1e-5: (f(x + h, y) - f(x - h, y)) / h, "divide by 2h"),
        (lambda f, x, y, h=1e-5: (f(x, y + h) - f(x, y - h)) / (2 * h), "nudges y"),
        (lambda f, x, y, h=1e-5: (f(x + h, y + h) - f(x - h, y - h)) / (2 * h), "diagonal"),
        (lambda f, x, y, h=1e-5: (f(x - h, y) - f(x + h, y)) / (2 * h), "sign"),
        (lambda f, x, y, h=1e-5: (f(x + h, y) - f(x, y)) / h, "forward difference"),
    ]:
        feedback = check_partial_x(wrong)
        assert not feedback.correct and words in feedback.message, feedback.message

    def stub(f, x, y, h=1e-5):
        ...
    assert "returned None" in check_partial_x(stub).message
    assert "raised" in check_partial_x(lambda f, x, y, h=1e-5: f(x)).message
