"""The check-and-hint mechanism behind every notebook's ``check_*`` functions.

A check never raises for a wrong answer: it returns a ``Feedback`` that prints as
"✅ Correct ..." or "❌ Not yet: <a specific hint>".  A common mistake (a sign flipped, a
factor forgotten) is recognised and gets its own hint.  An answer of the wrong kind (a
string where a number was expected, an unparsable formula) gets a message saying what was
expected.
"""

import copy
import numbers
import re
import signal
import threading
import warnings

import numpy as np
import sympy

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


def _as_plain_number(answer):
    """Exact numbers (Fraction, 1/sqrt(2), Rational(1, 5)) and one-element arrays count as numbers;
    what cannot be a real float (complex, 10**400, oo) comes back as a message string."""
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(-1)[0]
    if isinstance(answer, sympy.Basic) and answer.is_number:
        if answer.is_real is False or answer.has(sympy.zoo, sympy.nan):
            return _Problem(f"expected a real number, got {answer}.")
    elif isinstance(answer, (complex, np.complexfloating)):
        return _Problem(f"expected a real number, got the complex number {answer}.")
    if isinstance(answer, (numbers.Real, sympy.Basic)) and not isinstance(answer, (bool, np.bool_)):
        try:
            return float(answer)
        except OverflowError:
            return _Problem("that number is too large to be a float (above about 1e308).")
        except (TypeError, ValueError):
            return answer
    return answer


def _rounded_to_own_digits(answer, expected):
    """True when ``answer`` is ``expected`` rounded to the significant digits ``answer`` shows."""
    digits = len(f"{abs(answer):.15g}".replace(".", "").lstrip("0").split("e")[0])
    return answer != 0 and digits < 6 and float(f"{expected:.{max(digits, 1)}g}") == answer


def check_number(answer, expected, *, rtol=1e-3, atol=1e-6, mistakes=(), hint="", success=""):
    """Compare a numeric ``answer`` with ``expected``.

    ``mistakes`` is a sequence of ``(wrong_value, hint)`` pairs for known slips; ``hint`` is
    the message for any other wrong number; ``success`` is added to the "Correct!" line.
    """
    if answer is None:
        return Feedback(False, NO_ANSWER)
    answer = _as_plain_number(answer)
    if isinstance(answer, _Problem):
        return Feedback(False, answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.floating, np.integer)):
        return Feedback(False, f"expected a number, got {type(answer).__name__} {answer!r}.")
    if not np.isfinite(answer):
        return Feedback(False, f"expected a finite number, got {answer!r}.")
    if _close(answer, expected, rtol, atol):
        return Feedback(True, success or f"{float(answer):.6g} is right.")
    for wrong, mistake_hint in mistakes:
        if _close(answer, wrong, rtol, atol):
            return Feedback(False, mistake_hint)
    if _rounded_to_own_digits(float(answer), float(expected)):
        return Feedback(False, f"{float(answer):.6g} is close: keep at least 4 significant digits until the end.")
    return Feedback(False, hint or f"{float(answer):.6g} is not it. Re-check each step of the derivation.")


def check_array(answer, expected, *, rtol=1e-3, atol=1e-6, mistakes=(), hint="", success=""):
    """Like ``check_number`` for arrays: the shape must match before values are compared."""
    expected = np.asarray(expected, dtype=float)
    if answer is None:
        return Feedback(False, NO_ANSWER)
    try:
        raw = np.asarray(answer)
        array = raw.astype(float) if raw.dtype.kind in "iuf" else None
    except (TypeError, ValueError, OverflowError):  # ragged lists, huge ints
        array = None
    if array is None:
        kind = type(answer).__name__
        return Feedback(False, f"expected an array of real numbers shaped {expected.shape}, got {kind} {answer!r:.60}.")
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


_SUPERSCRIPTS = str.maketrans({"²": "**2", "³": "**3", "⁴": "**4", "−": "-", "·": "*", "×": "*", "λ": "lambda_"})
_TRANSFORMS = None


def _parse_formula(text, names):
    """A formula typed as text, in code (``3*x**2*y``) or in the notebook's notation (``3·x²·y``,
    ``3x²y``, ``λ·w``), as a sympy expression, or a message saying what went wrong."""
    global _TRANSFORMS
    from sympy.parsing import sympy_parser as sp

    if _TRANSFORMS is None:
        _TRANSFORMS = sp.standard_transformations + (sp.implicit_multiplication_application, sp.convert_xor)
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
    """Compare a formula (a sympy expression, or a string such as ``"2*x*y"`` or ``"2xy"``) with
    ``expected``, for every real value of its variables (``calculus.same_formula``).

    A name in a string answer means the symbol of that name in ``expected`` (or in ``locals``), so
    symbols made with ``real=True`` and the name ``lambda`` for λ are understood.
    """
    from .calculus import same_formula

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
    pass


