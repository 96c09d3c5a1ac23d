"""Joining legacy entries into harmonised items, for two or more sources.

Sources are taken in config order. The first source's entries start one cluster each; each further source
is matched (``harmonise.matching.match``) against one representative name per existing cluster, so the work grows
with the number of entries, not with the number of source pairs. An automatic match joins an entry to its
cluster; a multi-strength row matched to several clusters joins them (granularity: one row for
``5mg, 10mg`` on one side, two rows on the other), and the joined clusters keep their names as aliases so a
later source's single-strength rows find the item too. Every other entry starts a new cluster, and candidate
matches are recorded on both sides for the working group. Nothing is ever dropped: every entry ends up in
exactly one item.

One-to-one, whatever joined them: an item holds one entry of a source per name it stands for (per listed
strength of a multi-strength row), so an entry joined letter for letter is never followed by a second entry of
the same source joined by the matcher; such a second entry becomes its own item with the first as a candidate.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from harmonise.matching.current_names import names_by_first_word, resolve_names
from harmonise.matching.decide import reference_words
from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.match import match_names, with_reference_brands
from harmonise.matching.naming import item_name
from harmonise.matching.pairs import Evidence, MatchSettings, Named, Pair
from harmonise.matching.parse import parse_name
from harmonise.matching.reference import Reference, generic_code
from harmonise.matching.resolve import presentations
from harmonise.model import Candidate, Chapter, Entry, Item, MatchInfo, Position, StrengthListing, content_key

LEVEL_ORDER = ("confirmed", "exact", "normalised", "synonym", "reference", "fuzzy")


@dataclass
class Cluster:
    """Entries joined so far, with the evidence that joined them and candidates from other sources."""

    id: str
    members: dict[str, list[Entry]] = field(default_factory=dict)
    evidence: list[tuple[str, Evidence]] = field(default_factory=list)
    candidates: dict[str, Candidate] = field(default_factory=dict)
    merged_into: Cluster | None = None
    aliases: list[Entry] = field(default_factory=list)  # the first entries of the clusters it absorbed

    @property
    def representatives(self) -> list[Entry]:
        """The names a later source is matched against: its first entry and those of absorbed clusters."""
        return [self.first, *self.aliases]

    @property
    def first(self) -> Entry:
        return next(iter(self.members.values()))[0]

    def root(self) -> Cluster:
        cluster = self
        while cluster.merged_into is not None:
            cluster = cluster.merged_into
        return cluster

    def absorb(self, other: Cluster) -> None:
        self.aliases.extend(other.representatives)
        for source, entries in other.members.items():
            self.members.setdefault(source, []).extend(entries)
        self.evidence.extend(other.evidence)
        self.candidates.update(other.candidates)
        other.members, other.evidence, other.candidates, other.merged_into = {}, [], {}, self
        other.aliases = []


@dataclass(frozen=True)
class MatchOptions:
    """What the clustering passes to the matcher, plus the working group's confirmed/rejected pairs."""

    knowledge: Knowledge | None = None
    reference: Reference | None = None
    settings: MatchSettings = field(default_factory=MatchSettings)
    confirmed: Collection[tuple[str, str]] = ()
    rejected: Collection[tuple[str, str]] = ()


def prepare(options: MatchOptions) -> None:
    """Build now the tables a chapter's matching builds on first use and keeps for the run: the knowledge's word
    tables (filled by a first parse) and, with the national list, its brands read by the parser, its words, its
    presentations in order and its names by first word. A merge calls this before it forks the processes that
    share its chapters out, so that they inherit the tables instead of each building its own."""
    knowledge = options.knowledge or load_knowledge()
    parse_name(PREPARED_NAME, knowledge)
    if options.reference is None:
        return
    branded = with_reference_brands(knowledge, options.reference)
    parse_name(PREPARED_NAME, branded)
    reference_words(options.reference, branded)
    presentations(options.reference, branded)
    names_by_first_word(options.reference, knowledge)


PREPARED_NAME = "Amlodipine 5mg tablets"  # any name: parsing one fills the knowledge's word tables


def _pairs_for(
    pairs: Collection[tuple[str, str]], left: set[str], owner: dict[str, Cluster], reps: dict[str, list[str]]
) -> set[tuple[str, str]]:
    """Working-group pairs (entry key, entry key) mapped to (new entry, representative id), in either order:
    a confirmed pair to the item's first name, a rejected one to every name the item stands for."""
    out = set()
    for a, b in pairs:
        for new, old in ((a, b), (b, a)):
            if new in left and old in owner:
                out |= {(new, rep) for rep in reps.get(owner[old].root().id, [])}
    return out


