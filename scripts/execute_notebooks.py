"""Execute notebooks in place, each top to bottom in one fresh kernel (``make notebooks``).

    python scripts/execute_notebooks.py                 # every notebook, in reading order
    python scripts/execute_notebooks.py notebooks/03_*.ipynb

After running, volatile metadata is removed (timings, widget state, the Python patch
version) and each widget's live view is replaced by a short text, so that running this
twice leaves ``git diff`` empty.  A notebook whose run raises, or writes to stderr (a
warning), fails the command.
"""

import argparse
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
# the series' IPython profile: a quiet kernel log and the "run the setup cell first" hint
os.environ.setdefault("IPYTHONDIR", str(ROOT / ".ipython"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_TEXT = "Interactive controls: run this cell in JupyterLab to use them."
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clean(nb):
    """Remove what differs between two runs of the same notebook."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    problems = []
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                output["data"] = {"text/plain": WIDGET_TEXT}
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {''.join(output['text'])[:200]!r}")
            if output.get("output_type") == "error":
                problems.append(f"cell {index} raised {output.get('ename')}")
            output.get("metadata", {}).pop("transient", None)
        cell["outputs"] = merge_streams(cell.get("outputs", []))
    return problems


def merge_streams(outputs):
    """Join consecutive stream outputs of the same name: where the kernel happened to split a
    print into chunks depends on timing, so unmerged chunks would differ between runs."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (previous is not None and output.get("output_type") == "stream"
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            merged.append(output)
    return merged


def execute(path, timeout=300):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    problems = clean(nb)
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    failed = False
    for path in paths:
        started = time.perf_counter()
        problems = execute(path)
        print(f"{path.name}: executed in {time.perf_counter() - started:.1f} s")
        for problem in problems:
            failed = True
            print(f"  problem: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
