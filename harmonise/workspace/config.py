"""The workspace configuration, ``harmonise.yaml``: sources, status scale and vocabularies, chapters.

Validated as data: every problem is collected with ``file:line`` and key path, then reported at once.
Policy lives here (which words mean what, where files are); the code only knows how to read it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from harmonise.errors import InputError, ProblemLog, did_you_mean
from harmonise.model import Chapter, Scale, Status
from harmonise.workspace.yamlio import KeyPath, YamlDoc, format_path, load_yaml

CONFIG_NAME = "harmonise.yaml"

FIELDS = ("drug", "formulation", "section", "status", "line", "membership", "notes", "nice_ta", "brand", "id")
REQUIRED_FIELDS = ("drug", "status")

DEFAULT_SCALE = (
    Status("green", "Green", 1, "00843D"),
    Status("amber-recommended", "Amber recommended", 2, "FFD24D"),
    Status("amber-initiated", "Amber initiated", 3, "F4A300"),
    Status("shared-care", "Amber retained / shared care", 4, "B36BD4"),
    Status("red", "Red", 5, "D5281B"),
    Status("black", "Black", 6, "3C3C3C"),
    Status("grey", "Grey", None, "A6A6A6"),
    Status("non-formulary", "Non-formulary", None, "E7E6E6"),
)

BNF_CHAPTERS = (
    ("1", "gastro-intestinal", "Gastro-intestinal system"),
    ("2", "cardiovascular", "Cardiovascular system"),
    ("3", "respiratory", "Respiratory system"),
    ("4", "central-nervous-system", "Central nervous system"),
    ("5", "infections", "Infections"),
    ("6", "endocrine", "Endocrine system"),
    ("7", "obstetrics-gynaecology-urinary", "Obstetrics, gynaecology and urinary-tract disorders"),
    ("8", "malignant-disease-immunosuppression", "Malignant disease and immunosuppression"),
    ("9", "nutrition-blood", "Nutrition and blood"),
    ("10", "musculoskeletal-joint", "Musculoskeletal and joint diseases"),
    ("11", "eye", "Eye"),
    ("12", "ear-nose-oropharynx", "Ear, nose and oropharynx"),
    ("13", "skin", "Skin"),
    ("14", "immunological-vaccines", "Immunological products and vaccines"),
    ("15", "anaesthesia", "Anaesthesia"),
)

MEMBERSHIP_WORDS = {
    "formulary": ("formulary", "f", "yes", "y", "included", "on formulary", "in formulary"),
    "non-formulary": ("non-formulary", "non formulary", "nf", "no", "n", "not on formulary", "not formulary"),
    "restricted": ("restricted", "r", "restricted use", "specialist use only"),
}


def normalise_word(word: Any) -> str:
    """Vocabulary lookups ignore case, spacing, hyphens, underscores and a trailing full stop."""
    return _normalised(word if isinstance(word, str) else str(word))


@lru_cache(maxsize=8192)  # a formulary's few status words, read on each of its rows and by every rule
def _normalised(word: str) -> str:
    text = word.replace("\u00a0", " ").casefold().strip().rstrip(".")
    return re.sub(r"[\s\-_]+", " ", text).strip()


@dataclass(frozen=True)
class SourceConfig:
    """One legacy formulary: where its file is in a chapter folder, its columns and its status words."""

    key: str
    name: str
    file: str
    sheet: str | None
    header_row: int | None
    columns: dict[str, tuple[str, ...]]
    vocabulary: dict[str, str]
    membership: dict[str, str]
    spellings: dict[str, str] = field(default_factory=dict)
    chapters: tuple[str, ...] = ()

    def covers(self, chapter: Chapter) -> bool:
        """Whether this source has a list for ``chapter`` (no ``chapters:`` in the config means every chapter)."""
        return not self.chapters or chapter.number in self.chapters

    @property
    def words(self) -> tuple[str, ...]:
        """The status words as written in harmonise.yaml (for messages)."""
        return tuple(self.spellings.get(w, w) for w in self.vocabulary)

    def status_of(self, word: str) -> str | None:
        """The common-scale status for a source word, or None when the word is not in the vocabulary."""
        return self.vocabulary.get(normalise_word(word))

    def membership_of(self, word: str) -> str | None:
        return self.membership.get(normalise_word(word))


@dataclass(frozen=True)
class Workspace:
    """A validated workspace: its folder, sources (two or more), scale, chapters and rule files."""

    root: Path
    title: str
    sources: tuple[SourceConfig, ...]
    scale: Scale
    chapters: tuple[Chapter, ...]
    rule_files: tuple[Path, ...]
    matching: dict[str, float] = field(default_factory=dict)
    knowledge_dirs: tuple[Path, ...] = ()
    reference: Path | None = None  # a release CSV or pack named in harmonise.yaml
    reference_off: bool = False  # ``reference: none``: match with the shipped drug knowledge only
    nice_ta: dict[str, str] = field(default_factory=dict)  # TA id (TA223) -> recommended / optimised / ...

    def for_chapter(self, chapter: Chapter) -> Workspace:
        """This workspace as one chapter sees it: only the sources that have a list for it."""
        return replace(self, sources=self.sources_for(chapter))

    def sources_for(self, chapter: Chapter) -> tuple[SourceConfig, ...]:
        """The sources that have a list for ``chapter``, in config order."""
        return tuple(s for s in self.sources if s.covers(chapter))

    def source(self, key: str) -> SourceConfig:
        for source in self.sources:
            if source.key == key:
                return source
        raise KeyError(key)

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sources)

    def chapter(self, wanted: str) -> Chapter:
        """Find a chapter by number (``2``, ``02``), slug or folder name; InputError when unknown."""
        text = str(wanted).strip()
        for chapter in self.chapters:
            if text in (chapter.slug, chapter.number) or text.lstrip("0") == chapter.number:
                return chapter
        names = ", ".join(c.number for c in self.chapters)
        raise InputError(f"unknown chapter {text!r}; this workspace has chapters {names}")

    def chapter_dir(self, chapter: Chapter) -> Path:
        """``chapters/<slug>``, or the one folder named by the chapter number and another slug
        (``06-endocrine-system`` for chapter 6); InputError when several folders claim the chapter."""
        exact = self.root / "chapters" / chapter.slug
        if exact.is_dir():
            return exact
        found = [p for p in chapter_folders(self.root) if folder_number(p.name) == chapter.number]
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise InputError(f"chapter {chapter.label}: several folders under chapters/ claim it ({names}); keep one")
        return found[0] if found else exact

    def unclaimed_folders(self) -> list[tuple[str, str]]:
        """Folders under ``chapters/`` that no configured chapter claims, each with the closest chapter's
        folder name ('' when none is close): their spreadsheets would never be checked or merged."""
        claimed = {self.chapter_dir(c).name for c in self.chapters if self.chapter_dir(c).is_dir()}
        slugs = [c.slug for c in self.chapters]
        return [(p.name, closest_slug(p.name, slugs)) for p in chapter_folders(self.root) if p.name not in claimed]

    def reports_dir(self, chapter: Chapter | None = None) -> Path:
        return self.root / "reports" / chapter.slug if chapter else self.root / "reports"

    def require_writable(self, folder: Path) -> None:
        """Refuse to write into ``folder`` when it, or a folder between it and the workspace, is a symbolic
        link or leads out of the workspace: outputs would land in someone else's files."""
        root = self.root.resolve()
        path = Path(folder)
        parts = path.relative_to(self.root).parts if path.is_relative_to(self.root) else path.parts
        current = self.root
        for part in parts:
            current = current / part
            if current.is_symlink():
                shown = current.relative_to(self.root).as_posix()
                raise InputError(
                    f"{shown} is a symbolic link (to {os.readlink(current)}); harmonise does not write through "
                    "links, so nothing was written: make it a real folder inside the workspace"
                )
        if path.exists() and not path.resolve().is_relative_to(root):
            raise InputError(f"{path}: leads outside the workspace folder; nothing was written")

    def chapters_present(self) -> tuple[Chapter, ...]:
        """Chapters whose folder exists under ``chapters/``."""
        return tuple(c for c in self.chapters if self.chapter_dir(c).is_dir())


