"""The nbgrader conversion of scripts/make_assignments.py (``make assignments``).

The conversion is tested on small notebooks built here, in the learners' venv, without nbgrader:
tags become nbgrader cell metadata, checks become asserting test cells with points, and worked
solutions end up in regions that nbgrader removes from the release. Two tests need more: the
metadata check against nbgrader's own validator (skipped without nbgrader) and the run of the
built release in a fresh kernel (skipped until ``make assignments`` has built it).
"""

import importlib.util
import pathlib
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_assignments", ROOT / "scripts" / "make_assignments.py")
ma = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ma)

SETUP = '''\
class Feedback:
    def __init__(self, correct, message):
        self.correct, self.message = correct, message
    def __bool__(self):
        return self.correct
    def __repr__(self):
        return ("✅ Correct! " if self.correct else "❌ Not yet: ") + self.message

def check_double(f):
    try:
        ok = all(f(x) == 2 * x for x in (0, 1, -3, 2.5))
    except Exception as error:
        return Feedback(False, f"it raised {error!r}")
    return Feedback(ok, "double is right." if ok else "double(x) should be 2x.")

def check_square(f):
    try:
        ok = f(3) == 9
    except Exception as error:
        return Feedback(False, f"it raised {error!r}")
    return Feedback(ok, "square is right." if ok else "square(3) should be 9.")

def check_four(answer):
    if answer is None:
        return Feedback(False, "no answer yet")
    return Feedback(answer == 4, "4 is right." if answer == 4 else "not 4.")
'''

STUB_DOUBLE = 'def double(x):\n    """Return 2x."""\n    ...'
SOLUTION_DOUBLE = 'def double(x):\n    """2x: x added to itself."""\n    # the worked solution\n    return 2 * x'
STUB_SQUARE = 'def square(x):\n    """Return x²."""\n    ...'
SOLUTION_SQUARE = 'def square(x):\n    """x times x."""\n    return x * x'
DETAILS = "<details><summary>Solution</summary>\n\n2 + 2 is four: `answer = 4`\n\n</details>"


