"""Notebook 03: the quadratic and the bowl, the runs behind the learning-rate demos, the exercises.

References are independent of the code under test: finite differences for the gradients, the
closed form w_k − w* = (1 − ηλ)^k (w₀ − w*) for every path, and step counts worked out by hand
from that closed form (the comments say how).
"""

import numpy as np
import pytest
import sympy

from backprop_helpers import descend, numerical_derivative, numerical_gradient
from backprop_helpers.course.nb03 import (
    BOWL_START,
    ETA_PRESETS,
    QUADRATIC_CURVATURE,
    QUADRATIC_MINIMUM,
    QUADRATIC_START,
    TILTED_HESSIAN,
    TILTED_START,
    bowl_descent_demo,
    bowl_grad,
    bowl_loss,
    bowl_run,
    check_gradient_descent,
    check_nb03_bowl_limit,
    check_nb03_error_factor,
    check_nb03_stability_limit,
    check_nb03_update_step,
    learning_rate_demo,
    quadratic_grad,
    quadratic_loss,
    quadratic_run,
    quartic_grad,
    quartic_loss,
    tilted_grad,
    tilted_loss,
)

LAM, W_STAR, W0 = 4.0, 1.0, -1.5  # the notebook's quadratic, written out


def artist(fig, gid):
    return next(a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid)


def closed_form(eta, k, lam=LAM, w_star=W_STAR, w0=W0):
    """w_k from w_k − w* = (1 − ηλ)^k (w₀ − w*)."""
    return w_star + (1 - eta * lam) ** np.arange(k + 1) * (w0 - w_star)


def test_notebook_constants():
    assert (QUADRATIC_CURVATURE, QUADRATIC_MINIMUM, QUADRATIC_START) == (LAM, W_STAR, W0)


def test_quadratic_and_bowl_gradients_match_finite_differences():
    for w in (-1.5, 0.3, 2.0):
        assert quadratic_grad(w) == pytest.approx(numerical_derivative(quadratic_loss, w), rel=1e-8)
        assert quadratic_loss(w) == pytest.approx(0.5 * LAM * (w - W_STAR) ** 2)
    point = np.array([-4.0, 1.5])
    numeric = numerical_gradient(lambda p: bowl_loss(p[0], p[1]), point)
    assert np.allclose(bowl_grad(point), numeric, rtol=1e-8)
    assert np.allclose(bowl_grad(point), [-4.0, 15.0])  # (1·w₁, 10·w₂) by hand


@pytest.mark.parametrize("eta", [0.01, 0.1, 0.25, 0.4, 0.49])
def test_runs_follow_the_closed_form(eta):
    run = quadratic_run(eta, steps=1000)
    assert run.status == "converged"
    assert np.allclose(run.path, closed_form(eta, run.steps), rtol=1e-12, atol=1e-12)
    assert np.allclose(run.losses, 0.5 * LAM * (run.path - W_STAR) ** 2)


def test_step_counts_stated_in_the_notebook():
    # step k has length ηλ·|w₀ − w*|·|1 − ηλ|^k = ηλ·2.5·|1 − ηλ|^k; the run stops after the first one below 1e-3.
    # η = 0.1: 1·0.6^k < 1e-3 first at k = 14 (0.6^14 = 7.8e-4, 0.6^13 = 1.3e-3): 15 updates.
    # η = 0.4: 4·0.6^k < 1e-3 first at k = 17 (4·0.6^17 = 6.8e-4, 4·0.6^16 = 1.1e-3): 18 updates.
    # η = 0.49: 4.9·0.96^k < 1e-3 first at k = 209 (4.9·0.96^209 = 9.9e-4, ·0.96^208 = 1.03e-3): 210 updates.
    assert [quadratic_run(eta, steps=1000).steps for eta in (0.1, 0.4, 0.49)] == [15, 18, 210]
    # η = 0.001, tol = 2e-2: the first step, 0.001·4·2.5 = 0.01, is below tol: 1 update, 2.49 from w*
    run = quadratic_run(0.001, steps=10_000, tol=2e-2)
    assert run.status == "converged" and run.steps == 1 and abs(run.final - W_STAR) == pytest.approx(2.49)
    # η = 0.1, tol = 2e-2: 0.6^k < 0.02 first at k = 8 (0.6^8 = 0.0168): 9 updates
    assert quadratic_run(0.1, steps=10_000, tol=2e-2).steps == 9


