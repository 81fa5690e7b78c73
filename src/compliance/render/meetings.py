"""Meeting documents (notice, sign-in sheet, minutes): context, charts, then PDF and DOCX.

The context comes from ``render/meeting_context.py``; the meeting file's model from
``compliance.meeting_file``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from compliance.areas import AREAS
from compliance.meeting_file import Meeting
from compliance.names import MEETING_DOCUMENTS
from compliance.render import signin_parts
from compliance.render.documents import (
    Options,
    area_chart_src,
    new_assets,
    prepare,
    to_pdf,
    write_formats,
)
from compliance.render.meeting_context import meeting_context
from compliance.result import Result

DOCUMENTS = MEETING_DOCUMENTS


def render_meeting(
    document: str,
    meeting: Meeting,
    result: Result | None,
    opts: Options,
    limit: int = 20,
    propose: bool = False,
) -> list[Path]:
    """Render one meeting document (notice, signin or minutes) in every requested format.

    ``propose`` adds the action items proposed from the check's findings to the minutes, as an
    attachment: they are suggestions, not tasks, until the meeting file adopts them.
    """
    assets = new_assets(opts)
    ctx = meeting_context(meeting, result, opts, limit, propose)
    if opts.branding.logo is not None:
        ctx["org"]["logo"] = assets.file_src(opts.branding.logo)
    if ctx["situation"] and document == "minutes":
        overall = {
            "areas": {
                a: {"score": _mean([u["areas"][a]["score"] for u in ctx["situation"]["units"]])}
                for a in AREAS
            }
        }
        ctx["charts"]["areas"] = area_chart_src(assets, overall, opts.lang)
    css = ("meeting.css.j2",)
    doc = prepare(DOCUMENTS[document], ctx, opts, assets, css)
    stem = meeting.file.name.removesuffix(".yaml").removesuffix(".meeting")
    pdf: Callable[[], bytes] | None = None
    if document == "signin" and "pdf" in opts.formats and signin_parts.is_long(ctx["sheets"]):

        def in_parts() -> bytes:
            """A long sheet's PDF in parts; the whole at once from a template without parts."""
            try:
                return signin_parts.pdf(
                    ctx["sheets"],
                    lambda changes: prepare(
                        DOCUMENTS[document], {**ctx, **changes}, opts, assets, css
                    ),
                )
            except signin_parts.NoParts:
                return to_pdf(doc)

        pdf = in_parts

    return write_formats(doc, f"{stem}-{document}", opts, pdf)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
