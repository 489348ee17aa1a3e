"""Snippets: the window of a record's text that shows a hit, the query's syllables marked.

Matching is on folded syllables (analysis.fold_aligned keeps one character per character, so
the marks land on the text as written): `dat dai` marks `Đất đai`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from offline_index.folding import find_run, fold_aligned, run_pattern
from offline_index.marking import Marks, as_marks

_MAX_MATCHES = 400
_LEAD = 30  # characters shown before the first match, for context


class Snippet(NamedTuple):
    """What a hit shows of its text (HTML-escaped, the query's syllables <mark>ed), and the
    number of the clause (khoản) it shows, where the reader opens the article; None when it
    shows what comes before the first clause."""

    html: str
    clause: str | None = None


def make_snippet(
    text: str,
    words: Marks | Iterable[str],
    width: int = 220,
    phrases: Sequence[str] = (),
    opens: Sequence[str] = (),
) -> Snippet:
    """The window of `text` with the most distinct query syllables, each <mark>ed.

    Matching is on folded syllables, so `dat dai` highlights `Đất đai`; a syllable typed with
    diacritics only as typed (offline_index/marking.py). `phrases` are the
    legal wordings of the query's everyday words (QueryTerms.legal), folded: where the text
    holds one, the window shows it, after the opening of the clause (khoản) it sits in. A
    decree's article of fines lists many acts, each under its clause's amount: `vượt đèn đỏ`
    is the point `không chấp hành hiệu lệnh của đèn tín hiệu giao thông`, and the snippet
    shows `2. Phạt tiền từ 150.000 đồng đến 250.000 đồng …` before it, not the first clause
    that happens to hold the most of the query's words. Else `opens`, a topic search's words
    as typed (folded): where a point or clause opens with two or more of them in a row, the
    window shows it the same way. A decree names each act at the head of its point (`đ) Đi
    ngược chiều của đường một chiều …`); the same words inside another act (`… khi gặp xe đi
    ngược chiều`) are not what the resident asked about.
    """
    lines = _lines(text)
    text = " ".join(lines)
    folded = fold_aligned(text)
    src = _Source(text, folded, as_marks(words))
    at = _phrase_at(src.folded, phrases) or _opening_at(src.folded, lines, opens)
    if at is None:
        best = _best_window(src.marks.spans(text, folded)[:_MAX_MATCHES], width)
        return Snippet(src.window(max(0, best - _LEAD), width), _clause_number(lines, best))
    clause = _clause(lines, at[0])
    if clause is None:
        return Snippet(src.window(max(0, at[0] - _LEAD), width), _clause_number(lines, at[0]))
    head, stop = clause
    start = max(head[1], at[0] - _LEAD)
    if start == head[1]:  # the phrase follows the opening: one window, marked as one
        return Snippet(
            src.window(head[0], width, stop).removeprefix("…"), _clause_number(lines, at[0])
        )
    rest = src.window(start, width - (head[1] - head[0]), stop)
    html_ = src.marked(*head) + " …" + rest.removeprefix("…")
    return Snippet(html_, _clause_number(lines, at[0]))


def _lines(text: str) -> list[str]:
    """The text's lines, NFC, white space runs made one space, empty ones left out. A
    record's text is written so already: checking each line is some twice as fast as
    splitting the thousands of words of a decree's article of fines."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    if all(x and x.isprintable() and x[0] != " " != x[-1] and "  " not in x for x in lines):
        return lines  # printable: no white space but the single spaces between words
    tidy = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in tidy if line]


def hit_snippet(
    text: str,
    heading: str,
    marks: Marks,
    phrases: Sequence[str] = (),
    *,
    answer: bool = False,
    opens: Sequence[str] = (),
) -> Snippet:
    """The snippet of a hit whose text opens with its heading line (an article's `Điều 4. Sở
    hữu đất đai`, a Q&A entry's question; offline_index/index_units.py), which a result
    shows as its title: drawn from what follows, so the result does not say it twice and the
    window's width goes to the text. From the whole text when what follows holds none of the
    query's words (a title that alone names the topic). An `answer` (a Q&A entry's) shows
    its opening: the resident has read the question above it and wants the answer (a fine's
    amount first), not the lines the record repeats after it for search (`xe máy`, the fine
    again) where the query's words are."""
    if heading and text.startswith(heading + "\n"):
        rest = text[len(heading) + 1 :]
        if answer:
            return opening(rest, marks)
        body = make_snippet(rest, marks, phrases=phrases, opens=opens)
        if "<mark>" in body.html:
            return body
    return make_snippet(text, marks, phrases=phrases, opens=opens)