def chapter_folders(root: Path) -> list[Path]:
    """The folders under ``chapters/`` (hidden ones left out), by name."""
    folder = root / "chapters"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_", "~")))


def folder_number(name: str) -> str:
    """The chapter number a folder name starts with (``06-endocrine-system`` -> ``6``), or ''."""
    match = re.match(r"0*(\d+)(?:[-_ .]|$)", name)
    return (match.group(1) or "0") if match else ""


def closest_slug(name: str, slugs: list[str]) -> str:
    """The configured chapter folder most like ``name``, compared with and without the number."""
    import difflib

    bare = {re.sub(r"^\d+[-_ .]*", "", s): s for s in slugs}
    close = difflib.get_close_matches(name, slugs, n=1, cutoff=0.6)
    if close:
        return close[0]
    close = difflib.get_close_matches(re.sub(r"^\d+[-_ .]*", "", name), list(bare), n=1, cutoff=0.6)
    return bare[close[0]] if close else ""


TOP_KEYS = (
    "version",
    "title",
    "scale",
    "sources",
    "chapters",
    "rules",
    "matching",
    "knowledge",
    "reference",
    "nice_ta",
)
TA_RECOMMENDATIONS = ("recommended", "optimised", "not-recommended")
TA_ID = re.compile(r"\bTA\s*-?\s*(\d{1,4})\b", re.I)
SOURCE_KEYS = ("key", "name", "file", "sheet", "header_row", "columns", "statuses", "membership", "chapters")
SCALE_KEYS = ("status", "label", "rank", "colour")
CHAPTER_KEYS = ("number", "slug", "title")
MATCHING_KEYS = ("auto_score", "candidate_score", "margin")
SOURCE_KEY = re.compile(r"[a-z][a-z0-9_-]*")  # it names files and workbook columns
CHAPTER_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a plain folder name
COLOUR = re.compile(r"[0-9A-F]{6}")
DEFAULT_AUTO_SCORE = 95.0  # harmonise.matching.MatchSettings.auto_score (matching sits above this layer)


