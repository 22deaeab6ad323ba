"""Build the nbgrader course directory ``build/course/`` from the committed notebooks (``make assignments``).

For every notebook ``notebooks/NN_*.ipynb`` it writes the instructor version
``build/course/source/nbNN/NN_*.ipynb`` and then lets nbgrader itself (``nbgrader generate_assignment``)
write the student release ``build/course/release/nbNN/NN_*.ipynb``.

The instructor version is made from the series' "your turn" convention (``shared/DESIGN.md``):

* an implementation exercise (a code cell tagged ``exercise`` holding a stub ``def name(...)``
  with a docstring and ``...``) becomes an nbgrader "Autograded answer" cell: the stub's signature
  and docstring, then the worked solution (from the cell tagged ``solution`` that defines the same
  name) inside ``### BEGIN SOLUTION`` / ``### END SOLUTION``. The separate solution cell and the
  check call after it are dropped.
* the ``check_<name>(<name>)`` cell after the stub becomes an "Autograder tests" cell worth
  ``IMPLEMENTATION_POINTS``: a hidden ``assert check_<name>(<name>)`` (``### BEGIN HIDDEN TESTS``)
  that fails the cell at grading time unless the check says correct (a check never raises by
  itself), then the visible check call, all the release keeps: it prints "❌ Not yet" and does not
  raise.
* a numeric exercise (``answer = None`` followed by ``check_...(answer)``, in one cell or two)
  becomes an "Autograded answer" cell (the stub line, then the reference answer in a solution
  region) and a test cell worth ``NUMERIC_POINTS``. The reference answer is the code line that
  assigns the same name (``answer = ...``) in the exercise's worked solution, the
  ``<details><summary>Solution</summary>`` block after it, as inline code or a fenced block.
* every ``<details><summary>Solution</summary>`` block (and every markdown cell tagged
  ``solution``, and the markdown cell that introduces a solution cell) goes inside
  ``<!-- BEGIN MARK SCHEME -->`` / ``<!-- END MARK SCHEME -->`` in a "Read-only" cell: nbgrader
  removes the region from the release, and restores the read-only cell, worked solution included,
  when it autogrades (so graders and the students' feedback show it). Not a "Manually graded
  task" cell: that would flag every submission for manual grading.

``build/course/`` is made afresh each time (the script refuses while it holds submissions or grades),
and the release is checked for leaks: no line of a solution region, hidden test or mark scheme may
remain in it.

Usage (from the instructor venv, Python 3.11+, nbgrader on PATH)::

    .venv-instructor/bin/python scripts/make_assignments.py [--no-release] [notebook ...]

The conversion functions need only ``nbformat`` (the tests import them in the learners' venv).
"""

import argparse
import ast
import copy
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE = ROOT / "build" / "course"
CHECK_COURSE = ROOT / "build" / "course-check"  # scripts/check_assignments.py grades here, never in COURSE
COURSE_ID = "backprop"
IMPLEMENTATION_POINTS = 2
NUMERIC_POINTS = 1
# what replaces a solution region in the release: a comment, so that the stub line kept before it
# (`answer = None`, or the function's docstring) still makes a valid cell that runs without error
CODE_STUB = "# YOUR CODE HERE"
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
BEGIN_SCHEME, END_SCHEME = "<!-- BEGIN MARK SCHEME -->", "<!-- END MARK SCHEME -->"
MIN_PYTHON = (3, 11)

CONFIG = f'''# Written by scripts/make_assignments.py (`make assignments`); rebuilt each time, do not edit.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
# no CourseDirectory.root: nbgrader uses the directory it runs in, so this folder can be copied anywhere
# a solution region becomes this comment in the release, not nbgrader's `raise NotImplementedError()`:
# the stub kept before the region (`answer = None`, the function's docstring) keeps each cell valid,
# and the release runs top to bottom without an error, the checks saying "Not yet"
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
# the worked solutions sit in read-only cells, not in "Manually graded task" cells: a task cell, even
# one worth 0 points, flags every submission for manual grading. A read-only cell is restored from
# this source version at autograding, so the worked solutions come back in the graded notebooks and
# the feedback.
c.ClearMarkScheme.enforce_metadata = False
# a check runs hidden cases; give a slow machine time
c.Execute.timeout = 300
'''

_DETAILS = re.compile(r"<details>\s*<summary>\s*(?:<b>)?\s*Solutions?\b", re.IGNORECASE)


class ConversionError(ValueError):
    """The notebook breaks the "your turn" convention in a way the conversion cannot repair."""


