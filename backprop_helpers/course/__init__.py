"""One companion module per notebook: ``nb00`` … ``nb08``.

A companion holds what only its notebook uses (example functions, demos, ``check_*``
exercises); a notebook's setup cell imports it by name, for example
``from backprop_helpers.course.nb05 import dosage_b3_demo``.  Nothing general lives here:
the ideas the series shares are the core, ``backprop_helpers`` itself.
"""

import importlib

NOTEBOOKS = tuple(f"nb{n:02d}" for n in range(9))


def companion(notebook):
    """The companion module of a notebook: ``companion("nb05")`` or ``companion(5)``."""
    name = f"nb{notebook:02d}" if isinstance(notebook, int) and not isinstance(notebook, bool) else notebook
    if name not in NOTEBOOKS:
        raise ValueError(f"notebook must be one of {', '.join(NOTEBOOKS)} or 0 to 8, got {notebook!r}")
    return importlib.import_module(f"{__name__}.{name}")


def demo_factories(notebook=None):
    """Every ``*_demo`` function of the companions (or of one), in notebook order, as
    ``(notebook, function)`` pairs: what the tests sweep and ``make bench`` measures."""
    names = NOTEBOOKS if notebook is None else (companion(notebook).__name__.rsplit(".", 1)[1],)
    return [(name, getattr(companion(name), attr)) for name in names
            for attr in companion(name).__all__ if attr.endswith("_demo")]
