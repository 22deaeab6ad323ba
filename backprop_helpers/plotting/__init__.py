"""Plotting: one house style and the plots that recur in the series, one topic per module, their public
names re-exported; ``live`` is how a demo's figure reaches the browser (``widgets.Demo`` uses it)."""

from . import curves, style, surfaces
from .curves import *  # noqa: F403
from .style import *  # noqa: F403
from .surfaces import *  # noqa: F403

__all__ = [*style.__all__, *curves.__all__, *surfaces.__all__]  # the public names, not the modules