def tags(cell):
    return list(cell.get("metadata", {}).get("tags", []))


def nbgrader_metadata(grade_id, *, solution=False, grade=False, locked=False, points=None):
    """The cell metadata nbgrader (schema version 3) reads, e.g. for an "Autograder tests" cell."""
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def _parse(source):
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def defined_functions(source):
    """Names of the functions a cell defines at top level."""
    tree = _parse(source)
    return [node.name for node in (tree.body if tree else []) if isinstance(node, ast.FunctionDef)]


def check_call(source):
    """``(check_name, argument_name, statement)`` when the cell's last statement is ``check_x(name)``."""
    tree = _parse(source)
    if not tree or not tree.body:
        return None
    last = tree.body[-1]
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return None
    call = last.value
    if not (isinstance(call.func, ast.Name) and call.func.id.startswith("check_")):
        return None
    if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Name):
        return None
    return call.func.id, call.args[0].id, last


def _assigns_none(statement, name):
    return (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            and statement.value.value is None
            and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets))


def _lines(source):
    return source.split("\n")


def _test_source(check_source, check_name, argument):
    """The hidden assertion that fails the cell at grading time, then the visible check call.

    The release keeps only the check call, which prints "❌ Not yet: ..." and never raises. When
    grading, the assertion fails with the check's feedback as its message; when it passes, the
    visible call shows "✅ Correct! ...".
    """
    return "\n".join([
        BEGIN_HIDDEN,
        f"_feedback = {check_name}({argument})",
        "assert _feedback, repr(_feedback)",
        END_HIDDEN,
        check_source.strip(),
    ])


def _function_answer_source(stub_source, solution_source, name):
    """The stub's signature and docstring with the solution's body in a solution region.

    When the solution cell is not one ``def name`` (helpers, several functions) or the stub has no
    docstring, the whole solution cell goes in a region after the untouched stub instead.
    """
    stub_tree, solution_tree = _parse(stub_source), _parse(solution_source)
    appended = "\n".join([stub_source.rstrip(), BEGIN_SOLUTION, solution_source.rstrip(), END_SOLUTION])
    if not stub_tree or not solution_tree:
        return appended
    stub_defs = [n for n in stub_tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    if len(stub_tree.body) != 1 or len(stub_defs) != 1 or len(solution_tree.body) != 1:
        return appended
    stub_def, solution_def = stub_defs[0], solution_tree.body[0]
    if not isinstance(solution_def, ast.FunctionDef) or solution_def.name != name:
        return appended
    if ast.get_docstring(stub_def) is None:
        return appended
    body = solution_def.body
    if ast.get_docstring(solution_def) is not None:
        body = body[1:]
    if not body:
        return appended
    stub_lines, solution_lines = _lines(stub_source), _lines(solution_source)
    head = stub_lines[: stub_def.body[0].end_lineno]  # signature and docstring
    if len(body) < len(solution_def.body):  # after the docstring, comments included
        first = solution_def.body[0].end_lineno
    else:
        first = min([body[0].lineno] + [d.lineno for d in getattr(body[0], "decorator_list", [])]) - 1
    body_lines = solution_lines[first: solution_def.end_lineno]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
    indent = re.match(r"\s*", body_lines[0]).group(0)
    return "\n".join(head + [indent + BEGIN_SOLUTION] + body_lines + [indent + END_SOLUTION])


def reference_answer(markdown, name):
    """The code in a worked solution that assigns ``name`` (a fenced block or an inline span), or None."""
    candidates = re.findall(r"```(?:python|py)?\n(.*?)```", markdown, re.DOTALL)
    candidates += re.findall(r"(?<!`)`([^`\n]+)`(?!`)", markdown)
    for code in candidates:
        tree = _parse(code.strip())
        if tree and any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
                        for s in tree.body):
            return code.strip()
    return None


def _solution_blocks(markdown):
    """``(start, end)`` character spans of the ``<details><summary>Solution`` blocks in a markdown cell."""
    spans = []
    for match in _DETAILS.finditer(markdown):
        end = markdown.find("</details>", match.end())
        if end < 0:
            raise ConversionError(f"a <details><summary>Solution block has no </details>: {markdown[:80]!r}")
        spans.append((match.start(), end + len("</details>")))
    return spans