def test_divergence_is_a_result_not_an_overflow():
    # η = 0.51 (factor −1.04): 2.5·1.04^k first exceeds 1e6 + 1 at k = 329 (1.04^329 = 4.0e5), so 328 updates are kept
    with np.errstate(all="raise"):
        run = quadratic_run(0.51, steps=1000)
    assert run.status == "diverged" and run.steps == 328 and 0.9e6 < abs(run.final) < 1e6
    assert np.allclose(run.path, closed_form(0.51, 328), rtol=1e-9)
    # η = 10 (factor −39): 2.5·39^k passes 1e6 at k = 4, so 3 updates are kept
    with np.errstate(all="raise"):
        assert quadratic_run(10.0, steps=30).steps == 3


@pytest.mark.parametrize(("eta", "converges"), [(0.3, True), (0.49, True), (0.51, False), (0.75, False)])
def test_converges_exactly_below_two_over_lambda(eta, converges):
    assert (quadratic_run(eta, steps=5000).status == "converged") is converges


def test_bowl_runs_follow_each_coordinates_factor():
    for eta in (0.05, 0.18):
        run = bowl_run(eta, steps=1000)
        k = np.arange(run.steps + 1)[:, None]
        expected = np.array(BOWL_START) * (1 - eta * np.array([1.0, 10.0])) ** k
        assert np.allclose(run.path, expected, rtol=1e-12, atol=1e-12)
    # "38 steps instead of 105": the step is η·(λ₁w₁, λ₂w₂) with wᵢ = wᵢ₀(1 − ηλᵢ)^k; its length first drops
    # below 1e-3 at k = 37 for η = 0.18 and at k = 104 for η = 0.05 (the w₁ term dominates: 0.05·4·0.95^104 = 9.6e-4)
    assert (bowl_run(0.18, steps=1000).steps, bowl_run(0.05, steps=1000).steps) == (38, 105)
    assert bowl_run(1.0).status == "diverged"  # factor 1 − 10 = −9 on w₂


# --- demos: the records behind them, and the artists they draw ------------------------------

@pytest.mark.parametrize(
    ("eta", "status", "steps"),
    [(0.001, "step limit", 30), (0.1, "converged", 15), (0.25, "converged", 2), (0.3, "converged", 6),
     (0.45, "step limit", 30), (0.5, "step limit", 30), (0.6, "step limit", 30), (1.0, "diverged", 11)],
)
def test_learning_rate_demo_runs(eta, status, steps):
    run = quadratic_run(eta, steps=30)
    assert (run.status, run.steps) == (status, steps)
    # η = 0.3: 1.2·2.5·0.2^k < 1e-3 first at k = 5 (3·0.2^5 = 9.6e-4): 6 updates.
    # η = 1 (factor −3): 2.5·3^k passes 1e6 at k = 12 (3^12 = 531441): 11 updates kept.


@pytest.mark.parametrize("eta", [0.001, 0.1, 0.3, 0.5, 0.6, 1.0, 10.0])
def test_learning_rate_demo_draws_only_finite_points_inside_its_axes(eta):
    demo = learning_rate_demo()
    with np.errstate(all="raise"):
        demo.update(eta=eta, steps=30)
    run = quadratic_run(eta, steps=30)
    iterates = artist(demo.fig, "iterates").get_xdata()
    assert np.all(np.abs(iterates - W_STAR) <= 3.05)
    assert np.array_equal(iterates, run.path[np.abs(run.path - W_STAR) <= 3.05])
    losses = artist(demo.fig, "losses").get_ydata()
    assert len(losses) == run.steps + 1 and losses.min() >= 1e-9 and losses.max() <= 1e7
    assert artist(demo.fig, "eta").get_xdata()[0] == eta
    for ax in demo.fig.axes:
        for line in ax.lines:
            assert np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all()


