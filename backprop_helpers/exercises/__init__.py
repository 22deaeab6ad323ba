"""Exercises: ``check_*`` functions that say "correct" or give a specific hint.

``core`` holds the mechanism; each notebook's checks live in ``nbNN.py``.
"""

from . import core, nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
from .core import *  # noqa: F403
from .nb00 import *  # noqa: F403
from .nb01 import *  # noqa: F403
from .nb02 import *  # noqa: F403
from .nb03 import *  # noqa: F403
from .nb04 import *  # noqa: F403
from .nb05 import *  # noqa: F403
from .nb06 import *  # noqa: F403
from .nb07 import *  # noqa: F403
from .nb08 import *  # noqa: F403

# Only the modules' public names are re-exported (not the module objects themselves).
__all__ = [
    *core.__all__,
    *nb00.__all__,
    *nb01.__all__,
    *nb02.__all__,
    *nb03.__all__,
    *nb04.__all__,
    *nb05.__all__,
    *nb06.__all__,
    *nb07.__all__,
    *nb08.__all__,
]
