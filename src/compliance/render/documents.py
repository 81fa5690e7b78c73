"""Make documents: context -> HTML (one template) -> PDF (WeasyPrint) and DOCX (word.py).

Both formats come from the same HTML string, so they carry the same sections, numbers and
pictures. WeasyPrint and python-docx are imported here, inside the functions that use them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError

from compliance import i18n
from compliance.diagnostics import ERROR, Diagnostic, InputError, display_path
from compliance.names import DOCUMENT_FORMATS
from compliance.output import safe_name, write_atomic
from compliance.render import charts
from compliance.render.assets import Assets, make_fetcher
from compliance.render.config import Branding
from compliance.render.templating import make_environment, template_dirs
from compliance.statusline import stage

FORMATS = DOCUMENT_FORMATS


class RenderError(Exception):
    """A document could not be made (a broken template, a missing font...)."""


@dataclass
class Options:
    """How documents are made: language, formats, templates, branding, output folder."""

    out: Path
    formats: tuple[str, ...] = FORMATS
    lang: str = "en"
    templates: Path | None = None
    branding: Branding = field(default_factory=Branding)
    progress: Any = None  # compliance.render.history.Progress, with --history


@dataclass
class Prepared:
    """A document ready to render: its HTML, stylesheet and pictures."""

    name: str
    html: str
    css: str
    assets: Assets


def output_path(out: Path, stem: str, fmt: str, lang: str) -> Path:
    """Where a document goes; always directly inside ``out`` whatever the unit id."""
    suffix = f".{lang}" if lang != "en" else ""
    path = out / f"{safe_name(stem)}{suffix}.{fmt}"
    if path.resolve().parent != out.resolve():  # belt and braces: ids are already restricted
        raise RenderError(f"refusing to write outside {out}: {path}")
    return path


def template_error(exc: TemplateError) -> InputError:
    """A template problem as a ``file:line:col: error:`` diagnostic."""
    missing = isinstance(exc, TemplateNotFound)
    name = None if missing else getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", 0) or 0
    if not name:  # runtime errors: Jinja2 rewrites the traceback to point into the template
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith((".j2", ".html", ".css")):
                name, line = filename, tb.tb_lineno
            tb = tb.tb_next
    name = display_path(Path(name)) if name else "template"
    kind = "syntax error" if isinstance(exc, TemplateSyntaxError) else "error"
    if missing:
        return InputError(
            [
                Diagnostic(
                    str(name),
                    line,
                    1 if line else 0,
                    ERROR,
                    f"template error: no template '{getattr(exc, 'name', '')}' in the template folders",
                )
            ]
        )
    return InputError(
        [
            Diagnostic(
                str(name), line, 1 if line else 0, ERROR, f"template {kind}: {exc.message or exc}"
            )
        ]
    )


def prepare(
    template: str,
    context: dict[str, Any],
    opts: Options,
    assets: Assets,
    extra_css: tuple[str, ...] = (),
) -> Prepared:
    """Render the HTML and CSS of one document (``extra_css``: stylesheets after the base one)."""
    stage("html")
    env = _environment(str(opts.templates or ""), opts.lang, str(Path.cwd()))
    env.budget.reset()  # steps are counted per document: one runaway template fails alone
    with _template_errors():
        html = env.get_template(template).render(**context)
    return Prepared(template, html, stylesheet(opts, extra_css), assets)


def stylesheet(opts: Options, extra_css: tuple[str, ...] = ()) -> str:
    """The stylesheet of a document: ``report.css.j2`` then ``extra_css``, after the override chain.

    The one source of the document's look: WeasyPrint lays out the PDF with it, and the DOCX
    writer reads its colours and sizes (``render/stylesheet.py``).
    """
    env = _environment(str(opts.templates or ""), opts.lang, str(Path.cwd()))
    colours = {"primary": opts.branding.primary, "accent": opts.branding.accent, "lang": opts.lang}
    with _template_errors():
        css: str = env.get_template("report.css.j2").render(**colours)
        for name in extra_css:
            css += "\n" + env.get_template(name).render(**colours)
    return css


@contextmanager
def _template_errors() -> Iterator[None]:
    """Template problems as ``file:line:col: error:`` diagnostics (InputError)."""
    try:
        yield
    except TemplateError as exc:
        raise template_error(exc) from None
    except (RecursionError, MemoryError) as exc:
        # a macro that calls itself without end, or a value too large for the machine
        what = "recursion too deep" if isinstance(exc, RecursionError) else "out of memory"
        raise template_error(SecurityError(what).with_traceback(exc.__traceback__)) from None


@functools.lru_cache(maxsize=8)
def _environment(templates: str, lang: str, cwd: str) -> Any:
    """One environment per template chain and language, so templates compile once a run."""
    env = make_environment(Path(templates) if templates else None, lang)
    env.globals["heat"] = charts.heat_colour
    return env


def new_assets(opts: Options) -> Assets:
    """The image resolver: template folders and the config folder only."""
    roots = template_dirs(opts.templates)
    if opts.branding.folder is not None:
        roots.append(opts.branding.folder)
    return Assets(roots)


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings: a missing glyph is an error, not a silent box."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    old = logger.propagate
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


@functools.cache
def import_weasyprint() -> Any:
    """Import WeasyPrint, without the ~50 compiler and linker runs of its library search.

    WeasyPrint tries several names for each C library; for every name that is not a file
    name, cffi asks ``ctypes.util.find_library``, which runs gcc, ld and ldconfig (0.5-0.9 s
    of every report on a 2-core machine). One of the names it tries loads directly on Linux
    and macOS (``libpango-1.0.so.0``, ``libpango-1.0.dylib``), so the search is skipped during
    the import; should that fail on some system, the import is retried with the search.
    """
    import ctypes.util
    import sys

    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = original
        import weasyprint
    finally:
        ctypes.util.find_library = original
    return weasyprint


def to_pdf(doc: Prepared) -> bytes:
    """The PDF of a prepared document."""
    return pdf_and_pages(doc)[0]


def pdf_and_pages(doc: Prepared, write: bool = True) -> tuple[bytes, dict[str, int]]:
    """The PDF of a prepared document (b"" unless ``write``), and the page of each element id.

    Laid out by the child that imported WeasyPrint beside the check when there is one
    (``render/layoutserver.py``), else here."""
    from compliance.render import layoutserver

    done = layoutserver.lay_out(doc.name, doc.html, doc.css, doc.assets, write)
    if done is not None:
        pdf: bytes = done[0]
        pages: dict[str, int] = done[1]
        return pdf, pages
    return laid_out_here(doc, write)


def laid_out_here(doc: Prepared, write: bool = True) -> tuple[bytes, dict[str, int]]:
    """``pdf_and_pages`` in this process."""
    with laid_out(doc) as rendered:
        pages: dict[str, int] = {}
        for number, page in enumerate(rendered.pages, start=1):
            for anchor in page.anchors:
                pages.setdefault(anchor, number)
        count = len(rendered.pages)
        stage(f"writing ({count} page{'' if count == 1 else 's'})")
        pdf: bytes = rendered.write_pdf() if write else b""
    return pdf, pages


@contextmanager
def laid_out(doc: Prepared, stage_name: str = "layout") -> Iterator[Any]:
    """WeasyPrint's layout of a prepared document (its pages), to write inside the block.

    ``stage_name`` is shown on the status line meanwhile. A character that no installed font
    has is an error when the block ends.
    """
    weasyprint = import_weasyprint()
    CSS, HTML = weasyprint.CSS, weasyprint.HTML

    fetcher = make_fetcher(doc.assets)
    with _weasyprint_warnings() as warnings:
        html = HTML(string=doc.html, base_url="generated:/", url_fetcher=fetcher)
        stage(stage_name)
        yield html.render(stylesheets=[CSS(string=doc.css, url_fetcher=fetcher)])
    glyphs = [w.split("fonts: ", 1)[-1] for w in warnings if ".notdef" in w]
    if glyphs:
        # a box instead of a character would change the document silently: refuse instead
        shown = ", ".join(dict.fromkeys(glyphs))
        raise RenderError(
            f"{doc.name}: no installed font can show {shown}; install a font that has them "
            "(for rare Chinese characters: fonts-noto-cjk) or write them differently"
        )


def to_docx(doc: Prepared, lang: str, pages: dict[str, int] | None = None) -> bytes:
    """The DOCX of a prepared document, from the very same HTML.

    ``pages`` (from the PDF's layout) gives the contents their page numbers; the colours and
    sizes come from the stylesheet the PDF is laid out with (``doc.css``).
    """
    from compliance.render.word import html_to_docx

    stage("docx")
    return html_to_docx(doc.html, doc.assets.load, lang=lang, pages=pages, css=doc.css)


def write_formats(
    doc: Prepared, stem: str, opts: Options, pdf: Callable[[], bytes] | None = None
) -> list[Path]:
    """Write the requested formats of one document atomically; return the paths.

    The PDF is laid out first when both are written, so the DOCX contents show its page
    numbers. ``pdf`` makes the PDF instead of one layout of ``doc`` (a document too long to
    lay out at once: see ``signin_parts``).
    """
    written = []
    pages: dict[str, int] | None = None
    for fmt in sorted(opts.formats, key=lambda f: f != "pdf"):
        if fmt == "pdf" and pdf is not None:
            data = pdf()
        elif fmt == "pdf":
            data, pages = pdf_and_pages(doc)
        else:
            if pages is None and 'class="toc"' in doc.html:
                # the same contents page numbers whether or not the PDF is written too
                pages = pdf_and_pages(doc, write=False)[1]
            data = to_docx(doc, opts.lang, pages)
        path = output_path(opts.out, stem, fmt, opts.lang)
        write_atomic(path, data)
        written.append(path)
    return written


def area_chart(unit: Mapping[str, Any], lang: str) -> bytes:
    """Bar chart of a unit's area scores."""
    labels = [i18n.label(i18n.AREA_LABELS, a, lang) for a in unit["areas"]]
    return charts.bar_chart(labels, [unit["areas"][a]["score"] for a in unit["areas"]])


def area_chart_src(assets: Assets, unit: Mapping[str, Any], lang: str) -> str:
    """The ``src`` of a unit's area chart, drawn beside the layout (``charts.draw_later``)."""
    drawn = charts.draw_later({"areas.png": (area_chart, (unit, lang))})
    return assets.add("areas.png", drawn["areas.png"])


RANKING_BARS = 15  # the best and the worst this many units are charted; the table has all


def ranking_chart(units: Sequence[Mapping[str, Any]], lang: str = "en") -> bytes:
    """Bar chart of unit scores, best first (in a large group: the best and the worst)."""
    ranked = sorted(units, key=lambda u: (-u["score"], u["id"]))
    labels = [u["name"] for u in ranked]
    values: list[float | None] = [u["score"] for u in ranked]
    gaps: set[int] = set()
    if len(ranked) > 2 * RANKING_BARS + 1:
        hidden = len(ranked) - 2 * RANKING_BARS
        more = i18n.translations(lang).ngettext(
            "... %(n)d more unit ...", "... %(n)d more units ...", hidden
        ) % {"n": hidden}
        labels = [*labels[:RANKING_BARS], more, *labels[-RANKING_BARS:]]
        values = [*values[:RANKING_BARS], None, *values[-RANKING_BARS:]]
        gaps = {RANKING_BARS}
    return charts.bar_chart(labels, values, gaps=gaps)


ProgressFn = Callable[[str], None]
