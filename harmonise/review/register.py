"""The working group's decisions register, ``decisions/<NN-slug>.yaml``, and how a merge applies it.

One record per decision, keyed by a fingerprint of the legacy entries decided (their content keys, never a
row number). A status decision (adopt, include, exclude, retain both, defer) settles the item whose key
equals its fingerprint; a match decision (confirm or reject a candidate) is passed to the matcher as entry
key pairs. Before a merge applies anything, every decision is reviewed against the chapter's current
entries, found again through their ``identity`` (source, name, formulation):

* **fresh**: the same entries, unchanged (same content keys): applied before the rules;
* **stale**: the entries are still there but changed, or are now grouped differently: never applied, the
  item goes back to the working group with the old decision shown;
* **vanished**: none of the decided entries is listed any more: reported;
* **superseded**: a later decision covers the same entries: kept as history, nothing to report.

The register is human-readable YAML; a record replaced by a newer meeting's decision keeps the old one under
``history``, so no recorded decision is ever lost. ``save_register`` writes atomically; callers that read,
modify and write hold ``fileio.locked(register_path(...))``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from harmonise.errors import ProblemLog, did_you_mean
from harmonise.model import Chapter, Entry, Outcome, Scale, StrengthListing, StrengthOutcome, content_key
from harmonise.output import write_text
from harmonise.workspace import KeyPath, Workspace, YamlDoc, format_path, load_yaml

STATUS_DECISIONS = ("adopt-status", "adopt-source", "include", "exclude", "retain-both", "defer")
CONFIRM_DECISIONS = ("confirm-match", "confirm-despite-difference")
MATCH_DECISIONS = (*CONFIRM_DECISIONS, "reject-match")
DECISIONS = (*STATUS_DECISIONS, *MATCH_DECISIONS)
NEEDS_STATUS = ("adopt-status", "include", "adopt-source")
PENDING_FLAG = "pending chapter review"
DECIDED_BY = "working-group"
STALE_BY = "stale-decision"
VANISHED = "none of the legacy entries decided is listed any more"
RECORD_KEYS = (
    "item",
    "decision",
    "status",
    "name",
    "source",
    "candidate",
    "rationale",
    "meeting",
    "decided_by",
    "imported_at",
    "imported_by",
    "workbook",
    "veto",
    "entries",
    "history",
)
ENTRY_KEYS = ("source", "name", "formulation", "status_word", "status", "key", "identity")


@dataclass(frozen=True)
class DecidedEntry:
    """A legacy entry as the working group saw it when deciding."""

    source: str
    name: str
    formulation: str
    status_word: str
    status: str | None
    key: str
    identity: str

    @classmethod
    def of(cls, entry: Entry) -> DecidedEntry:
        return cls(
            entry.source,
            entry.name,
            entry.formulation,
            entry.status_word,
            entry.status,
            entry.key,
            entry.identity,
        )

    def record(self) -> dict[str, str | None]:
        """Its fields in order, as ``asdict`` gives them, without the deep copy (every field is text): the
        working-group workbook records one per entry and candidate shown."""
        return {name: getattr(self, name) for name in DECIDED_ENTRY_FIELDS}

    @property
    def label(self) -> str:
        if self.formulation and self.formulation.lower() not in self.name.lower():
            return f"{self.name} {self.formulation}"
        return self.name


DECIDED_ENTRY_FIELDS = tuple(f.name for f in fields(DecidedEntry))


@dataclass(frozen=True)
class Decision:
    """One recorded working-group decision. ``candidate`` is the entry key of the matched candidate; ``name`` the
    harmonised name the group gave the item ('' when it kept the name shown)."""

    fingerprint: str
    item: str
    decision: str
    rationale: str
    meeting: str
    decided_by: str
    entries: tuple[DecidedEntry, ...]
    status: str | None = None
    source: str = ""
    candidate: str = ""
    imported_at: str = ""
    imported_by: str = ""
    workbook: str = ""
    history: tuple[Mapping[str, Any], ...] = ()
    veto: str = ""
    name: str = ""

    @property
    def is_match(self) -> bool:
        return self.decision in MATCH_DECISIONS

    @property
    def confirms(self) -> bool:
        """A confirmed match (plain, or despite the matcher's veto): the rows are joined."""
        return self.decision in CONFIRM_DECISIONS

    @property
    def other(self) -> DecidedEntry | None:
        """The candidate entry of a match decision."""
        return next((e for e in self.entries if e.key == self.candidate), None) if self.is_match else None

    @property
    def identities(self) -> frozenset[str]:
        return frozenset(e.identity for e in self.entries)

    def same_decision(self, other: Decision) -> bool:
        """Whether ``other`` says the same thing (import bookkeeping aside)."""
        fields = ("decision", "status", "source", "candidate", "rationale", "meeting", "decided_by", "veto", "name")
        return all(getattr(self, f) == getattr(other, f) for f in fields)

    def what(self, scale: Scale | None = None, names: Mapping[str, str] | None = None) -> str:
        """What was decided, in words (``names`` gives the sources' display names)."""
        status = (scale.label(self.status) if scale else self.status) if self.status else ""
        source = (names or {}).get(self.source, self.source)
        words = {
            "adopt-status": f"adopt status {status}",
            "include": f"include as {status}",
            "adopt-source": f"adopt {source}'s position ({status})",
            "exclude": "exclude",
            "retain-both": "retain every legacy position",
            "defer": "defer to the chapter review",
            "confirm-match": "confirm match",
            "confirm-despite-difference": f"confirm match despite the matcher's veto ({self.veto or 'a difference'})",
            "reject-match": "reject match",
        }.get(self.decision, self.decision)
        words += f", named \u201c{self.name}\u201d" if self.name else ""
        other = self.other
        return f"{words} with {other.label} ({(names or {}).get(other.source, other.source)})" if other else words

    def describe(self, scale: Scale | None = None, names: Mapping[str, str] | None = None) -> str:
        """The decision in one line, with its meeting, who decided and why."""
        text = f"{self.what(scale, names)} (meeting {self.meeting}, {self.decided_by})"
        return f"{text}: {self.rationale}" if self.rationale else text

    def to_record(self) -> dict[str, Any]:
        """The YAML form: plain values, empty fields left out."""
        record = {k: v for k, v in asdict(self).items() if k != "fingerprint"}
        record["entries"] = [{k: v for k, v in asdict(e).items() if v not in (None, "")} for e in self.entries]
        record["history"] = [dict(h) for h in self.history]
        return {k: record[k] for k in RECORD_KEYS if record.get(k) not in (None, "", [], ())}


def audit_data(chapter: str, decision: Decision, reason: str = "") -> dict[str, Any]:
    """The data of a ``decision`` (or, with ``reason``, ``decision-stale``/``-vanished``) audit event."""
    data = {
        "chapter": chapter,
        "item_key": decision.fingerprint,
        "item_name": decision.item,
        "decision": decision.decision,
        "status": decision.status,
        "rationale": decision.rationale,
        "meeting": decision.meeting,
        "decided_by": decision.decided_by,
    }
    if decision.other is not None:
        data["candidate"] = decision.other.label
    if decision.veto:
        data["veto_overridden"] = decision.veto
    if decision.name:
        data["harmonised_name"] = decision.name
    return {**data, "reason": reason} if reason else data


def status_fingerprint(entries: Iterable[Entry | DecidedEntry]) -> str:
    """The key of a status decision: the item key of exactly these entries (see ``cluster._item``)."""
    return content_key(*sorted(e.key for e in entries))


def strength_fingerprint(item_key: str, strength: str) -> str:
    """The key of a decision on one strength of an item (``100mg``): it changes with the item's entries, so a
    strength decision goes stale exactly when a decision on the whole item would."""
    return content_key("strength", item_key, strength)


def strength_outcome(
    listing: StrengthListing, decision: Decision, scale: Scale | None = None
) -> StrengthOutcome | None:
    """What a fresh decision on one strength makes of it (None for a match decision)."""
    outcome = decision_outcome(decision)
    if outcome is None:
        return None
    what = decision.what(scale)
    return StrengthOutcome(
        listing.strength, outcome.kind, outcome.status, f"{listing.label} {what}: {outcome.rationale}"
    )


def match_fingerprint(entries: Iterable[Entry | DecidedEntry], candidate_key: str) -> str:
    """The key of a match decision: distinct from any item key, even for the same two entries."""
    return content_key("match", *sorted(e.key for e in entries), "candidate", candidate_key)


def match_pairs(decision: Decision) -> list[tuple[str, str]]:
    """Entry-key pairs for the matcher: each of the item's entries from another source with the candidate."""
    other = next((e for e in decision.entries if e.key == decision.candidate), None)
    if other is None:
        return []
    return [(e.key, other.key) for e in decision.entries if e.source != other.source]


def decision_outcome(decision: Decision) -> Outcome | None:
    """The outcome a fresh status decision gives its item (None for match decisions)."""
    why = f"{decision.rationale} (working group, meeting {decision.meeting}, {decision.decided_by})".lstrip()
    kind, name = decision.decision, decision.name
    if kind in ("adopt-status", "include", "adopt-source"):
        source = decision.source if kind == "adopt-source" else ""
        return Outcome("adopt", DECIDED_BY, why, decision.status, source, name=name)
    if kind == "exclude":
        return Outcome("exclude", DECIDED_BY, why, name=name)
    if kind in ("retain-both", "defer"):
        return Outcome("retain-both", DECIDED_BY, why, flags=(PENDING_FLAG,), name=name)
    return None


# -- the register file --------------------------------------------------------------------------------------


def register_path(workspace: Workspace, chapter: Chapter) -> Path:
    return workspace.root / "decisions" / f"{chapter.slug}.yaml"


@dataclass
class Register:
    """The decisions of one chapter, keyed by fingerprint, in the order they were recorded."""

    chapter: str
    decisions: dict[str, Decision] = field(default_factory=dict)

    def for_items(self) -> list[Decision]:
        return [d for d in self.decisions.values() if not d.is_match]

    def for_matches(self) -> list[Decision]:
        return [d for d in self.decisions.values() if d.is_match]


HEADER = """\
# Working-group decisions for chapter {slug}, written by `harmonise decisions import`.
# One record per decision, keyed by a fingerprint of the legacy entries decided (not a row number).
# `entries` are the legacy rows as the group saw them: if one changes, the decision is stale and the item
# goes back to the working group. A decision replaced at a later meeting is kept under `history`.
"""


def register_text(register: Register) -> str:
    """The register as the YAML text ``save_register`` writes."""
    body = {
        "version": 1,
        "chapter": register.chapter,
        "decisions": {fp: d.to_record() for fp, d in register.decisions.items()},
    }
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return HEADER.format(slug=register.chapter) + text


def save_register(path: Path, register: Register) -> None:
    """Write the register atomically (callers hold ``fileio.locked(path)``)."""
    write_text(path, register_text(register))


def load_register(path: Path, chapter: Chapter, scale: Scale, display: str | None = None) -> Register:
    """Read and validate a register; a missing file is an empty register. InputError lists every problem."""
    if not path.exists():
        return Register(chapter.slug)
    doc = load_yaml(path, display)
    reader = _RegisterReader(doc, scale)
    register = reader.read(chapter)
    reader.log.raise_if_any(
        f"{doc.file}: the decisions register is not valid; fix it (or restore it from version control) before merging"
    )
    return register


class _RegisterReader:
    """Validation of a hand-editable register, each problem located by line and key path."""

    def __init__(self, doc: YamlDoc, scale: Scale) -> None:
        self.doc, self.scale, self.log = doc, scale, ProblemLog()

    def problem(self, path: KeyPath, message: str) -> None:
        self.log.add(self.doc.where(path), message, format_path(path))

    def read(self, chapter: Chapter) -> Register:
        top = self.doc.value if isinstance(self.doc.value, dict) else {}
        if top.get("version", 1) != 1:
            self.problem(("version",), f"this harmonise reads register version 1, found {top.get('version')!r}")
        if top.get("chapter", chapter.slug) != chapter.slug:
            self.problem(("chapter",), f"this register is for chapter {top.get('chapter')!r}, not {chapter.slug!r}")
        raw = top.get("decisions") or {}
        if not isinstance(raw, dict):
            self.problem(("decisions",), "expected a mapping of fingerprint: decision")
            raw = {}
        register = Register(chapter.slug)
        for fingerprint, record in raw.items():
            decision = self.decision(str(fingerprint), record, ("decisions", fingerprint))
            if decision is not None:
                register.decisions[str(fingerprint)] = decision
        return register

    def decision(self, fingerprint: str, record: Any, path: KeyPath) -> Decision | None:
        if not isinstance(record, dict):
            self.problem(path, "expected a mapping (decision, rationale, meeting, decided_by, entries...)")
            return None
        for key in record:
            if key not in RECORD_KEYS:
                self.problem((*path, key), f"unknown key {key!r}{did_you_mean(str(key), RECORD_KEYS)}")
        text = {k: "" if record.get(k) is None else str(record.get(k)).strip() for k in RECORD_KEYS[:-2]}
        self.check_fields(text, path)
        entries = self.entries(record.get("entries"), (*path, "entries"))
        history = tuple(h for h in record.get("history") or () if isinstance(h, dict))
        return Decision(
            fingerprint,
            text["item"],
            text["decision"],
            text["rationale"],
            text["meeting"],
            text["decided_by"],
            entries,
            text["status"] or None,
            text["source"],
            text["candidate"],
            text["imported_at"],
            text["imported_by"],
            text["workbook"],
            history,
            text["veto"],
            text["name"],
        )

    def check_fields(self, text: dict[str, str], path: KeyPath) -> None:
        if text["decision"] not in DECISIONS:
            self.problem(
                (*path, "decision"),
                f"{text['decision']!r} is not a decision "
                f"({', '.join(DECISIONS)}){did_you_mean(text['decision'], DECISIONS)}",
            )
        if text["decision"] in NEEDS_STATUS and self.scale.get(text["status"]) is None:
            self.problem(
                (*path, "status"),
                f"{text['status']!r} is not a status on the scale ({', '.join(self.scale.keys)})",
            )
        if text["decision"] in MATCH_DECISIONS and not text["candidate"]:
            self.problem(path, "a match decision needs 'candidate' (the entry key of the candidate)")
        if text["decision"] == "confirm-despite-difference" and not text["veto"]:
            self.problem(path, "'confirm-despite-difference' needs 'veto' (the difference the group overrode)")
        if parse_iso_date(text["meeting"]) is None:
            self.problem((*path, "meeting"), f"{text['meeting']!r} is not a date (YYYY-MM-DD)")
        for name in ("decided_by",):
            if not text[name]:
                self.problem((*path, name), "is required")

    def entries(self, value: Any, path: KeyPath) -> tuple[DecidedEntry, ...]:
        if not isinstance(value, list) or not value:
            self.problem(path, "expected the list of legacy entries decided")
            return ()
        out = []
        for i, raw in enumerate(value):
            if not isinstance(raw, dict) or not raw.get("key") or not raw.get("identity"):
                self.problem((*path, i), "each entry needs at least 'source', 'name', 'key' and 'identity'")
                continue
            text = {k: "" if raw.get(k) is None else str(raw[k]) for k in ENTRY_KEYS}
            out.append(
                DecidedEntry(
                    text["source"],
                    text["name"],
                    text["formulation"],
                    text["status_word"],
                    text["status"] or None,
                    text["key"],
                    text["identity"],
                )
            )
        return tuple(out)


def parse_iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def replace_decision(register: Register, new: Decision) -> Decision:
    """Record ``new`` over the decision with the same fingerprint, keeping the old one in ``history``."""
    old = register.decisions[new.fingerprint]
    previous = {k: v for k, v in old.to_record().items() if k not in ("entries", "history", "item")}
    recorded = replace(new, history=(*old.history, previous))
    register.decisions[new.fingerprint] = recorded
    return recorded
