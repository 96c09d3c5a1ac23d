"""Generate a realistic full formulary workspace for benchmarks: N chapters x S sources x R rows.

Names are built from real substances, strengths and forms, written in each source's own style (generic
names with strengths; upper-case abbreviated names; modified-release variants), with statuses drawn from
each source's vocabulary, about 80% of products shared between sources. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from openpyxl import Workbook

SUBSTANCES = [
    "amlodipine",
    "atorvastatin",
    "simvastatin",
    "ramipril",
    "lisinopril",
    "bisoprolol",
    "furosemide",
    "bendroflumethiazide",
    "doxazosin",
    "losartan",
    "candesartan",
    "diltiazem",
    "nifedipine",
    "verapamil",
    "metformin",
    "gliclazide",
    "sitagliptin",
    "levothyroxine",
    "prednisolone",
    "hydrocortisone",
    "sertraline",
    "citalopram",
    "fluoxetine",
    "mirtazapine",
    "amitriptyline",
    "gabapentin",
    "pregabalin",
    "zopiclone",
    "diazepam",
    "lorazepam",
    "quetiapine",
    "olanzapine",
    "risperidone",
    "aripiprazole",
    "levetiracetam",
    "lamotrigine",
    "carbamazepine",
    "sodium valproate",
    "morphine",
    "oxycodone",
    "codeine",
    "tramadol",
    "paracetamol",
    "ibuprofen",
    "naproxen",
    "omeprazole",
    "lansoprazole",
    "ranitidine",
    "loperamide",
    "mebeverine",
    "amoxicillin",
    "doxycycline",
    "clarithromycin",
    "nitrofurantoin",
    "trimethoprim",
    "flucloxacillin",
    "cefalexin",
    "aciclovir",
    "fluconazole",
    "salbutamol",
    "beclometasone",
    "budesonide",
    "montelukast",
    "tiotropium",
    "cetirizine",
    "loratadine",
    "tamsulosin",
    "finasteride",
    "oxybutynin",
    "solifenacin",
    "alendronic acid",
    "colecalciferol",
    "ferrous sulfate",
    "folic acid",
    "warfarin",
    "apixaban",
    "rivaroxaban",
    "clopidogrel",
    "aspirin",
    "digoxin",
    "isosorbide mononitrate",
    "spironolactone",
    "indapamide",
    "allopurinol",
    "colchicine",
    "methotrexate",
    "hydroxychloroquine",
    "sulfasalazine",
    "tacrolimus",
    "ciclosporin",
    "azathioprine",
    "mesalazine",
    "baclofen",
    "tizanidine",
    "donepezil",
    "memantine",
    "ropinirole",
    "pramipexole",
    "co-careldopa",
    "propranolol",
    "atenolol",
    "metoprolol",
]
FORMS = [("tablets", "Tabs"), ("capsules", "Caps"), ("oral solution", "Oral Soln")]
STRENGTHS = ["1mg", "2.5mg", "5mg", "10mg", "20mg", "25mg", "40mg", "50mg", "100mg", "250mg", "500mg"]
HEADER_A = ["BNF Section", "Drug", "Formulation / Strength", "Status", "Line", "Formulary", "Notes", "NICE TA", "Ref"]
HEADER_B = ["Chapter/Section", "Medicine", "Form", "RAG Status", "Comments", "TA"]
WORDS_A = ["Green", "Green", "Green", "Green SR", "Green SI", "Amber SCG", "Red", "Black"]
WORDS_B = ["Green", "Green", "Green", "Amber Recommended", "Amber Initiated", "Purple", "Red", "Black"]

CONFIG = """\
version: 1
title: Benchmark formulary
sources:
  - key: alpha
    file: "alpha.xlsx"
    columns: {drug: Drug, formulation: Formulation / Strength, section: BNF Section, status: Status,
              line: Line, membership: Formulary, notes: Notes, nice_ta: NICE TA, id: Ref}
    statuses: {green: [Green], amber-recommended: [Green SR], amber-initiated: [Green SI],
               shared-care: [Amber SCG], red: [Red], black: [Black]}
  - key: beta
    file: "beta.xlsx"
    columns: {drug: Medicine, formulation: Form, section: Chapter/Section, status: RAG Status,
              notes: Comments, nice_ta: TA}
    statuses: {green: [Green], amber-recommended: [Amber Recommended], amber-initiated: [Amber Initiated],
               shared-care: [Purple], red: [Red], black: [Black]}
rules: rules/default.yaml
"""


def products(rng: random.Random, count: int) -> list[tuple[str, str, str, bool]]:
    """Distinct (substance, form, strength, modified-release) products."""
    seen: set[tuple[str, str, str, bool]] = set()
    while len(seen) < count:
        seen.add((rng.choice(SUBSTANCES), rng.choice(FORMS)[0], rng.choice(STRENGTHS), rng.random() < 0.1))
    return sorted(seen)


def row_a(product: tuple[str, str, str, bool], chapter: int, rng: random.Random, n: int) -> list[object]:
    substance, form, strength, mr = product
    formulation = f"{'Modified-release ' if mr else ''}{form} {strength}".capitalize()
    return [
        f"{chapter}.{1 + n % 9}",
        substance.capitalize(),
        formulation,
        rng.choice(WORDS_A),
        "1st",
        "Formulary",
        "",
        "TA123" if n % 97 == 0 else "",
        f"A{chapter:02d}{n:04d}",
    ]


def row_b(product: tuple[str, str, str, bool], chapter: int, rng: random.Random) -> list[object]:
    substance, form, strength, mr = product
    short = dict(FORMS)[form]
    amount = strength.replace("mg", " mg")
    return [
        f"{chapter:02d}.{rng.randint(1, 9):02d}",
        substance.upper(),
        f"{short} {amount}{' MR' if mr else ''}",
        rng.choice(WORDS_B),
        "",
        "",
    ]


def write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def generate(root: Path, chapters: int = 15, rows: int = 400, seed: int = 7, rules_text: str = "") -> Path:
    """Write a benchmark workspace under ``root``; returns it."""
    from harmonise.workspace import BNF_CHAPTERS

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "harmonise.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "rules").mkdir(exist_ok=True)
    (root / "rules" / "default.yaml").write_text(rules_text, encoding="utf-8")
    for number, slug, _title in BNF_CHAPTERS[:chapters]:
        chapter = int(number)
        pool = products(rng, int(rows * 1.2))
        shared = pool[: int(rows * 0.8)]
        only_a, only_b = pool[int(rows * 0.8) : rows], pool[rows:]
        a_rows = [row_a(p, chapter, rng, n) for n, p in enumerate(shared + only_a)]
        b_products = shared + only_b
        rng.shuffle(b_products)
        b_rows = [row_b(p, chapter, rng) for p in b_products[:rows]]
        folder = root / "chapters" / f"{chapter:02d}-{slug}"
        write(folder / "alpha.xlsx", HEADER_A, a_rows)
        write(folder / "beta.xlsx", HEADER_B, b_rows)
    return root


def size_arguments(doc: str, flags: tuple[str, ...] = ()) -> argparse.Namespace:
    """The benchmarks' common options: --chapters, --rows (per source and chapter), --repeat, and a benchmark's
    own on/off ``flags`` (``--profile``)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=15)
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    for flag in flags:
        parser.add_argument(flag, action="store_true")
    return parser.parse_args()