def call_safely(fn, args=(), timeout=2.0):
    """Run ``fn(*args)`` on copies of ``args``: ``(True, value)``, or ``(False, message)`` when it
    raises, warns or runs longer than ``timeout`` seconds.  The time limit uses a timer signal,
    so it applies where the notebook runs code (the main thread, on Linux and macOS)."""
    args = copy.deepcopy(args)  # a learner's function that changes its input changes no hidden case
    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def stop(signum, frame):
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, stop) if timed else None
    try:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
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
    if isinstance(value, (complex, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "c"
    if isinstance(value, dict):
        value = list(value.values())
    return isinstance(value, (tuple, list)) and any(_has_complex(item) for item in value)


def _same(got, expected, rtol, atol):
    """``None`` when ``got`` matches ``expected`` (numbers, arrays, or tuples/lists/dicts of them), else why not."""
    if got is None or got is Ellipsis:
        return "it returned None: the body is still missing, or a return statement is"
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"expected a dict with keys {sorted(expected)}, got {got!r:.80}"
        for key in expected:
            why = _same(got[key], expected[key], rtol, atol)
            if why:
                return f"[{key!r}]: {why}"
        return None
    if isinstance(expected, (tuple, list)) and not np.isscalar(expected):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} results, got {got!r:.80}"
        for i, (g, e) in enumerate(zip(got, expected)):
            why = _same(g, e, rtol, atol)
            if why:
                return f"result {i + 1}: {why}"
        return None
    expected = np.asarray(expected, dtype=float)
    if isinstance(got, numbers.Real) and not isinstance(got, (bool, np.bool_)):  # Fraction, sympy numbers, big ints
        try:
            got = float(got)
        except (OverflowError, TypeError, ValueError):
            return f"expected a float-sized real number, got {got!r:.60}"
    try:
        raw = np.asarray(got)
    except (TypeError, ValueError, OverflowError):
        raw = np.asarray(None)
    if raw.dtype.kind not in "iuf":  # complex, text, booleans, ragged lists, objects
        return f"expected real numbers, got {type(got).__name__} {got!r:.60}"
    array = raw.astype(float)
    if array.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {array.shape}"
    if not np.isfinite(array).all():
        return "the result contains NaN or inf"
    if not _close(array, expected, rtol, atol):
        shown = np.array2string(array, precision=4) if array.ndim else f"{float(array):.6g}"
        wanted = np.array2string(expected, precision=4) if expected.ndim else f"{float(expected):.6g}"
        return f"expected {wanted}, got {shown}"
    return None


def check_function(fn, cases, reference, *, mistakes=(), compare=None, timeout=2.0, rtol=1e-6, atol=1e-9,
                   name=None, success=""):
    """Run a learner's function on hidden cases and compare it with the reference (DESIGN.md, "Your turn").

    ``cases`` is a list of ``(label, args)``: ``fn(*args)`` must equal ``reference(*args)`` on every
    one (numbers, arrays, or tuples/lists/dicts of them, to ``rtol``/``atol``; or by ``compare(got,
    expected)``, which returns None when they match and a reason otherwise).  ``mistakes`` is a list of
    ``(wrong_fn, hint)``, the typical wrong implementations: when the learner's results match one of
    them on every case where it differs from the reference, that hint is given.  Never raises: a
    function that raises, warns, hangs past ``timeout`` s, returns None or the wrong shape gets a
    message naming the case.  Returns a ``Feedback``, truthy only when every case passes.
    """
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        return Feedback(False, f"{name} is not a function yet (got {type(fn).__name__}): run the cell that defines it.")
    custom = compare or (lambda got, expected: _same(got, expected, rtol, atol))

    def compare(got, expected):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):  # complex, overflow: a message
                warnings.simplefilter("ignore")
                if _has_complex(got):
                    return f"expected real numbers, got complex values {got!r:.60}"
                return custom(got, expected)
        except Exception as err:  # an odd result is a message, never a traceback
            return f"its result could not be compared ({type(err).__name__}: {err})"

    results, first_failure = [], None
    for label, args in cases:
        expected = reference(*copy.deepcopy(args))
        ok, got = call_safely(fn, args, timeout)
        why = got if not ok else compare(got, expected)
        results.append((ok, got))
        if why and first_failure is None:
            first_failure = (label, why)
            if not ok:
                break  # a function that raises or hangs is not tried on more cases
    if first_failure is None:
        return Feedback(True, success or f"{name} passes all {len(cases)} hidden case{'s' * (len(cases) != 1)}.")
    label, why = first_failure
    if all(ok for ok, _ in results) and len(results) == len(cases):
        for wrong, hint in mistakes:
            differs, matches = False, True
            for (case_label, args), (_, got) in zip(cases, results):
                ok, wrong_value = call_safely(wrong, args, timeout)
                if not ok:
                    matches = False
                    break
                expected = reference(*copy.deepcopy(args))
                if compare(wrong_value, expected):
                    differs = True
                if compare(got, wrong_value):
                    matches = False
                    break
            if matches and differs:
                return Feedback(False, f"{hint} (first seen in the case {label}: {why}.)")
    return Feedback(False, f"in the case {label}: {why}.")