class _Reader:
    """Validation helpers over one YAML document, collecting problems in ``log``."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.log = ProblemLog()

    def problem(self, path: KeyPath, message: str) -> None:
        self.log.add(self.doc.where(path), message, format_path(path))

    def mapping(self, value: Any, path: KeyPath, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping of keys ({', '.join(allowed)}), got {_kind(value)}")
            return {}
        for key in value:
            if key not in allowed:
                self.problem((*path, key), f"unknown key {key!r}{did_you_mean(str(key), allowed)}")
        return value

    def text(self, value: Any, path: KeyPath, required: bool = True) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(path, "is required")
            return ""
        if isinstance(value, (dict, list)):
            self.problem(path, f"expected text, got {_kind(value)}")
            return ""
        return str(value).strip()

    def words(self, value: Any, path: KeyPath) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            where = (*path, i) if isinstance(value, list) else path
            text = self.text(item, where)
            if text:
                out.append(text)
        return tuple(out)

    def inside(self, relative: str, path: KeyPath) -> Path | None:
        """Resolve a workspace-relative path, refusing one that points outside the workspace."""
        root = Path(self.doc.file).resolve().parent
        target = (root / relative).resolve()
        if target != root and root not in target.parents:
            self.problem(path, f"{relative!r} points outside the workspace folder; keep workspace files inside it")
            return None
        return target


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "yes/no"}.get(type(value), type(value).__name__)


def _read_scale(r: _Reader, value: Any) -> Scale:
    if value is None:
        return Scale(DEFAULT_SCALE)
    if not isinstance(value, list) or not value:
        r.problem(("scale",), "expected a list of statuses, least restrictive first")
        return Scale(DEFAULT_SCALE)
    statuses: list[Status] = []
    for i, raw in enumerate(value):
        item = r.mapping(raw, ("scale", i), SCALE_KEYS)
        key = normalise_word(r.text(item.get("status"), ("scale", i, "status"))).replace(" ", "-")
        rank = item.get("rank")
        if rank is not None and (not isinstance(rank, int) or isinstance(rank, bool) or rank < 1):
            r.problem(("scale", i, "rank"), f"expected a whole number from 1, or nothing for unordered; got {rank!r}")
            rank = None
        colour = str(item.get("colour") or "FFFFFF").lstrip("#").upper()
        if not COLOUR.fullmatch(colour):
            r.problem(("scale", i, "colour"), f"expected a hex colour such as 00843D, got {colour!r}")
            colour = "FFFFFF"
        if key in {s.key for s in statuses}:
            r.problem(("scale", i, "status"), f"status {key!r} is declared twice")
        statuses.append(Status(key, r.text(item.get("label"), ("scale", i), False) or key, rank, colour))
    return Scale(tuple(statuses))


def _read_columns(r: _Reader, value: Any, path: KeyPath) -> dict[str, tuple[str, ...]]:
    raw = r.mapping(value, path, FIELDS)
    columns = {name: r.words(raw[name], (*path, name)) for name in FIELDS if raw.get(name) is not None}
    for name in REQUIRED_FIELDS:
        if name not in columns and isinstance(value, dict):
            r.problem(path, f"the {name!r} column is required (the header text of the column holding it)")
    return columns


def _read_vocabulary(r: _Reader, value: Any, path: KeyPath, scale: Scale) -> dict[str, str]:
    raw = r.mapping(value, path, scale.keys)
    vocabulary: dict[str, str] = {}
    for status, words in raw.items():
        if status not in scale.keys:
            continue
        for i, word in enumerate(r.words(words, (*path, status))):
            norm = normalise_word(word)
            if norm in vocabulary and vocabulary[norm] != status:
                r.problem((*path, status, i), f"{word!r} is already mapped to {vocabulary[norm]!r}")
            vocabulary[norm] = status
    if isinstance(value, dict) and not vocabulary:
        r.problem(path, "no status words: map this source's words to the common scale")
    return vocabulary


def _spellings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    words = [w for ws in value.values() for w in (ws if isinstance(ws, list) else [ws]) if isinstance(w, str)]
    return {normalise_word(w): w.strip() for w in words}


def _read_membership(r: _Reader, value: Any, path: KeyPath) -> dict[str, str]:
    table = {normalise_word(w): key for key, words in MEMBERSHIP_WORDS.items() for w in words}
    if value is None:
        return table
    raw = r.mapping(value, path, tuple(MEMBERSHIP_WORDS))
    for key, words in raw.items():
        for word in r.words(words, (*path, key)):
            table[normalise_word(word)] = key
    return table


def _read_source(r: _Reader, raw: Any, i: int, scale: Scale) -> SourceConfig | None:
    path: KeyPath = ("sources", i)
    item = r.mapping(raw, path, SOURCE_KEYS)
    if not item:
        return None
    key = r.text(item.get("key"), (*path, "key"))
    if key and not SOURCE_KEY.fullmatch(key):
        r.problem((*path, "key"), f"{key!r}: use lower-case letters, digits, '-' or '_' (it names files and columns)")
    header_row = item.get("header_row", "auto")
    if header_row != "auto" and (not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1):
        r.problem((*path, "header_row"), f"expected 'auto' or a row number from 1, got {header_row!r}")
        header_row = "auto"
    if "statuses" not in item:
        r.problem(path, "'statuses' is required: map this source's status words to the common scale")
    file_pattern(r, item.get("file"), (*path, "file"))
    return SourceConfig(
        key=key,
        name=r.text(item.get("name"), (*path, "name"), False) or key,
        file=r.text(item.get("file"), (*path, "file"), False) or f"{key}.*",
        sheet=r.text(item.get("sheet"), (*path, "sheet"), False) or None,
        header_row=None if header_row == "auto" else header_row,
        columns=_read_columns(r, item.get("columns"), (*path, "columns")),
        vocabulary=_read_vocabulary(r, item.get("statuses"), (*path, "statuses"), scale) if "statuses" in item else {},
        spellings=_spellings(item.get("statuses")),
        membership=_read_membership(r, item.get("membership"), (*path, "membership")),
        chapters=tuple(str(c).lstrip("0") or "0" for c in r.words(item["chapters"], (*path, "chapters")))
        if item.get("chapters") is not None
        else (),
    )


def file_pattern(r: _Reader, value: Any, path: KeyPath) -> None:
    """A source's ``file:`` is a name pattern inside the chapter folder: no folder part, no ``..``."""
    if isinstance(value, str) and ("/" in value or "\\" in value or value.strip().startswith(("..", "~"))):
        r.problem(
            path,
            f"{value!r} must be a file name pattern inside the chapter folder (like 'cheshire.*'), "
            "without '/', '\\' or '..': a source's file is never read from outside its chapter folder",
        )


