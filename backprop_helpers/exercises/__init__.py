"""Exercises: ``check_*`` functions that say "correct" or give a specific hint.

``core`` holds the mechanism; each notebook's checks live in ``nbNN.py``.
"""

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
