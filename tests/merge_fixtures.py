"""A small realistic chapter (BNF 2) in two or three legacy styles, shared by the merge and golden tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CHESHIRE_HEADER, MERSEY_HEADER, TWO_SOURCE_CONFIG, make_workspace, write_csv, write_xlsx

REPO = Path(__file__).resolve().parent.parent
CH02 = "chapters/02-cardiovascular"

CHESHIRE = [
    ["Cheshire Joint Formulary - Chapter 2 - exported 03/2024"],
    [],
    CHESHIRE_HEADER,
    ["2.2.1 Thiazides and related diuretics"],
    [None, "Furosemide", "Tablets 20mg, 40mg", "Green", "1st", "Formulary"],
    [None, "Bendroflumethiazide", "Tablets 2.5mg", "Green", "1st", "Formulary"],
    ["2.6.2 Calcium-channel blockers"],
    [None, "Amlodipine ", "Tablets 5mg", "Green", "1st", "Formulary"],
    [None, "Amlodipine", "Tablets 10mg", "Green", "1st", "Formulary"],
    [None, "Nifedipine", "Modified-release tablets 30mg", "Green SI", "2nd", "Formulary", "Brand: Adalat LA"],
    [None, "Nifedipine", "Capsules 10mg", "DNP", None, "Non-formulary"],
    ["2.6.1 Nitrates"],
    [None, "Isosorbide mononitrate", "Tablets 20mg", "Green", "1st", "Formulary"],
    [None, "Isosorbide dinitrate", "Tablets 10mg", "Grey", None, "Non-formulary"],
    ["2.12 Lipid-regulating drugs"],
    [None, "Atorvastatin", "Tablets 20mg", "Green", "1st", "Formulary"],
    [None, "Ezetimibe (Ezetrol®)", "Tablets 10mg", "Green SI", "2nd", "Formulary", None, "TA385"],
    [None, "Simvastatin", "Tablets 80mg", "DNP", None, "Non-formulary"],
    [None, "Rosuvastatin", "Tablets 5mg", "Ambr", None, "Formulary"],
]

MERSEYSIDE = [
    MERSEY_HEADER,
    ["02.02.01", "FUROSEMIDE", "Tabs 20 mg", "Green"],
    ["02.02.01", "BENDROFLUMETHIAZIDE", "Tabs 2.5 mg", "Green"],
    ["02.06.02", "AMLODIPINE", "Tabs 5 mg, 10 mg", "Green"],
    ["02.06.02", "NIFEDIPINE", "MR Tabs 30 mg", "Amber Initiated"],
    ["02.06.01", "ISOSORBIDE MONONITRATE", "Tabs 20 mg", "Amber recommended"],
    ["02.12", "ATORVASTATIN", "Tabs 20 mg", "Green"],
    ["02.12", "EZETIMIBE", "Tabs 10 mg", "Amber Initiated", None, "TA385"],
    ["02.12", "ROSUVASTATIN", "Tabs 5 mg", "Green"],
    ["02.08.02", "TICAGRELOR", "Tabs 90 mg", "Red"],
]

THIRD_SOURCE = """\
  - key: wirral
    name: Wirral
    file: "wirral.*"
    columns: {drug: Drug, formulation: Formulation, status: Status}
    statuses: {green: [Formulary], red: [Hospital], black: [Not recommended], amber-initiated: [Specialist initiation]}
"""

WIRRAL = [
    ["Drug", "Formulation", "Status"],
    ["Amlodipine", "5mg tablets", "Formulary"],
    ["Atorvastatin", "20mg tablets", "Formulary"],
    ["Ticagrelor", "90mg tablets", "Hospital"],
    ["Apixaban", "5mg tablets", "Formulary"],
]


def small_chapter(root: Path, three: bool = False) -> Path:
    """A workspace with chapter 2 from Cheshire and Merseyside (and Wirral when ``three``)."""
    config = TWO_SOURCE_CONFIG.replace(
        "rules: rules/default.yaml", (THIRD_SOURCE if three else "") + "rules: rules/default.yaml"
    )
    make_workspace(root, config)
    (root / "rules").mkdir(exist_ok=True)
    shutil.copy(REPO / "rules" / "default.yaml", root / "rules" / "default.yaml")
    write_xlsx(root / CH02 / "cheshire.xlsx", {"Formulary": CHESHIRE}, {"Formulary": ["A1:I1"]})
    write_xlsx(root / CH02 / "merseyside.xlsx", {"Formulary": MERSEYSIDE})
    if three:
        write_csv(root / CH02 / "wirral.csv", WIRRAL)
    return root