def _read_sources(r: _Reader, value: Any, scale: Scale) -> tuple[SourceConfig, ...]:
    if not isinstance(value, list):
        r.problem(("sources",), "expected a list of two or more legacy formularies")
        return ()
    sources = [s for i, raw in enumerate(value) if (s := _read_source(r, raw, i, scale)) is not None]
    if len(value) < 2:
        r.problem(("sources",), f"harmonising needs two or more sources, found {len(value)}")
    seen: set[str] = set()
    for i, source in enumerate(sources):
        if source.key in seen:
            r.problem(("sources", i, "key"), f"source key {source.key!r} is used twice")
        seen.add(source.key)
    return tuple(sources)


def _read_chapters(r: _Reader, value: Any) -> tuple[Chapter, ...]:
    chapters = {n: Chapter(n, f"{int(n):02d}-{slug}", title) for n, slug, title in BNF_CHAPTERS}
    if value is None:
        return tuple(chapters.values())
    if not isinstance(value, list):
        r.problem(("chapters",), "expected a list of chapters (number, slug, title)")
        return tuple(chapters.values())
    for i, raw in enumerate(value):
        item = r.mapping(raw, ("chapters", i), CHAPTER_KEYS)
        number = r.text(item.get("number"), ("chapters", i, "number")).lstrip("0") or "0"
        slug = r.text(item.get("slug"), ("chapters", i, "slug"))
        if slug and not CHAPTER_SLUG.fullmatch(slug):
            r.problem(("chapters", i, "slug"), f"{slug!r} must be a plain folder name (letters, digits, '-')")
        title = r.text(item.get("title"), ("chapters", i, "title"), False) or slug
        chapters[number] = Chapter(number, slug, title)
    return tuple(
        sorted(
            chapters.values(),
            key=lambda c: (not c.number.isdigit(), int(c.number) if c.number.isdigit() else 0, c.number),
        )
    )


