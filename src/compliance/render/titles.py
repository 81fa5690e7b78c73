"""Break a Chinese document title into centred lines between words, never inside one.

GB/T 9704 titles (22 pt on a 156 mm text block: about 20 characters a line) are broken by hand
in a drafting office so that no word is split and the lines look balanced. Chinese text has no
spaces, so the word units come from a small vocabulary of the words these titles are made of,
plus runs of digits and Latin letters with the counter that follows them (``2026年``, ``第四季度``);
the meeting file can give the lines itself (``title_lines``). The chosen break keeps every line
within the width and makes the lines as even as possible, preferring breaks before conjunctions
(暨, 的, 和, 及, 与) and after 关于.
"""

from __future__ import annotations

import re

# Words that official titles of safety meetings are made of (matched longest first).
_VOCABULARY = """关于 召开 举办 印发 转发 通知 纪要 会议 工作会议 委员会 安全生产 安全 生产 生态环保 工作
    季度 年度 第一季度 第二季度 第三季度 第四季度 上半年 下半年 全年 治本攻坚 三年行动 专项行动
    专项整治 收官 动员会 推进会 部署会 分析会 座谈会 现场会 视频会议 电视电话会议 专题会议 集团
    公司 有限公司 隐患 排查 治理 整改 检查 督查 应急 演练 消防 防汛 度汛 冬季 夏季 春季 秋季
    专项 重大 事故 风险 管控 双重预防 机制 责任制 标准化 建设 总结 表彰 部署 安委会 扩大
    全体 成员 例会 第一次 第二次 第三次 第四次 暨"""
_WORDS = sorted(_VOCABULARY.split(), key=len, reverse=True)
_NUMBER = re.compile(
    r"(第?[0-9０-９一二三四五六七八九十百零〇]+(年度|年|季度|月份|月|日|次|期|号|届)?)|[A-Za-z0-9.\-]+"
)
_BREAK_BEFORE = frozenset("暨的和及与")
_BREAK_AFTER = ("关于",)


def units(text: str) -> list[str]:
    """The title's word units: vocabulary words, numbers with their counter, single characters."""
    out: list[str] = []
    i = 0
    while i < len(text):
        match = _NUMBER.match(text, i)
        word = next((w for w in _WORDS if text.startswith(w, i)), text[i])
        if match and len(match[0]) > len(word):
            word = match[0]
        out.append(word)
        i += len(word)
    return out


def width(text: str) -> float:
    """Width in em: a Chinese character is 1, a Latin letter or digit half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


# The text block holds 20 characters of 22 pt; LibreOffice adds space between Chinese and a run
# of digits (``2026年``) and wrapped a 19-em line of the DOCX, so lines keep a margin.
PER_LINE = 18.5


def break_title(text: str, per_line: float = PER_LINE) -> list[str]:
    """The title in as few lines as fit ``per_line`` ems, broken between units, evenly."""
    if width(text) <= per_line:
        return [text]
    parts = units(text)
    best: tuple[float, list[str]] | None = None
    # Two or three lines cover every real title; try cut positions between units. A title
    # wider than the lines together fits no cut: skip the search (cubic in the units, it took
    # minutes for a title of a thousand characters).
    for count in (2, 3):
        if width(text) > count * per_line:
            continue
        for cuts in _cuts(len(parts), count):
            lines = [
                "".join(parts[a:b]) for a, b in zip((0, *cuts), (*cuts, len(parts)), strict=True)
            ]
            widths = [width(line) for line in lines]
            if max(widths) > per_line:
                continue
            penalty = max(widths) - min(widths)
            for cut in cuts:
                if parts[cut][0] in _BREAK_BEFORE or parts[cut - 1] in _BREAK_AFTER:
                    penalty -= 3.0
            if best is None or penalty < best[0]:
                best = (penalty, lines)
        if best is not None:
            return best[1]
    return [text]  # a single unit longer than a line: let the renderer wrap it


def _cuts(n: int, lines: int) -> list[tuple[int, ...]]:
    """Every way to cut ``n`` units into ``lines`` non-empty lines."""
    if lines == 2:
        return [(i,) for i in range(1, n)]
    return [(i, j) for i in range(1, n - 1) for j in range(i + 1, n)]


# Titles ending in a meeting word take 纪要 alone; a body (委员会) takes 会议纪要.
_MEETING_ENDINGS = (
    "会议",
    "大会",
    "动员会",
    "推进会",
    "部署会",
    "分析会",
    "座谈会",
    "例会",
    "现场会",
    "调度会",
    "专题会",
    "总结会",
    "表彰会",
    "培训会",
    "联席会",
    "办公会",
    "评审会",
    "研讨会",
    "汇报会",
)


def minutes_title(title: str) -> str:
    """``…会议``/``…动员会`` + 纪要, else + 会议纪要: never "会议会议纪要"."""
    if title.endswith("纪要"):
        return title
    if title.endswith(_MEETING_ENDINGS):
        return f"{title}纪要"
    return f"{title}会议纪要"


def wrap_lines(lines: list[str], full: str, title: str) -> list[str]:
    """The title's own lines inside a wrapper such as 关于召开…的通知: the wrapper's words join
    the first and the last line."""
    head, sep, tail = full.partition(title)
    if not sep:
        return [full]
    out = list(lines)
    out[0] = head + out[0]
    out[-1] = out[-1] + tail
    return out
