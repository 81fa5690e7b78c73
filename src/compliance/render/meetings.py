"""Meeting documents (notice, sign-in sheet, minutes): context, charts, then PDF and DOCX.

The context comes from ``render/meeting_context.py``; the meeting file's model from
``compliance.meeting_file``.
"""

from __future__ import annotations

from pathlib import Path

from compliance.areas import AREAS
from compliance.meeting_file import Meeting
from compliance.names import MEETING_DOCUMENTS
from compliance.render.documents import Options, area_chart_src, new_assets, prepare, write_formats
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
    doc = prepare(DOCUMENTS[document], ctx, opts, assets, ("meeting.css.j2",))
    stem = meeting.file.name.removesuffix(".yaml").removesuffix(".meeting")
    return write_formats(doc, f"{stem}-{document}", opts)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
