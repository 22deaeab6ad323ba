"""Tests of notebook 05's demos, exercises and dosage plots (expected numbers are literals)."""

import warnings

import numpy as np
import pytest

from backprop_helpers import new_figure
from backprop_helpers.course.nb05 import (
    DOSAGE_PARAMS,
    SquigglePlot,
    check_b3_after_one_step,
    check_dssr_db3_at_1,
    check_dssr_dw3,
    dosage_b3_demo,
    dosage_full_fit_demo,
    dosage_learning_rate_demo,
    dosage_start_guess,
    plot_ssr_vs_b3,
)


def finite_artists(ax):
    """Every line on ``ax`` holds finite data only (no NaN or inf was drawn)."""
    return all(np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all() for line in ax.lines)


# --- demo 1: drag b3 ---------------------------------------------------------------------------

def test_b3_demo_sweep_extremes():
    demo = dosage_b3_demo()
    statuses = {(name, value): status for name, value, status in demo.sweep_extremes()}
    assert statuses[("b3", 0.0)] == "b3 = 0.00: SSR = 20.42, dSSR/db3 = -15.66"
    assert statuses[("b3", -1.0)] == "b3 = -1.00: SSR = 39.08, dSSR/db3 = -21.66"
    assert statuses[("b3", 5.0)] == "b3 = 5.00: SSR = 17.15, dSSR/db3 = 14.34"


def test_b3_demo_near_the_minimum_has_a_flat_tangent_and_moves_the_residuals():
    demo = dosage_b3_demo()
    status = demo.update(b3=2.61)
    assert status == "b3 = 2.61: SSR = 0.00, dSSR/db3 = 0.00"
    left = demo.fig.axes[0]
    # the residual segments now run from each observation to a prediction within 0.01 of it
    segments = [line for line in left.lines if len(line.get_xdata()) == 2]
    assert segments
    for seg in segments:
        (_, t), (_, y) = seg.get_xydata()
        assert abs(t - y) < 0.01
    assert all(finite_artists(ax) for ax in demo.fig.axes)


# --- demo 2: the learning rate ---------------------------------------------------------------

def test_learning_rate_demo_sweep_extremes():
    demo = dosage_learning_rate_demo()
    statuses = {(name, value): status for name, value, status in demo.sweep_extremes()}
    assert statuses[("eta", 0.1)] == ("η = 0.1: stopped after 9 steps (step size below 0.001), "
                                      "approaching from one side, at b3 = 2.61")
    assert statuses[("eta", 10.0)].startswith("η = 10: diverged after ")
    assert "still approaching" in statuses[("eta", 0.001)] and "slow" in statuses[("eta", 0.001)]
    assert statuses[("steps", 1)] == "η = 0.1: still approaching the minimum after 1 step, b3 = 1.57"
    assert statuses[("steps", 100)] == statuses[("eta", 0.1)]


@pytest.mark.parametrize("eta, words", [
    (0.01, "still approaching"),
    (0.2, "stopped after 6 steps (step size below 0.001), oscillating around the minimum"),
    (0.3, "oscillating, still converging"),
    (1 / 3, "oscillating without settling"),
    (0.34, "diverging after 30 steps: each overshoot is larger than the last (η is above 2/λ = 1/3)"),
    (0.4, "diverged after 23 steps"),
    (1.0, "diverged"),
    (10.0, "diverged"),
])
def test_learning_rate_demo_says_converge_oscillate_or_diverge(eta, words):
    demo = dosage_learning_rate_demo()
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        status = demo.update(eta=eta, steps=30)
    assert words in status
    assert all(finite_artists(ax) for ax in demo.fig.axes)


@pytest.mark.parametrize("eta, steps, status", [
    # above 1/3 but not yet past the divergence threshold: still called diverging, not "oscillating"
    (0.4, 5, "η = 0.4: diverging after 5 steps: each overshoot is larger than the last (η is above 2/λ = 1/3)"),
    (10.0, 1, "η = 10: diverging after 1 step: each overshoot is larger than the last (η is above 2/λ = 1/3)"),
    # a small η stops early: |η·dSSR/db3| < 0.001 once |dSSR/db3| < 0.1, about 0.1/6 short of 2.61
    (0.01, 100, "η = 0.01: stopped after 82 steps (step size below 0.001), approaching from one side, at b3 = 2.59"),
    (1 / 3, 30, "η = 0.333: oscillating without settling after 30 steps: η is exactly 2/λ = 1/3"),
])
def test_learning_rate_demo_exact_statuses(eta, steps, status):
    assert dosage_learning_rate_demo().update(eta=eta, steps=steps) == status


def test_learning_rate_demo_never_raises_at_absurd_values():
    demo = dosage_learning_rate_demo()
    with np.errstate(all="raise"):
        assert "diverged" in demo.update(eta=1e300, steps=100)
        assert "diverged after 1 step" in demo.update(eta=1e300, steps=1)
    assert all(finite_artists(ax) for ax in demo.fig.axes)


# --- demo 3: all seven parameters --------------------------------------------------------------

