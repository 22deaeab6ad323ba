"""Prove the student release and its automatic grading with nbgrader itself (``make check-assignments``).

Builds a course directory of its own, ``build/course-check/``, afresh (with the conversion of
``scripts/make_assignments.py``, so ``build/course/`` and any grading there are left alone), puts
three submissions of every assignment in ``submitted/<student>/<assignment>/``, lets
``nbgrader autograde`` grade them and reads the scores from nbgrader's gradebook:

* ``reference``: the instructor version (the worked solutions): every exercise earns full marks;
* ``release``: the student release, untouched: no exercise earns a point;
* ``one_wrong``: the reference with one function replaced by a deliberately wrong one (its result
  with the sign flipped, or nothing at all for a function that fills in its arguments): that
  exercise earns nothing, every other keeps its marks. Notebooks without an implementation exercise
  are left out of this one.

Prints the score table and exits with 1 on any mismatch. Needs the instructor venv (Python 3.11+):

    .venv-instructor/bin/python scripts/check_assignments.py [--allow-missing-reference] [nb02 ...]

``--allow-missing-reference`` accepts numeric exercises whose worked solution has no ``answer = ...``
code line (the reference submission cannot answer them; they are listed, not failed).
"""

import sys

MIN_PYTHON = (3, 11)
if sys.version_info < MIN_PYTHON:
    sys.exit(f"check_assignments.py needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer, because nbgrader 0.9.6 "
             f"does; this is Python {'.'.join(map(str, sys.version_info[:3]))} ({sys.executable}). "
             "Make the instructor venv with a newer Python, e.g.: make PYTHON=python3.12 check-assignments")

import argparse  # noqa: E402
import pathlib  # noqa: E402
import shutil  # noqa: E402

import nbformat  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_assignments as ma  # noqa: E402

STUDENTS = ("reference", "release", "one_wrong")

WRONG = '''

# --- a deliberately wrong {name}, added by scripts/check_assignments.py ---
import copy as _copy


def _flip_sign(value):
    """The sign-flipped result (a classic slip), or None for anything that is not numbers."""
    import numpy as _np
    if isinstance(value, (bool, _np.bool_)) or value is None:
        return None
    if isinstance(value, (int, float, _np.number, _np.ndarray)):
        return -value + 1.0  # + 1 so that a zero is wrong too
    if isinstance(value, (list, tuple)):
        return type(value)(_flip_sign(item) for item in value)
    if isinstance(value, dict):
        return {{key: _flip_sign(item) for key, item in value.items()}}
    return None


_right_{name} = {name}


def {name}(*args, **kwargs):
    """The reference run on copies of the arguments (so nothing passed in is filled in), sign flipped."""
    return _flip_sign(_right_{name}(*_copy.deepcopy(args), **_copy.deepcopy(kwargs)))
'''


def wrong_submission(source_nb, exercise):
    """The reference notebook with ``exercise``'s function replaced by a wrong one."""
    nb = nbformat.from_dict(source_nb)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise["answer_id"]:
            cell.source = cell.source.rstrip() + WRONG.format(name=exercise["name"]).rstrip()
            return nb
    raise LookupError(exercise["answer_id"])


