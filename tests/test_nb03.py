"""Notebook 03: gradient_descent and its stopping rule, the learning-rate demos, the exercises."""

import math

import numpy as np
import pytest
import sympy

from backprop_helpers import numerical_derivative, numerical_gradient
from backprop_helpers.course.nb03 import (
    BOWL_START,
    QUADRATIC_CURVATURE,
    QUADRATIC_MINIMUM,
    QUADRATIC_START,
    bowl_descent_demo,
    bowl_grad,
    bowl_loss,
    check_nb03_bowl_limit,
    check_nb03_error_factor,
    check_nb03_stability_limit,
    check_nb03_update_step,
    gradient_descent,
    learning_rate_demo,
    quadratic_grad,
    quadratic_loss,
)

LAM, W_STAR, W0 = 4.0, 1.0, -1.5  # the notebook's quadratic, written out


def test_notebook_constants():
    assert (QUADRATIC_CURVATURE, QUADRATIC_MINIMUM, QUADRATIC_START) == (LAM, W_STAR, W0)


def test_quadratic_and_bowl_gradients_match_finite_differences():
    for w in (-1.5, 0.3, 2.0):
        assert quadratic_grad(w) == pytest.approx(numerical_derivative(quadratic_loss, w), rel=1e-8)
        assert quadratic_loss(w) == pytest.approx(0.5 * LAM * (w - W_STAR) ** 2)
    point = np.array([-4.0, 1.5])
    numeric = numerical_gradient(lambda p: bowl_loss(p[0], p[1]), point)
    assert np.allclose(bowl_grad(point), numeric, rtol=1e-8)
    assert np.allclose(bowl_grad(point), [-4.0, 15.0])


def test_path_follows_the_closed_form_and_stops_by_the_step_size_rule():
    eta, tol = 0.1, 1e-3
    result = gradient_descent(quadratic_grad, W0, eta, tol=tol)
    factor = 1 - eta * LAM
    expected = W_STAR + factor ** np.arange(result.steps + 1) * (W0 - W_STAR)
    assert np.allclose(result.path, expected, rtol=1e-12, atol=1e-12)
    # step k has size ηλ|w_k − w*| = 0.4 · 2.5 · 0.6^k; the first one below tol is step k = 14 (the 15th update)
    first_small = math.ceil(math.log(tol / (eta * LAM * abs(W0 - W_STAR))) / math.log(factor))
    assert result.status == "converged" and result.steps == first_small + 1 == 15


@pytest.mark.parametrize(("eta", "converges"), [(0.01, True), (0.3, True), (0.49, True), (0.51, False), (0.75, False)])
def test_converges_exactly_below_two_over_lambda(eta, converges):
    with np.errstate(all="raise"):
        result = gradient_descent(quadratic_grad, W0, eta, max_steps=5000)
    assert (result.status == "converged") is converges
    assert np.isfinite(result.path).all() and np.abs(result.path).max() <= 1e6


def test_stability_condition_from_sympy():
    eta = sympy.Symbol("eta", positive=True)
    condition = sympy.solve(sympy.Abs(1 - sympy.Integer(4) * eta) < 1, eta)
    assert condition == (eta < sympy.Rational(1, 2))  # 2/λ for λ = 4


def test_divergence_is_a_result_not_an_overflow():
    with np.errstate(all="raise"):
        result = gradient_descent(quadratic_grad, W0, 10.0)
    # |w_k − w*| = 2.5 · 39^k passes 1e6 at k = 4, so 3 updates are kept
    assert result.status == "diverged" and result.steps == 3
    assert np.isfinite(result.path).all()
    with np.errstate(all="raise"):
        exploding = gradient_descent(lambda w: np.exp(w), 700.0, 1.0)  # the gradient itself overflows
    assert exploding.status == "diverged" and exploding.steps == 0


