"""The check-and-hint mechanism behind every notebook's ``check_*`` functions.

A check never raises for a wrong answer: it returns a ``Feedback`` that prints as "✅ Correct ..." or "❌ Not yet:
<a hint>".  A common mistake (a sign flipped, a factor forgotten) gets its own hint, an answer of the wrong kind
(text for a number, an unreadable formula) a message saying what was expected.
"""

import copy
import numbers
import re
import signal
import threading
import warnings

import numpy as np
import sympy
from sympy.parsing import sympy_parser as sp

from .calculus import same_formula

__all__ = ["Feedback", "check_number", "check_array", "check_expression", "check_function", "call_safely"]

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


class _Problem(str):
    """Why an answer cannot be read as a real number (a message, not an answer)."""


def _as_real(answer):
    """``answer`` as a finite float (Fraction, 1/sqrt(2), Rational(1, 5) and one-element arrays count),
    or a ``_Problem`` saying why it cannot be one (complex, 10**400, oo, NaN, text)."""
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(-1)[0]
    if isinstance(answer, (complex, np.complexfloating)):
        return _Problem(f"expected a real number, got the complex number {answer}.")
    if isinstance(answer, sympy.Basic) and answer.is_number and (answer.is_real is False or answer.has(sympy.zoo)):
        return _Problem(f"expected a real number, got {answer}.")
    if isinstance(answer, (numbers.Real, sympy.Basic)) and not isinstance(answer, (bool, np.bool_)):
        try:
            value = float(answer)
        except OverflowError:
            return _Problem("that number is too large to be a float (above about 1e308).")
        except (TypeError, ValueError):  # a sympy symbol or formula
            value = None
        if value is not None:
            return value if np.isfinite(value) else _Problem(f"expected a finite number, got {value!r}.")
    return _Problem(f"expected a number, got {type(answer).__name__} {answer!r}.")