def scores(course, assignment, notebook, student):
    """{grade_id: (score, max_score)} and whether nbgrader flags the notebook for manual grading."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=ma.COURSE_ID) as gb:
        submitted = gb.find_submission_notebook(notebook, assignment, student)
        return ({grade.name: (grade.score, grade.max_score) for grade in submitted.grades},
                bool(submitted.needs_manual_grade))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="e.g. nb02 (default: all)")
    parser.add_argument("--allow-missing-reference", action="store_true",
                        help="do not fail on numeric exercises that have no `answer = ...` in their worked solution")
    args = parser.parse_args(argv)
    ma.require_instructor_python()
    course = ma.CHECK_COURSE  # its own course directory: an instructor's gradebook in build/course is never touched
    paths = sorted(ma.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.assignments:
        paths = [p for p in paths if ma.assignment_name(p) in args.assignments]
        if not paths:
            sys.exit(f"no notebook for {args.assignments}")
    manifest = ma.build(paths, course=course, wipe=True)

    wrong = {}
    for assignment, entry in manifest.items():
        name = f"{entry['notebook']}.ipynb"
        source_nb = nbformat.read(course / "source" / assignment / name, as_version=4)
        release_nb = nbformat.read(course / "release" / assignment / name, as_version=4)
        implementations = [e for e in entry["exercises"] if e["kind"] == "implementation" and e["test_id"]]
        submissions = {"reference": source_nb, "release": release_nb}
        if implementations:
            wrong[assignment] = implementations[0]
            submissions["one_wrong"] = wrong_submission(source_nb, implementations[0])
        for student, nb in submissions.items():
            target = course / "submitted" / student / assignment / name
            if target.parent.exists():
                shutil.rmtree(target.parent)
            target.parent.mkdir(parents=True)
            nbformat.write(nb, target)
        print(f"autograding {assignment} ({', '.join(submissions)}) ...", flush=True)
        ma.nbgrader("autograde", assignment, "--force", course=course, quiet=True)

    problems, missing = [], []
    header = f"{'assignment':<11}{'exercise':<44}{'kind':<7}{'points':>6}  " + "".join(f"{s:>11}" for s in STUDENTS)
    print("\n" + header + "\n" + "-" * len(header))
    for assignment, entry in manifest.items():
        got = {student: scores(course, assignment, entry["notebook"], student)
               for student in STUDENTS if student != "one_wrong" or assignment in wrong}
        totals = dict.fromkeys(got, 0.0)
        for exercise in entry["exercises"]:
            if not exercise["test_id"]:
                continue
            points = exercise["points"]
            expected = {"reference": points, "release": 0,
                        "one_wrong": 0 if exercise is wrong.get(assignment) else points}
            if not exercise["reference"]:
                # nothing can earn these points in the reference: one problem, not one per submission
                missing.append(f"{assignment} {exercise['name']}")
                expected["reference"] = expected["one_wrong"] = 0
            cells = []
            for student in STUDENTS:
                if student not in got:
                    cells.append(f"{'-':>11}")
                    continue
                score, max_score = got[student][0].get(exercise["test_id"], (None, None))
                totals[student] += score or 0
                ok = score == expected[student] and max_score == points
                mark = "" if ok else " ✗"
                if not ok:
                    problems.append(f"{assignment} {exercise['name']}: {student} scored {score} of {max_score}, "
                                    f"expected {expected[student]} of {points}")
                cells.append(f"{f'{score:g}/{points:g}' if score is not None else 'none'}{mark:>2}".rjust(11))
            kind = "impl" if exercise["kind"] == "implementation" else "number"
            label = exercise["name"] + (" (broken)" if exercise is wrong.get(assignment) else "")
            label += "" if exercise["reference"] else " (no ref.)"
            print(f"{assignment:<11}{label:<44}{kind:<7}{points:>6}  " + "".join(cells))
        total = sum(e["points"] for e in entry["exercises"])
        print(f"{assignment:<11}{'total':<44}{'':<7}{total:>6}  "
              + "".join(f"{totals[s]:>11g}" if s in totals else f"{'-':>11}" for s in STUDENTS))
        flagged = [s for s in got if got[s][1]]
        if flagged:
            print(f"{'':<11}(nbgrader flags for manual grading: {', '.join(flagged)})")
    print()
    if missing:
        print(f"{len(missing)} numeric exercises (no ref.) have no `answer = ...` code in their worked solution, "
              "so the reference submission cannot answer them and nothing proves they can be passed: "
              + "; ".join(missing) + (" (accepted: --allow-missing-reference)" if args.allow_missing_reference
                                      else ". Add the code line, or pass --allow-missing-reference."))
        if not args.allow_missing_reference:
            problems.append(f"{len(missing)} numeric exercises without a reference answer")
    if problems:
        print(f"{len(problems)} problems:\n  " + "\n  ".join(problems))
        return 1
    print("every score is as expected: the reference earns full marks"
          + (f" (but for the {len(missing)} exercises without a reference answer)" if missing else "")
          + ", the untouched release none, and a wrong function loses exactly its own exercise's points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