def test_step_limit_and_vector_weights():
    result = gradient_descent(quadratic_grad, W0, 0.001, max_steps=7)
    assert result.status == "step limit" and result.steps == 7 and result.path.shape == (8,)
    bowl = gradient_descent(bowl_grad, BOWL_START, 0.1, max_steps=1000)
    assert bowl.path.shape == (bowl.steps + 1, 2) and bowl.status == "converged"
    assert np.allclose(bowl.path[1], [-4.0 * 0.9, 0.0])  # factors 1 − ηλᵢ = 0.9 and 0
    assert "converged" in repr(bowl)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"learning_rate": -0.1}, ValueError, "learning_rate"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate"),
        ({"learning_rate": float("nan")}, ValueError, "learning_rate"),
        ({"tol": 0}, ValueError, "tol"),
        ({"max_steps": 2.5}, TypeError, "max_steps"),
        ({"grad_fn": 3}, TypeError, "grad_fn"),
        ({"w0": float("inf")}, ValueError, "w0"),
        ({"w0": "a"}, TypeError, "w0"),
        ({"grad_fn": lambda w: np.zeros(3)}, ValueError, "grad_fn must return"),
    ],
)
def test_bad_input_is_named(kwargs, error, match):
    arguments = {"grad_fn": quadratic_grad, "w0": W0, "learning_rate": 0.1, **kwargs}
    with pytest.raises(error, match=match):
        gradient_descent(**arguments)


# --- demos ----------------------------------------------------------------------------------

def test_learning_rate_demo_sweep():
    statuses = {(name, round(value, 6)): status for name, value, status in learning_rate_demo().sweep_extremes()}
    assert statuses[("eta", 10.0)].startswith("diverged after 3 steps — η = 10 > 2/λ = 0.5")
    assert statuses[("eta", 0.001)].startswith("crawling: not converged after 30 steps")
    assert statuses[("eta", 0.1)].startswith("converged in 15 steps")
    # η = 0.1 (factor 0.6) is not crawling: one step is simply too few
    assert statuses[("steps", 1)].startswith("stopped at the step limit: not converged yet after 1 step (factor 0.60")
    assert statuses[("steps", 100)].startswith("converged in 15 steps")


@pytest.mark.parametrize(
    ("eta", "start"),
    [
        (0.25, "converged in 2 steps"),
        (0.3, "oscillating, but converged in 6 steps"),
        (0.45, "oscillating: overshoots every step"),
        (0.5, "oscillating forever between two points"),
        (0.6, "diverging: the swings grow every step"),
        (1.0, "diverged after 11 steps"),
    ],
)
def test_learning_rate_demo_names_each_regime(eta, start):
    demo = learning_rate_demo()
    with np.errstate(all="raise"):
        status = demo.update(eta=eta, steps=30)
    assert status.startswith(start)
    ax_curve, ax_loss, ax_factor = demo.fig.axes
    for line in ax_curve.lines + ax_loss.lines + ax_factor.lines:
        assert np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all()
    iterates = ax_curve.lines[1].get_xdata()
    assert np.all(np.abs(iterates - W_STAR) <= 3.05)  # only what fits the axes is drawn
    losses = ax_loss.lines[0].get_ydata()
    assert losses.min() >= 1e-9 and losses.max() <= 1e7  # clipped to the log axis


def test_step_limit_status_separates_crawling_from_too_few_steps():
    demo = learning_rate_demo()
    assert demo.update(eta=0.1, steps=5).startswith("stopped at the step limit: not converged yet after 5 steps")
    assert demo.update(eta=0.02, steps=5).startswith("crawling: not converged after 5 steps")  # factor 0.92


def test_bowl_demo_does_not_round_eta_onto_the_limit():
    status = bowl_descent_demo().update(eta=10**-0.7, steps=60)  # the log slider's 0.1995
    assert "η = 0.1995 < 2/λ₂ = 0.2" in status
    assert "η = 0.2 <" not in status


def test_bowl_demo_sweep_and_regimes():
    demo = bowl_descent_demo()
    statuses = {(name, round(value, 6)): status for name, value, status in demo.sweep_extremes()}
    assert statuses[("eta", 1.0)].startswith("diverged after 6 steps — η = 1 > 2/λ₂ = 0.2")
    assert statuses[("eta", 0.001)].startswith("crawling")
    assert statuses[("eta", 0.15)].startswith("oscillating, but converged in 41 steps")
    assert statuses[("steps", 200)].startswith("oscillating, but converged in 41 steps")
    assert demo.update(eta=0.21, steps=60).startswith("diverging")
    path = demo.fig.axes[0].lines[1].get_xydata()
    assert np.isfinite(path).all() and np.abs(path).max() < 40


