"""The softplus dosage example of notebook 05: three observations, two softplus units, one output.

Notebook 05's network (eq. 05.1) predicts the efficacy of a drug dosage x as

    ŷ = w3·softplus(w1·x + b1) + w4·softplus(w2·x + b2) + b3,

and measures the fit with the sum of squared residuals (eq. 05.2)

    SSR = Σᵢ (tᵢ − ŷᵢ)²,   tᵢ the observed efficacy.

``dosage_gradients`` returns every partial derivative of SSR by the chain rule (eqs. 05.3, 05.5, 05.6);
``fit_dosage`` runs gradient descent on some of the parameters and records every iteration
(the iteration table of notebook 05).  The worked example, data and starting values follow
Josh Starmer's StatQuest videos on backpropagation.
"""

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .activations import RAW, as_float_array

__all__ = [
    "DOSAGE", "EFFICACY", "DOSAGE_PARAMS", "DOSAGE_PARAM_NAMES",
    "dosage_predict", "dosage_ssr", "dosage_gradients", "fit_dosage",
    "DosageStep", "DosageHistory",
]

DOSAGE = np.array([0.0, 0.5, 1.0])    # x: low, medium, high dosage
EFFICACY = np.array([0.0, 1.0, 0.0])  # t: only the medium dosage works
DOSAGE_PARAM_NAMES = ("w1", "b1", "w2", "b2", "w3", "w4", "b3")
DOSAGE_PARAMS = {"w1": 3.34, "b1": -1.43, "w2": -3.53, "b2": 0.57, "w3": -1.22, "w4": -2.30, "b3": 0.0}

DIVERGED_SSR = 1e8      # an SSR above this (or not finite) counts as a diverged run
DIVERGED_PARAM = 1e6    # so does a parameter larger than this in magnitude

_softplus, _sigmoid = RAW["softplus"]  # softplus and its derivative, softplus'(z) = sigmoid(z)


def _check_params(params, name="params"):
    """A float copy of ``params`` after checking it names exactly w1, b1, w2, b2, w3, w4, b3."""
    if not isinstance(params, Mapping):
        raise TypeError(f"{name} must be a dict of the seven parameters, got {type(params).__name__}")
    unknown = sorted(set(params) - set(DOSAGE_PARAM_NAMES), key=str)
    if unknown:
        raise ValueError(f"{name} has unknown parameter(s) {unknown}; expected {', '.join(DOSAGE_PARAM_NAMES)}")
    missing = [p for p in DOSAGE_PARAM_NAMES if p not in params]
    if missing:
        raise ValueError(f"{name} is missing parameter(s) {missing}; expected {', '.join(DOSAGE_PARAM_NAMES)}")
    checked = {}
    for p in DOSAGE_PARAM_NAMES:
        value = params[p]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name}[{p!r}] must be a real number, got {type(value).__name__}")
        if not math.isfinite(value):
            raise ValueError(f"{name}[{p!r}] must be finite, got {value!r}")
        checked[p] = float(value)
    return checked


def _forward(x, p):
    """Hidden pre-activations z1, z2, activations a1, a2 and prediction ŷ (no input checks)."""
    z1 = p["w1"] * x + p["b1"]
    z2 = p["w2"] * x + p["b2"]
    a1, a2 = _softplus(z1), _softplus(z2)
    return z1, z2, a1, a2, p["w3"] * a1 + p["w4"] * a2 + p["b3"]


def _ssr_and_gradients(p):
    """SSR (eq. 05.2) and its seven partials (eqs. 05.3, 05.5 and 05.6) at checked parameters ``p``."""
    x, t = DOSAGE, EFFICACY
    z1, z2, a1, a2, y = _forward(x, p)
    residual = t - y
    d_y = -2.0 * residual                  # dSSR/dŷᵢ = −2(tᵢ − ŷᵢ)
    d_z1 = d_y * p["w3"] * _sigmoid(z1)    # … · dŷ/da1 · da1/dz1
    d_z2 = d_y * p["w4"] * _sigmoid(z2)
    grads = {
        "w1": float(np.sum(d_z1 * x)), "b1": float(np.sum(d_z1)),
        "w2": float(np.sum(d_z2 * x)), "b2": float(np.sum(d_z2)),
        "w3": float(np.sum(d_y * a1)), "w4": float(np.sum(d_y * a2)),
        "b3": float(np.sum(d_y)),
    }
    return float(np.sum(residual**2)), grads


def dosage_predict(x, params):
    """The squiggle ŷ = w3·softplus(w1·x + b1) + w4·softplus(w2·x + b2) + b3 (eq. 05.1).

    ``x`` is a dosage or an array of dosages; a float comes back for a number.
    """
    p = _check_params(params)
    xs = as_float_array(x, "x")
    y = _forward(xs, p)[-1]
    return float(y) if np.ndim(x) == 0 else y


def dosage_ssr(params):
    """SSR = Σᵢ (tᵢ − ŷᵢ)² over the three observations (DOSAGE, EFFICACY) (eq. 05.2)."""
    return _ssr_and_gradients(_check_params(params))[0]


