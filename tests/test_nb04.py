"""Notebook 04: the single-neuron helpers, both demos and the exercise checks."""

import math
import pathlib

import nbformat
import numpy as np
import pytest
import sympy

from backprop_helpers import numerical_derivative, numerical_gradient, sigmoid_prime, squared_error_grad
from backprop_helpers.course import nb04
from backprop_helpers.course.nb04 import (
    activation_demo,
    check_nb04_bias_gradient,
    check_nb04_dE_dy,
    check_nb04_gradient,
    check_nb04_update,
    check_neuron_dE_dw,
    check_neuron_dE_dw_db,
    neuron_descent,
    neuron_descent_demo,
    neuron_error,
    neuron_forward,
    neuron_gradient,
    neuron_minimum,
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
    run = neuron_descent(0.5, 1.5, 1.0, 0.5, 5)
    assert run.path.shape == run.losses.shape == (6,) and run.status == "step limit"
    assert run.path[1] == pytest.approx(0.5 - 0.5 * DE_DW(0.5, 1.5, 1.0, 0.0), rel=1e-12)
    assert run.path[1] == pytest.approx(0.552429, abs=1e-6)
    assert run.losses[0] == pytest.approx(0.5 * (1 - s(0.75)) ** 2)
    assert np.all(np.diff(run.losses) < 0)


def test_minimum_and_its_curvature_match_sympy():
    # E″(w) by sympy at w* = ln(t/(1 − t))/x, for x = 1.5, t = 0.8 (the demo) and a point with a bias
    for x, t, b in [(1.5, 0.8, 0.0), (-2.0, 0.3, 0.5)]:
        w_star, curvature = neuron_minimum(x, t, b)
        assert s(w_star * x + b) == pytest.approx(t, rel=1e-12)
        second = sympy.diff(E_SYM, W, 2).subs({W: w_star, X: x, T: t, B: b})
        assert curvature == pytest.approx(float(second), rel=1e-9)
    assert 2 / neuron_minimum(1.5, 0.8)[1] == pytest.approx(34.72, abs=0.005)  # 2/(1.5·0.8·0.2)² = 34.72
    assert neuron_minimum(1.5, 1.0) is None and neuron_minimum(1.5, 0.0) is None and neuron_minimum(0.0, 0.5) is None


def test_descent_converges_to_the_minimum():
    run = neuron_descent(-2.0, 1.5, 0.8, 10.0, 200)
    assert run.status == "converged"
    assert run.final == pytest.approx(math.log(0.8 / 0.2) / 1.5, abs=1e-6)
    assert run.losses[-1] < 1e-12


def test_descent_huge_learning_rate_stays_finite():
    run = neuron_descent(-2.0, 3.0, 0.8, 1e5, 100)
    assert np.isfinite(run.path).all() and np.isfinite(run.losses).all()
    run = neuron_descent(-2.0, 3.0, 0.8, 1e9, 100, limit=1e6)  # a step beyond the limit stops the run
    assert run.status == "diverged" and run.steps < 100


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


def artist(fig, gid):
    return next(a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid)


def test_descent_demo_extremes_give_a_sentence_each():
    statuses = _statuses(neuron_descent_demo())
    assert len(statuses) >= 12
    for status in statuses.values():
        assert "nan" not in status.lower() and "inf" not in status.lower()
        assert status.startswith("at w = ")


ETA_STOPS = {float(f"{10 ** (k / 10):.3g}"): 10 ** (k / 10) for k in range(-20, 21)}  # the η slider, as it reads
W_STAR = math.log(4) / 1.5                                                    # the demo's w* for x = 1.5, t = 0.8


def demo_run(eta, steps=10):
    """A run of the descent demo from its default w = −2, x = 1.5, t = 0.8, at the η slider's stop shown as ``eta``."""
    return neuron_descent(-2.0, 1.5, 0.8, ETA_STOPS[eta], steps)


def side(w):
    return np.sign(np.asarray(w) - W_STAR)


def test_the_notebooks_learning_rates_are_slider_stops():
    for eta in (0.01, 20.0, 31.6, 39.8, 100.0, 50.1):
        assert eta in ETA_STOPS
    assert 35.0 not in ETA_STOPS and ETA_STOPS[31.6] < 2 / neuron_minimum(1.5, 0.8)[1] < ETA_STOPS[39.8]


def test_eta_20_overshoots_once_then_approaches_from_the_right():
    # the notebook: "the second step jumps past w* to w ≈ 1.8, then the run approaches w* from the right"
    run = demo_run(20.0)
    assert run.path[1] < W_STAR < run.path[2] and run.path[2] == pytest.approx(1.8, abs=0.01)
    right = run.path[2:7]
    assert np.all(right > W_STAR) and np.all(np.diff(right) < 0)          # steps 2–6: from the right, closer each time
    assert abs(run.final - W_STAR) < 1e-3
    assert nb04._crossings(run.path, W_STAR) < run.steps                   # so not "overshoots every step"
    assert demo_run(20.0, 50).status == "converged"


@pytest.mark.parametrize("eta, second", [(31.6, 4.4), (39.8, 4.3)])
def test_etas_around_the_bound_are_thrown_onto_the_flat_tail(eta, second):
    run = demo_run(eta)
    assert run.path[1] < W_STAR and run.path[2] == pytest.approx(second, abs=0.05)
    assert np.all(run.path[2:] > W_STAR) and run.path[2] - run.final < 0.2         # hardly moved back in 10 steps
    assert s(1.5 * run.final) * (1 - s(1.5 * run.final)) < 0.05                    # f′(z) is small there
    longer = demo_run(eta, 50)
    if eta > 34.7:   # slid back to w* and cannot settle there: still swinging across it
        assert abs(longer.final - W_STAR) < 0.3 and side(longer.path[-1]) != side(longer.path[-2])
        assert abs(longer.path[-1] - longer.path[-2]) > 0.1
    else:            # still on its way back
        assert np.all(longer.path[2:] > W_STAR) and longer.final > 2.5 and np.all(np.diff(longer.path[2:]) < 0)


def test_eta_100_is_thrown_out_again_then_sticks_far_out():
    run = demo_run(100.0)
    np.testing.assert_allclose(run.path[:7], [-2.0, 3.1, 2.83, 2.44, 1.81, 0.60, 3.38], atol=0.01)
    assert nb04._crossings(run.path, W_STAR) == 3
    assert abs(run.path[-1] - run.path[-2]) > 0.4        # the last steps are big: not "barely move"
    longer = demo_run(100.0, 50)
    assert longer.path[12] == pytest.approx(0.12, abs=0.01) and longer.path[13] == pytest.approx(9.6, abs=0.01)
    assert np.all(np.abs(longer.path[13:] - 9.6) < 0.01) and longer.status == "step limit"


def test_eta_50_with_50_steps_cannot_settle_and_eta_001_crawls():
    run = demo_run(50.1, 50)
    assert run.status == "step limit" and abs(run.final - W_STAR) < 1
    assert np.abs(np.diff(run.path[-6:])).min() > 0.05                     # still big swings at the end
    assert abs(demo_run(0.01).final + 2.0) < 0.01


@pytest.mark.parametrize("path, crossings", [
    ([0.0, 0.5, 2.0, 1.5], 1), ([0.0, 2.0, 0.5, 2.0, 0.5], 4), ([2.0, 1.5, 1.2], 0), ([0.0, W_STAR, 2.0], 1),
])
def test_crossings_count_sign_changes_of_w_minus_w_star(path, crossings):
    assert nb04._crossings(np.array(path), W_STAR) == crossings


def test_descent_demo_draws_the_run_the_next_step_and_w_star():
    demo = neuron_descent_demo()
    demo.update(w=0.5, x=1.5, t=1.0, eta=0.5, steps=0)
    slope = numerical_derivative(lambda v: 0.5 * (1 - s(1.5 * v)) ** 2, 0.5)
    assert artist(demo.fig, "next").get_xdata()[0] == pytest.approx(0.5 - 0.5 * slope, rel=1e-8)
    assert not artist(demo.fig, "w_star").get_visible()  # t = 1: no finite minimum
    demo.update(w=-2.0, x=1.5, t=0.8, eta=10.0, steps=20)
    path = artist(demo.fig, "path")
    run = neuron_descent(-2.0, 1.5, 0.8, 10.0, 20)
    assert len(path.get_xdata()) == run.steps + 1
    assert path.get_xdata()[-1] == pytest.approx(math.log(4) / 1.5, abs=1e-3)
    assert artist(demo.fig, "w_star").get_xdata()[0] == pytest.approx(math.log(4) / 1.5)


def test_descent_demo_special_cases_never_warn():
    demo = neuron_descent_demo()
    with np.errstate(all="raise"):
        for kwargs in [dict(w=1.0, x=0.0), dict(w=1.0, x=1e-12), dict(w=0.5, t=1.0, eta=100.0, steps=50),
                       dict(w=6.0, x=-3.0, t=1.0, eta=100.0, steps=50), dict(t=0.0, steps=50)]:
            assert demo.update(**kwargs).startswith("at w = ")


def test_activation_demo_extremes_and_values():
    demo = activation_demo()
    assert demo.controls["z"].value == 1.0  # the default sits away from ReLU's kink at z = 0
    statuses = _statuses(demo)
    at_one = statuses[("z", 1.0)]
    # by hand at z = 1: σ′ = σ(1)(1 − σ(1)) = 0.197, tanh′ = 1 − tanh(1)² = 0.420, softplus′ = σ(1) = 0.731
    assert "sigmoid′ = 0.197" in at_one and "tanh′ = 0.420" in at_one
    assert "relu′ = 1.000" in at_one and "softplus′ = 0.731" in at_one
    assert "relu′ = 1.000" in statuses[("z", 6.0)] and "relu′ = 0.000" in statuses[("z", -6.0)]
    assert "sigmoid′ = 0.250" in demo.update(z=0.0)
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


# ---- your turn ---------------------------------------------------------------------------

def right_dE_dw(w, x, t):
    return float(DE_DW(w, x, t, 0.0))  # sympy's derivative, lambdified above


def right_dE_dw_db(w, x, b, t):
    """From sympy's ∂E/∂b of the one-input neuron, at the same z = w·x + b (weight w·x, input 1), and ∂z/∂wᵢ = xᵢ."""
    delta = float(DE_DB(float(np.dot(w, x)), 1.0, t, b))
    return delta * np.asarray(x, dtype=float), delta


def test_your_turn_checks_accept_sympys_derivatives():
    assert check_neuron_dE_dw(right_dE_dw).correct
    assert check_neuron_dE_dw_db(right_dE_dw_db).correct


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, x, t: -(t - s(w * x)) * s(w * x) * x, "not f(z) itself"),
    (lambda w, x, t: right_dE_dw(w, x, t) / x, "dz/dw = x"),
    (lambda w, x, t: -right_dE_dw(w, x, t), "sign is flipped"),
])
def test_dE_dw_check_names_each_typical_mistake(wrong, hint):
    feedback = check_neuron_dE_dw(wrong)
    assert not feedback.correct and hint in feedback.message, feedback.message


