"""Templates: the override chain, the sandboxed environment, filters and gettext.

Templates are looked up in order: ``--templates DIR``, the project's ``templates/`` (in the
working folder), then the built-in ones. Every built-in template can also be named
``builtin/NAME``, so a user's ``unit_report.html.j2`` can ``{% extends
"builtin/unit_report.html.j2" %}`` and replace a single block (the cover, say).

User templates are untrusted: they run in the bounded sandbox used for rule expressions, with
autoescaping on for HTML, so data such as ``<b>&{{ 7*7 }}`` prints literally.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.loaders import BaseLoader, split_template_path
from markupsafe import Markup

from compliance import i18n
from compliance.builtin import builtin_folder
from compliance.expressions import BoundedSandbox
from compliance.inputs import TEMPLATE_LIMIT, read_text
from compliance.labels import display_path
from compliance.render.templatecache import TemplateCache

BUILTIN_TEMPLATES = builtin_folder("templates")


def template_dirs(user_dir: Path | None) -> list[Path]:
    """The folders of the override chain that exist, most specific first."""
    dirs: list[Path] = []
    if user_dir is not None:
        dirs.append(user_dir)
    project = Path.cwd() / "templates"
    if project.is_dir() and project.resolve() != BUILTIN_TEMPLATES.resolve():
        dirs.append(project)
    dirs.append(BUILTIN_TEMPLATES)
    return dirs


class FolderLoader(FileSystemLoader):
    """A template folder whose files are read with :func:`compliance.inputs.read_input`:
    regular files of bounded size that resolve inside the folder, so a symbolic link in a
    shared template folder cannot pull ``/etc/passwd`` into a document."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The text of ``template`` from this folder (TemplateNotFound when absent)."""
        filename = posixpath.join(str(self.folder), *split_template_path(template))
        if not os.path.lexists(filename):
            raise TemplateNotFound(template)
        try:
            contents = read_text(filename, TEMPLATE_LIMIT, within=self.folder)
            mtime = os.stat(filename).st_mtime
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
            raise TemplateError(f"template '{template}' in {self.folder}: {why}") from None

        def uptodate() -> bool:
            try:
                return os.stat(filename).st_mtime == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate


def _autoescape(name: str | None) -> bool:
    # select_autoescape(['html']) misses 'report.html.j2': decide on the full suffix
    return name is not None and name.endswith((".html", ".html.j2", ".xml", ".xml.j2"))


def make_environment(user_dir: Path | None, lang: str) -> BoundedSandbox:
    """A sandboxed Jinja2 environment for documents in ``lang``."""
    loaders: list[BaseLoader] = [PrefixLoader({"builtin": FolderLoader(BUILTIN_TEMPLATES)})]
    loaders += [FolderLoader(d) for d in template_dirs(user_dir)]
    env = BoundedSandbox(
        loader=ChoiceLoader(loaders),
        finalize=_printable,
        autoescape=_autoescape,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=TemplateCache(lang),  # compiled once, kept between runs
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=lambda v, style="long": i18n.format_date(v, lang, style),
        area=lambda k: i18n.label(i18n.AREA_LABELS, k, lang),
        area_short=lambda k: i18n.label(i18n.AREA_SHORT_LABELS, k, lang),
        severity=lambda k: i18n.label(i18n.SEVERITY_LABELS, k, lang),
        kind=lambda k: i18n.label(i18n.KIND_LABELS, k, lang),
        status=lambda k: i18n.label(i18n.STATUS_LABELS, k, lang),
        hazard_level=lambda k: i18n.label(i18n.HAZARD_LEVEL_LABELS, k or "general", lang),
        field_path=lambda p: display_path(str(p), lang),
        score=_score,
        num=_num,
    )
    env.globals.update(lang=lang)
    return env


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(value: Any) -> Any:
    """Drop control characters from printed data: no font has them, XML forbids them."""
    if isinstance(value, Markup):  # keep trusted markup trusted
        return Markup(_CONTROL.sub("", str(value)))
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def _score(value: Any) -> str:
    return "—" if value is None else f"{float(value):.1f}"


def _num(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}" if isinstance(value, (int, float)) else str(value)


def render(env: BoundedSandbox, name: str, context: dict[str, Any]) -> str:
    """Render template ``name`` with ``context``."""
    return env.get_template(name).render(**context)
