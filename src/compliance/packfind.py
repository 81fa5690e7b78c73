"""Where rule packs are: the search path (``COMPLIANCE_RULES_PATH``, ``./rules``, the
built-in packs), finding a pack by name or path, and the files of a folder pack."""

from __future__ import annotations

import os
from pathlib import Path

from compliance.builtin import builtin_folder
from compliance.inputs import inside

BUILTIN_RULES = builtin_folder("rules")
DEFAULT_PACK = "cn-work-safety"


def search_path() -> list[Path]:
    """Folders where pack names are looked up, in order."""
    paths = [Path(p) for p in os.environ.get("COMPLIANCE_RULES_PATH", "").split(os.pathsep) if p]
    return [*paths, Path.cwd() / "rules", BUILTIN_RULES]


def find_pack(spec: str, relative_to: Path | None = None) -> Path | None:
    """Path of the pack named or pointed to by ``spec``; None when there is none.

    With ``relative_to`` (an ``extends:`` of the pack in that folder) a path must stay inside
    that folder's tree, symbolic links resolved; a plain name is also looked up on the search
    path. Without it, ``spec`` is what the user typed: a name or any path.
    """
    candidates: list[Path] = []
    is_name = "/" not in spec and os.sep not in spec and spec not in (".", "..")
    if relative_to is not None:
        own = relative_to / spec
        if inside(own, relative_to):  # links resolved: neither '../x' nor a link leads out
            candidates.append(own)
        elif not is_name:
            return None
    else:
        candidates.append(Path(spec))
    if is_name:
        for folder in search_path():
            candidates += [folder / spec, folder / f"{spec}.yaml"]
    for c in candidates:
        if c.is_dir() and (c / "pack.yaml").is_file():
            return c
        if c.is_file():
            return c
    return None


def available_packs() -> list[str]:
    """Names of the packs found on the search path."""
    names: set[str] = set()
    for folder in search_path():
        if folder.is_dir():
            for p in folder.iterdir():
                if (p / "pack.yaml").is_file() or (p.suffix == ".yaml" and p.is_file()):
                    names.add(p.stem if p.is_file() else p.name)
    return sorted(names)


def pack_files(location: Path) -> list[Path]:
    """``pack.yaml`` first, then the other rule files of a folder pack (sorted)."""
    if location.is_file():
        return [location]
    rest = sorted(p for p in location.glob("*.yaml") if p.name != "pack.yaml")
    return [location / "pack.yaml", *rest]
