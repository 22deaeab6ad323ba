"""The shape every notebook must have (DESIGN.md, "A notebook"), checked on the committed files."""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"
DEMO_CALL = re.compile(r"_demo\(.*\)\.show\(\)")  # e.g. tangent_demo().show()


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def outputs_text(cells):
    parts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_the_series_is_numbered_from_00_without_gaps():
    numbers = [int(path.name[:2]) for path in NOTEBOOKS]
    assert numbers == list(range(len(numbers))) and len(numbers) == 9


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_setup_cell_and_summary(path):
    cells = load(path)
    assert cells[0]["cell_type"] == "markdown"
    assert source(cells[0]).startswith(f"# {path.name[:2]} · ")
    assert re.search(r"\*\*Time:?\*\*|Time:", source(cells[0])), "the opening cell says how long it takes"
    setup = next(cell for cell in cells if cell["cell_type"] == "code")
    assert "%matplotlib inline" in source(setup) and "from backprop_helpers import" in source(setup)
    assert "## Summary" in "\n".join(source(cell) for cell in cells if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_only_the_demo_cells_ignore_their_output(path):
    for index, cell in enumerate(load(path)):
        if cell["cell_type"] != "code":
            continue
        tagged = IGNORE_TAG in cell.get("metadata", {}).get("tags", [])
        shows_demo = bool(DEMO_CALL.search(source(cell)))
        assert tagged == shows_demo, f"cell {index}: the {IGNORE_TAG} tag belongs on demo cells and only there"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_a_demo_exercises_and_solutions(path):
    cells = load(path)
    code = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "code")
    markdown = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "markdown")
    assert DEMO_CALL.search(code), "a try-it demo"
    assert re.search(r"\bcheck_\w+\(", code), "an exercise with check_* feedback"
    assert "<details><summary>Solution</summary>" in markdown, "a collapsed worked solution"


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_derivations_are_checked_by_sympy_and_numerically(path):
    text = outputs_text(load(path))
    assert "sympy check:" in text and "✓" in text
    assert "numerical check:" in text
    assert "✗" not in text, "a numerical check failed in the committed output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_come_from_one_clean_run(path):
    cells = [cell for cell in load(path) if cell["cell_type"] == "code" and source(cell).strip()]
    assert [cell["execution_count"] for cell in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), "a warning in the output"
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_links_between_notebooks_resolve(path):
    markdown = "\n".join(source(cell) for cell in load(path) if cell["cell_type"] == "markdown")
    links = re.findall(r"\]\(([^)#]+\.ipynb)\)", markdown)
    assert links, "links to the neighbouring notebooks"
    for link in links:
        assert (path.parent / link).exists(), f"broken link {link}"
    if path != NOTEBOOKS[-1]:
        assert NOTEBOOKS[NOTEBOOKS.index(path) + 1].name in links, "a link to the next notebook"


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme


def test_the_start_page_and_readme_use_each_notebooks_own_title():
    start = "\n".join(source(cell) for cell in load(NOTEBOOKS[0]))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        title = source(load(path)[0]).splitlines()[0].split(" · ", 1)[1]
        assert f"[{title}]({path.name})" in start, f"00's table: {title}"
        assert f"[{title}](notebooks/{path.name})" in readme, f"README's table: {title}"


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS[2:], ids=lambda p: p.stem)
def test_your_turn_cells_follow_the_convention(path):
    """DESIGN.md "Your turn": an `exercise` stub with `...` for its body, its check right after it;
    a collapsed `solution` cell defining the same name, its check right after it, saying correct."""
    cells = load(path)
    exercises = [i for i, cell in enumerate(cells) if "exercise" in _tags(cell)]
    solutions = [i for i, cell in enumerate(cells) if "solution" in _tags(cell)]
    assert exercises and len(exercises) == len(solutions), "each exercise stub has one worked solution"
    for stub, solution in zip(exercises, solutions):
        name = re.search(r"^def (\w+)\(", source(cells[stub]), re.M).group(1)
        assert "..." in source(cells[stub]) and stub < solution
        assert re.search(rf"^def {name}\(", source(cells[solution]), re.M), f"the solution defines {name}"
        assert cells[solution]["metadata"].get("jupyter", {}).get("source_hidden") is True, "collapsed"
        for index, verdict in ((stub + 1, "❌ Not yet"), (solution + 1, "✅ Correct")):
            check = cells[index]
            assert re.search(rf"check_\w+\({name}\b", source(check)), f"cell {index} checks {name}"
            assert verdict in outputs_text([check]), f"cell {index}: the committed check says {verdict}"
