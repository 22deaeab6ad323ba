"""Tests of backprop_helpers.dosage: the softplus dosage example of notebook 05.

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
    history = fit_dosage(DOSAGE_PARAMS, learning_rate=0.1, fit=("b3",), tol=0.001)
    assert history.status == "converged"
    assert round(history[-1].params["b3"], 2) == 2.61
    assert history[-1].params["b3"] == pytest.approx(2.60850074797441, rel=1e-10)
    assert len(history) == 10  # the start and 9 updates (sympy/mpmath gives the same count)


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

def test_history_records_every_iteration_with_the_update_rule():
    history = fit_dosage(DOSAGE_PARAMS, learning_rate=0.1)
    assert [r.step for r in history] == list(range(len(history)))
    assert history[0].params == DOSAGE_PARAMS
    assert history[0].ssr == pytest.approx(20.4235976775892)
    assert history[0].step_sizes == {"b3": pytest.approx(-1.56551083805777)}
    for before, after in zip(history, history[1:]):
        assert before.step_sizes["b3"] == pytest.approx(0.1 * before.gradients["b3"], rel=1e-15)
        assert after.params["b3"] == pytest.approx(before.params["b3"] - before.step_sizes["b3"], rel=1e-15)
        assert abs(before.step_sizes["b3"]) >= 0.001
        for name in NAMES[:-1]:  # the six fixed parameters never move
            assert after.params[name] == DOSAGE_PARAMS[name]
    assert abs(history[-1].step_sizes["b3"]) < 0.001


def test_history_second_row_matches_sympy():
    second = fit_dosage(DOSAGE_PARAMS)[1]
    assert second.params["b3"] == pytest.approx(1.56551083805777, rel=1e-10)
    assert second.gradients["b3"] == pytest.approx(-6.2620434, rel=1e-7)


def test_table_is_fixed_digit_text():
    lines = fit_dosage(DOSAGE_PARAMS).table().splitlines()
    assert lines[0].split() == ["step", "b3", "SSR", "dSSR/db3", "step", "size"]
    assert lines[1].split() == ["0", "0.0000", "20.4236", "-15.6551", "-1.5655"]
    assert lines[-1].split() == ["9", "2.6085", "0.0001", "-0.0041", "-0.0004"]


def test_fit_does_not_mutate_the_callers_params():
    params = dict(DOSAGE_PARAMS)
    history = fit_dosage(params, fit=NAMES, max_steps=5)
    assert params == DOSAGE_PARAMS
    history[0].params["b3"] = 99.0  # records hold their own copies
    assert params["b3"] == 0.0


def test_fitting_all_seven_parameters_reduces_ssr_to_nearly_zero():
    start = {"w1": 2.04, "b1": 0.0, "w2": -2.56, "b2": 0.0, "w3": 0.42, "w4": -0.57, "b3": 0.0}
    history = fit_dosage(start, learning_rate=0.05, fit=NAMES, tol=1e-4, max_steps=3000)
    assert history.status == "converged"
    assert history[0].ssr > 1.0
    assert history[-1].ssr < 1e-3
    assert set(history[-1].step_sizes) == set(NAMES)


def test_max_steps_stops_and_says_so():
    history = fit_dosage(DOSAGE_PARAMS, learning_rate=0.01, max_steps=5)
    assert history.status == "max_steps"
    assert len(history) == 6
    assert fit_dosage(DOSAGE_PARAMS, max_steps=0).status == "max_steps"


@pytest.mark.parametrize("eta", [0.5, 1.0, 10.0, 1e6, 1e300])
def test_large_learning_rate_diverges_without_warnings(eta):
    with np.errstate(all="raise"):
        history = fit_dosage(DOSAGE_PARAMS, learning_rate=eta, max_steps=1000)
    assert history.status == "diverged"
    assert len(history) < 1000


def test_learning_rate_between_one_sixth_and_one_third_oscillates_but_converges():
    history = fit_dosage(DOSAGE_PARAMS, learning_rate=0.25)
    assert history.status == "converged"
    signs = [np.sign(r.gradients["b3"]) for r in history[:4]]
    assert signs == [-1, 1, -1, 1]


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


def test_bad_tol_max_steps_and_x_are_rejected():
    with pytest.raises(ValueError, match="tol"):
        fit_dosage(DOSAGE_PARAMS, tol=0)
    with pytest.raises(ValueError, match="max_steps"):
        fit_dosage(DOSAGE_PARAMS, max_steps=-1)
    with pytest.raises(TypeError, match="max_steps"):
        fit_dosage(DOSAGE_PARAMS, max_steps=2.5)
    with pytest.raises(ValueError, match="x"):
        dosage_predict(float("nan"), DOSAGE_PARAMS)