def hide_worked_solutions(markdown):
    """Put each ``<details><summary>Solution`` block inside a mark-scheme region, on lines of its own."""
    pieces, position = [], 0
    for start, end in _solution_blocks(markdown):
        before = markdown[position:start]
        pieces.append(before + ("" if not before or before.endswith("\n") else "\n"))
        pieces.append(f"{BEGIN_SCHEME}\n{markdown[start:end]}\n{END_SCHEME}")
        rest = markdown[end:]
        if rest and not rest.startswith("\n"):
            pieces.append("\n")
        position = end
    pieces.append(markdown[position:])
    return "".join(pieces)


def _unique(grade_id, used):
    candidate, n = grade_id, 2
    while candidate in used:
        candidate, n = f"{grade_id}_{n}", n + 1
    used.add(candidate)
    return candidate


def convert(nb):
    """Turn a notebook of the series into an nbgrader instructor ("source") notebook.

    Returns ``(source_nb, exercises, warnings)``. ``exercises`` lists one dict per autograded
    exercise: ``kind`` ("implementation" or "numeric"), ``name``, ``answer_id`` (the answer cell's
    grade_id), ``test_id`` (the test cell's), ``points``, ``reference`` (False when the notebook has
    no reference answer for it). ``warnings`` are sentences for the instructor.
    """
    cells = [copy.deepcopy(cell) for cell in nb.cells]
    warnings, exercises, used_ids = [], [], set()
    drop = set()
    replace = {}  # index -> list of cells

    def next_code(index):
        for j in range(index + 1, len(cells)):
            if cells[j].cell_type == "code":
                return j
        return None

    solution_cells = {i: defined_functions(c.source) for i, c in enumerate(cells)
                      if c.cell_type == "code" and "solution" in tags(c)}
    used_solutions = set()

    # implementation exercises: stub, check, (later) solution, check
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or "exercise" not in tags(cell):
            continue
        names = defined_functions(cell.source)
        if not names:
            continue  # `answer = None` tagged exercise: a numeric exercise, below
        name = names[0]
        matches = [j for j, defined in solution_cells.items() if set(defined) & set(names) and j not in used_solutions]
        if not matches:
            raise ConversionError(f"the exercise {name} (cell {i}) has no cell tagged solution that defines it")
        s = matches[0]
        used_solutions.add(s)
        drop.add(s)
        after_solution = next_code(s)
        repeated = check_call(cells[after_solution].source) if after_solution is not None else None
        if repeated and repeated[1] in names:
            drop.add(after_solution)
        answer_id = _unique(f"answer_{name}", used_ids)
        answer = copy.deepcopy(cell)
        answer.source = _function_answer_source(cell.source, cells[s].source, name)
        answer.metadata["nbgrader"] = nbgrader_metadata(answer_id, solution=True)
        answer.outputs, answer.execution_count = [], None
        replace[i] = [answer]
        t = next_code(i)
        found = check_call(cells[t].source) if t is not None and t != s else None
        if not found or found[1] not in names:
            warnings.append(f"the exercise {name} has no check_...({name}) cell right after it: it earns no points")
            exercises.append(dict(kind="implementation", name=name, answer_id=answer_id, test_id=None,
                                  points=0, reference=True))
            continue
        check_name, argument, _ = found
        test_id = _unique(f"test_{name}", used_ids)
        test = copy.deepcopy(cells[t])
        test.source = _test_source(cells[t].source, check_name, argument)
        test.metadata["nbgrader"] = nbgrader_metadata(test_id, grade=True, locked=True, points=IMPLEMENTATION_POINTS)
        replace[t] = [test]
        exercises.append(dict(kind="implementation", name=name, answer_id=answer_id, test_id=test_id,
                              points=IMPLEMENTATION_POINTS, reference=True))

    for j in solution_cells:
        if j not in used_solutions:
            raise ConversionError(f"cell {j} is tagged solution but no cell tagged exercise defines "
                                  f"{', '.join(solution_cells[j]) or 'the same function'}")

    # numeric exercises: `answer = None` then `check_...(answer)`, in one cell or two
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or i in drop or i in replace:
            continue
        found = check_call(cell.source)
        if not found:
            continue
        check_name, argument, statement = found
        tree = _parse(cell.source)
        earlier = tree.body[:-1]
        if any(_assigns_none(s, argument) for s in earlier):
            answer_i, stub_lines = i, _lines(cell.source)[: statement.lineno - 1]
            check_source = "\n".join(_lines(cell.source)[statement.lineno - 1:])
        else:
            previous = max((j for j in range(i) if cells[j].cell_type == "code"), default=None)
            previous_tree = _parse(cells[previous].source) if previous is not None else None
            if not (previous_tree and previous_tree.body and _assigns_none(previous_tree.body[-1], argument)
                    and len(tree.body) == 1 and previous not in replace and previous not in drop):
                continue
            answer_i, stub_lines, check_source = previous, _lines(cells[previous].source), cell.source
        while stub_lines and not stub_lines[-1].strip():
            stub_lines.pop()
        # the worked solution: the first <details><summary>Solution block after the exercise
        reference = None
        for j in range(i + 1, len(cells)):
            later = check_call(cells[j].source) if cells[j].cell_type == "code" else None
            if later and later[1] == argument and later[0] != check_name:
                break  # the next exercise answers in the same name: this one has no worked solution of its own
            if cells[j].cell_type == "markdown" and _solution_blocks(cells[j].source):
                spans = _solution_blocks(cells[j].source)
                reference = reference_answer(cells[j].source[spans[0][0]: spans[0][1]], argument)
                break
        short = check_name.removeprefix("check_")
        answer_id = _unique(f"answer_{short}", used_ids)
        test_id = _unique(f"test_{short}", used_ids)
        if reference is None:
            warnings.append(f"{check_name}: the worked solution has no code line `{argument} = ...`, "
                            "so the reference submission cannot earn this exercise's points")
            region = [f"# no reference answer: add `{argument} = ...` as code to the worked solution"]
        else:
            region = _lines(reference)
        answer = copy.deepcopy(cells[answer_i])
        answer.source = "\n".join(stub_lines + [BEGIN_SOLUTION] + region + [END_SOLUTION])
        answer.metadata["nbgrader"] = nbgrader_metadata(answer_id, solution=True)
        answer.outputs, answer.execution_count = [], None
        test = copy.deepcopy(cell)
        test.source = _test_source(check_source, check_name, argument)
        test.metadata["nbgrader"] = nbgrader_metadata(test_id, grade=True, locked=True, points=NUMERIC_POINTS)
        if answer_i == i:
            test.id = (cell.get("id") or "cell") + "-test"
            replace[i] = [answer, test]
        else:
            replace[answer_i], replace[i] = [answer], [test]
        exercises.append(dict(kind="numeric", name=check_name, answer_id=answer_id, test_id=test_id,
                              points=NUMERIC_POINTS, reference=reference is not None))

    # worked solutions in markdown: mark-scheme regions in read-only cells
    worked = 0
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        introduces = i + 1 < len(cells) and cells[i + 1].cell_type == "code" and "solution" in tags(cells[i + 1])
        if "solution" in tags(cell) or introduces:
            # a markdown cell right before a solution cell introduces it ("Worked solution (the hidden
            # cell below)..."): it goes with the solution it introduces
            source = f"{BEGIN_SCHEME}\n{cell.source}\n{END_SCHEME}"
        elif _solution_blocks(cell.source):
            source = hide_worked_solutions(cell.source)
        else:
            continue
        worked += 1
        hidden = copy.deepcopy(cell)
        hidden.source = source
        hidden.metadata["nbgrader"] = nbgrader_metadata(_unique(f"worked_solution_{worked}", used_ids), locked=True)
        replace[i] = [hidden]

    new_cells = []
    for i, cell in enumerate(cells):
        if i in drop:
            continue
        new_cells.extend(replace.get(i, [cell]))
    source_nb = copy.deepcopy(nb)
    source_nb.cells = new_cells
    exercises.sort(key=lambda e: [c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                                  for c in new_cells].index(e["answer_id"]))
    return source_nb, exercises, warnings


