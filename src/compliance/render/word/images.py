"""Pictures: bytes from the caller's loader (asked once per source) and their size on the page.

The converter never reads files or URLs itself; ``<img src>`` goes to ``load_image``, and a
source with no usable picture is shown as its alt text in brackets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from docx.image.image import Image

from compliance.render.word.inline import Picture, Text
from compliance.render.word.markup import collapse, length, style_map
from compliance.render.word.story import Ctx, Flow

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter

ImageLoader: TypeAlias = Callable[[str], bytes | None]

_EMU_PER_PX = 9525  # CSS px: 1/96 in


class ImageCache:
    """The caller's bytes for each ``src``, asked once per distinct source."""

    def __init__(self, load_image: ImageLoader) -> None:
        self._load_image = load_image
        self._images: dict[str, bytes | None] = {}

    def get(self, src: str) -> bytes | None:
        """The bytes for ``src`` (None for an empty source or when the loader has none)."""
        if not src:
            return None
        if src not in self._images:
            self._images[src] = self._load_image(src)
        return self._images[src]


def render_image(conv: Converter, el: Any, ctx: Ctx, flow: Flow) -> None:
    """A picture from ``load_image``, or ``[alt]`` when there is none."""
    src = (el.get("src") or "").strip()
    alt = collapse(el.get("alt") or "").strip()
    blob = conv.images.get(src)
    picture = _picture(blob, alt, el, ctx.story.width) if blob else None
    if picture is not None:
        flow.add(picture)
    elif alt:
        flow.add(Text(f"[{alt}]", ctx.fmt))


def _picture(blob: bytes, alt: str, el: Any, max_width: int) -> Picture | None:
    """Size a picture from CSS width/height (aspect kept), at most the available width."""
    try:
        image = Image.from_blob(blob)
        px_width, px_height = int(image.px_width), int(image.px_height)
    except Exception:  # python-docx raises many kinds of errors on damaged image data
        return None
    if px_width <= 0 or px_height <= 0:
        return None
    css = style_map(el)
    width = length(css.get("width") or el.get("width") or "", max_width)
    height = length(css.get("height") or el.get("height") or "", max_width)
    if width is None and height is None:
        width = px_width * _EMU_PER_PX
    if width is None:
        width = (height or 0) * px_width // px_height
    if height is None:
        height = width * px_height // px_width
    if width > max_width:
        width, height = max_width, height * max_width // width
    return Picture(blob, max(width, 1), max(height, 1), alt)
