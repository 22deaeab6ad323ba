"""Tests of the softplus dosage example of notebook 05 (backprop_helpers.course.nb05).

Pinned numbers are literals: the curriculum's (SSR ≈ 20.4, dSSR/db3 ≈ −15.7, b3 → 2.61) and,
tighter, values computed once with exact sympy arithmetic (rational parameters, 15 digits),
independently of the code under test.
"""

import math

import numpy as np
import pytest
import sympy

from backprop_helpers import numerical_derivative, numerical_gradient
from backprop_helpers.course.nb05 import (
    DOSAGE,
    DOSAGE_PARAM_NAMES,
    DOSAGE_PARAMS,
    EFFICACY,
    dosage_gradients,
    dosage_predict,
    dosage_ssr,
    fit_dosage,
)

NAMES = ("w1", "b1", "w2", "b2", "w3", "w4", "b3")

# ∂SSR/∂p at DOSAGE_PARAMS (b3 = 0), from sympy with exact rational parameters.
SYMPY_GRADIENTS_AT_START = {
    "w1": 7.33891825253, "b1": 10.3472337645, "w2": 1.98695951981, "b2": 11.0317049791,
    "w3": -16.1087501344, "w4": -6.94629632820, "b3": -15.6551083806,
}


def reference_predict(x, p):
    """ŷ written out with the math module, independently of the package."""
    softplus = lambda z: math.log1p(math.exp(z))
    return p["w3"] * softplus(p["w1"] * x + p["b1"]) + p["w4"] * softplus(p["w2"] * x + p["b2"]) + p["b3"]


def random_params(seed):
    rng = np.random.default_rng(seed)
    return dict(zip(NAMES, (float(v) for v in rng.normal(0, 2, size=7))))


# --- the data and the fixed parameters -------------------------------------------------------

def test_data_and_parameters_are_the_curriculum_values():
    assert DOSAGE.tolist() == [0.0, 0.5, 1.0]
    assert EFFICACY.tolist() == [0.0, 1.0, 0.0]
    assert DOSAGE_PARAMS == {"w1": 3.34, "b1": -1.43, "w2": -3.53, "b2": 0.57, "w3": -1.22, "w4": -2.30, "b3": 0.0}
    assert tuple(DOSAGE_PARAM_NAMES) == NAMES


# --- the curriculum's "must reproduce" numbers -----------------------------------------------

def test_ssr_at_b3_zero_is_20_4():
    assert round(dosage_ssr(DOSAGE_PARAMS), 1) == 20.4
    assert dosage_ssr(DOSAGE_PARAMS) == pytest.approx(20.4235976775892, rel=1e-10)


def test_dssr_db3_at_b3_zero_is_minus_15_7():
    assert round(dosage_gradients(DOSAGE_PARAMS)["b3"], 1) == -15.7
    assert dosage_gradients(DOSAGE_PARAMS)["b3"] == pytest.approx(-15.6551083805777, rel=1e-10)


def test_descent_from_b3_zero_ends_at_2_61():
    # SSR(b3) is a parabola of curvature 6 whose minimum b3* = −(dSSR/db3 at 0)/6 = 15.6551083806/6 (sympy
    # literal above); with η = 0.1 each step multiplies b3* − b3 by 0.4, so b3_k = b3*(1 − 0.4^k) and the
    # step taken from b3_k is 0.6·b3*·0.4^k, first below 0.001 at k = 9 (0.6·2.609·0.4^9 = 4.1e-4): 10 updates.
    b3_star = 15.6551083806 / 6
    fit = fit_dosage(DOSAGE_PARAMS, learning_rate=0.1, fit=("b3",), tol=0.001)
    assert fit.status == "converged" and fit.steps == 10
    assert round(fit.final["b3"], 2) == 2.61
    assert fit.run.path == pytest.approx(b3_star * (1 - 0.4 ** np.arange(11)), rel=1e-9)


# --- prediction and SSR ----------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_predict_matches_the_written_out_formula(seed):
    p = random_params(seed)
    for x in (0.0, 0.3, 0.5, 1.0, 2.0):
        assert dosage_predict(x, p) == pytest.approx(reference_predict(x, p), rel=1e-12, abs=1e-12)
    ssr = sum((t - reference_predict(x, p)) ** 2 for x, t in zip([0.0, 0.5, 1.0], [0.0, 1.0, 0.0]))
    assert dosage_ssr(p) == pytest.approx(ssr, rel=1e-12)


def test_predict_returns_float_for_a_number_and_array_for_an_array():
    assert isinstance(dosage_predict(0.5, DOSAGE_PARAMS), float)
    ys = dosage_predict(np.array([0.0, 0.5, 1.0]), DOSAGE_PARAMS)
    assert isinstance(ys, np.ndarray) and ys.shape == (3,)
    assert ys == pytest.approx([-2.60366524, -1.60901932, -2.61486963], abs=1e-7)