_REGIONS = ((BEGIN_SOLUTION, END_SOLUTION), (BEGIN_HIDDEN, END_HIDDEN), (BEGIN_SCHEME, END_SCHEME))


def _split_regions(source):
    """``(inside, outside)``: the lines of a cell within solution / hidden-test / mark-scheme regions, and the rest."""
    inside, outside, end = [], [], None
    for line in _lines(source):
        begin = next((b for b, _ in _REGIONS if b in line), None) if end is None else None
        if begin:
            end = dict(_REGIONS)[begin]
        elif end is not None and end in line:
            end = None
        else:
            (inside if end is not None else outside).append(line)
    return inside, outside


def solution_texts(source_nb):
    """The lines of every solution region, hidden test and mark scheme of an instructor notebook."""
    return [line for cell in source_nb.cells for line in _split_regions(cell.source)[0]]


def leaks(source_nb, release_nb):
    """Solution text that is still in the release (an empty list when nothing leaked)."""
    release_text = "\n".join(cell.source for cell in release_nb.cells)
    release_lines = {line.strip() for line in _lines(release_text)}
    # a line that the instructor version shows outside every region too (a docstring repeated in a
    # worked solution) is not a leak
    shown = {line.strip() for cell in source_nb.cells for line in _split_regions(cell.source)[1]}
    found = [marker for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME", "<summary>Solution")
             if marker in release_text]
    for line in solution_texts(source_nb):
        line = line.strip()
        # short lines ("return grads", "</details>", "```python") can occur in the exercise itself
        if len(line) >= 24 and not line.startswith("#") and line in release_lines and line not in shown:
            found.append(line)
    for cell in release_nb.cells:
        if "solution" in tags(cell):
            found.append(f"a cell tagged solution: {cell.source[:60]!r}")
    return found


