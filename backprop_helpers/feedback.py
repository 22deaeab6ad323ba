"""The check-and-hint mechanism behind every notebook's ``check_*`` functions.

A check never raises for a wrong answer: it returns a ``Feedback`` that prints as
"✅ Correct ..." or "❌ Not yet: <a specific hint>".  A common mistake (a sign flipped, a
factor forgotten) is recognised and gets its own hint.  An answer of the wrong kind (a
string where a number was expected, an unparsable formula) gets a message saying what was
expected.
"""

import numbers

import numpy as np
import sympy

__all__ = ["Feedback", "check_number", "check_array", "check_expression"]

NO_ANSWER = "no answer yet: replace None with your answer and run the cell again."


class Feedback:
    """The result of a check: ``correct`` (bool) and a message; prints as the message."""

    def __init__(self, correct, message):
        self.correct = bool(correct)
        self.message = message

    def __bool__(self):
        return self.correct

    def __repr__(self):
        return ("✅ Correct! " if self.correct else "❌ Not yet: ") + self.message


def _close(a, b, rtol, atol):
    return bool(np.all(np.abs(np.asarray(a) - np.asarray(b)) <= atol + rtol * np.abs(np.asarray(b))))


def _as_plain_number(answer):
    """Exact sympy numbers (1/sqrt(2), Rational(1, 5)) and one-element arrays count as numbers."""
    if isinstance(answer, sympy.Basic) and answer.is_number and answer.is_real:
        return float(answer)
    if isinstance(answer, np.ndarray) and answer.size == 1 and np.issubdtype(answer.dtype, np.number):
        return float(answer.reshape(-1)[0])
    return answer


def check_number(answer, expected, *, rtol=1e-3, atol=1e-6, mistakes=(), hint="", success=""):
    """Compare a numeric ``answer`` with ``expected``.

    ``mistakes`` is a sequence of ``(wrong_value, hint)`` pairs for known slips; ``hint`` is
    the message for any other wrong number; ``success`` is added to the "Correct!" line.
    """
    if answer is None:
        return Feedback(False, NO_ANSWER)
    answer = _as_plain_number(answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.floating, np.integer)):
        return Feedback(False, f"expected a number, got {type(answer).__name__} {answer!r}.")
    if not np.isfinite(answer):
        return Feedback(False, f"expected a finite number, got {answer!r}.")
    if _close(answer, expected, rtol, atol):
        return Feedback(True, success or f"{float(answer):.6g} is right.")
    for wrong, mistake_hint in mistakes:
        if _close(answer, wrong, rtol, atol):
            return Feedback(False, mistake_hint)
    if _close(answer, expected, 0.05, atol):
        return Feedback(False, f"{float(answer):.6g} is close: keep at least 4 significant digits until the end.")
    return Feedback(False, hint or f"{float(answer):.6g} is not it. Re-check each step of the derivation.")


def check_array(answer, expected, *, rtol=1e-3, atol=1e-6, mistakes=(), hint="", success=""):
    """Like ``check_number`` for arrays: the shape must match before values are compared."""
    expected = np.asarray(expected, dtype=float)
    if answer is None:
        return Feedback(False, NO_ANSWER)
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        kind = type(answer).__name__
        return Feedback(False, f"expected an array of numbers shaped {expected.shape}, got {kind}.")
    if array.shape != expected.shape:
        return Feedback(
            False, f"expected shape {expected.shape}, got shape {array.shape}. Check which axis you summed over."
        )
    if not np.isfinite(array).all():
        return Feedback(False, "your array contains NaN or inf.")
    if _close(array, expected, rtol, atol):
        return Feedback(True, success or "every entry is right.")
    for wrong, mistake_hint in mistakes:
        if np.shape(wrong) == array.shape and _close(array, wrong, rtol, atol):
            return Feedback(False, mistake_hint)
    return Feedback(False, hint or "some entries differ from the expected values.")


def check_expression(answer, expected, *, mistakes=(), hint="", success="", locals=None):
    """Compare a formula (a sympy expression, or a string such as ``"2*x*y"``) with ``expected``.

    Equality is decided by ``sympy.simplify(answer - expected) == 0``.  ``locals`` maps names
    in a string answer to sympy symbols (e.g. ``{"w": w}``).
    """
    if answer is None:
        return Feedback(False, NO_ANSWER)
    if isinstance(answer, str):
        # accept formulas pasted from the notebook's prose: Unicode minus and multiplication signs
        answer = answer.replace("−", "-").replace("·", "*").replace("×", "*")
        if "np." in answer or "math." in answer:
            return Feedback(False, "write functions without np. or math., e.g. '-2*sin(2*y)' or 'exp(x)'.")
        try:
            answer = sympy.sympify(answer, locals=locals)
        except Exception:  # any unreadable text is a hint, never a traceback
            return Feedback(
                False, f"could not read {answer!r} as a formula; write it like '2*x*y' (* for products, ** for powers)."
            )
    elif isinstance(answer, numbers.Number):
        answer = sympy.sympify(answer)
    if not isinstance(answer, sympy.Expr) or isinstance(answer, sympy.Lambda):  # True, y > t, lambda x: x
        return Feedback(False, f"expected a formula (a sympy expression or a string), got {answer!r}.")
    try:
        if sympy.simplify(answer - expected) == 0:
            return Feedback(True, success or f"{answer} is right.")
        for wrong, mistake_hint in mistakes:
            if sympy.simplify(answer - wrong) == 0:
                return Feedback(False, mistake_hint)
    except Exception:  # sympy could not compare them: a hint, never a traceback
        return Feedback(False, f"could not compare {answer} with the expected formula; write it like '2*x*y'.")
    return Feedback(False, hint or f"{answer} is not it.")