def test_bowl_demo_draws_the_run_and_keeps_diverging_paths_near_the_axes():
    demo = bowl_descent_demo()
    demo.update(eta=0.15, steps=60)
    run = bowl_run(0.15, steps=60)
    assert run.status == "converged" and run.steps == 41
    assert np.allclose(artist(demo.fig, "path").get_xydata(), run.path)
    demo.update(eta=1.0, steps=60)
    path = artist(demo.fig, "path").get_xydata()
    assert np.isfinite(path).all() and np.abs(path).max() < 40


def test_bowl_demo_does_not_round_eta_onto_the_limit():
    status = bowl_descent_demo().update(eta=10**-0.7, steps=60)  # the log slider's 0.1995
    assert "η = 0.1995 < 2/λ₂ = 0.2" in status


# --- exercises ------------------------------------------------------------------------------

CASES = [
    (check_nb03_update_step, 1.4, [(0.6, "minus sign"), (1.2, "factor 2"), (5.0, "learning rate"), (0.4, "add it")]),
    (check_nb03_stability_limit, 0.2, [(0.4, "curvature"), (0.1, "one step"), (20.0, "not 2λ"),
                                       (0.19, "stable, but the question asks for the limit itself")]),
    (check_nb03_error_factor, -0.5, [(0.5, "keep the sign"), (2.5, "not 1 + ηλ"), (-1.5, "the 1")]),
    (check_nb03_bowl_limit, 0.08, [(2.0, "λ₂ = 25"), (0.04, "one step"), (0.16, "not 12.5"),
                                   (2 / 26, "do not add"), (0.079, "the limit itself"), (0.07, "the limit itself")]),
]


@pytest.mark.parametrize(("check", "right", "mistakes"), CASES)
def test_checks_accept_the_answer_and_explain_mistakes(check, right, mistakes):
    assert check(right).correct
    for mistake, words in mistakes:
        feedback = check(mistake)
        assert not feedback.correct and words in feedback.message, (mistake, feedback.message)
    assert "no answer yet" in check(None).message
    assert "expected a number" in check("0.2").message
    assert not check(123.0).correct


def test_limit_checks_accept_exact_and_sympy_answers():
    assert check_nb03_stability_limit(sympy.Rational(1, 5)).correct
    assert check_nb03_bowl_limit(sympy.Rational(2, 25)).correct
    assert check_nb03_bowl_limit(np.array([0.08])).correct
    assert "the limit itself" in check_nb03_stability_limit(np.float64(0.17)).message
    assert "the limit itself" not in check_nb03_stability_limit(0.15).message  # below 80%: generic hint
    assert "the limit itself" not in check_nb03_stability_limit(0.205).message  # above the limit is not stable


def test_exercise_answers_against_runs():
    # exercise 2: E = 5(w − 1)² converges below 0.2 and not above it
    assert descend(lambda w: 10 * (w - 1), 0.0, 0.19).status == "converged"
    assert descend(lambda w: 10 * (w - 1), 0.0, 0.21).status == "diverged"
    # exercise 4: the bowl ½(w₁² + 25w₂²) converges below 0.08 and not above it
    grad = lambda w: np.array([w[0], 25 * w[1]])
    assert descend(grad, [1.0, 1.0], 0.079, steps=10_000).status == "converged"
    assert descend(grad, [1.0, 1.0], 0.081, steps=10_000).status == "diverged"


# --- your turn: the descent loop --------------------------------------------------------------

def loop(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000, sign=-1, eta_used=None, rule="step", extra=0):
    """The loop of the notebook, written here independently, with knobs that make the typical mistakes."""
    eta = learning_rate if eta_used is None else eta_used
    ws, losses = [w0], [E(w0)]
    for _ in range(steps + extra):
        if rule == "before" and abs(eta * dE_dw(ws[-1])) < tol:
            break
        ws.append(ws[-1] + sign * eta * dE_dw(ws[-1]))
        losses.append(E(ws[-1]))
        done = {"step": abs(ws[-1] - ws[-2]) < tol, "loss": abs(losses[-1] - losses[-2]) < tol,
                "gradient": abs(dE_dw(ws[-1])) < tol, "before": False}[rule]
        if done:
            break
    return ws, losses