_STOPS = ".:;!?…,"

# A line of its own in a record's text: what follows is there for search only (a Q&A entry's
# subject and fine, repeated from its answer; index_units.qa_text). White space to every
# tokenizer and to `_lines`, so search and snippets read the text as before.
SEARCH_ONLY = "\x1e"


def opening(text: str, words: Marks | Iterable[str], width: int = 220) -> Snippet:
    """The first `width` characters of `text` up to a SEARCH_ONLY line, the query's
    syllables <mark>ed; a line that ends without a stop is followed by ` · ` (`Mức phạt: …
    đồng · Hình thức xử phạt bổ sung: …`), not run into the next."""
    lines = _lines(text.split(f"\n{SEARCH_ONLY}\n", 1)[0])
    ended = [line if line[-1] in _STOPS else f"{line} ·" for line in lines[:-1]]
    text = " ".join([*ended, *lines[-1:]])
    return Snippet(_Source(text, fold_aligned(text), as_marks(words)).window(0, width))


class _Source(NamedTuple):
    """A record's text as a snippet shows it, folded alike, and the query's syllables: a
    snippet marks the words of the part it shows, however far into the text."""

    text: str
    folded: str
    marks: Marks

    def window(self, start: int, width: int, stop: int | None = None) -> str:
        """The text from about `start`, `width` characters (to `stop` at most) cut at spaces,
        its matches marked."""
        text = self.text
        end = min(len(text), start + width, len(text) if stop is None else stop)
        if end < len(text) and end != stop:  # the next clause starts after a space: no cut
            cut = text.rfind(" ", start, end + 1)  # a word ending at `end` stays whole
            end = cut if cut > start else end
        if start > 0 and text[start - 1] != " ":  # in a word, or on the space after one
            cut = text.find(" ", start)
            start = cut + 1 if 0 <= cut < end else start
        before = "…" if start > 0 else ""
        return before + self.marked(start, end) + ("…" if end < len(text) else "")

    def marked(self, start: int, end: int) -> str:
        """text[start:end], HTML-escaped, each whole matched word in it <mark>ed."""
        out, pos = [], start
        for s, e, _ in self.marks.spans(self.text, self.folded, start, end):
            out += [html.escape(self.text[pos:s]), "<mark>", html.escape(self.text[s:e]), "</mark>"]
            pos = e
        out.append(html.escape(self.text[pos:end]))
        return "".join(out)


# A khoản's line, as Node.heading_line writes it in a record's text.
_CLAUSE = re.compile(r"(\d+)\. ")
_HEAD_MAX = 90  # characters of a clause's opening shown: its amount comes first