def _as_floats(value, shape, what="real numbers"):
    """``value`` (numbers, arrays, nested lists of ``what``) as a finite float array of ``shape``, or a ``_Problem``."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):  # Fraction, sympy numbers, big ints
        try:
            value = float(value)
        except (OverflowError, TypeError, ValueError):
            return _Problem(f"expected a float-sized real number, got {value!r:.60}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        array = np.asarray(None)
    if array.dtype.kind not in "iuf":  # complex, text, booleans, ragged lists, objects
        return _Problem(f"expected {what}, got {type(value).__name__} {value!r:.60}")
    if array.shape != shape:
        return _Problem(f"expected shape {shape}, got shape {array.shape}")
    if not np.isfinite(array).all():
        return _Problem("the result contains NaN or inf")
    return array.astype(float)


def _rounded_to_own_digits(answer, expected):
    """True when ``answer`` is ``expected`` rounded to the significant digits ``answer`` shows."""
    digits = len(f"{abs(answer):.15g}".replace(".", "").lstrip("0").split("e")[0])
    return answer != 0 and digits < 6 and float(f"{expected:.{max(digits, 1)}g}") == answer


def _judge(answer, expected, rtol, atol, mistakes, success, otherwise):
    """Correct (``success``), the hint of the first listed mistake ``answer`` matches, or ``otherwise``."""
    if _close(answer, expected, rtol, atol):
        return Feedback(True, success)
    for wrong, mistake_hint in mistakes:
        if np.shape(wrong) == np.shape(answer) and _close(answer, wrong, rtol, atol):
            return Feedback(False, mistake_hint)
    return Feedback(False, otherwise)


def check_number(answer, expected, *, rtol=1e-3, atol=1e-6, mistakes=(), hint="", success=""):
    """Compare a numeric ``answer`` with ``expected``.  ``mistakes``: ``(wrong_value, hint)`` pairs for known
    slips; ``hint``: the message for any other wrong number; ``success``: added to the "Correct!" line."""
    if answer is None:
        return Feedback(False, NO_ANSWER)
    answer = _as_real(answer)
    if isinstance(answer, _Problem):
        return Feedback(False, answer)
    if not _close(answer, expected, rtol, atol) and _rounded_to_own_digits(answer, float(expected)):
        otherwise = f"{answer:.6g} is close: keep at least 4 significant digits until the end."
    else:
        otherwise = hint or f"{answer:.6g} is not it. Re-check each step of the derivation."
    return _judge(answer, expected, rtol, atol, mistakes, success or f"{answer:.6g} is right.", otherwise)


def check_array(answer, expected, *, rtol=1e-3, atol=1e-6, mistakes=(), hint="", success=""):
    """Like ``check_number`` for arrays: the shape must match before values are compared."""
    expected = np.asarray(expected, dtype=float)
    if answer is None:
        return Feedback(False, NO_ANSWER)
    array = _as_floats(answer, expected.shape, f"an array of real numbers shaped {expected.shape}")
    if isinstance(array, _Problem):
        return Feedback(False, f"{array}.")
    otherwise = hint or "some entries differ from the expected values."
    return _judge(array, expected, rtol, atol, mistakes, success or "every entry is right.", otherwise)


_SUPERSCRIPTS = str.maketrans({"²": "**2", "³": "**3", "⁴": "**4", "−": "-", "·": "*", "×": "*", "λ": "lambda_"})
_TRANSFORMS = sp.standard_transformations + (sp.implicit_multiplication_application, sp.convert_xor)  # 3x²y, x^2


def _parse_formula(text, names):
    """A formula typed as text, in code (``3*x**2*y``) or in the notebook's notation (``3·x²·y``,
    ``3x²y``, ``λ·w``), as a sympy expression, or a message saying what went wrong."""
    if "np." in text or "math." in text:
        return "write functions without np. or math., e.g. '-2*sin(2*y)' or 'exp(x)'."
    text = re.sub(r"\blambda\b", "lambda_", text.translate(_SUPERSCRIPTS))
    if len(text) > 500:
        return "that formula is too long to read; write it in a line, like '2*x*y'."
    try:
        tree = sp.parse_expr(text, local_dict=names, transformations=_TRANSFORMS, evaluate=False)
        for node in sympy.preorder_traversal(tree):  # '2**10**10' would take forever to evaluate
            if isinstance(node, sympy.Pow) and node.exp.is_number and abs(sympy.N(node.exp, 5)) > 1000:
                return f"{text!r} has a power too large to evaluate."
        return sympy.sympify(tree)
    except Exception:  # any unreadable text is a hint, never a traceback
        return f"could not read {text!r} as a formula; write it like '2*x*y' (* for products, ** for powers)."


def check_expression(answer, expected, *, mistakes=(), hint="", success="", locals=None):
    """Compare a formula (a sympy expression, or a string such as ``"2*x*y"`` or ``"2xy"``) with ``expected``
    for every real value of its variables (``calculus.same_formula``).  A name in a string means the symbol
    of that name in ``expected`` (or ``locals``), so ``real=True`` symbols and ``lambda`` for λ are understood."""
    if answer is None:
        return Feedback(False, NO_ANSWER)
    names = {s.name: s for s in sympy.sympify(expected).free_symbols} | dict(locals or {})
    names["lambda_"] = names.get("lambda", names.get("λ", sympy.Symbol("lambda")))
    if isinstance(answer, str):
        answer = _parse_formula(answer, names)
        if isinstance(answer, str):
            return Feedback(False, answer)
    elif isinstance(answer, numbers.Number) and not isinstance(answer, (bool, complex)):
        answer = sympy.sympify(answer)
    if not isinstance(answer, sympy.Expr) or isinstance(answer, (sympy.Lambda, sympy.MatrixBase)):
        return Feedback(False, f"expected a formula (a sympy expression or a string), got {answer!r:.60}.")
    if answer.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or not answer.is_real and answer.is_number:
        return Feedback(False, f"{answer} is not a finite real formula.")
    try:
        verdict, _ = same_formula(answer, sympy.sympify(expected))
        if verdict:
            return Feedback(True, success or f"{answer} is right.")
        for wrong, mistake_hint in mistakes:
            if same_formula(answer, sympy.sympify(wrong))[0]:
                return Feedback(False, mistake_hint)
    except Exception:  # sympy could not compare them: a hint, never a traceback
        return Feedback(False, f"could not compare {answer} with the expected formula; write it like '2*x*y'.")
    return Feedback(False, hint or f"{answer} is not it.")


class _TookTooLong(Exception):
    """Raised by the timer signal of ``call_safely``."""


def call_safely(fn, args=(), timeout=2.0):
    """Run ``fn(*args)`` on copies of ``args``, warnings silenced: ``(True, value)``, or ``(False, message)``
    when it raises or runs longer than ``timeout`` seconds (a timer signal: in the main thread, on Linux and macOS)."""
    args = copy.deepcopy(args)  # a learner's function that changes its input changes no hidden case
    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def stop(signum, frame):
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, stop) if timed else None
    try:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        with warnings.catch_warnings(action="ignore"), np.errstate(all="ignore"):
            return True, fn(*args)
    except _TookTooLong:
        return False, f"it ran for more than {timeout:g} s (an endless loop?)"
    except RecursionError:
        return False, "it called itself without end (RecursionError)"
    except Exception as err:  # the learner's bug is reported, never raised
        return False, f"it raised {type(err).__name__}: {err}"
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _has_complex(value):
    """Whether a result holds a complex number anywhere (in arrays, tuples, lists or dict values)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        return any(_has_complex(item) for item in value)
    return np.iscomplexobj(value)