def test_the_descent_check_accepts_a_correct_loop():
    feedback = check_gradient_descent(loop)
    assert feedback.correct and "6 hidden runs" in feedback.message
    # the loop agrees with descend (the core) on the notebook's quadratic: the same iterates
    ws, _ = loop(quadratic_loss, quadratic_grad, W0, 0.1)
    assert np.allclose(ws, quadratic_run(0.1, steps=1000).path)


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda *a: loop(*a, sign=+1), "the sign"),
    (lambda E, g, w0, eta, tol=1e-3, steps=1000: loop(E, g, w0, eta, tol, steps, eta_used=1.0), "learning rate"),
    (lambda *a: loop(*a, rule="before"), "take the step first"),
    (lambda *a: loop(*a, extra=1), "at most steps + 1"),
    (lambda *a: loop(*a, extra=-1), "make `steps` updates"),
    (lambda *a: loop(*a, rule="loss"), "not on the change of the loss"),
    (lambda *a: loop(*a, rule="gradient"), "not on the gradient"),
])
def test_the_descent_check_names_each_typical_mistake(wrong, hint):
    feedback = check_gradient_descent(wrong)
    assert not feedback.correct and hint in feedback.message, feedback.message


def stub(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    ...


@pytest.mark.parametrize(("fn", "words"), [
    (stub, "returned None"),
    (None, "not a function"),
    (lambda *a: 1 / 0, "ZeroDivisionError"),
    (lambda E, g, w0, *a: ([w0], [E(w0)]), "entries"),
    (lambda *a: ([float("nan")] + loop(*a)[0][1:], loop(*a)[1]), "ws[0] should be -1.5, got nan"),
    (lambda *a: loop(*a)[0], "expected two lists"),
    (lambda *a: (np.ones((2, 2)), []), "flat list"),
])
def test_the_descent_check_never_raises(fn, words):
    feedback = check_gradient_descent(fn)
    assert not feedback.correct and words in feedback.message, feedback.message


# --- section 5: the tilted bowl and the local limit; the demo's presets ----------------------------

def test_tilted_bowl_limit_is_two_over_its_largest_curvature():
    point = np.array([0.7, -1.3])
    numeric = numerical_gradient(lambda p: tilted_loss(p[0], p[1]), point)
    assert np.allclose(tilted_grad(point), numeric, rtol=1e-8)
    # H·(1, 1) = (10, 10) and H·(1, −1) = (1, −1), by hand: the curvatures along the bowl's axes are 10 and 1
    assert np.allclose(TILTED_HESSIAN @ [1, 1], [10, 10]) and np.allclose(TILTED_HESSIAN @ [1, -1], [1, -1])
    for eta in (0.19, 0.21):
        run = descend(tilted_grad, TILTED_START, eta, steps=1000)
        along = run.path @ np.array([1.0, 1.0]) / 2  # the component along (1, 1)/√2, divided by √2
        assert np.allclose(along[:20], -1.0 * (1 - 10 * eta) ** np.arange(20))  # start: (−3 + 1)/2 = −1
    assert descend(tilted_grad, TILTED_START, 0.19, steps=1000).status == "converged"
    assert descend(tilted_grad, TILTED_START, 0.21, steps=1000).status == "diverged"


def test_the_quartic_shows_the_limit_is_local():
    assert quartic_grad(2.0) == pytest.approx(numerical_derivative(quartic_loss, 2.0), rel=1e-8)
    # by hand with η = 0.5: 2 − 0.5·(8 + 2) = −3, then −3 − 0.5·(−27 − 3) = 12, then 12 − 0.5·(1728 + 12) = −858
    run = descend(quartic_grad, 2.0, 0.5, steps=1000)
    assert run.path.tolist() == [2.0, -3.0, 12.0, -858.0] and run.status == "diverged"
    assert descend(quartic_grad, 1.5, 0.5, steps=1000).status == "converged"


@pytest.mark.parametrize("preset", [name for name in ETA_PRESETS if name != "slider"])
def test_learning_rate_presets_reach_the_limits_exactly(preset):
    demo = learning_rate_demo()
    demo.update(eta=0.1, preset=preset, steps=30)
    assert artist(demo.fig, "eta").get_xdata()[0] == ETA_PRESETS[preset]
    assert artist(demo.fig, "w_star").get_xdata()[0] == W_STAR
    demo.update(eta=0.1, preset="slider", steps=30)
    assert artist(demo.fig, "eta").get_xdata()[0] == 0.1


# --- Play: the step limit animated; fixed axes, so each frame only moves artists --------------------

def _limits(fig):
    return [(ax.get_xlim(), ax.get_ylim()) for ax in fig.axes]


def _display_extent(fig):
    """The largest |pixel coordinate| of any line point or text of the figure (FreeType fails on text far away)."""
    largest = 0.0
    for ax in fig.axes:
        for line in ax.lines:
            xy = np.asarray(line.get_xydata(), dtype=float)
            if xy.size:
                largest = max(largest, np.abs(line.get_transform().transform(xy)).max())
        for text in ax.texts + [ax.title]:
            largest = max(largest, np.abs(text.get_transform().transform(text.get_position())).max())
    return largest


@pytest.mark.parametrize("factory", [learning_rate_demo, bowl_descent_demo])
def test_play_animates_the_step_limit_with_fixed_axes(factory):
    demo = factory()
    assert demo.play == "steps"
    control = demo.controls["steps"]
    limits = _limits(demo.fig)
    assert limits[1][0] == (0, control.max)  # the loss axis ends at the slider's maximum
    for eta in (0.001, 0.1, 0.3, 0.6, demo.controls["eta"].max):
        demo.set(eta=eta)
        for k in range(control.min, control.max + 1, control.step):
            status = demo.set(steps=k)
            assert "Could not" not in status
            assert _limits(demo.fig) == limits
    # a diverging run keeps every point and text within a few figure widths of the axes
    demo.set(eta=demo.controls["eta"].max, steps=control.max)
    assert _display_extent(demo.fig) < 1e5


def test_play_steps_give_the_same_status_as_a_fresh_run():
    demo = learning_rate_demo()
    for k in (1, 2, 15, 30, 100):
        assert demo.set(eta=0.1, steps=k) == learning_rate_demo().update(eta=0.1, steps=k)


@pytest.mark.parametrize("eta, tol", [(0.1, 1e-3), (0.45, 1e-3), (0.55, 1e-3), (0.5, 1e-12)])
def test_a_run_cut_to_fewer_steps_is_the_run_descend_makes_with_that_step_limit(eta, tol):
    # converged (0.1), oscillating then converged (0.45), diverged (0.55, the limit is 2/λ = 0.5), and
    # jumping between two points until the step limit (0.5): Run.first against a fresh run each time
    long = descend(quadratic_grad, QUADRATIC_START, eta, loss=quadratic_loss, tol=tol, steps=200, limit=1e3)
    beyond = {long.steps + 3} if long.status != "step limit" else set()  # a run that stopped by itself
    for steps in sorted(({0, 1, 2, 5, long.steps - 1, long.steps} | beyond) - {-1}):
        fresh = descend(quadratic_grad, QUADRATIC_START, eta, loss=quadratic_loss, tol=tol, steps=steps, limit=1e3)
        cut = long.first(steps)
        assert (cut.status, cut.steps) == (fresh.status, fresh.steps), (eta, steps)
        for got, want in ((cut.path, fresh.path), (cut.losses, fresh.losses), (cut.gradients, fresh.gradients)):
            np.testing.assert_array_equal(got, want)


def test_a_run_is_not_cut_beyond_its_step_limit_or_to_a_bad_count():
    run = descend(quadratic_grad, QUADRATIC_START, 0.1, tol=1e-12, steps=20)
    assert run.status == "step limit" and run.first(20) is run
    with pytest.raises(ValueError, match="steps must be a whole number from 0 to 20, got 21"):
        run.first(21)  # what the next step would do is not in this run
    with pytest.raises(ValueError, match="steps must be a whole number from 0"):
        run.first(-1)
    with pytest.raises(TypeError, match="steps must be a whole number, got float"):
        run.first(2.5)
    converged = descend(quadratic_grad, QUADRATIC_START, 0.1, tol=1e-3, steps=1000)
    assert converged.status == "converged" and converged.first(1000) is converged  # stopped by itself: the same run