def code(source, tags=(), hidden=False):
    cell = new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def markdown(source, tags=()):
    cell = new_markdown_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def series_notebook():
    """A small notebook in the series' convention: two "your turn" functions and a numeric exercise."""
    return new_notebook(cells=[
        markdown("# 99 · A synthetic notebook"),
        code(SETUP),
        markdown("**Your turn.** Write `double`, then `square`."),
        code(STUB_DOUBLE, tags=["exercise"]),
        code("check_double(double)"),
        code(STUB_SQUARE, tags=["exercise"]),
        code("check_square(square)"),
        markdown("**Worked solutions** (the hidden cells below):"),
        code(SOLUTION_DOUBLE, tags=["solution"], hidden=True),
        code("check_double(double)"),
        code(SOLUTION_SQUARE, tags=["solution"], hidden=True),
        code("check_square(square)"),
        markdown("## Exercises\n\n**Exercise 1.** What is 2 + 2?"),
        code("answer = None  # your answer: a number\ncheck_four(answer)"),
        markdown(DETAILS + "\n\n## Summary\n\nAddition."),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def graded(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def strip_regions(source, begin, end, stub=None):
    """What nbgrader's ClearSolutions / ClearHiddenTests / ClearMarkScheme do to a cell, line by line."""
    out, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
            if stub is not None:
                out.append(re.match(r"\s*", line).group(0) + stub)
        elif end in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def simulated_release(source_nb):
    cells = []
    for cell in source_nb.cells:
        cell = nbformat.from_dict(cell)
        cell.source = strip_regions(cell.source, "BEGIN SOLUTION", "END SOLUTION", ma.CODE_STUB)
        cell.source = strip_regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
        cell.source = strip_regions(cell.source, "BEGIN MARK SCHEME", "END MARK SCHEME")
        cells.append(cell)
    return new_notebook(cells=cells)


def run_cells(nb):
    """Run the code cells in one namespace; return the namespace and the last expression of each check cell."""
    namespace, shown = {}, {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, "<cell>", "exec"), namespace)
        found = ma.check_call(cell.source)
        if found:
            shown[cell.metadata.get("nbgrader", {}).get("grade_id")] = eval(
                f"{found[0]}({found[1]})", namespace)
    return namespace, shown


# --- tags to nbgrader metadata --------------------------------------------------------------------


def test_exercise_stub_becomes_an_autograded_answer_with_the_solution_in_a_region():
    source_nb, _, _ = ma.convert(series_notebook())
    answer = graded(source_nb)["answer_double"]
    assert answer.metadata["nbgrader"] == {"grade": False, "grade_id": "answer_double", "locked": False,
                                           "schema_version": 3, "solution": True}
    assert answer.metadata["tags"] == ["exercise"]
    lines = answer.source.split("\n")
    # the stub's signature and docstring stay outside the region, the worked body goes inside
    assert lines[:2] == ['def double(x):', '    """Return 2x."""']
    assert lines[2] == "    ### BEGIN SOLUTION"
    assert "    # the worked solution" in lines and "    return 2 * x" in lines
    assert lines[-1] == "    ### END SOLUTION"
    assert "2x: x added to itself" not in answer.source  # the solution's own docstring is not kept


def test_check_cell_becomes_a_test_cell_with_points_that_fails_unless_correct():
    source_nb, exercises, _ = ma.convert(series_notebook())
    test = graded(source_nb)["test_double"]
    assert test.metadata["nbgrader"] == {"grade": True, "grade_id": "test_double", "locked": True,
                                         "points": ma.IMPLEMENTATION_POINTS, "schema_version": 3,
                                         "solution": False}
    assert test.source.split("\n")[-1] == "check_double(double)"  # all the release keeps
    namespace = {}
    exec(SETUP, namespace)
    exec("def double(x):\n    return x + 1", namespace)
    with pytest.raises(AssertionError, match="Not yet: double"):
        exec(test.source, namespace)  # a check never raises, the test cell does
    exec("def double(x):\n    return 2 * x", namespace)
    exec(test.source, namespace)
    assert [(e["kind"], e["name"], e["points"]) for e in exercises] == [
        ("implementation", "double", 2), ("implementation", "square", 2), ("numeric", "check_four", 1)]


def test_solution_cells_and_their_repeated_checks_are_dropped():
    source_nb, _, _ = ma.convert(series_notebook())
    sources = [c.source for c in source_nb.cells]
    assert not any("solution" in ma.tags(c) for c in source_nb.cells)
    assert sum("check_double(double)" in s for s in sources) == 1
    assert sum("check_square(square)" in s for s in sources) == 1
    assert not any(c.metadata.get("jupyter", {}).get("source_hidden") for c in source_nb.cells)


def test_numeric_exercise_is_split_into_answer_and_test_with_the_reference_answer():
    source_nb, exercises, warnings = ma.convert(series_notebook())
    cells = graded(source_nb)
    assert cells["answer_four"].source == ("answer = None  # your answer: a number\n"
                                           "### BEGIN SOLUTION\nanswer = 4\n### END SOLUTION")
    assert cells["answer_four"].metadata["nbgrader"]["solution"] is True
    assert cells["test_four"].metadata["nbgrader"]["points"] == ma.NUMERIC_POINTS
    assert cells["test_four"].source.endswith("\ncheck_four(answer)")
    assert exercises[-1]["reference"] is True and warnings == []
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in source_nb.cells]
    assert ids.index("answer_four") + 1 == ids.index("test_four")
    assert len({c.id for c in source_nb.cells}) == len(source_nb.cells)


def test_numeric_exercise_in_two_cells():
    nb = series_notebook()
    nb.cells[13:14] = [code("answer = None  # your answer"), code("check_four(answer)")]
    source_nb, _, _ = ma.convert(nb)
    cells = graded(source_nb)
    assert cells["answer_four"].source.startswith("answer = None  # your answer\n### BEGIN SOLUTION")
    assert cells["test_four"].source.endswith("\ncheck_four(answer)")


def test_numeric_exercise_without_a_reference_answer_is_graded_and_reported():
    nb = series_notebook()
    nb.cells[14].source = "<details><summary>Solution</summary>\n\nFour.\n\n</details>"
    source_nb, exercises, warnings = ma.convert(nb)
    assert exercises[-1]["reference"] is False and exercises[-1]["points"] == ma.NUMERIC_POINTS
    assert len(warnings) == 1 and "answer = ..." in warnings[0]
    assert "### BEGIN SOLUTION" in graded(source_nb)["answer_four"].source


def test_markdown_worked_solutions_are_hidden_in_read_only_cells():
    source_nb, _, _ = ma.convert(series_notebook())
    hidden = [c for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("worked")]
    assert len(hidden) == 2  # the <details> block, and the cell introducing the hidden solution cells
    details = hidden[1]
    assert details.metadata["nbgrader"] == {"grade": False, "grade_id": "worked_solution_2", "locked": True,
                                            "schema_version": 3, "solution": False}
    assert details.source == f"{ma.BEGIN_SCHEME}\n{DETAILS}\n{ma.END_SCHEME}\n\n## Summary\n\nAddition."
    assert hidden[0].source == f"{ma.BEGIN_SCHEME}\n**Worked solutions** (the hidden cells below):\n{ma.END_SCHEME}"


def test_details_block_in_the_middle_of_a_line_gets_lines_of_its_own():
    text = "Before. <details><summary>Solutions</summary>x = 1</details> After."
    assert ma.hide_worked_solutions(text) == (
        f"Before. \n{ma.BEGIN_SCHEME}\n<details><summary>Solutions</summary>x = 1</details>\n{ma.END_SCHEME}\n After.")
    assert ma.reference_answer("`x = 1` and ```python\ny = [1,\n     2]\n```", "y") == "y = [1,\n     2]"
    assert ma.reference_answer("`x == 1`", "x") is None


def test_grade_ids_are_unique_and_every_grade_cell_has_points():
    nb = series_notebook()
    nb.cells.append(code("answer = None\ncheck_four(answer)"))  # the same check twice
    source_nb, _, _ = ma.convert(nb)
    metas = [c.metadata["nbgrader"] for c in source_nb.cells if "nbgrader" in c.metadata]
    ids = [m["grade_id"] for m in metas]
    assert len(ids) == len(set(ids)) and "test_four_2" in ids
    assert all(m["schema_version"] == 3 for m in metas)
    assert all("points" in m for m in metas if m["grade"])


def test_metadata_passes_nbgraders_validator():
    validator = pytest.importorskip("nbgrader.nbgraderformat", reason="nbgrader is an instructor tool "
                                    "(requirements-instructor.txt), not installed in the learners' venv")
    source_nb, _, _ = ma.convert(series_notebook())
    validator.MetadataValidator().validate_nb(source_nb)


def test_function_solution_with_helpers_goes_after_the_untouched_stub():
    nb = series_notebook()
    nb.cells[8].source = ('def _twice(x):\n    return x + x\n\n\n'
                          'def double(x):\n    """Return 2x."""\n    return _twice(x)')
    source_nb, _, _ = ma.convert(nb)
    answer = graded(source_nb)["answer_double"].source
    assert answer.startswith(STUB_DOUBLE + "\n### BEGIN SOLUTION\ndef _twice(x):")
    assert answer.endswith("return _twice(x)\n### END SOLUTION")
    # the docstring is in the region and in the stub: shown in the release, but not a leak
    assert ma.leaks(source_nb, simulated_release(source_nb)) == []


def test_exercises_are_paired_with_solutions_by_name():
    nb = series_notebook()
    nb.cells[8], nb.cells[10] = nb.cells[10], nb.cells[8]  # solutions in the other order
    nb.cells[9], nb.cells[11] = nb.cells[11], nb.cells[9]
    source_nb, _, _ = ma.convert(nb)
    assert "return x * x" in graded(source_nb)["answer_square"].source
    assert "return 2 * x" in graded(source_nb)["answer_double"].source


def test_an_exercise_without_a_check_earns_no_points_and_is_reported():
    nb = series_notebook()
    del nb.cells[6]  # check_square(square)
    source_nb, exercises, warnings = ma.convert(nb)
    square = [e for e in exercises if e["name"] == "square"][0]
    assert square["test_id"] is None and square["points"] == 0
    assert any("square" in w for w in warnings)
    assert "return x * x" in graded(source_nb)["answer_square"].source


def test_a_numeric_answer_cell_tagged_exercise_is_still_a_numeric_exercise():
    nb = series_notebook()
    nb.cells[13].metadata["tags"] = ["exercise"]
    _, exercises, _ = ma.convert(nb)
    assert [e["kind"] for e in exercises] == ["implementation", "implementation", "numeric"]


def test_an_exercise_without_a_solution_is_an_error():
    nb = series_notebook()
    del nb.cells[10:12]
    with pytest.raises(ma.ConversionError, match="square"):
        ma.convert(nb)


def test_simulated_release_shows_stubs_runs_and_says_not_yet():
    source_nb, _, _ = ma.convert(series_notebook())
    release = simulated_release(source_nb)
    text = "\n".join(c.source for c in release.cells)
    assert "return 2 * x" not in text and "answer = 4" not in text and "assert" not in text
    assert '    """Return 2x."""\n    # YOUR CODE HERE' in text
    namespace, shown = run_cells(release)
    assert all(not feedback for feedback in shown.values()) and len(shown) == 3
    assert repr(shown["test_double"]).startswith("❌ Not yet")
    assert ma.leaks(source_nb, release) == []
    _, shown = run_cells(source_nb)  # the instructor version: every check says correct
    assert all(shown.values())


def test_leak_check_notices_solution_text():
    source_nb, _, _ = ma.convert(series_notebook())
    release = simulated_release(source_nb)
    release.cells.append(code("def double(x):\n    return 2 * x  # copied from the worked solution"))
    release.cells.append(markdown(DETAILS))
    assert ma.leaks(source_nb, release)


def test_assignment_names():
    assert ma.assignment_name("notebooks/02_chain_rule_and_computational_graphs.ipynb") == "nb02"


# --- the real notebooks ---------------------------------------------------------------------------

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_notebook_converts(path):
    nb = nbformat.read(path, as_version=4)
    source_nb, exercises, _ = ma.convert(nb)
    stubs = [c for c in nb.cells if "exercise" in ma.tags(c)]
    answers = [c for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    tests = [c for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(answers) == len(exercises) and len(tests) == sum(1 for e in exercises if e["test_id"])
    assert sum(e["kind"] == "implementation" for e in exercises) == len(stubs)
    assert not any("solution" in ma.tags(c) for c in source_nb.cells)
    release_text = "\n".join(c.source for c in simulated_release(source_nb).cells)
    assert "<summary>Solution" not in release_text


RELEASE = ROOT / "build" / "course" / "release"


def _release_notebooks():
    found = sorted(RELEASE.glob("nb*/*.ipynb"))
    return found or [None]


@pytest.mark.parametrize("path", _release_notebooks(), ids=lambda p: p.parent.name if p else "none")
def test_release_runs_top_to_bottom_and_checks_say_not_yet(path):
    if path is None:
        pytest.skip("no student release built: run `make assignments` (needs nbgrader, the instructor venv)")
    committed = ROOT / "notebooks" / path.name
    if not committed.exists() or committed.stat().st_mtime > path.stat().st_mtime:
        pytest.skip(f"{path.relative_to(ROOT)} is older than notebooks/{path.name}: run `make assignments` again")
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [(c.source[:60], o.get("ename"), o.get("evalue")) for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert errors == []
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            shown = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert "Not yet" in shown, (cell.source, shown)