def dosage_gradients(params):
    """All seven partial derivatives of SSR, by the chain rule (eqs. 05.3, 05.5 and 05.6).

    With rᵢ = tᵢ − ŷᵢ, zₖ = wₖ·x + bₖ and softplus' = sigmoid σ:
    dSSR/db3 = Σ −2rᵢ;  dSSR/dw3 = Σ −2rᵢ·softplus(z1ᵢ);  dSSR/dw4 = Σ −2rᵢ·softplus(z2ᵢ);
    dSSR/db1 = Σ −2rᵢ·w3·σ(z1ᵢ);  dSSR/dw1 = Σ −2rᵢ·w3·σ(z1ᵢ)·xᵢ  (and w4, z2 for b2, w2).
    Returns a dict keyed w1, b1, w2, b2, w3, w4, b3.
    """
    return _ssr_and_gradients(_check_params(params))[1]


@dataclass(frozen=True)
class DosageStep:
    """One row of the iteration table: the parameters at ``step``, their SSR, the derivatives
    dSSR/dp and the step sizes dSSR/dp × η of the fitted parameters (the ones ``fit`` names)."""

    step: int
    params: dict
    ssr: float
    gradients: dict
    step_sizes: dict


class DosageHistory(list):
    """The list of ``DosageStep`` records of one run, starting point first, with ``status``:
    "converged" (every step size below ``tol``), "max_steps" (still moving), or "diverged"."""

    def __init__(self, records, status, learning_rate, fit, tol):
        super().__init__(records)
        self.status, self.learning_rate, self.fit, self.tol = status, learning_rate, fit, tol

    @property
    def final(self):
        """The parameters at the last recorded iteration."""
        return dict(self[-1].params)

    def table(self, digits=4, max_rows=None):
        """The iteration table as fixed-digit text: step, fitted p, SSR, dSSR/dp, step size η·dSSR/dp."""
        head = ["step", *self.fit, "SSR", *(f"dSSR/d{p}" for p in self.fit),
                *(f"step size {p}" if len(self.fit) > 1 else "step size" for p in self.fit)]
        rows = [[str(r.step)] + [f"{v:.{digits}f}" for v in (
                    *(r.params[p] for p in self.fit), r.ssr,
                    *(r.gradients[p] for p in self.fit), *(r.step_sizes[p] for p in self.fit))]
                for r in self]
        if max_rows is not None and len(rows) > max_rows:
            rows = rows[: max_rows - 1] + [["…"] * len(head)] + rows[-1:]
        widths = [max(len(row[i]) for row in [head] + rows) for i in range(len(head))]
        return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in [head] + rows)


def _check_positive(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def fit_dosage(params, learning_rate=0.1, fit=("b3",), tol=0.001, max_steps=1000):
    """Gradient descent p ← p − η·dSSR/dp on the parameters named in ``fit`` (eq. 05.4).

    Starts from ``params`` (not modified) and records one ``DosageStep`` per iteration, the
    start first.  Stops when every step size |η·dSSR/dp| is below ``tol`` ("converged"),
    after ``max_steps`` updates ("max_steps"), or when SSR exceeds 1e8, a parameter exceeds
    1e6 or anything becomes non-finite ("diverged", without numpy warnings).
    Returns a ``DosageHistory`` (a list of the records, with ``.status``).
    """
    current = _check_params(params)
    learning_rate = _check_positive(learning_rate, "learning_rate")
    tol = _check_positive(tol, "tol")
    if isinstance(max_steps, (bool, np.bool_)) or not isinstance(max_steps, numbers.Integral):
        raise TypeError(f"max_steps must be an int, got {type(max_steps).__name__}")
    if max_steps < 0:
        raise ValueError(f"max_steps must be 0 or more, got {max_steps}")
    if isinstance(fit, str) or not all(isinstance(p, str) for p in fit):
        raise TypeError(f"fit must be a tuple of parameter names such as ('b3',), got {fit!r}")
    fit = tuple(fit)
    unknown = [p for p in fit if p not in DOSAGE_PARAM_NAMES]
    if unknown or not fit or len(set(fit)) != len(fit):
        raise ValueError(f"fit must name distinct parameters among {', '.join(DOSAGE_PARAM_NAMES)}, got {fit!r}")

    records, status = [], "max_steps"
    with np.errstate(all="ignore"):  # divergence is detected below and reported as a status
        for step in range(max_steps + 1):
            ssr, grads = _ssr_and_gradients(current)
            sizes = {p: grads[p] * learning_rate for p in fit}
            records.append(DosageStep(step, dict(current), ssr, grads, sizes))
            if not (ssr <= DIVERGED_SSR and all(abs(v) <= DIVERGED_PARAM for v in current.values())
                    and all(math.isfinite(s) for s in sizes.values())):
                status = "diverged"
                break
            if all(abs(s) < tol for s in sizes.values()):
                status = "converged"
                break
            if step < max_steps:
                current = {p: v - sizes.get(p, 0.0) for p, v in current.items()}
    return DosageHistory(records, status, learning_rate, fit, tol)
