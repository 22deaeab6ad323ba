"""The interactive demos of each notebook, one module per notebook.

Each ``*_demo()`` function draws its figure once and returns an unshown
``widgets.Demo``; the notebook calls ``.show()``, the tests call ``.update`` or
``.sweep_extremes()`` with any slider values.
"""

from .nb00 import *  # noqa: F403
from .nb01 import *  # noqa: F403
from .nb02 import *  # noqa: F403
from .nb03 import *  # noqa: F403
from .nb04 import *  # noqa: F403
from .nb05 import *  # noqa: F403
from .nb06 import *  # noqa: F403
from .nb07 import *  # noqa: F403
from .nb08 import *  # noqa: F403
