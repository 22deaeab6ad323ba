"""Notebook 03: gradient_descent and its stopping rule, the learning-rate demos, the exercises."""

import math

import numpy as np
import pytest
import sympy

from backprop_helpers import (
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
    numerical_derivative,
    numerical_gradient,
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
    assert statuses[("steps", 1)].startswith("crawling: not converged after 1 step ")
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
    (check_nb03_stability_limit, 0.2, [(0.4, "curvature"), (0.1, "one step"), (20.0, "not 2λ")]),
    (check_nb03_error_factor, -0.5, [(0.5, "keep the sign"), (2.5, "not 1 + ηλ"), (-1.5, "the 1")]),
    (check_nb03_bowl_limit, 0.08, [(2.0, "steepest"), (0.04, "one step"), (0.16, "not 12.5")]),
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