def name_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _join_identical(
    live: list[Cluster],
    owner: dict[str, Cluster],
    source: str,
    entries: Sequence[Entry],
    options: MatchOptions,
    taken: Taken,
) -> list[Entry]:
    """Join each entry whose name is, letter for letter (case and spacing aside), the name of an entry in
    exactly one existing item; returns the entries left for the matcher.

    Formularies exported from the same systems share names, so at national scale most entries are joined
    here without a fuzzy comparison. Only unambiguous cases: the name is unique in this source and in the
    items, and no working-group confirm/reject decision names the entry (the matcher honours those).
    """
    index: dict[str, set[int]] = {}
    by_id = {id(c): c for c in live}
    for cluster in live:
        for member in (e for es in cluster.members.values() for e in es):
            index.setdefault(name_key(member.display_name), set()).add(id(cluster))
    counts: dict[str, int] = {}
    for entry in entries:
        counts[name_key(entry.display_name)] = counts.get(name_key(entry.display_name), 0) + 1
    decided = {k for pair in (*options.confirmed, *options.rejected) for k in pair}
    rest = []
    for entry in entries:
        key = name_key(entry.display_name)
        hits = index.get(key, set())
        if counts[key] != 1 or len(hits) != 1 or entry.key in decided:
            rest.append(entry)
            continue
        target = by_id[next(iter(hits))]
        others = ", ".join(sorted(target.members))
        text = f"identical name to the entry of {others}: {entry.display_name}"
        target.evidence.append((source, Evidence("exact", 100.0, text, (), key, key)))
        target.members.setdefault(source, []).append(entry)
        owner[entry.key] = target
        reps = [n for n, rep in enumerate(target.representatives) if name_key(rep.display_name) == key]
        for n in reps or range(len(target.representatives)):
            taken.setdefault(_rep_id(target, n), set()).add(WHOLE)
    return rest


Taken = dict[str, set[str]]  # representative id -> the parts of it a source's entries already hold
WHOLE = ""


def _rep_id(cluster: Cluster, n: int) -> str:
    return f"{cluster.id}/{n}"


def _one_to_one(pair: Pair, taken: Taken) -> bool:
    """Whether the source whose entries are being added may still join ``pair``'s representative: nothing of
    it is held yet, or the pair takes another listed strength of a multi-strength row than those held."""
    held = taken.get(pair.right_id, set())
    part = pair.evidence.details.get("right_option", WHOLE)
    return not held or (part != WHOLE and WHOLE not in held and part not in held)


def _add_source(
    clusters: list[Cluster],
    owner: dict[str, Cluster],
    source: str,
    entries: Sequence[Entry],
    chapter: Chapter,
    options: MatchOptions,
) -> None:
    live = [c for c in clusters if c.merged_into is None]
    taken: Taken = {}
    entries = _join_identical(live, owner, source, entries, options, taken)
    code = f"{int(chapter.number):02d}" if chapter.number.isdigit() else chapter.number
    left = [Named(e.key, e.display_name, code) for e in entries]
    by_id = {_rep_id(c, n): c for c in live for n in range(len(c.representatives))}
    rep_ids = {c.id: [_rep_id(c, n) for n in range(len(c.representatives))] for c in live}
    right = [Named(_rep_id(c, n), rep.display_name, code) for c in live for n, rep in enumerate(c.representatives)]
    keys = {e.key for e in entries}
    pairs = (
        match_names(
            left,
            right,
            knowledge=options.knowledge,
            reference=options.reference,
            settings=options.settings,
            confirmed=_pairs_for(options.confirmed, keys, owner, {c.id: [_rep_id(c, 0)] for c in live}),
            rejected=_pairs_for(options.rejected, keys, owner, rep_ids),
        )
        if left and right
        else []
    )
    autos: dict[str, list[Pair]] = {}
    candidates: dict[str, list[Pair]] = {}
    for pair in pairs:
        (autos if pair.decision == "auto" else candidates).setdefault(pair.left_id, []).append(pair)
    for entry in entries:
        allowed = [p for p in autos.get(entry.key, []) if _one_to_one(p, taken)]
        refused = [_held_already(p, by_id, source) for p in autos.get(entry.key, []) if p not in allowed]
        joined = [by_id[p.right_id].root() for p in allowed]
        if joined:
            target = joined[0]
            for other in joined[1:]:
                if other is not target:
                    target.absorb(other)
            target.members.setdefault(source, []).append(entry)
            target.evidence.extend((source, p.evidence) for p in allowed)
            for p in allowed:
                taken.setdefault(p.right_id, set()).add(p.evidence.details.get("right_option", WHOLE))
        else:
            target = Cluster(f"C{len(clusters):06d}", {source: [entry]})
            clusters.append(target)
            for pair in [*refused, *candidates.get(entry.key, [])]:
                _note_candidates(target, entry, source, by_id[pair.right_id].root(), pair)
        owner[entry.key] = target