def _same(got, expected, rtol, atol):
    """``None`` when ``got`` matches ``expected`` (numbers, arrays, or tuples/lists/dicts of them), else why not."""
    if got is None or got is Ellipsis:
        return "it returned None: the body is still missing, or a return statement is"
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"expected a dict with keys {sorted(expected)}, got {got!r:.80}"
        parts = [(f"[{key!r}]", got[key], expected[key]) for key in expected]
    elif isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} results, got {got!r:.80}"
        parts = [(f"result {i + 1}", g, e) for i, (g, e) in enumerate(zip(got, expected))]
    else:
        expected = np.asarray(expected, dtype=float)
        array = _as_floats(got, expected.shape)
        if isinstance(array, _Problem):
            return array
        if _close(array, expected, rtol, atol):
            return None
        shown = np.array2string(array, precision=4) if array.ndim else f"{float(array):.6g}"
        wanted = np.array2string(expected, precision=4) if expected.ndim else f"{float(expected):.6g}"
        return f"expected {wanted}, got {shown}"
    for where, g, e in parts:
        why = _same(g, e, rtol, atol)
        if why:
            return f"{where}: {why}"
    return None


def check_function(fn, cases, reference, *, mistakes=(), compare=None, timeout=2.0, rtol=1e-6, atol=1e-9,
                   name=None, success=""):
    """Run a learner's function on hidden cases and compare it with the reference (DESIGN.md, "Your turn").

    ``cases``: ``(label, args)`` pairs; ``fn(*args)`` must equal ``reference(*args)`` on each (numbers, arrays, or
    tuples/lists/dicts of them, to ``rtol``/``atol``; or by ``compare(got, expected)``, which returns None when they
    match and a reason otherwise).  ``mistakes``: ``(wrong_fn, hint)`` pairs, typical wrong versions: when one gives
    the learner's results on every case and differs from the reference, its hint is given.  Never raises or warns:
    a function that raises, hangs past ``timeout`` s, returns None or the wrong shape gets a message naming the case."""
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        return Feedback(False, f"{name} is not a function yet (got {type(fn).__name__}): run the cell that defines it.")

    def differs(got, expected):  # why not equal, or None; a complex or odd result is a message, never a warning
        try:
            with warnings.catch_warnings(action="ignore"), np.errstate(all="ignore"):
                if _has_complex(got):
                    return f"expected real numbers, got complex values {got!r:.60}"
                return compare(got, expected) if compare else _same(got, expected, rtol, atol)
        except Exception as err:  # never a traceback
            return f"its result could not be compared ({type(err).__name__}: {err})"

    runs, first_failure = [], None  # runs: (args, expected, got) for each case that ran
    for label, args in cases:
        expected = reference(*copy.deepcopy(args))
        ok, got = call_safely(fn, args, timeout)
        why = differs(got, expected) if ok else got
        if why and first_failure is None:
            first_failure = (label, why)
        if not ok:
            break  # a function that raises or hangs is not tried on more cases
        runs.append((args, expected, got))
    if first_failure is None:
        return Feedback(True, success or f"{name} passes all {len(cases)} hidden case{'s' * (len(cases) != 1)}.")
    label, why = first_failure
    if len(runs) == len(cases):  # every case ran: is it one of the known wrong implementations?
        for wrong, hint in mistakes:
            wrong_runs = [(call_safely(wrong, args, timeout), expected, got) for args, expected, got in runs]
            if (all(ok and not differs(got, value) for (ok, value), _, got in wrong_runs)
                    and any(differs(value, expected) for (_, value), expected, _ in wrong_runs)):
                return Feedback(False, f"{hint} (first seen in the case {label}: {why}.)")
    return Feedback(False, f"in the case {label}: {why}.")
