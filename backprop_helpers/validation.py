"""One rule per argument, for every public entry point (DESIGN.md, "Errors").

A bad argument raises ``TypeError`` (wrong kind) or ``ValueError`` (right kind, bad value) naming the argument,
what it got and what it expected.  The same argument gets the same rule everywhere: ``learning_rate`` is a
positive finite number, ``steps`` a whole number, ``seed`` an integer.
"""

import math
import numbers

import numpy as np

__all__ = ["real", "positive", "count", "choice", "flag", "function", "rng_from", "as_float_array"]

MAX_STEPS = 1_000_000  # more iterations than any notebook needs; a larger number would hang


def _is_number(value, kind=numbers.Real):  # NumPy's numbers are numbers.Real too; True and False are not numbers
    return isinstance(value, kind) and not isinstance(value, (bool, np.bool_))


def real(value, name, *, low=None, high=None, low_open=False):
    """``value`` as a float after checking it is a finite real number in [low, high] (``low_open``: above ``low``)."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite number, got a number too large for a float") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'above' if low_open else 'at least'} {low:g}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high:g}, got {value!r}")
    return value


def positive(value, name):
    """A positive finite number: ``learning_rate``, ``tol``, ``gain``, ``max_norm``, ``limit``."""
    return real(value, name, low=0.0, low_open=True)


def count(value, name, low=0, high=MAX_STEPS):
    """A whole number in [low, high]: ``steps``, ``depth``, widths, sample counts."""
    if not _is_number(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        shown = value if abs(value) < 10**15 else f"a {len(str(abs(value)))}-digit number"
        raise ValueError(f"{name} must be a whole number from {low} to {high:,}, got {shown}")
    return int(value)


def choice(value, name, options):
    """One of a few names, such as an activation or an initialisation scheme."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name (str), got {type(value).__name__} {value!r}")
    if value not in options:
        raise ValueError(f"{name} {value!r} is unknown; expected one of: {', '.join(options)}")
    return value


def flag(value, name):
    """True or False, nothing else (not 0 or 1, not a string)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def function(value, name):
    """A function to call, such as ``f`` or ``grad``."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {type(value).__name__}")
    return value


def rng_from(seed, name="seed"):
    """A ``numpy.random.Generator`` from an integer seed, a Generator, or None (seed 0)."""
    if seed is None:
        return np.random.default_rng(0)
    if isinstance(seed, np.random.Generator):
        return seed
    if not _is_number(seed, numbers.Integral):
        raise TypeError(f"{name} must be an integer seed, a numpy Generator or None, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {seed}")
    return np.random.default_rng(int(seed))


def as_float_array(value, name, finite=False):
    """``value`` as a float64 array, or a clear error naming ``name``: NaN is always rejected, and with
    ``finite=True`` so is ±inf."""
    if type(value) is np.ndarray and value.dtype == np.float64:  # the common case, checked quickly
        array = value
    else:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray, list, tuple)):
            raise TypeError(f"{name} must be a real number or an array of them, got {type(value).__name__}")
        if isinstance(value, np.ndarray) and value.dtype.kind not in "iuf":
            raise TypeError(f"{name} must hold real numbers, got an array of {value.dtype}")
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError) as err:
            raise TypeError(f"{name} must be a real number or a rectangular array of them, got {value!r}") from err
    if finite:
        if not np.isfinite(array).all():
            what = "NaN" if np.isnan(array).any() else "inf"
            raise ValueError(f"{name} contains {what}; expected finite numbers")
    elif np.isnan(array).any():
        raise ValueError(f"{name} contains NaN; expected real numbers")
    return array
