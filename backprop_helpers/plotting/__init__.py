"""Plotting: one house style and the plots that recur in the series.

Each topic lives in its own small module; this package re-exports their public names.
"""

from .style import *  # noqa: F403
from .curves import *  # noqa: F403
from .surfaces import *  # noqa: F403
from .graph import *  # noqa: F403
from .dosage_plots import *  # noqa: F403
from .networks import *  # noqa: F403
from .gradients import *  # noqa: F403