def _held_already(pair: Pair, by_id: dict[str, Cluster], source: str) -> Pair:
    """An automatic match refused by one-to-one, as a candidate whose evidence says why."""
    held = [e.display_name for e in by_id[pair.right_id].root().members.get(source, [])]
    why = f"one-to-one: this item already holds {source}'s entry {' / '.join(held) or 'for this name'}"
    evidence = dataclasses.replace(pair.evidence, text=f"{why}; {pair.evidence.text}")
    return dataclasses.replace(pair, decision="candidate", evidence=evidence)


def _note_candidates(new: Cluster, entry: Entry, source: str, old: Cluster, pair: Pair) -> None:
    other = old.first
    ev = pair.evidence
    new.candidates[other.key] = Candidate(other.source, other.key, other.display_name, ev.score, ev.text, ev.vetoes)
    old.candidates[entry.key] = Candidate(source, entry.key, entry.display_name, ev.score, ev.text, ev.vetoes)


def strength_set(name: str, knowledge: Knowledge | None) -> frozenset[str]:
    """The strengths a row lists: each of ``5mg, 10mg`` separately; a combination ``30mg/500mg`` as one, its
    strengths by substance when the name pairs them (``6/15%`` and ``15% / 6%`` written in the other order are
    the same); a concentration per volume as per ml (``150mg/10ml`` is ``75mg/5ml``)."""
    key = parse_name(name, knowledge)
    if key.options:
        return frozenset(per_ml(option) for option in key.options)
    if key.paired:
        return frozenset({"+".join(f"{s} {per_ml(st)}" for s, st in sorted(key.paired))})
    return frozenset({"+".join(per_ml(s) for s in key.strengths)}) if key.strengths else frozenset()


PER_VOLUME = re.compile(r"^([\d.]+)([a-z]+)/([\d.]+)ml$")


def per_ml(strength: str) -> str:
    """``150mg/10ml`` -> ``15mg/ml``; any other strength as it is."""
    found = PER_VOLUME.match(strength)
    if not found or float(found.group(3)) == 0:
        return strength
    value = float(found.group(1)) / float(found.group(3))
    return f"{value:g}{found.group(2)}/ml"


def coverage_gap(cluster: Cluster, knowledge: Knowledge | None) -> str:
    """Why the sources of a joined item do not list the same strengths ('' when they do).

    One source listing ``Furosemide tablets 20mg, 40mg`` and another only ``20mg`` are not the same
    formulary position: adopting a status for the item would silently add 40 mg to the second formulary.
    """
    covered = {
        source: frozenset().union(*(strength_set(e.display_name, knowledge) for e in entries))
        for source, entries in cluster.members.items()
    }
    if any(not strengths for strengths in covered.values()) or len(set(covered.values())) == 1:
        return ""
    everything = frozenset().union(*covered.values())
    gaps = [
        f"{source} does not list {', '.join(sorted(everything - strengths))}"
        for source, strengths in covered.items()
        if everything - strengths
    ]
    return "strengths differ: " + "; ".join(gaps)


def strength_order(strength: str) -> tuple[str, float, str]:
    """Sort strengths by unit, then amount (2.5mg before 10mg)."""
    found = re.match(r"(\d+(?:\.\d+)?)(.*)", strength)
    return (found[2], float(found[1]), strength) if found else (strength, 0.0, strength)


