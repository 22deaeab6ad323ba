"""The one gradient-descent loop of the series, w_{k+1} = w_k − η·∇E(w_k) (notebook 03, eq. 03.1),
its run record ``Run``, and ``describe_run``, the one sentence that says what a run did and why.
"""

from dataclasses import dataclass

import numpy as np

from .validation import MAX_STEPS, as_float_array, count, function, positive

__all__ = ["Run", "descend", "describe_run"]


@dataclass(frozen=True, eq=False)
class Run:
    """What ``descend`` returns: ``path``, the iterates w₀, w₁, … (shape (steps + 1,) or (steps + 1, n));
    ``losses``, E at each iterate (or None); ``gradients``, ∇E at each iterate whose step was taken (and
    at the last when known); ``status``, "converged", "step limit" or "diverged"; ``steps``; η; ``tol``.
    A diverged run keeps the iterates before the one that left the limit: no path holds inf or NaN."""

    path: np.ndarray
    losses: np.ndarray | None
    gradients: np.ndarray
    status: str
    learning_rate: float
    tol: float

    @property
    def steps(self):
        return len(self.path) - 1

    @property
    def final(self):
        """The last iterate (a float for a scalar w)."""
        return self.path[-1] if self.path.ndim > 1 else float(self.path[-1])

    def first(self, steps):
        """The run ``descend`` makes with the step limit ``steps``, cut from this one (the first steps agree)."""
        steps = count(steps, "steps", high=self.steps if self.status == "step limit" else MAX_STEPS)  # not beyond it
        if steps < self.steps or (self.status == "diverged" and steps == self.steps):
            losses = None if self.losses is None else self.losses[: steps + 1]
            return Run(self.path[: steps + 1], losses, self.gradients[: steps + 1], "step limit", self.learning_rate,
                       self.tol)
        return self

    def __repr__(self):
        return f"Run(status={self.status!r}, steps={self.steps}, w={np.round(self.path[-1], 6).tolist()})"


def descend(grad, w0, learning_rate, *, loss=None, tol=1e-3, steps=1000, limit=1e6, optimizer=None):
    """Gradient descent from ``w0`` (notebook 03): w ← w − η·∇E(w) until a stopping rule holds.

    ``grad(w)`` returns ∇E at w (shaped like w); ``loss(w)``, if given, returns E(w) and is
    recorded at every iterate.  ``optimizer`` (an object of notebook 08 such as ``Momentum``)
    replaces the plain update with its own rule; its ``learning_rate`` is then used.  Stops:

    - "converged": the step just taken was shorter than ``tol`` (its Euclidean length);
    - "step limit": ``steps`` updates were made first;
    - "diverged": an iterate (or E) became non-finite or |w| exceeded ``limit``.
    """
    grad, loss = function(grad, "grad"), None if loss is None else function(loss, "loss")
    if optimizer is not None:
        if not hasattr(optimizer, "step"):
            raise TypeError(f"optimizer must have a step(params, grads) method, got {type(optimizer).__name__}")
        learning_rate = optimizer.learning_rate
    learning_rate = positive(learning_rate, "learning_rate")
    tol, limit = positive(tol, "tol"), positive(limit, "limit")
    steps = count(steps, "steps")
    w = as_float_array(w0, "w0", finite=True)
    scalar = w.ndim == 0
    w = w.reshape(-1).copy()

    def call(fn, what):
        value = np.asarray(fn(float(w[0]) if scalar else w.copy()), dtype=np.float64)
        if what == "grad" and value.size != w.size:
            raise ValueError(f"grad must return a gradient shaped like w0 ({w.size} numbers), got shape {value.shape}")
        return value.reshape(-1) if what == "grad" else float(value)

    path, grads = [w.copy()], []
    losses = [call(loss, "loss")] if loss is not None else None
    status = "step limit"
    with np.errstate(all="ignore"):  # overflow is detected below and reported as "diverged"
        for _ in range(steps):
            g = call(grad, "grad")
            grads.append(g)
            if optimizer is None:
                new = w - learning_rate * g
            else:
                new = w.copy()
                if not np.isfinite(g).all():
                    status = "diverged"
                    break
                optimizer.step([new], [g])
            step = new - w
            if not np.isfinite(new).all() or np.abs(new).max() > limit:
                status = "diverged"
                break
            w = new
            path.append(w.copy())
            if losses is not None:
                losses.append(call(loss, "loss"))
                if not np.isfinite(losses[-1]):
                    path.pop(), losses.pop()
                    status = "diverged"
                    break
            if np.sqrt(np.sum(step**2)) < tol:
                status = "converged"
                break
        if status != "diverged" and len(grads) < len(path):
            grads.append(call(grad, "grad"))
    path = np.array(path)
    return Run(path[:, 0] if scalar else path, None if losses is None else np.array(losses),
               np.array(grads).reshape(len(grads), -1)[:, 0] if scalar else np.array(grads).reshape(len(grads), -1),
               status, learning_rate, tol)


def _steps(n):
    return f"{n} step" if n == 1 else f"{n} steps"


def describe_run(run, curvature, name="λ"):
    """One status line for a run on a loss whose curvature at the minimum is λ = ``curvature``
    (notebooks 03, 04, 05).  Near the minimum each step multiplies the distance to it by
    1 − ηλ, so the run converges only for η < 2/λ; the sentence says which case it is and what
    the run did, from the run record alone.  ``name`` is how λ is written ("λ₂", "E″(w*)").
    """
    eta, limit = run.learning_rate, 2 / curvature
    factor = 1 - eta * curvature
    eta_text = f"{eta:.4g}" if abs(eta - limit) < 0.005 * limit else f"{eta:.3g}"  # .3g rounds 0.1995 to 0.2
    where = f"η = {eta_text} {'<' if eta < limit else '>' if eta > limit else '='} 2/{name} = {limit:.3g}"
    n = run.steps
    if run.status == "diverged":
        return f"diverged after {_steps(n)} — {where}: each step multiplies the distance to the minimum by {factor:.2f}"
    if run.status == "converged":
        how = "oscillating, but converged" if factor < 0 else "converged"
        return f"{how} in {_steps(n)} (step size below {run.tol:g}) — {where}"
    if abs(factor) > 1 + 1e-9:
        return f"diverging: the swings grow every step — {where}; stopped at the step limit ({n})"
    if factor < -1 + 1e-9:
        return f"oscillating forever between two points — {where}"
    if factor < 0:
        return f"oscillating: overshoots every step, not converged after {_steps(n)} — {where}"
    if factor > 0.9:
        return f"crawling: not converged after {_steps(n)} (step size still above {run.tol:g}) — {where}"
    return f"stopped at the step limit: not converged yet after {_steps(n)} (factor {factor:.2f} per step) — {where}"
