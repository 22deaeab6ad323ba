"""Notebook 04: the single-neuron helpers, both demos and the exercise checks."""

import math
import pathlib

import nbformat
import numpy as np
import pytest
import sympy

from backprop_helpers import numerical_derivative, numerical_gradient, sigmoid_prime, squared_error_grad
from backprop_helpers.course.nb04 import (
    activation_demo,
    check_nb04_bias_gradient,
    check_nb04_dE_dy,
    check_nb04_gradient,
    check_nb04_update,
    neuron_descent,
    neuron_descent_demo,
    neuron_error,
    neuron_forward,
    neuron_gradient,
)

NOTEBOOK = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "04_single_sigmoid_neuron.ipynb"


def s(z):
    return 1.0 / (1.0 + math.exp(-z))


# sympy's derivatives of E = ½(t − f(wx + b))², the formulas the notebook derives by hand
W, X, T, B, Z = sympy.symbols("w x t b z")
SIG = 1 / (1 + sympy.exp(-(W * X + B)))
E_SYM = (T - SIG) ** 2 / 2
DE_DW = sympy.lambdify((W, X, T, B), sympy.diff(E_SYM, W))
DE_DB = sympy.lambdify((W, X, T, B), sympy.diff(E_SYM, B))

RNG = np.random.default_rng(4)
POINTS = [tuple(p) for p in np.column_stack([
    RNG.uniform(-4, 4, 40), RNG.uniform(-3, 3, 40), RNG.uniform(0, 1, 40), RNG.uniform(-2, 2, 40)
])]


# ---- the formulas -------------------------------------------------------------------------

def test_the_packages_factors_match_sympy():
    """The two factors the notebook computes with package code (squared_error_grad for dE/dy,
    sigmoid_prime for dy/dz) against sympy's derivatives, at many points."""
    y, t = sympy.symbols("y t")
    dE_dy = sympy.lambdify((t, y), sympy.diff((t - y) ** 2 / 2, y))
    f = 1 / (1 + sympy.exp(-Z))
    df_dz = sympy.lambdify(Z, sympy.diff(f, Z))
    rng = np.random.default_rng(4)
    for t_value, y_value, z_value in rng.uniform(-4, 4, size=(30, 3)):
        assert squared_error_grad(t_value, y_value) == pytest.approx(dE_dy(t_value, y_value), rel=1e-12)
        assert sigmoid_prime(z_value) == pytest.approx(df_dz(z_value), rel=1e-12)
    assert sigmoid_prime(0.0) == 0.25 == float(sympy.diff(f, Z).subs(Z, 0))  # the peak, at z = 0