def _read_paths(r: _Reader, value: Any, key: str) -> tuple[Path, ...]:
    paths = []
    for i, text in enumerate(r.words(value, (key,)) if value is not None else ()):
        where: KeyPath = (key, i) if isinstance(value, list) else (key,)
        resolved = r.inside(text, where)
        if resolved is not None:
            paths.append(resolved)
    return tuple(paths)


def _read_matching(r: _Reader, value: Any) -> dict[str, float]:
    if value is None:
        return {}
    raw = r.mapping(value, ("matching",), MATCHING_KEYS)
    out = {}
    for key, number in raw.items():
        if key in MATCHING_KEYS:
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 <= number <= 100:
                r.problem(("matching", key), f"expected a number from 0 to 100, got {number!r}")
            else:
                out[key] = float(number)
    auto, candidate = out.get("auto_score", DEFAULT_AUTO_SCORE), out.get("candidate_score", 0.0)
    if candidate > auto:
        where = ("matching", "candidate_score")
        message = f"{candidate:g} is above auto_score ({auto:g}): a candidate must score at most an automatic match"
        r.problem(where, message)
    return out


def ta_id(text: str) -> str:
    """``ta 223`` / ``TA-223`` -> ``TA223``; '' when the text names no technology appraisal."""
    match = TA_ID.search(text)
    return f"TA{int(match.group(1))}" if match else ""