def assignment_name(path):
    """nb02 for notebooks/02_chain_rule_and_computational_graphs.ipynb."""
    return "nb" + pathlib.Path(path).name.split("_")[0]


def instructor_env():
    """The environment for nbgrader: this Python's bin first on PATH (nbgrader runs `alembic` from PATH)."""
    env = dict(os.environ)
    env["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def nbgrader(*args, course=COURSE, quiet=False):
    """Run the nbgrader next to this Python, in the course directory; raise when it fails."""
    executable = pathlib.Path(sys.executable).parent / "nbgrader"
    command = [str(executable), *args]
    result = subprocess.run(command, cwd=course, env=instructor_env(), capture_output=True, text=True)
    if result.returncode != 0 or not quiet:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr[-20000:] if result.returncode else "")
    if result.returncode != 0:
        raise SystemExit(f"`nbgrader {' '.join(args)}` failed (exit code {result.returncode})")
    return result


def require_instructor_python():
    if sys.version_info < MIN_PYTHON:
        raise SystemExit(
            f"nbgrader 0.9.6 needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is Python "
            f"{'.'.join(map(str, sys.version_info[:3]))} ({sys.executable}). "
            "Make the instructor venv with a newer Python, e.g.: make PYTHON=python3.12 assignments")
    if not (pathlib.Path(sys.executable).parent / "nbgrader").exists():
        raise SystemExit(f"nbgrader is not installed next to {sys.executable}: run this with the instructor venv, "
                         ".venv-instructor/bin/python (made by `make assignments`)")


def build(notebooks=None, course=COURSE, release=True, wipe=False, log=print):
    """Write the course directory afresh; return {assignment: {"notebook", "exercises", "warnings"}}.

    Refuses to delete a course directory that holds submissions or grades, unless ``wipe``.
    """
    paths = sorted(notebooks or NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    graded = [course / d for d in ("submitted", "autograded", "feedback") if (course / d).exists()
              and any((course / d).iterdir())]
    if graded and not wipe:
        raise SystemExit(f"{graded[0]} holds students' work, and rebuilding starts {course} afresh: move the "
                         "work (and gradebook.db) to your own course directory first, or delete it.")
    if course.exists():
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    manifest = {}
    for path in paths:
        path = pathlib.Path(path)
        name = assignment_name(path)
        source_nb, exercises, warnings = convert(nbformat.read(path, as_version=4))
        target = course / "source" / name / path.name
        target.parent.mkdir(parents=True)
        nbformat.write(source_nb, target)
        manifest[name] = {"notebook": path.stem, "exercises": exercises, "warnings": warnings}
        points = sum(e["points"] for e in exercises)
        log(f"{name}: {len(exercises)} autograded exercises, {points} points ({path.name})")
        for warning in warnings:
            log(f"  warning: {warning}")
    (course / "exercises.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    if release:
        for name, entry in manifest.items():
            nbgrader("generate_assignment", name, "--force", course=course, quiet=True)
            source_nb = nbformat.read(course / "source" / name / f"{entry['notebook']}.ipynb", as_version=4)
            release_nb = nbformat.read(course / "release" / name / f"{entry['notebook']}.ipynb", as_version=4)
            leaked = leaks(source_nb, release_nb)
            if leaked:
                raise SystemExit(f"{name}: solution text is still in the release: {leaked[:5]}")
        log(f"release written to {course / 'release'}: no solution text left in it")
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="the notebooks to make the course of (default: every notebooks/NN_*.ipynb)")
    parser.add_argument("--no-release", action="store_true",
                        help="write source/ only (no nbgrader needed, any Python)")
    args = parser.parse_args(argv)
    if not args.no_release:
        require_instructor_python()
    try:
        build(args.notebooks or None, release=not args.no_release)
    except ConversionError as error:
        raise SystemExit(f"cannot convert: {error}")


if __name__ == "__main__":
    main()