@pytest.mark.parametrize("w, x, t, b", POINTS)
def test_neuron_gradient_matches_sympy_and_finite_differences(w, x, t, b):
    dE_dw, dE_db = neuron_gradient(w, x, t, b=b)
    assert isinstance(dE_dw, float) and isinstance(dE_db, float)
    assert dE_dw == pytest.approx(DE_DW(w, x, t, b), rel=1e-9, abs=1e-14)
    assert dE_db == pytest.approx(DE_DB(w, x, t, b), rel=1e-9, abs=1e-14)
    assert dE_dw == pytest.approx(numerical_derivative(lambda v: neuron_error(v, x, t, b=b), w), rel=1e-6, abs=1e-10)
    assert dE_db == pytest.approx(numerical_derivative(lambda v: neuron_error(w, x, t, b=v), b), rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("w, x, t, b", POINTS[:10])
def test_forward_and_error_match_the_formula(w, x, t, b):
    y = s(w * x + b)
    assert neuron_forward(w, x, b) == pytest.approx(y, rel=1e-12)
    assert neuron_error(w, x, t, b) == pytest.approx(0.5 * (t - y) ** 2, rel=1e-12, abs=1e-15)


def test_worked_example_numbers():
    # w = 0.5, x = 1.5, t = 1: dE/dw = −(1 − y)·y(1 − y)·1.5 with y = f(0.75)
    y = s(0.75)
    assert neuron_gradient(0.5, 1.5, 1.0)[0] == pytest.approx(-0.104858, abs=1e-6)
    assert neuron_gradient(0.5, 1.5, 1.0)[0] == pytest.approx(-(1 - y) * y * (1 - y) * 1.5, rel=1e-12)


def test_vector_gradient_matches_sympy_and_numerical_gradient():
    ws, xs = sympy.symbols("w1:4"), sympy.symbols("x1:4")
    z = sum(w_i * x_i for w_i, x_i in zip(ws, xs, strict=True)) + B
    E = (T - 1 / (1 + sympy.exp(-z))) ** 2 / 2
    grads = [sympy.lambdify((*ws, *xs, T, B), sympy.diff(E, v)) for v in (*ws, B)]
    rng = np.random.default_rng(7)
    for _ in range(15):
        w, x, t, b = rng.uniform(-2, 2, 3), rng.uniform(-2, 2, 3), rng.uniform(0, 1), rng.uniform(-1, 1)
        grad_w, grad_b = neuron_gradient(w, x, t, b=b)
        assert grad_w.shape == (3,)
        expected = [g(*w, *x, t, b) for g in grads]
        np.testing.assert_allclose(np.append(grad_w, grad_b), expected, rtol=1e-9, atol=1e-14)
        params = np.append(w, b)
        numeric = numerical_gradient(lambda p, x=x, t=t: neuron_error(p[:3], x, t, b=p[3]), params)
        np.testing.assert_allclose(np.append(grad_w, grad_b), numeric, rtol=1e-6, atol=1e-10)


def test_saturated_neuron_is_finite_and_flat():
    dE_dw, dE_db = neuron_gradient(1e4, 1e3, 0.0)
    assert dE_dw == 0.0 and dE_db == 0.0
    assert neuron_error(-1e4, 1e3, 1.0) == pytest.approx(0.5)


# ---- gradient descent --------------------------------------------------------------------

def test_descent_first_step_and_monotone_decrease():
    ws, errors = neuron_descent(0.5, 1.5, 1.0, 0.5, 5)
    assert ws.shape == errors.shape == (6,)
    assert ws[1] == pytest.approx(0.5 - 0.5 * DE_DW(0.5, 1.5, 1.0, 0.0), rel=1e-12)
    assert ws[1] == pytest.approx(0.552429, abs=1e-6)
    assert errors[0] == pytest.approx(0.5 * (1 - s(0.75)) ** 2)
    assert np.all(np.diff(errors) < 0)


def test_descent_converges_to_the_minimum():
    ws, errors = neuron_descent(-2.0, 1.5, 0.8, 10.0, 200)
    assert ws[-1] == pytest.approx(math.log(0.8 / 0.2) / 1.5, abs=1e-6)
    assert errors[-1] < 1e-12


def test_descent_huge_learning_rate_stays_finite():
    ws, errors = neuron_descent(-2.0, 3.0, 0.8, 1e5, 100)
    assert np.isfinite(ws).all() and np.isfinite(errors).all()
    ws, _ = neuron_descent(-2.0, 3.0, 0.8, 1e9, 100, limit=1e6)  # a step beyond the limit stops the run
    assert len(ws) < 101


@pytest.mark.parametrize("kwargs, error, match", [
    ({"learning_rate": -0.1}, ValueError, "learning_rate"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": float("inf")}, ValueError, "learning_rate"),
    ({"learning_rate": "big"}, TypeError, "learning_rate"),
    ({"steps": -1}, ValueError, "steps"),
    ({"steps": 2.5}, TypeError, "steps"),
    ({"w": float("nan")}, ValueError, "w"),
    ({"x": [1.0, 2.0]}, ValueError, "w and x"),
    ({"t": "one"}, TypeError, "t"),
])
def test_descent_rejects_bad_input(kwargs, error, match):
    args = {"w": 0.5, "x": 1.5, "t": 1.0, "learning_rate": 0.5, "steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        neuron_descent(**args)


@pytest.mark.parametrize("call, error, match", [
    (lambda: neuron_gradient([1.0, 2.0], [1.0], 1.0), ValueError, "w and x"),
    (lambda: neuron_gradient(1.0, 1.0, [1.0, 0.0]), ValueError, "t"),
    (lambda: neuron_gradient(1.0, 1.0, 1.0, b=[0.0, 1.0]), ValueError, "b"),
    (lambda: neuron_forward(np.ones((2, 2)), np.ones((2, 2))), ValueError, "w"),
    (lambda: neuron_forward(float("inf"), 1.0), ValueError, "w"),
    (lambda: neuron_error(1.0, None, 1.0), TypeError, "x"),
])
def test_helpers_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- demos -------------------------------------------------------------------------------

def _statuses(demo):
    return {(name, value): status for name, value, status in demo.sweep_extremes()}


def test_descent_demo_extremes_give_clear_statuses():
    demo = neuron_descent_demo()
    statuses = _statuses(demo)
    assert len(statuses) >= 12
    for status in statuses.values():
        assert "nan" not in status.lower() and "inf" not in status.lower()
        assert status.startswith("at w = ")
    assert "overshoots" in statuses[("eta", 100.0)]
    assert "2/E''(w*) = 34.7" in statuses[("eta", 100.0)]  # 2 / (1.5·0.8·0.2)² = 34.72
    assert "crawls" in statuses[("eta", 0.01)]
    assert "stuck" in statuses[("w", -6.0)]
    assert "drag 'steps'" in statuses[("steps", 0)]
    assert "after 50 steps" in statuses[("steps", 50)]


def test_descent_demo_numbers_and_next_point():
    demo = neuron_descent_demo()
    status = demo.update(w=0.5, x=1.5, t=1.0, eta=0.5, steps=0)
    assert "E = 0.0515" in status and "dE/dw = -0.1049" in status and "next w = 0.552" in status
    ax = demo.fig.axes[0]
    (next_point,) = [line for line in ax.lines if line.get_label() == "next step lands"]
    slope = numerical_derivative(lambda v: 0.5 * (1 - s(1.5 * v)) ** 2, 0.5)
    assert next_point.get_xdata()[0] == pytest.approx(0.5 - 0.5 * slope, rel=1e-8)
    (path,) = [line for line in ax.lines if line.get_label() == "steps taken"]
    demo.update(w=-2.0, x=1.5, t=0.8, eta=10.0, steps=20)
    assert len(path.get_xdata()) == 21
    assert path.get_xdata()[-1] == pytest.approx(math.log(4) / 1.5, abs=1e-3)


def test_descent_demo_special_cases():
    demo = neuron_descent_demo()
    assert "x = 0" in demo.update(w=1.0, x=0.0, t=0.5, eta=1.0, steps=5)
    assert "converged to the minimum w* = 0.924" in demo.update(w=-2.0, x=1.5, t=0.8, eta=3.0, steps=50)
    # 1/E''(w*) = 17.4 < η = 30 < 2/E''(w*) = 34.7: every step jumps past w*, yet the steps settle
    overshoot = demo.update(w=0.5, x=1.5, t=0.8, eta=30.0, steps=50)
    assert "overshoots, then settles at the minimum w* = 0.924" in overshoot and "48 of 50 steps" in overshoot
    # the notebook's "try it" text, from the default w = −2 with 10 steps: η = 20 jumps back and forth
    # past w* and settles; η = 30 makes one jump onto the flat right tail and crawls there
    assert "overshoots, then settles at the minimum w* = 0.924" in demo.update(w=-2.0, x=1.5, t=0.8, eta=20.0)
    far_side = demo.update(w=-2.0, x=1.5, t=0.8, eta=30.0)
    assert "overshoots: 1 of 10 steps jumped past" in far_side and "after 10 steps: w = 4.062" in far_side
    ws, _ = neuron_descent(-2.0, 1.5, 0.8, 30.0, 10)
    assert ws[1] < math.log(4) / 1.5 < ws[2] and np.all(np.diff(ws[2:]) < 0.2)  # small steps after the jump
    assert "x = 0" in demo.update(w=1.0, x=1e-12, t=0.5, eta=1.0, steps=5)  # a slider's near-zero x
    assert "E went down at every step" in demo.update(w=-2.0, x=1.5, t=1.0, eta=3.0, steps=10)  # no finite minimum
    with np.errstate(all="raise"):  # far outside the plotted range, still a sentence and no warning
        assert "left the plotted range" in demo.update(w=0.5, x=1.5, t=1.0, eta=100.0, steps=50)
        assert "stuck" in demo.update(w=6.0, x=-3.0, t=1.0, eta=100.0, steps=50)


def test_activation_demo_extremes_and_values():
    demo = activation_demo()
    statuses = _statuses(demo)
    at_zero = statuses[("z", 0.0)]
    assert "sigmoid′ = 0.250" in at_zero and "tanh′ = 1.000" in at_zero
    assert "relu′ = 0.000" in at_zero and "softplus′ = 0.500" in at_zero
    assert "relu′ = 1.000" in statuses[("z", 6.0)]
    assert f"sigmoid′ = {s(-6) * (1 - s(-6)):.3f}" in statuses[("z", -6.0)]


# ---- exercises ---------------------------------------------------------------------------

Y2 = s(-2.0)
GRAD2 = -(1 - Y2) * Y2 * (1 - Y2) * 2.0          # exercise 2: w = −1, x = 2, t = 1
Y4 = s(-1.5)
DELTA4 = -(1 - Y4) * Y4 * (1 - Y4)              # exercise 4: b = 0.5


@pytest.mark.parametrize("check, right, mistakes", [
    (check_nb04_dE_dy, "y - t", [("t - y", "sign"), ("-2*(t - y)", "½"), ("(t - y)**2/2", "E itself")]),
    (check_nb04_gradient, GRAD2, [
        (-GRAD2, "sign"), (-(1 - Y2) * Y2 * 2, "not f(z) itself"),
        (-(1 - Y2) * Y2 * (1 - Y2), "d(wx)/dw = x"), (-(1 - Y2) * Y2 * (1 - Y2) * -1, "not w"),
    ]),
    (check_nb04_update, -1 - 0.5 * GRAD2, [
        (-1 + 0.5 * GRAD2, "minus, not plus"), (-1 - GRAD2, "learning rate"), (-0.5 * GRAD2, "old weight"),
        (-1 - 0.5 * GRAD2 / 2, "x = 2"),
    ]),
    (check_nb04_bias_gradient, DELTA4, [
        (DELTA4 * 2, "∂z/∂b = 1"), (-DELTA4, "sign"), (-(1 - Y4) * Y4, "not f(z)"),
        (-(1 - Y2) * Y2 * (1 - Y2), "include the bias"),
    ]),
])
def test_checks_recognise_answers_and_mistakes(check, right, mistakes):
    assert check(right).correct
    for wrong, words in mistakes:
        feedback = check(wrong)
        assert not feedback.correct
        assert words in feedback.message, (wrong, feedback.message)
    assert not check(12345.0).correct


@pytest.mark.parametrize("check", [check_nb04_dE_dy, check_nb04_gradient, check_nb04_update, check_nb04_bias_gradient])
@pytest.mark.parametrize("bad", [None, "abc", [1, 2], {"a": 1}, float("nan"), float("inf"), True])
def test_checks_never_raise(check, bad):
    feedback = check(bad)
    assert not feedback.correct
    assert repr(feedback).startswith("❌")
    if bad is None:
        assert "None" in feedback.message


@pytest.mark.parametrize("bad", ["True", "y > t", "y -", sympy.Eq(sympy.Symbol("y"), 1), np.bool_(True)])
def test_dE_dy_explains_non_formulas(bad):
    feedback = check_nb04_dE_dy(bad)
    assert not feedback.correct and "formula" in feedback.message


def test_dE_dy_accepts_sympy_symbols_with_assumptions():
    t, y = sympy.symbols("t y", real=True)
    assert check_nb04_dE_dy(y - t).correct
    assert "sign" in check_nb04_dE_dy(t - y).message


# ---- the notebook's structure ------------------------------------------------------------

def test_notebook_tags_only_demo_cells():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "nbval-ignore-output" in c.metadata.get("tags", [])]
    assert [c.source for c in tagged] == ["neuron_descent_demo().show()", "activation_demo().show()"]
    solutions = [c for c in nb.cells if c.cell_type == "markdown" and "<details><summary>Solution" in c.source]
    assert len(solutions) == 4


def test_solution_numbers_match_sympy():
    """The worked solutions print numbers; recompute them with sympy so the text cannot drift."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    solutions = [c.source for c in nb.cells if c.cell_type == "markdown" and "<details><summary>Solution" in c.source]
    at = {W: -1, X: 2, T: 1, B: 0}
    y2 = SIG.subs(at)
    grad2 = sympy.diff(E_SYM, W).subs(at)
    assert float(grad2) == pytest.approx(-0.1849561, abs=1e-7)
    at4 = {**at, B: sympy.Rational(1, 2)}
    y4 = SIG.subs(at4)
    grad4 = sympy.diff(E_SYM, B).subs(at4)

    def six(value):
        return f"{float(value):.6f}"

    ex2, ex3, ex4 = solutions[1], solutions[2], solutions[3]
    assert rf"y = f(-2) \approx {six(y2)}" in ex2
    assert f"= {six(-(1 - y2))}" in ex2 and f"{float(y2 * (1 - y2)):.7f}" in ex2
    assert rf"\approx {six(grad2)}$. In code" in ex2
    assert rf"-1 - 0.5 \cdot ({six(grad2)})" in ex3
    assert rf"\approx {six(-1 - grad2 / 2)}$" in ex3
    assert rf"y = f(-1.5) \approx {float(y4):.7f}" in ex4
    assert rf"\approx {six(grad4)}$" in ex4
    # the rounded factors the solutions show multiply to the rounded answer
    assert f"{-(1 - round(float(y2), 6)) * round(float(y2 * (1 - y2)), 7) * 2:.6f}" == six(grad2)
    y4_shown = round(float(y4), 7)
    assert f"{-(1 - y4_shown) * y4_shown * (1 - y4_shown):.6f}" == six(grad4)
