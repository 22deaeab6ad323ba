"""Notebook 00: the tangent demo's record and artists, and the warm-up exercise."""

import math
import pathlib
import re

import matplotlib.pyplot as plt
import nbformat
import pytest

from backprop_helpers.course.nb00 import CURVES, check_nb00_steepest_sigmoid, tangent_at, tangent_demo


@pytest.mark.parametrize(("curve", "x0", "value", "slope"), [
    ("x²", 1.5, 2.25, 3.0),                                   # 1.5² and 2·1.5
    ("sin x", 0.0, 0.0, 1.0),                                 # sin 0 and cos 0
    ("sigmoid", 0.0, 0.5, 0.25),                              # f(0) = ½, f′(0) = ½·½
    ("sigmoid", 2.0, 1 / (1 + math.exp(-2)), math.exp(-2) / (1 + math.exp(-2)) ** 2),  # e⁻ˣ/(1 + e⁻ˣ)²
])
def test_tangent_record_against_hand_values(curve, x0, value, slope):
    point = tangent_at(curve, x0)
    assert point.curve == curve and point.x0 == x0
    assert point.value == pytest.approx(value, abs=1e-12)
    assert point.slope == pytest.approx(slope, abs=1e-12)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="curve"):
        tangent_at("cos x", 1.0)
    with pytest.raises(TypeError, match="x0"):
        tangent_at("x²", "1")


def test_demo_moves_every_tangent_and_highlights_the_chosen_curve():
    demo = tangent_demo()
    try:
        demo.update(x0=0.5, curve="sin x")
        for name in CURVES:
            (line,) = [artist for ax in demo.fig.axes for artist in ax.lines if artist.get_gid() == f"tangent {name}"]
            xs, ys = line.get_data()
            slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
            assert slope == pytest.approx(tangent_at(name, 0.5).slope)
            assert line.get_alpha() == (1.0 if name == "sin x" else 0.25)
        for _, _, status in demo.sweep_extremes():
            assert "nan" not in status and "Could not" not in status
    finally:
        plt.close(demo.fig)


def test_the_steepest_slope_of_the_sigmoid_is_a_quarter_on_the_slider_grid():
    # the slider moves in steps of 0.05 from −3 to 3: the largest slope it can show is at x₀ = 0
    slopes = {round(-3 + 0.05 * k, 2): tangent_at("sigmoid", -3 + 0.05 * k).slope for k in range(121)}
    assert max(slopes, key=slopes.get) == 0.0 and slopes[0.0] == 0.25


def test_warm_up_check_accepts_a_quarter_and_names_each_slip():
    assert check_nb00_steepest_sigmoid(0.25).correct
    assert check_nb00_steepest_sigmoid(0.250).correct
    assert "height" in check_nb00_steepest_sigmoid(0.5).message
    assert "x₀ = 1" in check_nb00_steepest_sigmoid(0.197).message
    assert "never" in check_nb00_steepest_sigmoid(1).message
    assert "tails" in check_nb00_steepest_sigmoid(0).message
    assert not check_nb00_steepest_sigmoid(0.3)
    assert "replace None" in check_nb00_steepest_sigmoid(None).message
    assert "expected a number" in check_nb00_steepest_sigmoid("0.25").message


def test_the_exercise_answer_is_not_on_screen_before_the_exercise():
    path = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "00_start_here.ipynb"
    cells = nbformat.read(path, as_version=4).cells
    exercise = next(i for i, c in enumerate(cells) if "check_nb00_steepest_sigmoid(answer)" in c.source)
    shown = []
    for cell in cells[:exercise]:
        shown.append(cell.source)
        for output in cell.get("outputs", []):
            shown.append(output.get("text", "") + output.get("data", {}).get("text/plain", ""))
    assert not re.search(r"0\.25\b|0\.250|¼|1/4", "\n".join(shown))
    assert "rng" not in cells[next(i for i, c in enumerate(cells) if c.cell_type == "code")].source
