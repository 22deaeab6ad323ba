"""Tests of notebook 05's demos (on their run records), exercises and dosage plots (expected numbers are literals)."""

import math
import warnings

import numpy as np
import pytest

from backprop_helpers import new_figure
from backprop_helpers.course.nb05 import (
    DOSAGE,
    DOSAGE_PARAMS,
    FULL_FIT_STRIDE,
    SquigglePlot,
    b3_run,
    check_b3_after_one_step,
    check_dssr_all,
    check_dssr_db3,
    check_dssr_db3_at_1,
    check_dssr_dw3,
    check_dssr_dw3_dw4,
    dosage_b3_demo,
    dosage_full_fit_demo,
    dosage_hessian,
    dosage_learning_rate_demo,
    dosage_predict,
    dosage_start_guess,
    draw_dosage_network,
    fit_dosage,
    full_fit_run,
    plot_squiggle_parts,
    plot_ssr_vs_b3,
)


def finite_artists(ax):
    """Every line on ``ax`` holds finite data only (no NaN or inf was drawn)."""
    return all(np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all() for line in ax.lines)


# --- demo 1: drag b3 ---------------------------------------------------------------------------

def test_b3_demo_near_the_minimum_has_a_flat_tangent_and_moves_the_residuals():
    demo = dosage_b3_demo()
    demo.update(b3=15.6551083806 / 6)  # the minimum b3* = −(dSSR/db3 at 0)/λ, λ = 6 (sympy literal)
    left, right = demo.fig.axes
    segments = [line for line in left.lines if (line.get_gid() or "").startswith("residual")]
    assert len(segments) == 3
    for seg in segments:  # each residual runs from an observation to a prediction within 0.01 of it
        (_, t), (_, y) = seg.get_xydata()
        assert abs(t - y) < 0.01
    (tangent,) = [line for line in right.lines if line.get_label() == "tangent"]
    (x0, y0), (x1, y1) = tangent.get_xydata()
    assert abs((y1 - y0) / (x1 - x0)) < 1e-6
    assert all(finite_artists(ax) for ax in demo.fig.axes)


# --- demo 2: the learning rate ---------------------------------------------------------------

@pytest.mark.parametrize("eta, status, steps", [
    # SSR(b3) has curvature 6: the factor per step is 1 − 6η, the step from b3_k is 6η·2.609·|1 − 6η|^k
    (0.001, "step limit", 30),  # 0.006·2.609·0.994^k is still above 0.001 after 30 steps
    (0.1, "converged", 10),     # 0.6·2.609·0.4^k < 0.001 first at k = 9
    (0.2, "converged", 7),      # 1.2·2.609·0.2^k < 0.001 first at k = 6
    (0.3, "step limit", 30),    # factor −0.8: 1.8·2.609·0.8^30 = 5.8e-3, still above
    (1 / 3, "step limit", 30),  # factor −1: it bounces between 0 and 2b3*
    (0.4, "step limit", 30),    # factor −1.4: 2.609·1.4^30 = 6.2e4 has not passed 1e6
    (1.0, "diverged", 7),       # factor −5: 2.609·5^k passes 1e6 + 2.609 at k = 8, 7 updates kept
])
def test_learning_rate_demo_runs(eta, status, steps):
    fit = b3_run(eta, 30)
    assert (fit.status, fit.steps) == (status, steps)


@pytest.mark.parametrize("eta", [0.001, 0.1, 0.2, 0.3, 1 / 3, 0.34, 0.4, 1.0, 10.0, 1e300])
def test_learning_rate_demo_draws_the_run_without_warnings(eta):
    demo = dosage_learning_rate_demo()
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        demo.update(eta=eta, steps=30)
    fit = b3_run(eta, 30)
    b3_line = next(line for line in demo.fig.axes[1].lines if line.get_gid() == "b3")
    assert len(b3_line.get_xdata()) == fit.steps + 1
    assert all(finite_artists(ax) for ax in demo.fig.axes)


def test_a_small_learning_rate_stops_short_of_the_minimum():
    # the step 0.01·6·(b3* − b3) is first below 0.001 when b3* − b3 < 0.1/6; that step is taken, and it
    # multiplies the distance by 1 − 0.06 = 0.94: the run ends between 0.94²·0.1/6 and 0.94·0.1/6 short of b3*
    fit = b3_run(0.01, 100)
    assert fit.status == "converged" and fit.steps == 83
    assert 0.94**2 * 0.1 / 6 < 15.6551083806 / 6 - fit.final["b3"] < 0.94 * 0.1 / 6


# --- demo 3: all seven parameters --------------------------------------------------------------

