"""Pin every package the series installs, transitive ones included (``make lock``).

Writes ``requirements-lock.txt``, which ``requirements.txt`` uses as constraints (``-c``), from
the packages installed in ``.venv`` now: so a fresh install in a year gets today's versions.  The
pins are for the Python that made ``.venv`` (marked ``python_version >= "3.11"``); Python 3.10
gets the versions requirements.txt names for it, and pip's choice for the rest.
"""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--all"],
                            capture_output=True, text=True, check=True).stdout.split()
    skip = {"pip", "setuptools", "wheel", "backprop-helpers", "backprop_helpers"}
    pins = sorted((line for line in frozen if "==" in line and line.split("==")[0].lower() not in skip),
                  key=str.lower)
    marker = f'python_version >= "{sys.version_info.major}.{sys.version_info.minor}"'
    text = ("# Every package requirements.txt installs, transitive ones included, pinned (made by `make lock`).\n"
            "# requirements.txt reads it as constraints; edit requirements.txt, then run `make lock`.\n"
            + "".join(f"{pin}; {marker}\n" for pin in pins))
    (ROOT / "requirements-lock.txt").write_text(text)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    print(f"requirements-lock.txt: {len(pins)} packages pinned for Python {version}")


if __name__ == "__main__":
    main()