def strength_listings(positions: Sequence[Position], knowledge: Knowledge | None) -> tuple[StrengthListing, ...]:
    """Every strength any source lists, with the sources and entries that list it; () when some entry's
    strengths cannot be read (then nothing can be said per strength)."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for position in positions:
        for entry in position.entries:
            strengths = strength_set(entry.display_name, knowledge)
            if not strengths:
                return ()
            for strength in strengths:
                sources, keys = found.setdefault(strength, ([], []))
                sources.extend([] if position.source in sources else [position.source])
                keys.append(entry.key)
    return tuple(StrengthListing(s, tuple(found[s][0]), tuple(found[s][1])) for s in sorted(found, key=strength_order))


def _match_info(cluster: Cluster, knowledge: Knowledge | None = None) -> MatchInfo:
    ranked = sorted(cluster.candidates.values(), key=lambda c: (-c.score, c.name, c.entry_key))
    member_keys = {e.key for entries in cluster.members.values() for e in entries}
    ranked = [c for c in ranked if c.entry_key not in member_keys]
    if len(cluster.members) > 1:
        levels = [ev.level for _, ev in cluster.evidence]
        level = max(levels, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else len(LEVEL_ORDER))
        score = min(ev.score for _, ev in cluster.evidence)
        text = " | ".join(f"{source}: {ev.text}" for source, ev in cluster.evidence)
        gap = coverage_gap(cluster, knowledge)
        if gap and level == "confirmed":  # the working group joined them knowing the strengths differ
            return MatchInfo("auto", level, score, f"{gap} | {text}", tuple(ranked))
        if gap:
            return MatchInfo("candidate", "partial", score, f"{gap} | {text}", tuple(ranked))
        return MatchInfo("auto", level, score, text, tuple(ranked))
    if ranked:
        return MatchInfo("candidate", "", ranked[0].score, ranked[0].evidence, tuple(ranked))
    return MatchInfo("none")


def _item(
    cluster: Cluster,
    chapter: Chapter,
    sources: Sequence[str],
    knowledge: Knowledge | None,
    reference: Reference | None = None,
    codes_of: dict[str, str] | None = None,
) -> Item:
    positions = tuple(Position(s, tuple(cluster.members.get(s, ()))) for s in sources)
    entries = [e for p in positions for e in p.entries]
    section = next((e.section for e in entries if e.section), "")
    match, strengths = _match_info(cluster, knowledge), strength_listings(positions, knowledge)
    current = resolved(codes_of.get(cluster.id, "") if codes_of else "", len(entries), match, strengths, reference)
    name, named_from = item_name(positions, current.get("bnf_name", ""), knowledge, reference)
    return Item(
        key=content_key(*sorted(e.key for e in entries)),
        chapter=chapter.number,
        section=section,
        name=name,
        positions=positions,
        match=match,
        strengths=strengths,
        named_from=named_from,
        **current,
    )


def _current_codes(live: Sequence[Cluster], chapter: Chapter, options: MatchOptions) -> dict[str, str]:
    """Cluster id -> the current BNF presentation code of the item (see ``resolved``): an entry's own name when
    it is a current name, else one entry per item resolved by ``current_names`` (the others were joined to it
    automatically, so they are the same product)."""
    reference = options.reference
    assert reference is not None
    out: dict[str, str] = {}
    wanted: list[Named] = []
    for cluster in live:
        entries = [e for es in cluster.members.values() for e in es]
        by_name = {generic_code(c) or c for c in (reference.code_for(e.display_name) for e in entries) if c}
        if len(by_name) == 1:
            out[cluster.id] = by_name.pop()
        elif not by_name:
            wanted.append(Named(cluster.id, cluster.first.display_name, chapter.number.zfill(2)))
    knowledge = options.knowledge or load_knowledge()
    out.update(resolve_names(wanted, reference, knowledge, options.settings))
    return out


def resolved(
    found: str, entries: int, match: MatchInfo, strengths: Sequence[StrengthListing], reference: Reference | None
) -> dict[str, str]:
    """The current BNF presentation an item stands for (``found``, see ``_current_codes``), as its generic
    equivalent's code and name when it has one. Nothing when there is no reference, when it does not resolve,
    when the item lists more than one strength (a multi-strength row, or sources whose strengths differ), or when
    its entries were not joined automatically as one product."""
    code = generic_code(found) or found
    if reference is None or code not in reference.names or len(strengths) > 1:
        return {}
    if entries > 1 and match.decision != "auto":
        return {}
    return {"bnf_code": code, "bnf_name": reference.names[code]}


def build_items(
    chapter: Chapter, entries_by_source: Sequence[tuple[str, Sequence[Entry]]], options: MatchOptions | None = None
) -> list[Item]:
    """Join the entries of every source into items, sorted by section then name."""
    options = options or MatchOptions()
    clusters: list[Cluster] = []
    owner: dict[str, Cluster] = {}
    for source, entries in entries_by_source:
        if clusters:
            _add_source(clusters, owner, source, entries, chapter, options)
            continue
        for entry in entries:
            cluster = Cluster(f"C{len(clusters):06d}", {source: [entry]})
            clusters.append(cluster)
            owner[entry.key] = cluster
    sources = [s for s, _ in entries_by_source]
    live = [c for c in clusters if c.merged_into is None and c.members]
    codes_of = _current_codes(live, chapter, options) if options.reference is not None else {}
    knowledge = options.knowledge or load_knowledge()
    if options.reference is not None:  # the names read as the matcher read them (and parsed once)
        knowledge = with_reference_brands(knowledge, options.reference)
    items = [
        _item(c, chapter, sources, knowledge, options.reference, codes_of)
        for c in clusters
        if c.merged_into is None and c.members
    ]
    return sorted(items, key=lambda i: (i.section, i.name.casefold(), i.key))
