"""Regenerate the golden files of the demos' status lines (``make golden``).

    python scripts/update_golden.py            # every notebook
    python scripts/update_golden.py nb05       # one notebook

Each companion's demos are swept (every control at a few values across its range, the
others at their defaults, ``Demo.sweep``) and every status line is written to
``tests/golden/nbNN.txt``.  ``tests/test_golden.py`` compares a fresh sweep with the file,
so a change of wording shows up as a diff to review, in one place per notebook.
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def _value(value):
    return f"{value:.6g}" if isinstance(value, float) else repr(value) if isinstance(value, str) else str(value)


def golden_text(notebook):
    """The status lines of every demo of one notebook, one per line: ``demo | control = value | status``."""
    import matplotlib.pyplot as plt

    from backprop_helpers import use_house_style
    from backprop_helpers.course import demo_factories

    use_house_style()
    lines = []
    for _, factory in demo_factories(notebook):
        demo = factory()
        for name, value, status in demo.sweep():
            lines.append(f"{factory.__name__} | {name} = {_value(value)} | {status}")
        plt.close(demo.fig)
    return "\n".join(lines) + "\n" if lines else ""


def main(names):
    from backprop_helpers.course import NOTEBOOKS

    GOLDEN.mkdir(parents=True, exist_ok=True)
    for notebook in names or NOTEBOOKS:
        text = golden_text(notebook)
        path = GOLDEN / f"{notebook}.txt"
        if text:
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {text.count(chr(10))} status lines")
        elif path.exists():
            path.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