def test_predict_is_stable_for_huge_inputs():
    # (underflow of softplus towards 0 is harmless and silent by default, so it is not raised here)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = dosage_predict(np.array([-1e4, 1e4]), DOSAGE_PARAMS)
    assert np.isfinite(y).all()


# --- gradients: chain rule vs finite differences and sympy ------------------------------------

def test_gradients_at_start_match_sympy_literals():
    grads = dosage_gradients(DOSAGE_PARAMS)
    assert set(grads) == set(NAMES)
    for name, expected in SYMPY_GRADIENTS_AT_START.items():
        assert grads[name] == pytest.approx(expected, rel=1e-9), name


@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3])
@pytest.mark.parametrize("name", NAMES)
def test_each_partial_matches_finite_differences(name, seed):
    p = dict(DOSAGE_PARAMS) if seed is None else random_params(seed)
    numeric = numerical_derivative(lambda v: dosage_ssr({**p, name: v}), p[name])
    assert dosage_gradients(p)[name] == pytest.approx(numeric, rel=1e-6, abs=1e-7)


def test_all_partials_match_numerical_gradient():
    vector = np.array([DOSAGE_PARAMS[n] for n in NAMES])
    numeric = numerical_gradient(lambda v: dosage_ssr(dict(zip(NAMES, v))), vector)
    grads = dosage_gradients(DOSAGE_PARAMS)
    assert np.array([grads[n] for n in NAMES]) == pytest.approx(numeric, rel=1e-7, abs=1e-8)


def test_all_partials_match_sympy_at_random_points():
    symbols = sympy.symbols(" ".join(NAMES))
    w1, b1, w2, b2, w3, w4, b3 = symbols
    sp = lambda z: sympy.log(1 + sympy.exp(z))
    ssr = sum((t - (w3 * sp(w1 * x + b1) + w4 * sp(w2 * x + b2) + b3)) ** 2
              for x, t in [(0, 0), (sympy.Rational(1, 2), 1), (1, 0)])
    derivatives = {n: sympy.lambdify(symbols, sympy.diff(ssr, s)) for n, s in zip(NAMES, symbols)}
    for seed in (4, 5, 6):
        p = random_params(seed)
        grads = dosage_gradients(p)
        for n in NAMES:
            assert grads[n] == pytest.approx(derivatives[n](*(p[k] for k in NAMES)), rel=1e-9, abs=1e-12), n


def test_derivative_of_b3_is_minus_two_times_residual_sum():
    p = {**DOSAGE_PARAMS, "b3": 1.0}
    assert dosage_gradients(p)["b3"] == pytest.approx(-9.65510838058, rel=1e-9)


# --- fit_dosage: the iteration table -----------------------------------------------------------

def test_run_records_every_iteration_with_the_update_rule():
    fit = fit_dosage(DOSAGE_PARAMS, learning_rate=0.1)
    run = fit.run
    assert fit.params(0) == DOSAGE_PARAMS
    assert run.losses[0] == pytest.approx(20.4235976775892)
    assert run.gradients[0] == pytest.approx(-15.6551083805777)
    for k in range(fit.steps):
        assert run.path[k + 1] == pytest.approx(run.path[k] - 0.1 * run.gradients[k], rel=1e-15)
        assert run.losses[k] == pytest.approx(dosage_ssr(fit.params(k)), rel=1e-15)
        assert run.gradients[k] == pytest.approx(numerical_derivative(
            lambda b: dosage_ssr({**DOSAGE_PARAMS, "b3": b}), run.path[k]), rel=1e-6, abs=1e-8)
        for name in NAMES[:-1]:  # the six fixed parameters never move
            assert fit.params(k)[name] == DOSAGE_PARAMS[name]
    assert abs(run.path[-1] - run.path[-2]) < 0.001 <= abs(run.path[-2] - run.path[-3])


def test_second_row_matches_sympy():
    run = fit_dosage(DOSAGE_PARAMS).run
    assert run.path[1] == pytest.approx(1.56551083805777, rel=1e-10)
    assert run.gradients[1] == pytest.approx(-6.2620434, rel=1e-7)


