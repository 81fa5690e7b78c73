"""The template cache: a second run takes the templates' code from the cache; an edited
template compiles anew; the sandbox still refuses what it refused; a damaged file is ignored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment
from jinja2.exceptions import SecurityError

from compliance.expressions import BoundedSandbox
from compliance.render import templatecache
from compliance.render.templating import make_environment


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, opened afresh for each environment made."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPLIANCE_NO_CACHE", raising=False)
    templatecache._store.cache_clear()
    yield tmp_path / "cache" / "compliance" / "packs"
    templatecache._store.cache_clear()  # later tests open their own cache folder


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates Jinja2 had to compile (not taken from the cache) in this test."""
    made: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: Any, name: str | None = None, *a: Any) -> Any:
        made.append(str(name))
        return original(self, source, name, *a)

    monkeypatch.setattr(Environment, "compile", counting)
    return made


def new_run(user_dir: Path | None = None, lang: str = "en") -> BoundedSandbox:
    """The environment of a new run: nothing kept in memory from the last one."""
    templatecache._store.cache_clear()
    return make_environment(user_dir, lang)


def render(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)


def test_second_run_takes_the_code_from_the_cache(cache: Path, compiled: list[str]) -> None:
    first = render(new_run(), "report.css.j2", primary="#123456", accent="#654321", lang="en")
    assert "#123456" in first
    assert compiled == ["report.css.j2"]
    assert len(list(cache.glob("templates-*.bin"))) == 1
    again = render(new_run(), "report.css.j2", primary="#123456", accent="#654321", lang="en")
    assert again == first
    assert compiled == ["report.css.j2"]  # nothing compiled again
    # another language is another entry (its filters give other texts)
    render(new_run(lang="zh"), "report.css.j2", primary="#123456", accent="#654321", lang="zh")
    assert compiled == ["report.css.j2", "report.css.j2"]


def test_edited_user_template_compiles_anew(
    cache: Path, compiled: list[str], write: Callable[[str, str], Path]
) -> None:
    tpl = write("tpl/note.html.j2", "<p>{{ _('Rectification plan') }}: first</p>\n")
    assert render(new_run(tpl.parent), "note.html.j2") == "<p>Rectification plan: first</p>"
    tpl.write_text("<p>{{ _('Rectification plan') }}: second</p>\n", encoding="utf-8")
    assert render(new_run(tpl.parent), "note.html.j2") == "<p>Rectification plan: second</p>"
    assert render(new_run(tpl.parent), "note.html.j2") == "<p>Rectification plan: second</p>"
    assert compiled == ["note.html.j2", "note.html.j2"]  # the third run took the code as kept


@pytest.mark.parametrize(
    "text",
    [
        "{{ unit.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ 'a' * 10**6 }}",
        "{% for i in range(2000) %}{% for j in range(2000) %}{% endfor %}{% endfor %}",
    ],
)
def test_sandbox_applies_to_cached_code(
    cache: Path, compiled: list[str], write: Callable[[str, str], Path], text: str
) -> None:
    tpl = write("tpl/hostile.html.j2", text)
    for _ in range(2):
        env = new_run(tpl.parent)
        env.budget.reset()
        with pytest.raises(SecurityError):
            render(env, "hostile.html.j2", unit={"id": "u"})
    assert compiled == ["hostile.html.j2"]  # the second refusal ran the cached code


def test_damaged_file_is_ignored(cache: Path, compiled: list[str]) -> None:
    first = render(new_run(), "report.css.j2", primary="#123456", accent="#654321", lang="en")
    (file,) = cache.glob("templates-*.bin")
    data = bytearray(file.read_bytes())
    data[-10] ^= 0xFF
    file.write_bytes(bytes(data))
    again = render(new_run(), "report.css.j2", primary="#123456", accent="#654321", lang="en")
    assert again == first
    assert compiled == ["report.css.j2", "report.css.j2"]


def test_no_cache_when_turned_off(
    cache: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_NO_CACHE", "1")
    for _ in range(2):
        render(new_run(), "report.css.j2", primary="#123456", accent="#654321", lang="en")
    assert compiled == ["report.css.j2", "report.css.j2"]
    assert not cache.exists() or not list(cache.glob("templates-*.bin"))