def _read_nice_ta(r: _Reader, value: Any) -> dict[str, str]:
    """``nice_ta: {recommended: [TA385], optimised: [...], not-recommended: [TA223]}`` -> TA id -> word."""
    if value is None:
        return {}
    raw = r.mapping(value, ("nice_ta",), TA_RECOMMENDATIONS)
    out: dict[str, str] = {}
    for word, tas in raw.items():
        for i, text in enumerate(r.words(tas, ("nice_ta", word)) if word in TA_RECOMMENDATIONS else ()):
            key = ta_id(text)
            where: KeyPath = ("nice_ta", word, i) if isinstance(tas, list) else ("nice_ta", word)
            if not key:
                r.problem(where, f"{text!r} is not a NICE TA reference such as TA223")
            elif out.get(key, word) != word:
                r.problem(where, f"{key} is already listed as {out[key]}")
            else:
                out[key] = word
    return out


def _check_source_chapters(r: _Reader, sources: tuple[SourceConfig, ...], chapters_value: Any) -> None:
    known = {c.number for c in _read_chapters(_Reader(r.doc), chapters_value)}
    for i, source in enumerate(sources):
        for j, number in enumerate(source.chapters):
            if number not in known:
                r.problem(
                    ("sources", i, "chapters", j),
                    f"chapter {number!r} is not a chapter of this workspace "
                    f"(chapters: {', '.join(sorted(known, key=lambda n: (len(n), n)))})",
                )


def parse_workspace(doc: YamlDoc) -> Workspace:
    """Validate a parsed ``harmonise.yaml``; raises InputError listing every problem."""
    r = _Reader(doc)
    top = r.mapping(doc.value if doc.value is not None else {}, (), TOP_KEYS)
    if top.get("version", 1) != 1:
        r.problem(("version",), f"this harmonise reads config version 1, found {top.get('version')!r}")
    scale = _read_scale(r, top.get("scale"))
    sources = _read_sources(r, top.get("sources"), scale)
    rule_files = _read_paths(r, top.get("rules", "rules/default.yaml"), "rules")
    knowledge = _read_paths(r, top.get("knowledge"), "knowledge")
    reference_off = isinstance(top.get("reference"), str) and top["reference"].strip().lower() == "none"
    reference = () if reference_off else _read_paths(r, top.get("reference"), "reference")
    _check_source_chapters(r, sources, top.get("chapters"))
    workspace = Workspace(
        root=Path(doc.file).resolve().parent,
        title=r.text(top.get("title"), ("title",), False) or "Formulary harmonisation",
        sources=sources,
        scale=scale,
        chapters=_read_chapters(r, top.get("chapters")),
        rule_files=rule_files,
        matching=_read_matching(r, top.get("matching")),
        knowledge_dirs=knowledge,
        reference=reference[0] if reference else None,
        reference_off=reference_off,
        nice_ta=_read_nice_ta(r, top.get("nice_ta")),
    )
    r.log.raise_if_any(f"{doc.file}: the workspace configuration is not valid")
    return workspace


def load_workspace(root: Path) -> Workspace:
    """Load and validate ``root/harmonise.yaml``."""
    path = Path(root) / CONFIG_NAME
    if not path.is_file():
        raise InputError(
            f"{path}: no workspace configuration here; run harmonise in a workspace folder, "
            "pass --workspace DIR, or create one with 'harmonise init DIR'"
        )
    return parse_workspace(load_yaml(path))
