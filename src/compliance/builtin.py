"""Where the built-in rule packs and templates are: inside the package, through importlib.resources.

The repository keeps them at its top level (``rules/`` and ``templates/``), the single source
that rule authors edit. ``pyproject.toml`` maps those folders into the package as
``compliance.builtin_rules`` and ``compliance.builtin_templates``, so a wheel carries them
beside the code. Run from a source checkout (``PYTHONPATH=src`` or an editable install), the
top-level folders are read directly: an editable install's import hook would otherwise point
every work tree (``PYTHONPATH=src``) at the folders of the checkout it was installed from.
Each folder holds an ``__init__.py`` so that it is a regular package; setuptools' editable
import hook does not find a namespace package mapped outside its parent's folder. An install
has them on disk beside this module; importlib.resources is asked only in other layouts (it
costs a few milliseconds of every start-up).
"""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]  # <checkout>/src/compliance/builtin.py
# only the repository's own layout counts: an install into some project's folder (pip
# --target) must not take that project's rules/ for the built-in packs
_IN_CHECKOUT = _PACKAGE.parent.name == "src" and (_CHECKOUT / "pyproject.toml").is_file()


@functools.cache
def builtin_folder(name: str) -> Path:
    """The folder of built-in ``rules`` or ``templates`` as a real path (WeasyPrint and the
    template loader need files, not resource readers)."""
    if _IN_CHECKOUT and (_CHECKOUT / name).is_dir():
        return _CHECKOUT / name
    if (_PACKAGE / f"builtin_{name}").is_dir():  # an install: the package data beside us
        return _PACKAGE / f"builtin_{name}"
    from importlib import resources  # not needed when on disk: spared at start-up

    found = resources.files(f"compliance.builtin_{name}")
    if not isinstance(found, Path):  # a zipped install: the documents need real files
        raise RuntimeError(f"compliance: the built-in {name} are not files on disk: {found}")
    return found