def test_full_fit_demo_follows_its_run():
    demo = dosage_full_fit_demo()
    fit = full_fit_run()
    assert fit.status == "converged" and fit.run.losses[-1] < 1e-3 and fit.run.losses[0] > 1.0
    # the slider goes in strides of 10 steps; its end, the run's length rounded up, shows the last step
    steps = demo.controls["steps"]
    assert steps.step == FULL_FIT_STRIDE and steps.max == 800 and fit.steps == 799
    assert demo.play == "steps"
    marker = next(line for line in demo.fig.axes[1].lines if line.get_gid() == "marker")
    for k in (0, 100, fit.steps):
        demo.update(steps=k)
        assert marker.get_xydata().tolist() == [[k, fit.run.losses[k]]]
    assert demo.update(steps=800) == demo.update(steps=799)
    assert "converged" in demo.update(steps=800) and marker.get_xydata().tolist() == [[799, fit.run.losses[799]]]
    assert np.all(np.diff(fit.run.losses[::50]) < 0)  # SSR goes down along the slider


@pytest.mark.parametrize("factory", [dosage_learning_rate_demo, dosage_full_fit_demo])
def test_playing_the_steps_only_moves_artists(factory):
    # Play animates the steps slider; every frame of it keeps the axes as they are (so it is blitted)
    demo = factory()
    assert demo.play == "steps"
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in demo.fig.axes]
    control = demo.controls["steps"]
    statuses = []
    for k in range(control.min, control.max + 1, control.step):
        statuses.append(demo.set(steps=k))
        assert [(ax.get_xlim(), ax.get_ylim()) for ax in demo.fig.axes] == limits
    assert len(set(statuses)) > 5 and not any("Could not" in s for s in statuses)


def test_full_fit_runs_of_the_other_seeds():
    # seed 0 "converges" on the flat stretch: the squiggle is a flat line at 1/3, SSR = 2/3
    flat = full_fit_run(seed=0)
    assert flat.status == "converged" and flat.run.losses[-1] == pytest.approx(2 / 3, abs=1e-3)
    y = dosage_predict(DOSAGE, flat.final)
    assert y == pytest.approx([1 / 3] * 3, abs=0.02)
    assert full_fit_run(seed=1).status == "step limit"


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


# --- your turn ----------------------------------------------------------------------------------

X_DATA, T_DATA = np.array([0.0, 0.5, 1.0]), np.array([0.0, 1.0, 0.0])  # the dosage data, written out


def chain(p, factor=-2.0, hidden=lambda z: 1 / (1 + np.exp(-z)), through_weight=True, with_x=True):
    """The seven partials written out here with numpy (softplus = log1p(exp)), with knobs for the mistakes."""
    softplus = lambda z: np.log1p(np.exp(z))
    z1, z2 = p["w1"] * X_DATA + p["b1"], p["w2"] * X_DATA + p["b2"]
    y = p["w3"] * softplus(z1) + p["w4"] * softplus(z2) + p["b3"]
    first = factor * (T_DATA - y)
    at_z1 = first * (p["w3"] if through_weight else 1.0) * hidden(z1)
    at_z2 = first * (p["w4"] if through_weight else 1.0) * hidden(z2)
    x = X_DATA if with_x else 1.0
    return {"w1": float(np.sum(at_z1 * x)), "b1": float(np.sum(at_z1)), "w2": float(np.sum(at_z2 * x)),
            "b2": float(np.sum(at_z2)), "w3": float(np.sum(first * softplus(z1))),
            "w4": float(np.sum(first * softplus(z2))), "b3": float(np.sum(first))}


def test_your_turn_checks_accept_the_chain_rule():
    assert chain(DOSAGE_PARAMS)["b3"] == pytest.approx(-15.6551083806, rel=1e-9)  # the published slope
    assert check_dssr_db3(lambda p: chain(p)["b3"]).correct
    assert check_dssr_dw3_dw4(lambda p: (chain(p)["w3"], chain(p)["w4"])).correct
    assert check_dssr_all(chain).correct


@pytest.mark.parametrize("check, wrong, hint", [
    (check_dssr_db3, lambda p: chain(p, factor=-1.0)["b3"], "the factor 2"),
    (check_dssr_db3, lambda p: chain(p, factor=2.0)["b3"], "the sign"),
    (check_dssr_dw3_dw4, lambda p: (chain(p, factor=-1.0)["w3"], chain(p, factor=-1.0)["w4"]), "the factor 2"),
    (check_dssr_dw3_dw4, lambda p: (chain(p)["w4"], chain(p)["w3"]), "swapped"),
    (check_dssr_dw3_dw4, lambda p: (chain(p)["b3"] * p["w3"], chain(p)["b3"] * p["w4"]), "not w3"),
    (check_dssr_all, lambda p: chain(p, factor=-1.0), "the factor 2"),
    (check_dssr_all, lambda p: chain(p, hidden=lambda z: 1.0), "softplus′ link is missing"),
    (check_dssr_all, lambda p: chain(p, hidden=lambda z: np.log1p(np.exp(z))), "not its output"),
    (check_dssr_all, lambda p: chain(p, through_weight=False), "output weight"),
    (check_dssr_all, lambda p: chain(p, with_x=False), "∂z1/∂w1 = x"),
])
def test_your_turn_checks_name_each_typical_mistake(check, wrong, hint):
    feedback = check(wrong)
    assert not feedback.correct and hint in feedback.message, feedback.message