def test_table_is_fixed_digit_text():
    lines = fit_dosage(DOSAGE_PARAMS).table().splitlines()
    assert lines[0].split() == ["step", "b3", "SSR", "dSSR/db3", "step", "size"]
    assert lines[1].split() == ["0", "0.0000", "20.4236", "-15.6551", "-1.5655"]
    assert lines[-2].split() == ["9", "2.6085", "0.0001", "-0.0041", "-0.0004"]
    assert lines[-1].split() == ["10", "2.6089", "0.0001", "-0.0016", "—"]  # no step is taken from the last row
    three = fit_dosage(DOSAGE_PARAMS, fit=("w3", "w4", "b3")).table(max_rows=5).splitlines()  # head, 4 rows, …, last
    assert three[0].split()[:4] == ["step", "w3", "w4", "b3"] and len(three) == 7 and three[5].split()[0] == "…"


def test_fit_does_not_mutate_the_callers_params():
    params = dict(DOSAGE_PARAMS)
    fit = fit_dosage(params, fit=NAMES, steps=5)
    assert params == DOSAGE_PARAMS
    fit.params(0)["b3"] = 99.0  # each call builds a new dict
    assert fit.params(0)["b3"] == 0.0 and params["b3"] == 0.0


def test_fitting_all_seven_parameters_reduces_ssr_to_nearly_zero():
    start = {"w1": 2.04, "b1": 0.0, "w2": -2.56, "b2": 0.0, "w3": 0.42, "w4": -0.57, "b3": 0.0}
    fit = fit_dosage(start, learning_rate=0.05, fit=NAMES, tol=1e-4, steps=3000)
    assert fit.status == "converged"
    assert fit.run.losses[0] > 1.0 and fit.run.losses[-1] < 1e-3
    assert np.linalg.norm(fit.run.path[-1] - fit.run.path[-2]) < 1e-4  # the Euclidean stopping rule
    assert fit.run.gradients.shape == (fit.steps + 1, 7)


def test_step_limit_stops_and_says_so():
    fit = fit_dosage(DOSAGE_PARAMS, learning_rate=0.01, steps=5)
    assert fit.status == "step limit" and fit.steps == 5
    assert fit_dosage(DOSAGE_PARAMS, steps=0).status == "step limit"


@pytest.mark.parametrize("eta", [0.5, 1.0, 10.0, 1e6, 1e300])
def test_large_learning_rate_diverges_without_warnings(eta):
    with np.errstate(all="raise"):
        fit = fit_dosage(DOSAGE_PARAMS, learning_rate=eta, steps=1000)
    assert fit.status == "diverged" and fit.steps < 1000
    assert np.isfinite(fit.run.path).all()


def test_learning_rate_between_one_sixth_and_one_third_oscillates_but_converges():
    fit = fit_dosage(DOSAGE_PARAMS, learning_rate=0.25)
    assert fit.status == "converged"
    assert np.sign(fit.run.gradients[:4]).tolist() == [-1, 1, -1, 1]


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("eta, error", [(0, ValueError), (-0.1, ValueError), (float("nan"), ValueError),
                                        (float("inf"), ValueError), ("0.1", TypeError), (True, TypeError)])
def test_bad_learning_rate_is_rejected(eta, error):
    with pytest.raises(error, match="learning_rate"):
        fit_dosage(DOSAGE_PARAMS, learning_rate=eta)


@pytest.mark.parametrize("fit, error", [(("b4",), ValueError), ((), ValueError), (("b3", "b3"), ValueError),
                                        ("b3", TypeError), ((3,), TypeError)])
def test_bad_fit_is_rejected(fit, error):
    with pytest.raises(error, match="fit"):
        fit_dosage(DOSAGE_PARAMS, fit=fit)


@pytest.mark.parametrize("params, error, words", [
    ({**DOSAGE_PARAMS, "w5": 1.0}, ValueError, "unknown.*w5"),
    ({k: v for k, v in DOSAGE_PARAMS.items() if k != "w4"}, ValueError, "missing.*w4"),
    ({**DOSAGE_PARAMS, "b1": float("nan")}, ValueError, "b1"),
    ({**DOSAGE_PARAMS, "b1": "x"}, TypeError, "b1"),
    ([1, 2, 3], TypeError, "dict"),
])
def test_bad_params_are_rejected_everywhere(params, error, words):
    for function in (dosage_ssr, dosage_gradients, fit_dosage, lambda p: dosage_predict(0.5, p)):
        with pytest.raises(error, match=f"params.*{words}"):
            function(params)


def test_bad_tol_steps_and_x_are_rejected():
    with pytest.raises(ValueError, match="tol"):
        fit_dosage(DOSAGE_PARAMS, tol=0)
    with pytest.raises(ValueError, match="steps"):
        fit_dosage(DOSAGE_PARAMS, steps=-1)
    with pytest.raises(TypeError, match="steps"):
        fit_dosage(DOSAGE_PARAMS, steps=2.5)
    with pytest.raises(ValueError, match="x"):
        dosage_predict(float("nan"), DOSAGE_PARAMS)
