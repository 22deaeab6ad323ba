"""The wording of every demo's status lines, pinned per notebook in ``tests/golden/nbNN.txt``.

Behaviour is asserted on run records in each notebook's test file; this file only pins the
sentences a learner reads.  After a deliberate change of wording, ``make golden`` rewrites the
files and the diff is reviewed like any other change.
"""

import importlib.util
import pathlib

import pytest

from backprop_helpers.course import NOTEBOOKS, demo_factories

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("update_golden", ROOT / "scripts" / "update_golden.py")
update_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_golden)


@pytest.mark.parametrize("notebook", [nb for nb in NOTEBOOKS if demo_factories(nb)])
def test_status_lines_match_the_golden_file(notebook):
    path = ROOT / "tests" / "golden" / f"{notebook}.txt"
    assert path.exists(), f"no golden file for {notebook}: run `make golden`"
    expected = path.read_text(encoding="utf-8").splitlines()
    actual = update_golden.golden_text(notebook).splitlines()
    changed = [f"- {e}\n+ {a}" for e, a in zip(expected, actual) if e != a]
    assert len(expected) == len(actual) and not changed, (
        f"{len(changed)} status line(s) of {notebook} changed ({len(expected)} → {len(actual)} lines); "
        "if intended, run `make golden` and review the diff:\n" + "\n".join(changed[:10]))