# --- exercises ------------------------------------------------------------------------------

CASES = [
    (check_nb03_update_step, 1.4, [(0.6, "minus sign"), (1.2, "factor 2"), (5.0, "learning rate"), (0.4, "add it")]),
    (check_nb03_stability_limit, 0.2, [(0.4, "curvature"), (0.1, "one step"), (20.0, "not 2λ"),
                                       (0.19, "stable, but the question asks for the limit itself")]),
    (check_nb03_error_factor, -0.5, [(0.5, "keep the sign"), (2.5, "not 1 + ηλ"), (-1.5, "the 1")]),
    (check_nb03_bowl_limit, 0.08, [(2.0, "steepest"), (0.04, "one step"), (0.16, "not 12.5"),
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


# --- numbers the notebook states only in its prose, computed here from the closed form ------

def _steps_to_converge(factors, step0, tol=1e-3):
    """Updates until the step η·∇E, whose i-th entry is step0ᵢ·factorᵢᵏ at update k, is shorter than tol."""
    k = 0
    while math.hypot(*(s * f**k for s, f in zip(step0, factors))) >= tol:
        k += 1
    return k + 1


def test_prose_numbers_one_dimension():
    # "every step covers 40% of the remaining distance": factor 1 − ηλ = 0.6 for η = 0.1
    assert 1 - 0.1 * LAM == pytest.approx(0.6)
    path = gradient_descent(quadratic_grad, W0, 0.1).path
    assert np.allclose(np.diff(path) / (W_STAR - path[:-1]), 0.4)
    # "oscillates for 210 steps": η = 0.49, step k has size ηλ·2.5·0.96^k
    assert _steps_to_converge([1 - 0.49 * LAM], [0.49 * LAM * 2.5]) == 210
    assert gradient_descent(quadratic_grad, W0, 0.49).steps == 210
    # "after 328 steps |w| is close to 10^6; the next update would pass it": η = 0.51, factor −1.04
    k = next(k for k in range(1000) if abs(W_STAR + (1 - 0.51 * LAM) ** k * (W0 - W_STAR)) > 1e6)
    assert k == 329
    run = gradient_descent(quadratic_grad, W0, 0.51)
    assert run.status == "diverged" and run.steps == 328 and 0.9e6 < abs(run.path[-1]) < 1e6


def test_prose_numbers_stopping_rule():
    # η = 0.001, tol = 2e-2: the first step, ηλ·2.5 = 0.01, is already below tol: 1 step, 2.49 from w*
    run = gradient_descent(quadratic_grad, W0, 0.001, tol=2e-2, max_steps=10_000)
    assert run.status == "converged" and run.steps == 1
    assert f"{abs(W0 - W_STAR) * (1 - 0.001 * LAM):.2f}" == "2.49"
    assert abs(run.path[-1] - W_STAR) == pytest.approx(2.49)
    # η = 0.1, tol = 2e-2: step k has size 0.6^k, first below 0.02 at k = 8, i.e. 9 updates
    assert _steps_to_converge([0.6], [1.0], tol=2e-2) == 9
    assert gradient_descent(quadratic_grad, W0, 0.1, tol=2e-2).steps == 9


def test_prose_numbers_bowl():
    # "38 steps instead of 105": η = 0.18 (factors 0.82, −0.8) against η = 0.05 (factors 0.95, 0.5)
    def steps(eta):
        return _steps_to_converge([1 - eta * 1, 1 - eta * 10], [eta * 1 * -4.0, eta * 10 * 1.5])
    assert (steps(0.18), steps(0.05)) == (38, 105)
    assert gradient_descent(bowl_grad, BOWL_START, 0.18, max_steps=1000).steps == 38
    assert gradient_descent(bowl_grad, BOWL_START, 0.05, max_steps=1000).steps == 105