def test_full_fit_demo_sweep_extremes():
    demo = dosage_full_fit_demo()
    statuses = {(name, value): status for name, value, status in demo.sweep_extremes()}
    assert statuses[("steps", 0)] == "after 0 steps: SSR = 1.0950"
    last = demo.controls["steps"].max
    assert statuses[("steps", last)].endswith("(converged: every step size below 0.0001)")
    ssr = float(statuses[("steps", last)].split("SSR = ")[1].split()[0])
    assert ssr < 0.001


def test_full_fit_demo_uses_the_seed_and_says_when_it_stopped():
    demo = dosage_full_fit_demo(seed=0)
    assert demo.update(steps=1) == "after 1 step: SSR = 0.6841"
    # seed 0 "converges" on the flat stretch: the squiggle is a flat line at 1/3, SSR = 2/3
    assert demo.update(steps=10_000) == "after 293 steps: SSR = 0.6667 (converged: every step size below 0.0001)"
    still_moving = dosage_full_fit_demo(seed=1).update(steps=10_000)
    assert still_moving == "after 3000 steps: SSR = 0.1765 (still moving after 3000 steps)"


def test_full_fit_demo_ssr_goes_down_along_the_slider():
    demo = dosage_full_fit_demo()
    values = [float(demo.update(steps=s).split("SSR = ")[1].split()[0]) for s in (0, 100, 300, 500, 10_000)]
    assert values == sorted(values, reverse=True)
    assert values[0] > 1.0


def test_start_guess_is_seeded_normal_weights_and_zero_biases():
    guess = dosage_start_guess(3)
    assert guess == dosage_start_guess(3)
    assert guess != dosage_start_guess(4)
    assert [guess[b] for b in ("b1", "b2", "b3")] == [0.0, 0.0, 0.0]
    assert guess["w1"] == pytest.approx(2.04, abs=0.005)


# --- plots ------------------------------------------------------------------------------------------

def test_squiggle_plot_residuals_run_from_observation_to_prediction():
    fig, ax = new_figure()
    plot = SquigglePlot(ax, DOSAGE_PARAMS, ylim=(-3, 1.5))
    predicted = plot.update(DOSAGE_PARAMS)
    assert predicted == pytest.approx([-2.60366524, -1.60901932, -2.61486963], abs=1e-7)
    ends = [seg.get_xydata().ravel() for seg in plot.residuals]
    assert ends[1] == pytest.approx([0.5, 1.0, 0.5, -1.60901932], abs=1e-7)


def test_squiggle_plot_clips_wild_parameters():
    fig, ax = new_figure()
    plot = SquigglePlot(ax, DOSAGE_PARAMS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot.update({**DOSAGE_PARAMS, "w3": 1e300, "w1": 1e300})
    assert finite_artists(ax)


def test_ssr_curve_tangent_has_the_chain_rule_slope():
    fig, ax = new_figure()
    curve = plot_ssr_vs_b3(ax, DOSAGE_PARAMS)
    ssr, slope = curve.move_to(0.0)
    assert ssr == pytest.approx(20.4235976775892)
    assert slope == pytest.approx(-15.6551083805777)
    (x0, y0), (x1, y1) = curve.tangent.get_xydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(-15.6551083805777)


# --- exercises --------------------------------------------------------------------------------------

@pytest.mark.parametrize("check, right", [
    (check_dssr_db3_at_1, -9.65510838058),
    (check_b3_after_one_step, 1.965510838058),
    (check_dssr_dw3, -16.1087501344),
])
def test_checks_accept_the_right_answer(check, right):
    feedback = check(right)
    assert feedback.correct
    assert repr(feedback).startswith("✅")


@pytest.mark.parametrize("check, wrong, hint", [
    (check_dssr_db3_at_1, 4.82755419029, "factor −2"),        # Σ(t − ŷ): forgot the −2
    (check_dssr_db3_at_1, 9.65510838058, "sign is flipped"),
    (check_dssr_db3_at_1, -4.82755419029, "not −1"),
    (check_b3_after_one_step, 0.034489161942, "uphill"),       # added the step
    (check_b3_after_one_step, 10.65510838058, "learning rate"),  # forgot η
    (check_b3_after_one_step, -0.965510838058, "minus it"),    # gave the step size
    (check_dssr_dw3, -15.6551083806, "softplus(w1·x + b1)"),   # forgot the chain factor
    (check_dssr_dw3, 16.1087501344, "sign is flipped"),
    (check_dssr_dw3, 8.0543750672, "left out the −2"),
    (check_dssr_dw3, 19.0992322243, "not w3"),                 # used w3 instead of softplus
])
def test_checks_recognise_common_mistakes(check, wrong, hint):
    feedback = check(wrong)
    assert not feedback.correct
    assert hint in feedback.message


@pytest.mark.parametrize("check", [check_dssr_db3_at_1, check_b3_after_one_step, check_dssr_dw3])
@pytest.mark.parametrize("answer", [None, "-9.6", [1, 2], float("nan"), True, 123.0])
def test_checks_never_raise_on_wrong_kinds(check, answer):
    feedback = check(answer)
    assert not feedback.correct
    assert feedback.message