def delta_at(w, x, b, t):
    return right_dE_dw_db(w, x, b, t)[1]


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, x, b, t: (-(t - s(np.dot(w, x) + b)) * s(np.dot(w, x) + b) * x,
                         -(t - s(np.dot(w, x) + b)) * s(np.dot(w, x) + b)), "not f(z) itself"),
    (lambda w, x, b, t: (np.full(len(w), delta_at(w, x, b, t)), delta_at(w, x, b, t)), "its own input"),
    (lambda w, x, b, t: (-delta_at(w, x, b, t) * x, -delta_at(w, x, b, t)), "sign is flipped"),
    (lambda w, x, b, t: (delta_at(w, x, b, t) * x, delta_at(w, x, b, t) * float(np.sum(x))), "∂z/∂b = 1"),
    (lambda w, x, b, t: right_dE_dw_db(w, x, 0.0, t), "include the bias"),
])
def test_dE_dw_db_check_names_each_typical_mistake(wrong, hint):
    feedback = check_neuron_dE_dw_db(wrong)
    assert not feedback.correct and hint in feedback.message, feedback.message


@pytest.mark.parametrize("fn, words", [
    (lambda *a: None, "returned None"),
    (lambda *a: 1 / 0, "ZeroDivisionError"),
    (lambda w, x, b, t: (w[:1], 0.0), "shape"),
    (lambda w, x, b, t: (w * np.nan, 0.0), "NaN"),
    (lambda w, x, b, t: w, "pair"),
])
def test_your_turn_checks_never_raise(fn, words):
    feedback = check_neuron_dE_dw_db(fn)
    assert not feedback.correct and words in feedback.message, feedback.message
    assert not check_neuron_dE_dw(lambda *a: None).correct