@pytest.mark.parametrize("fn, words", [
    (lambda p: None, "returned None"),
    (lambda p: 1 / 0, "ZeroDivisionError"),
    (lambda p: np.zeros(3), "one number"),
    (lambda p: "-15.66", "must be a number"),
    (lambda p: float("nan"), "finite"),
])
def test_your_turn_checks_never_raise(fn, words):
    feedback = check_dssr_db3(fn)
    assert not feedback.correct and words in feedback.message, feedback.message
    assert not check_dssr_all(fn).correct and not check_dssr_dw3_dw4(fn).correct
    assert "keys" in check_dssr_all(lambda p: {"w1": 0.0}).message


# --- the network drawing, the squiggle's parts, the curvatures --------------------------------------

def reference_predict(x, p):
    """ŷ written out with the math module, independently of the package."""
    softplus = lambda z: math.log1p(math.exp(z))
    return p["w3"] * softplus(p["w1"] * x + p["b1"]) + p["w4"] * softplus(p["w2"] * x + p["b2"]) + p["b3"]


def test_network_drawing_puts_every_parameter_on_the_figure():
    fig, ax = new_figure()
    draw_dosage_network(ax, DOSAGE_PARAMS)
    texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert texts == {"w1": "w1 = 3.34", "b1": "+ b1 = -1.43", "w2": "w2 = -3.53", "b2": "+ b2 = 0.57",
                     "w3": "w3 = -1.22", "w4": "w4 = -2.30", "b3": "+ b3 = 0.00"}


def test_squiggle_parts_add_up_to_the_squiggle():
    fig, ax = new_figure()
    plot_squiggle_parts(ax, DOSAGE_PARAMS, b3_shown=2.61)
    lines = {line.get_gid(): line for line in ax.lines if line.get_gid()}
    xs = lines["squiggle"].get_xdata()
    assert np.allclose(lines["unit 1"].get_ydata() + lines["unit 2"].get_ydata(), lines["sum"].get_ydata())
    assert np.allclose(lines["squiggle"].get_ydata(), [reference_predict(x, {**DOSAGE_PARAMS, "b3": 2.61}) for x in xs])
    # at x = 0 by hand: w3·ln(1 + e^−1.43) = −1.22·0.2146 = −0.2618
    assert lines["unit 1"].get_ydata()[0] == pytest.approx(-1.22 * math.log1p(math.exp(-1.43)))


def test_hessian_in_the_output_layer_is_two_a_transpose_a():
    # ŷ is linear in (w3, w4, b3): SSR = |t − A·(w3, w4, b3)|², so its Hessian is 2AᵀA with A = [f(z1), f(z2), 1]
    A = np.column_stack([np.log1p(np.exp(3.34 * X_DATA - 1.43)), np.log1p(np.exp(-3.53 * X_DATA + 0.57)), np.ones(3)])
    assert dosage_hessian(DOSAGE_PARAMS, ("w3", "w4", "b3")) == pytest.approx(2 * A.T @ A, rel=1e-6)
    assert dosage_hessian(DOSAGE_PARAMS, ("b3",)) == pytest.approx(np.array([[6.0]]), rel=1e-8)  # 2 × 3 observations
    with pytest.raises(ValueError, match="names"):
        dosage_hessian(DOSAGE_PARAMS, ("b4",))


def test_three_parameter_fit_and_the_saddle_of_seed_0():
    three = fit_dosage(DOSAGE_PARAMS, learning_rate=0.1, fit=("w3", "w4", "b3"), tol=0.001)
    assert three.status == "converged" and three.steps == 267 and three.run.losses[-1] < 1e-3
    assert three.run.path[1, 0] == pytest.approx(-1.22 + 0.1 * 16.1087501344)  # w3 jumps to 0.39 (sympy literal)
    flat = full_fit_run(seed=0)
    assert np.linalg.eigvalsh(dosage_hessian(flat.final))[0] < -1e-3  # a negative curvature: not a minimum
    # with η = 0.1 the seven-parameter fit from seed 3 overshoots: SSR rises again for a while
    assert np.any(np.diff(full_fit_run(learning_rate=0.1).run.losses) > 0)
    assert not np.any(np.diff(full_fit_run(learning_rate=0.05).run.losses) > 0)


def test_learning_rate_demo_draws_a_diverging_run_as_it_goes():
    demo = dosage_learning_rate_demo()
    demo.update(eta=0.4, steps=30)
    path = next(line for line in demo.fig.axes[0].lines if line.get_gid() == "path")
    assert np.allclose(path.get_xdata(), b3_run(0.4, 30).run.path)  # not clipped onto the edge of the axes
    assert np.ptp(path.get_xdata()) > 100
