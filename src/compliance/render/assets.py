"""Images for documents: generated charts in memory, and files only from allowed folders.

The same resolver serves WeasyPrint (through :class:`SafeFetcher`) and the DOCX writer, so
both formats show the same pictures, and neither can read a file outside the template and
config folders or reach the network (``http://``, ``file:///etc/passwd``... are refused).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from compliance.inputs import IMAGE_LIMIT, read_input

GENERATED = "generated:"
_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


class Assets:
    """Resolves ``<img src>`` values: ``generated:NAME`` or a path inside an allowed folder."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [r.resolve() for r in roots if r.is_dir()]
        self.generated: dict[str, bytes | Callable[[], bytes]] = {}
        self.refused: list[str] = []

    def add(self, name: str, data: bytes | Callable[[], bytes]) -> str:
        """Register a generated image, or what draws it when first needed; returns its ``src``."""
        self.generated[name] = data
        return GENERATED + name

    def file_src(self, path: Path) -> str:
        """The ``src`` for a file that lies in an allowed folder (a logo, say)."""
        return "asset:" + str(path.resolve())

    def load(self, src: str) -> bytes | None:
        """Bytes of an image, or None (recorded in ``refused``) when not allowed or absent."""
        if src.startswith(GENERATED):
            name = src[len(GENERATED) :]
            made = self.generated.get(name)
            if callable(made):  # a chart still being drawn (charts.draw_later)
                made = self.generated[name] = made()
            data = made
        else:
            path = self._path(src)
            try:  # resolved inside an allowed folder by _path; a regular file of bounded size
                data = read_input(path, IMAGE_LIMIT) if path is not None else None
            except OSError:
                data = None
        if data is None:
            self.refused.append(src)
        return data

    def _path(self, src: str) -> Path | None:
        raw = src[len("asset:") :] if src.startswith("asset:") else None
        if raw is None:
            parts = urlsplit(src)
            if parts.scheme not in ("", "file") or parts.netloc:
                return None
            raw = unquote(parts.path)
        candidate = Path(raw)
        for root in self.roots:
            full = (candidate if candidate.is_absolute() else root / candidate).resolve()
            if full.is_relative_to(root) and full.is_file() and full.suffix.lower() in _TYPES:
                return full
        return None

    @staticmethod
    def mime(src: str) -> str:
        """The MIME type for a ``src``."""
        return _TYPES.get(Path(src).suffix.lower()) or mimetypes.guess_type(src)[0] or "image/png"


def make_fetcher(assets: Assets) -> object:
    """A WeasyPrint URL fetcher that serves only what ``assets`` allows."""
    from compliance.render.documents import import_weasyprint

    import_weasyprint()  # without its slow library search
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses every URL that is not a generated image or an allowed file."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            # charts are 'generated:NAME' and logos 'asset:/path': absolute URLs that
            # WeasyPrint passes through unchanged; everything else is refused
            src = url
            data = assets.load(src)
            if data is None:
                raise ValueError(
                    f"refused to load {url!r}: only generated charts and files "
                    "in the template and config folders may be used"
                )
            return URLFetcherResponse(url, body=data, headers={"Content-Type": assets.mime(src)})

    return SafeFetcher()