def _line_starts(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(offset in the joined text, line) of each line, in order."""
    pos = 0
    for line in lines:
        yield pos, line
        pos += len(line) + 1


def _clause_starts(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(offset in the joined text, line, number) of each clause line (`N. …`), in order."""
    for pos, line in _line_starts(lines):
        m = _CLAUSE.match(line)
        if m:
            yield pos, line, m.group(1)


def _clause(lines: list[str], at: int) -> tuple[tuple[int, int], int] | None:
    """For offset `at` of the joined text: the (start, end) of the opening of the clause (a
    line `N. …`) holding it, and where the next clause starts; None when `at` is in no clause
    or in its opening."""
    head = None
    for pos, line, _ in _clause_starts(lines):
        if pos > at:
            return (head, pos - 1) if head else None
        colon = line.find(":")
        n = colon + 1 if 0 < colon < _HEAD_MAX else line.rfind(" ", 0, _HEAD_MAX)
        head = (pos, pos + (n if n > 0 else min(len(line), _HEAD_MAX)))
        head = head if head[1] <= at else None
    return (head, sum(len(x) + 1 for x in lines) - 1) if head else None


def _clause_number(lines: list[str], at: int) -> str | None:
    """The number of the clause (a line `N. …`) holding offset `at` of the joined text."""
    number = None
    for pos, _, n in _clause_starts(lines):
        if pos > at:
            break
        number = n
    return number


def _phrase_at(folded: str, phrases: Sequence[str]) -> tuple[int, int] | None:
    """Where the text first holds the longest of these phrases of two words or more (the
    words in order, spaces or punctuation between), or None."""
    for phrase in sorted(phrases, key=lambda p: len(p.split()), reverse=True):
        if len(phrase.split()) < 2:
            continue
        m = find_run(run_pattern(phrase), folded)
        if m:
            return m.span()
    return None


# The marker opening a point's line (`a) `, `đ) `, folded `d) `) or a clause's (`9. `), as
# Node.heading_line writes them in a record's text.
_MARKER = re.compile(r"(?:[a-z]{1,2}\)|\d+\.) ")


def _opening_at(folded: str, lines: list[str], opens: Sequence[str]) -> tuple[int, int] | None:
    """Where a point or clause (a line of the text, `lines`) first opens with the longest run
    of two or more consecutive words of one of these, or None. Each word is looked for as a
    marker's end and the word (`) di `), in plain text: a pattern per run cost 0.3 ms to
    compile, and each run's every place in a long decree many more to check."""
    if not opens:
        return None
    starts = {pos for pos, _ in _line_starts(lines)}  # not `… khoản 2 Điều 7. Người …`
    best = (1, 0, 0)  # (words in the run, -start, end)
    for words in (o.split() for o in opens):
        for i in range(len(words) - 1):
            for mark in (") ", ". "):
                probe = f"{mark}{words[i]} "
                at = folded.find(probe)
                while at >= 0:
                    line = folded.rfind(" ", 0, at) + 1  # where the marker starts
                    if line in starts and _MARKER.fullmatch(folded, line, at + 2):
                        held, stop = _run_from(folded, at + 2, words[i:])
                        best = max(best, (held, -(at + 2), stop))
                    at = folded.find(probe, at + 1)
    return (-best[1], best[2]) if best[0] > 1 else None


def _run_from(folded: str, at: int, words: list[str]) -> tuple[int, int]:
    """How many of `words` the text holds one after another from `at`, a space between,
    and where the last of them ends."""
    held, pos, last = 0, at, at
    for w in words:
        stop = pos + len(w)
        if not folded.startswith(w, pos) or folded[stop : stop + 1].isalnum():
            break
        held, last = held + 1, stop
        if folded[stop : stop + 1] != " ":
            break
        pos = stop + 1
    return held, last


def _best_window(spans: list[tuple[int, int, str]], width: int) -> int:
    """Offset of the first match of the window holding the most of the query: its distinct
    matched syllables, and its distinct pairs of them side by side. A phrase outweighs its
    words apart: for `phạt nồng độ cồn ô tô`, a decree's `… có nồng độ cồn …` before a
    `xe ô tô … tốc độ`, three syllables each. The window slides over the matches, counting
    what enters and leaves (a decree's article of fines has hundreds)."""
    pairs = [
        (a[2], b[2]) if b[0] - a[1] == 1 else None for a, b in zip(spans, spans[1:], strict=False)
    ]
    held: dict[object, int] = {}  # words and pairs in the window, with their counts
    best, best_start, j = 0, 0, -1  # spans[i..j] are in the window
    for i, (s, _, _) in enumerate(spans):
        if j < i:
            j = i
            _count(held, spans[i][2], 1)
        while j + 1 < len(spans) and spans[j + 1][1] - s <= width - _LEAD:
            j += 1
            _count(held, spans[j][2], 1)
            _count(held, pairs[j - 1], 1)
        if len(held) > best:
            best, best_start = len(held), s
        _count(held, spans[i][2], -1)
        if i < j:
            _count(held, pairs[i], -1)
    return best_start if best else 0


def _count(held: dict[object, int], item: object, step: int) -> None:
    """Add (step 1) or take away (-1) one of `item` in the window's counts; None is no pair."""
    if item is None:
        return
    n = held.get(item, 0) + step
    if n:
        held[item] = n
    else:
        held.pop(item, None)
