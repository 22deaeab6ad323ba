"""Plotting: one house style and the plots that recur in the series.

Each topic lives in its own small module; this package re-exports their public names.
"""

from . import style, curves, surfaces
from .style import *  # noqa: F403
from .curves import *  # noqa: F403
from .surfaces import *  # noqa: F403

# Only the modules' public names are re-exported (not the module objects themselves).
__all__ = [
    *style.__all__,
    *curves.__all__,
    *surfaces.__all__,
]
