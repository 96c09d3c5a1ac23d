"""Write the bundled example workspace's legacy spreadsheets from the hand-written tables below.

    .venv/bin/python tools/make_example.py              # rewrites chapters/*/ in this repository
    .venv/bin/python tools/make_example.py OUT_DIR      # writes OUT_DIR/02-cardiovascular/... instead

The two legacy formularies are invented but written the way real exports look: ``cheshire`` (a CCG joint
formulary: title row, section heading rows, its own status words) and ``merseyside`` (Pan Mersey style:
upper-case generic names, ``Tabs``/``MR``/``mcg``, Pan Mersey status words in varied case). Every drug,
strength and note was written by hand for this example; nothing is copied from a published formulary, and
the statuses are illustrative, not anybody's policy.

How to read the tables
- One line per spreadsheet row, fields separated by ``|``; trailing empty fields may be left off.
- ``## 2.12 Lipid-regulating drugs`` starts a section. Cheshire writes it as a heading row (the data rows
  below leave ``BNF Section`` blank, as the real export does); Merseyside repeats the code on every row.
- ``<sp>`` is a trailing space and ``<nbsp>`` a non-breaking space, kept on purpose: real exports have them.
- Cheshire's ``Formulary`` column is filled from the status when left blank (Black/DNP -> Non-formulary,
  Red/Hospital Only -> Restricted, otherwise Formulary) and ``Ref`` is numbered in order (C02-001, ...).

The deliberate problems ``harmonise check`` must find are listed in ``chapters/README.md``; the test
``tests/test_example_workspace.py`` keeps this script, the committed files and that list in step.
Output is deterministic: fixed workbook properties and zip timestamps, so re-running changes no bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.writer.excel import ExcelWriter

EXPORTED = dt.datetime(2024, 3, 28, 9, 30, 0)
ZIP_TIME = (2024, 3, 28, 9, 30, 0)

CHESHIRE_HEADER = (
    "BNF Section",
    "Drug",
    "Formulation / Strength",
    "Status",
    "Line",
    "Formulary",
    "Notes",
    "NICE TA",
    "Ref",
)
MERSEYSIDE_HEADER = ("Chapter/Section", "Medicine", "Form", "RAG Status", "Choice", "Comments", "TA")

# ---------------------------------------------------------------------------------------------------------
# Chapter 2: Cardiovascular system
# ---------------------------------------------------------------------------------------------------------
# Cheshire columns: Drug | Formulation / Strength | Status | Line | Formulary | Notes | NICE TA
CHESHIRE_02 = """
## 2.1 Positive inotropic drugs
Digoxin | Tablets 62.5 micrograms | Green | 1st
Digoxin | Tablets 125 micrograms | Green | 1st
Digoxin | Tablets 250 micrograms | Green | 1st
Digoxin | Oral solution 50 micrograms/mL | Green | | | Swallowing difficulties only
Digoxin | Injection 250 micrograms/mL | Hospital Only
## 2.2 Diuretics
Bendroflumethiazide | Tablets 2.5mg | Green | 2nd
Indapamide | Tablets 2.5mg | Green | 1st | | Preferred thiazide-like diuretic for hypertension
Indapamide | Modified-release tablets 1.5mg | Green | 2nd
Chlortalidone | Tablets 50mg | Green | 2nd | | 25 mg (half a tablet) daily for hypertension
Furosemide | Tablets 20mg, 40mg | Green | 1st
Furosemide | Oral solution 20mg/5mL | Green
Furosemide | Injection 10mg/mL | Hospital Only
Bumetanide | Tablets 1mg | Green | 2nd
Spironolactone | Tablets 25mg, 50mg | Green | 1st
Eplerenone | Tablets 25mg, 50mg | Green SI | 2nd | | Post-MI heart failure, or spironolactone not tolerated
Amiloride hydrochloride | Tablets 5mg | Green
Co-amilofruse | Tablets 5mg/40mg | Green
Metolazone | Tablets 5mg | Green SI | | | Heart failure team initiation; monitor U&Es closely
## 2.3 Anti-arrhythmic drugs
Amiodarone hydrochloride | Tablets 100mg, 200mg | Green SI | | | Thyroid and liver function tests every 6 months
Amiodarone hydrochloride | Injection 30mg/mL | Hospital Only
Flecainide acetate | Tablets 50mg, 100mg | Green SI
Dronedarone | Tablets 400mg | Amber SCG | | | Shared care guideline CH-SCG-07 | TA197
Propafenone hydrochloride | Tablets 150mg | Hospital Only
Adenosine | Injection 3mg/mL | Hospital Only
## 2.4 Beta-adrenoceptor blocking drugs
Atenolol | Tablets 25mg, 50mg, 100mg | Green | 1st
Bisoprolol fumarate | Tablets 1.25mg | Green | 1st | | Heart failure titration
Bisoprolol fumarate | Tablets 2.5mg | Green | 1st
Bisoprolol fumarate | Tablets 5mg | Green | 1st
Bisoprolol fumarate | Tablets 10mg | Green | 1st
Carvedilol | Tablets 3.125mg, 6.25mg, 12.5mg, 25mg | Green | 2nd
Metoprolol tartrate | Tablets 50mg, 100mg | Green
Nebivolol | Tablets 2.5mg, 5mg | Green | 2nd
Propranolol hydrochloride | Tablets 10mg, 40mg, 80mg | Green
Propranolol hydrochloride | Modified-release capsules 80mg, 160mg | DNP | | | Use standard-release tablets twice daily
Sotalol hydrochloride | Tablets 40mg, 80mg | Green SI
Labetalol hydrochloride | Tablets 100mg, 200mg | Green | | | Hypertension in pregnancy
Labetalol hydrochloride | Injection 5mg/mL | Hospital Only
Esmolol hydrochloride | Injection 10mg/mL | Hospital Only
## 2.5.1 Vasodilator antihypertensive drugs
Hydralazine hydrochloride | Tablets 25mg, 50mg | Green
Minoxidil | Tablets 2.5mg, 5mg, 10mg | Green SI
Sildenafil (Revatio®) | Tablets 20mg | Red | | | Pulmonary arterial hypertension: specialist centre only
Bosentan | Tablets 62.5mg, 125mg | Red | | | Pulmonary arterial hypertension: specialist centre only
Ambrisentan | Tablets 5mg, 10mg | Red
## 2.5.2 Centrally acting antihypertensive drugs
Methyldopa | Tablets 250mg | Green | | | Hypertension in pregnancy
Moxonidine | Tablets 200 micrograms, 400 micrograms | Green | 3rd
## 2.5.4 Alpha-adrenoceptor blocking drugs
Doxazosin | Tablets 1mg, 2mg, 4mg | Green | 3rd
Doxazosin | Modified-release tablets 4mg, 8mg (Cardura® XL) | DNP | | | Standard-release is as effective and cheaper
## 2.5.5.1 Angiotensin-converting enzyme inhibitors
Ramipril<nbsp> | Capsules 1.25mg, 2.5mg, 5mg, 10mg | Green | 1st | | Capsules, not tablets (cost)
Lisinopril | Tablets 2.5mg, 5mg, 10mg, 20mg | Green | 1st
Enalapril maleate | Tablets 2.5mg, 5mg, 10mg, 20mg | Green | 2nd
Perindopril erbumine | Tablets 2mg, 4mg, 8mg | Green | 2nd
Perindopril arginine (Coversyl® Arginine) | Tablets 2.5mg, 5mg, 10mg | DNP | | | Use perindopril erbumine (4 mg erbumine = 5 mg arginine)
Captopril | Tablets 12.5mg, 25mg, 50mg | Green | 3rd
Trandolapril | Capsules 500 micrograms, 1mg, 2mg | Grey
## 2.5.5.2 Angiotensin-II receptor antagonists
Candesartan cilexetil | Tablets 2mg, 4mg, 8mg, 16mg, 32mg | Green | 1st
Losartan potassium | Tablets 25mg | Green | 1st
Losartan potassium | Tablets 50mg | Green | 1st
Losartan potassium | Tablets 100mg | Green | 1st
Irbesartan | Tablets 75mg, 150mg, 300mg | Green | 2nd
Valsartan | Capsules 40mg, 80mg, 160mg | Green | 2nd
Olmesartan medoxomil | Tablets 10mg, 20mg, 40mg | DNP | | | No advantage; sprue-like enteropathy reported
Telmisartan | Tablets 20mg, 40mg, 80mg | Grey
Sacubitril with valsartan (Entresto®) | Tablets 24mg/26mg, 49mg/51mg, 97mg/103mg | Green SI | | | HFrEF with LVEF 35% or less; heart failure team initiation | TA388
## 2.5.5.3 Renin inhibitors
Aliskiren | Tablets 150mg, 300mg | DNP
## 2.6.1 Nitrates
Glyceryl trinitrate | Sublingual spray 400 micrograms/dose | Green | 1st
Glyceryl trinitrate | Sublingual tablets 500 micrograms | Green | 2nd | | Discard 8 weeks after opening
Glyceryl trinitrate | Transdermal patches 5mg/24 hours, 10mg/24 hours | Green SI
Glyceryl trinitrate | Infusion 1mg/mL | Hospital Only
Isosorbide mononitrate | Tablets 10mg, 20mg, 40mg | Green | 1st
Isosorbide mononitrate | Modified-release tablets 60mg | Green | 2nd | | Prescribe by brand (once daily)
Isosorbide dinitrate | Tablets 10mg | Grey
## 2.6.2 Calcium-channel blockers
Amlodipine<sp> | Tablets 5mg | Green<sp> | 1st
Amlodipine<sp> | Tablets 10mg | Green<sp> | 1st
Felodipine | Modified-release tablets 2.5mg, 5mg, 10mg | Green | 2nd
Lercanidipine hydrochloride | Tablets 10mg, 20mg | Green | 2nd
Nifedipine | Modified-release tablets 10mg, 20mg (twice daily) | Green | 2nd | | Prescribe by brand
Nifedipine | Modified-release tablets 30mg, 60mg (once daily) | Green | 2nd | | Prescribe by brand: Adalat® LA
Nifedipine | Capsules 5mg, 10mg | DNP | | | Standard-release: not for angina or hypertension
Diltiazem hydrochloride | Tablets 60mg | Green | 1st
Diltiazem hydrochloride | Modified-release capsules 90mg, 120mg, 180mg (twice daily) | Green | | | Prescribe by brand
Diltiazem hydrochloride | Modified-release capsules 120mg, 180mg, 240mg, 300mg (once daily) | Green | | | Prescribe by brand: Zemtard®
Verapamil hydrochloride | Tablets 40mg, 80mg, 120mg | Green
Verapamil hydrochloride | Modified-release tablets 120mg, 240mg | Green
Nimodipine | Tablets 30mg | Hospital Only | | | Subarachnoid haemorrhage
## 2.6.3 Other antianginal drugs
Ivabradine | Tablets 2.5mg, 5mg, 7.5mg | Green SI | | | Angina or heart failure (specialist initiation) | TA267
Nicorandil | Tablets 10mg, 20mg | Green | 3rd | | MHRA: ulceration risk
Ranolazine | Modified-release tablets 375mg, 500mg, 750mg | Green SI | 3rd
## 2.6.4 Peripheral vasodilators
Naftidrofuryl oxalate | Capsules 100mg | Green | | | Intermittent claudication; review at 3-6 months | TA223
Cilostazol | Tablets 50mg, 100mg | DNP | | | Not recommended by NICE | TA223
Pentoxifylline | Modified-release tablets 400mg | DNP | | | Not recommended by NICE | TA223
## 2.7.2 Vasoconstrictor sympathomimetics
Midodrine hydrochloride | Tablets 2.5mg, 5mg | Green SI | | | Orthostatic hypotension
## 2.8.1 Parenteral anticoagulants
Enoxaparin sodium (Inhixa®) | Injection 20mg/0.2mL, 40mg/0.4mL, 60mg/0.6mL, 80mg/0.8mL, 100mg/1mL | Green SR | | | Prescribe by brand: Inhixa® (biosimilar)
Dalteparin sodium | Injection 2,500 units/0.2mL, 5,000 units/0.2mL | Green SR
Fondaparinux sodium | Injection 2.5mg/0.5mL | Hospital Only
Heparin sodium | Injection 5,000 units/mL | Hospital Only
## 2.8.2 Oral anticoagulants
Warfarin sodium | Tablets 0.5mg, 1mg, 3mg, 5mg | Green SI | | | Anticoagulation service initiation
Apixaban | Tablets 2.5mg, 5mg | Green | 1st | | Non-valvular AF and VTE | TA275
Edoxaban | Tablets 15mg, 30mg, 60mg | Green | 1st | | Non-valvular AF | TA355
Rivaroxaban | Tablets 10mg, 15mg, 20mg | Green | 2nd | | | TA256
Rivaroxaban | Tablets 2.5mg | Green SI | | | With aspirin in coronary or peripheral artery disease | TA607
Dabigatran etexilate | Capsules 75mg, 110mg, 150mg | Green | 2nd | | | TA249
## 2.9 Antiplatelet drugs
Aspirin | Dispersible tablets 75mg | Green | 1st
Aspirin | Gastro-resistant tablets 75mg | DNP | | | No GI benefit; use dispersible tablets
Clopidogrel | Tablets 75mg | Green | 1st
Prasugrel | Tablets 5mg, 10mg | Green SR | | | ACS with PCI; 12 months | TA317
Ticagrelor | Tablets 60mg | Green SR | | | After MI, with aspirin, from 12 months | TA420
Ticagrelor | Tablets 90mg | Green SR | | | ACS, 12 months | TA236
Dipyridamole | Modified-release capsules 200mg | Green | 2nd | | Stroke or TIA where clopidogrel not tolerated
Dipyridamole | Tablets 100mg | DNP
## 2.10.2 Fibrinolytic drugs
Alteplase | Injection 10mg, 20mg, 50mg vials | Hospital Only
Tenecteplase | Injection 10,000 units | Hospital Only
## 2.11 Antifibrinolytic drugs and haemostatics
Tranexamic acid | Tablets 500mg | Green
Tranexamic acid | Injection 100mg/mL | Hospital Only
## 2.12 Lipid-regulating drugs
Atorvastatin | Tablets 10mg | Green | 1st
Atorvastatin | Tablets 20mg | Green | 1st
Atorvastatin | Tablets 40mg | Green | 1st
Atorvastatin | Tablets 80mg | Green | 1st | | High-intensity secondary prevention
Simvastatin | Tablets 10mg, 20mg, 40mg | Green | 2nd
Simvastatin | Tablets 80mg | DNP | | | Myopathy risk
Pravastatin sodium | Tablets 10mg, 20mg, 40mg | Green | 2nd
Rosuvastatin | Tablets 5mg, 10mg, 20mg, 40mg | Green | 2nd | | Where atorvastatin is not tolerated
Fluvastatin | Modified-release tablets 80mg | Grey
Ezetimibe (Ezetrol®) | Tablets 10mg | Green | | | Alone if statin contraindicated, or with a statin | TA385
Bempedoic acid (Nilemdo®) | Tablets 180mg | Green SR | | | | TA694
Bempedoic acid with ezetimibe (Nustendi®) | Tablets 180mg/10mg | Green SR | | | | TA694
Alirocumab (Praluent®) | Pre-filled pen 75mg/mL, 150mg/mL | Red | | | Lipid clinic only | TA393
Evolocumab (Repatha®) | Pre-filled pen 140mg/mL | Red | | | Lipid clinic only | TA394
Inclisiran (Leqvio®) | Pre-filled syringe 284mg/1.5mL | Green SR | | | Practice-administered at 0 and 3 months, then 6-monthly | TA733
Fenofibrate (micronised) | Capsules 67mg, 200mg | Green SI
Bezafibrate | Modified-release tablets 400mg | Grey
Gemfibrozil | Tablets 600mg | Green SI
Omega-3-acid ethyl esters (Omacor®) | Capsules 1g | DNP | | | Not for prevention of cardiovascular disease
Icosapent ethyl (Vazkepa®) | Capsules 998mg | Green SR | | | | TA805
Colesevelam | Tablets 625mg | Green SI
Colestyramine | Powder sachets 4g | Green
## 2.13 Local sclerosants
Sodium tetradecyl sulfate | Injection 3% | Hospital Only
"""

# Merseyside columns: Medicine | Form | RAG Status | Choice | Comments | TA
MERSEYSIDE_02 = """
## 02.01
DIGOXIN | Tabs 62.5 mcg, 125 mcg, 250 mcg | Green
DIGOXIN | Elixir 50 mcg/ml | Green
DIGOXIN | Inj 250 mcg/ml | Red
## 02.02
BENDROFLUMETHIAZIDE | Tabs 2.5 mg | Green
INDAPAMIDE | Tabs 2.5 mg | Green | 1st line
INDAPAMIDE | MR Tabs 1.5 mg | Green | 2nd line
CHLORTALIDONE | Tabs 50 mg | Green
FUROSEMIDE | Tabs 20 mg | Green | 1st line
FUROSEMIDE | Tabs 40 mg | Green | 1st line
FUROSEMIDE | Tabs 500 mg | Red | | Renal and heart failure specialists only
FUROSEMIDE | Oral soln 20 mg/5 ml | Green
FUROSEMIDE | Inj 10 mg/ml | RED
BUMETANIDE | Tabs 1 mg | Green
SPIRONOLACTONE | Tabs 25 mg, 50 mg, 100 mg | Green
EPLERENONE | Tabs 25 mg, 50 mg | Amber recommended
AMILORIDE | Tabs 5 mg | Green
CO-AMILOFRUSE | Tabs 5 mg/40 mg | Green
METOLAZONE | Tabs 5 mg | Amber initiated
## 02.03
AMIODARONE | Tabs 100 mg, 200 mg | Amber Patient Retained | | Monitoring under Pan Mersey shared care framework
AMIODARONE | Inj 30 mg/ml | Red
FLECAINIDE | Tabs 50 mg, 100 mg | Amber Initiated
DRONEDARONE | Tabs 400 mg | Purple | | Shared care agreement | TA197
PROPAFENONE | Tabs 150 mg | Red
ADENOSINE | Inj 3 mg/ml | Red
## 02.04
ATENOLOL | Tabs 25 mg, 50 mg, 100 mg | Green | 1st line
BISOPROLOL | Tabs 1.25 mg, 2.5 mg, 3.75 mg, 5 mg, 7.5 mg, 10 mg | Green | 1st line
CARVEDILOL | Tabs 3.125 mg, 6.25 mg, 12.5 mg, 25 mg | Green
METOPROLOL | Tabs 50 mg, 100 mg | Green
NEBIVOLOL | Tabs 2.5 mg, 5 mg | Green
PROPRANOLOL | Tabs 10 mg, 40 mg, 80 mg | Green
PROPRANOLOL | MR Caps 80 mg, 160 mg | Grey
SOTALOL | Tabs 40 mg, 80 mg | Amber Initiated
LABETALOL | Tabs 100 mg, 200 mg | Green
LABETALOL | Inj 5 mg/ml | Red
ESMOLOL | Inj 10 mg/ml | Red
## 02.05.01
HYDRALAZINE | Tabs 25 mg, 50 mg | Green
MINOXIDIL | Tabs 2.5 mg, 5 mg, 10 mg | Amber recommended
SILDENAFIL (Revatio) | Tabs 20 mg | Red | | PAH: designated specialist centre
BOSENTAN | Tabs 62.5 mg, 125 mg | RED | | PAH: designated specialist centre
AMBRISENTAN | Tabs 5 mg, 10 mg | Red
## 02.05.02
METHYLDOPA | Tabs 250 mg | Green
MOXONIDINE | Tabs 200 mcg, 400 mcg | Green | 3rd line
## 02.05.04
DOXAZOSIN | Tabs 1 mg, 2 mg, 4 mg | Green
DOXAZOSIN | MR Tabs 4 mg, 8 mg | Black
## 02.05.05
RAMIPRIL | Caps 1.25 mg, 2.5 mg, 5 mg, 10 mg | Green | 1st line
LISINOPRIL | Tabs 2.5 mg, 5 mg, 10 mg, 20 mg | Green | 1st line
ENALAPRIL | Tabs 2.5 mg, 5 mg, 10 mg, 20 mg | Green
PERINDOPRIL ERBUMINE | Tabs 2 mg, 4 mg, 8 mg | Green
CAPTOPRIL | Tabs 12.5 mg, 25 mg, 50 mg | Green
CANDESARTAN | Tabs 2 mg, 4 mg, 8 mg, 16 mg, 32 mg | Green | 1st line
LOSARTAN | Tabs 25 mg, 50 mg, 100 mg | Green | 1st line
IRBESARTAN | Tabs 75 mg, 150 mg, 300 mg | Green
VALSARTAN | Caps 40 mg, 80 mg, 160 mg | Green
OLMESARTAN | Tabs 10 mg, 20 mg, 40 mg | Black
TELMISARTAN | Tabs 20 mg, 40 mg, 80 mg | Black
SACUBITRIL/VALSARTAN (Entresto) | Tabs 24 mg/26 mg, 49 mg/51 mg, 97 mg/103 mg | Amber initiated | | HFrEF: heart failure service initiation | TA388
ALISKIREN | Tabs 150 mg, 300 mg | Black
## 02.06.01
GLYCERYL TRINITRATE | S/L spray 400 mcg/dose | Green | 1st line
GLYCERYL TRINITRATE | S/L Tabs 500 mcg | Green
GLYCERYL TRINITRATE | Patches 5 mg/24 hrs, 10 mg/24 hrs | Amber recommended
GLYCERYL TRINITRATE | Infusion 1 mg/ml | Red
ISOSORBIDE MONONITRATE | Tabs 10 mg, 20 mg, 40 mg | Green
ISOSORBIDE MONONITRATE | MR Tabs 60 mg | Green | | Prescribe by brand
ISOSORBIDE MONONITRATE | MR Caps 25 mg, 50 mg | Grey
## 02.06.02
AMLODIPINE | Tabs 5 mg, 10 mg | Green | 1st line
FELODIPINE | MR Tabs 2.5 mg, 5 mg, 10 mg | Green
LERCANIDIPINE | Tabs 10 mg, 20 mg | Green
NIFEDIPINE | MR Tabs 10 mg, 20 mg (bd) | Green | | Prescribe by brand
NIFEDIPINE | MR Tabs 30 mg, 60 mg (od) | Green | | Prescribe by brand (Adalat LA)
NIFEDIPINE | Caps 5 mg, 10 mg | Green | | Raynaud's phenomenon only
DILTIAZEM | Tabs 60 mg | Green
DILTIAZEM | MR Caps 120 mg, 180 mg, 240 mg, 300 mg (od) | Green | | Prescribe by brand
VERAPAMIL | Tabs 40 mg, 80 mg, 120 mg | Green
VERAPAMIL | MR Tabs 120 mg, 240 mg | Green
NIMODIPINE | Tabs 30 mg | Red
## 02.06.03
IVABRADINE | Tabs 2.5 mg, 5 mg, 7.5 mg | AMBER INITIATED | | | TA267
NICORANDIL | Tabs 10 mg, 20 mg | Green
RANOLAZINE | MR Tabs 375 mg, 500 mg, 750 mg | Grey
## 02.06.04
NAFTIDROFURYL | Caps 100 mg | Green | | | TA223
CILOSTAZOL | Tabs 50 mg, 100 mg | Black | | | TA223
## 02.07.02
MIDODRINE | Tabs 2.5 mg, 5 mg | Amber Initiated
## 02.08.01
ENOXAPARIN (Inhixa) | Inj 20 mg/0.2 ml, 40 mg/0.4 ml, 60 mg/0.6 ml, 80 mg/0.8 ml, 100 mg/1 ml | Amber recommended | | Prescribe by brand
DALTEPARIN | Inj 2,500 units/0.2 ml, 5,000 units/0.2 ml | Amber Recommended
TINZAPARIN | Inj 20,000 units/ml | Amber Recommended
FONDAPARINUX | Inj 2.5 mg/0.5 ml | Red
HEPARIN | Inj 5,000 units/ml | Red
## 02.08.02
WARFARIN | Tabs 0.5 mg, 1 mg, 3 mg, 5 mg | Green
APIXABAN | Tabs 2.5 mg, 5 mg | Green | 1st line | | TA275
EDOXABAN | Tabs 15 mg, 30 mg, 60 mg | Green | 1st line | | TA355
RIVAROXABAN | Tabs 10 mg, 15 mg, 20 mg | Green | | | TA256
RIVAROXABAN | Tabs 2.5 mg | Amber Recommended | | With aspirin: CAD/PAD | TA607
DABIGATRAN | Caps 75 mg, 110 mg, 150 mg | Green | | | TA249
## 02.09
ASPIRIN | Disp Tabs 75 mg | Green | 1st line
ASPIRIN | E/C Tabs 75 mg | Black
CLOPIDOGREL | Tabs 75 mg | Green | 1st line
PRASUGREL | Tabs 5 mg, 10 mg | Amber Recommended | | | TA317
TICAGRELOR | Tabs 60 mg, 90 mg | Amber Recommended | | | TA236, TA420
DIPYRIDAMOLE | MR Caps 200 mg | Green
## 02.10.02
ALTEPLASE | Inj 10 mg, 20 mg, 50 mg | Red
TENECTEPLASE | Inj 10,000 units | Red
## 02.11
TRANEXAMIC ACID | Tabs 500 mg | Green
TRANEXAMIC ACID | Inj 100 mg/ml | Red
## 02.12
ATORVASTATIN | Tabs 10 mg, 20 mg, 40 mg, 80 mg | Green | 1st line
SIMVASTATIN | Tabs 10 mg, 20 mg, 40 mg | Green
PRAVASTATIN | Tabs 10 mg, 20 mg, 40 mg | Green
ROSUVASTATIN | Tabs 5 mg, 10 mg, 20 mg, 40 mg | Green | 2nd line
EZETIMIBE | Tabs 10 mg | Green | | | TA385
BEMPEDOIC ACID (Nilemdo) | Tabs 180 mg | Amber Recommended | | | TA694
BEMPEDOIC ACID/EZETIMIBE (Nustendi) | Tabs 180 mg/10 mg | Amber Recommended | | | TA694
ALIROCUMAB (Praluent) | Pre-filled pen 75 mg/ml, 150 mg/ml | Red | | Lipid clinic | TA393
EVOLOCUMAB (Repatha) | Pre-filled pen 140 mg/ml | Red | | Lipid clinic | TA394
INCLISIRAN (Leqvio) | Pre-filled syringe 284 mg/1.5 ml | Green | | Administered in primary care | TA733
FENOFIBRATE | Micronised Caps 67 mg, 200 mg | Amber Initiated
GEMFIBROZIL | Tabs 600 mg | Amber initiated
BEZAFIBRATE | MR Tabs 400 mg | Grey
OMEGA-3-ACID ETHYL ESTERS | Caps 1 g | Black
ICOSAPENT ETHYL (Vazkepa) | Caps 998 mg | Amber Recommended | | | TA805
COLESEVELAM | Tabs 625 mg | Amber Initiated
COLESTYRAMINE | Sachets 4 g | Green
## 02.13
SODIUM TETRADECYL SULPHATE | Inj 3% | Red
"""

# ---------------------------------------------------------------------------------------------------------
# Chapter 4: Central nervous system
# ---------------------------------------------------------------------------------------------------------
CHESHIRE_04 = """
## 4.1.1 Hypnotics
Zopiclone | Tablets 3.75mg, 7.5mg | Green | 1st | | Short-term use only (2-4 weeks)
Zolpidem tartrate | Tablets 5mg, 10mg | Green | 2nd
Temazepam | Tablets 10mg, 20mg | Green | 2nd | | Schedule 3 controlled drug
Nitrazepam | Tablets 5mg | DNP
Melatonin (Circadin®) | Modified-release tablets 2mg | Green SI | | | Adults 55 years and over; 13 weeks maximum
Melatonin (Adaflex®) | Tablets 1mg, 2mg, 3mg, 4mg, 5mg | Green SI | | | Children 6-17 years with ADHD and insomnia
Promethazine hydrochloride | Tablets 10mg, 25mg | Green
## 4.1.2 Anxiolytics
Diazepam | Tablets 2mg, 5mg, 10mg | Green | 1st
Diazepam | Oral solution 2mg/5mL | Green
Diazepam | Rectal tubes 5mg, 10mg | Green
Lorazepam | Tablets 1mg | Green | 2nd
Chlordiazepoxide hydrochloride | Capsules 5mg, 10mg | Green | | | Alcohol withdrawal
Buspirone hydrochloride | Tablets 5mg, 10mg | Green | 2nd
Oxazepam | Tablets 10mg | Grey
## 4.2.1 Antipsychotic drugs
Haloperidol | Tablets 500 micrograms, 1.5mg, 5mg | Green
Chlorpromazine hydrochloride | Tablets 25mg, 50mg, 100mg | Green
Olanzapine | Tablets 2.5mg, 5mg, 7.5mg, 10mg, 15mg, 20mg | Green SI | 1st
Olanzapine | Orodispersible tablets 5mg, 10mg, 15mg, 20mg | Green SI
Quetiapine | Tablets 25mg, 100mg, 150mg, 200mg, 300mg | Green SI | 1st
Quetiapine | Modified-release tablets 50mg, 150mg, 200mg, 300mg, 400mg | Green SI | 2nd | | Prescribe by brand
Risperidone | Tablets 500 micrograms, 1mg, 2mg, 3mg, 4mg, 6mg | Green SI | 1st
Risperidone | Oral solution 1mg/mL | Green SI
Aripiprazole | Tablets 5mg, 10mg, 15mg, 30mg | Green SI | 1st
Aripiprazole | Orodispersible tablets 10mg, 15mg | Green SI
Amisulpride | Tablets 50mg, 100mg, 200mg, 400mg | Green SI
Sulpiride | Tablets 200mg, 400mg | Green SI
Lurasidone | Tablets 18.5mg, 37mg, 74mg | Green SI | 3rd
Cariprazine | Capsules 1.5mg, 3mg, 4.5mg, 6mg | Green SI | 3rd
Clozapine | Tablets 25mg, 100mg | Hospital Only | | | Registration with a monitoring service; prescribe by brand
## 4.2.2 Antipsychotic depot injections
Aripiprazole (Abilify Maintena®) | Prolonged-release injection 400mg | Amber SCG
Flupentixol decanoate | Depot injection 20mg/mL, 100mg/mL | Amber SCG
Haloperidol decanoate | Depot injection 50mg/mL | Amber SCG
Zuclopenthixol decanoate | Depot injection 200mg/mL | Amber SCG
Paliperidone (Xeplion®) | Prolonged-release injection 50mg, 75mg, 100mg, 150mg | Amber SCG
Risperidone (Risperdal Consta®) | Prolonged-release injection 25mg, 37.5mg, 50mg | Amber SCG
Olanzapine embonate (ZypAdhera®) | Prolonged-release injection 210mg, 300mg, 405mg | Hospital Only | | | 3-hour observation after each injection
## 4.2.3 Drugs used for mania and hypomania
Lithium carbonate (Priadel®) | Modified-release tablets 200mg, 400mg | Ambr SCG | | | Prescribe by brand: Priadel®; lithium monitoring under shared care
Lithium citrate (Priadel®) | Oral solution 520mg/5mL | Amber SCG | | | Not interchangeable with lithium carbonate mg for mg
Valproate semisodium (Depakote®) | Gastro-resistant tablets 250mg, 500mg | Green SI | | | Valproate pregnancy prevention programme
## 4.3.1 Tricyclic and related antidepressant drugs
Amitriptyline hydrochloride | Tablets 10mg, 25mg, 50mg | Green | | | Neuropathic pain and migraine prophylaxis; not for depression (toxic in overdose)
Clomipramine hydrochloride | Capsules 10mg, 25mg, 50mg | Green
Imipramine hydrochloride | Tablets 10mg, 25mg | Green
Lofepramine | Tablets 70mg | Green | 2nd
Nortriptyline | Tablets 10mg, 25mg | Green
Dosulepin hydrochloride | Capsules 25mg, tablets 75mg | DNP | | | Toxic in overdose; do not start
Trazodone hydrochloride | Capsules 50mg, 100mg | Green
## 4.3.2 Monoamine-oxidase inhibitors
Phenelzine | Tablets 15mg | Hospital Only
Moclobemide | Tablets 150mg, 300mg | Green SI
## 4.3.3 Selective serotonin re-uptake inhibitors
Sertraline<sp> | Tablets 50mg, 100mg | Green | 1st<sp>
Citalopram | Tablets 10mg, 20mg, 40mg | Green | 1st | | Maximum 20 mg daily over 65 years (QT prolongation)
Citalopram | Oral drops 40mg/mL | Grey | | | 4 drops (8 mg) = 10 mg tablet
Fluoxetine | Capsules 20mg, 60mg | Green | 1st
Fluoxetine | Oral liquid 20mg/5mL | Green
Escitalopram | Tablets 5mg, 10mg, 20mg | Green | 2nd
Paroxetine | Tablets 10mg, 20mg, 30mg | Green | 2nd
Fluvoxamine maleate | Tablets 50mg, 100mg | Grey
## 4.3.4 Other antidepressant drugs
Mirtazapine | Tablets 15mg, 30mg, 45mg | Green | 1st
Mirtazapine | Orodispersible tablets 15mg, 30mg, 45mg | Green
Venlafaxine | Tablets 37.5mg, 75mg | Green | 2nd
Venlafaxine | Modified-release capsules 75mg, 150mg, 225mg | Green | 2nd | | Prescribe by brand
Venlafaxine | Modified-release tablets 75mg, 150mg, 225mg | DNP | | | Use modified-release capsules (cost)
Duloxetine | Gastro-resistant capsules 30mg, 60mg | Green | 2nd
Vortioxetine (Brintellix®) | Tablets 5mg, 10mg, 20mg | Green SR | 3rd | | After two antidepressants have failed | TA367
Agomelatine | Tablets 25mg | DNP | | | Liver function monitoring burden; no advantage
Reboxetine | Tablets 4mg | Grey
## 4.4 CNS stimulants and drugs used for ADHD
Methylphenidate hydrochloride | Tablets 5mg, 10mg, 20mg | Amber SCG
Methylphenidate hydrochloride | Modified-release tablets 18mg, 27mg, 36mg, 54mg | Amber SCG | | | Prescribe by brand (Xaggitin® XL)
Methylphenidate hydrochloride (Equasym® XL) | Modified-release capsules 10mg, 20mg, 30mg | Amber SCG
Lisdexamfetamine mesilate (Elvanse®) | Capsules 20mg, 30mg, 40mg, 50mg, 60mg, 70mg | Amber SCG
Dexamfetamine sulphate | Tablets 5mg | Amber SCG
Atomoxetine | Capsules 10mg, 18mg, 25mg, 40mg, 60mg, 80mg | Amber SCG
Guanfacine (Intuniv®) | Modified-release tablets 1mg, 2mg, 3mg, 4mg | Amber SCG
Modafinil | Tablets 100mg, 200mg | Green SI | | | Narcolepsy only
## 4.6 Drugs used in nausea and vertigo
Cyclizine hydrochloride | Tablets 50mg | Green
Cyclizine lactate | Injection 50mg/mL | Green | | | Palliative care
Prochlorperazine maleate | Tablets 5mg | Green
Prochlorperazine maleate | Buccal tablets 3mg | Green | 2nd
Metoclopramide hydrochloride | Tablets 10mg | Green | | | Maximum 5 days (MHRA)
Domperidone | Tablets 10mg | Green | | | Maximum 7 days, 30 mg daily (MHRA)
Ondansetron | Tablets 4mg, 8mg | Green
Ondansetron | Orodispersible films 4mg, 8mg | Green SI
Hyoscine hydrobromide (Scopoderm®) | Transdermal patches 1mg/72 hours | Green
Hyoscine hydrobromide (Kwells®) | Tablets 300 micrograms | DNP | | | Travel sickness: self-care
Betahistine dihydrochloride | Tablets 8mg, 16mg | Green
Levomepromazine | Tablets 25mg | Green | | | Palliative care
## 4.7.1 Non-opioid analgesics
Paracetamol | Tablets 500mg | Green | 1st
Paracetamol | Oral suspension 120mg/5mL, 250mg/5mL | Green
Paracetamol | Soluble tablets 500mg | Green | | | High sodium content
Nefopam hydrochloride | Tablets 30mg | DNP
## 4.7.2 Opioid analgesics
Codeine phosphate | Tablets 15mg, 30mg | Green
Co-codamol | Tablets 8mg/500mg | DNP | | | Low-dose combination: self-care
Co-codamol | Tablets 30mg/500mg | Green
Co-dydramol | Tablets 10mg/500mg | DNP
Dihydrocodeine tartrate | Tablets 30mg | Green
Tramadol hydrochloride | Capsules 50mg | Green | 2nd
Tramadol hydrochloride | Modified-release tablets 100mg, 150mg, 200mg | Green SI
Morphine sulfate (Oramorph®) | Oral solution 10mg/5mL | Green | 1st
Morphine sulfate (MST Continus®) | Modified-release tablets 5mg, 10mg, 15mg, 30mg, 60mg, 100mg | Green | | | Prescribe by brand
Morphine sulfate (Zomorph®) | Modified-release capsules 10mg, 30mg, 60mg | Green | | | Prescribe by brand
Oxycodone hydrochloride | Capsules 5mg, 10mg, 20mg | Green SR
Oxycodone hydrochloride | Modified-release tablets 10mg, 20mg, 40mg, 80mg | Green SR | | | Prescribe by brand (Longtec®)
Oxycodone with naloxone (Targinact®) | Modified-release tablets 10mg/5mg, 20mg/10mg | DNP
Buprenorphine (Butec®) | Transdermal patches 5, 10, 20 micrograms/hour (7-day) | Green | | | Prescribe by brand
Buprenorphine (Transtec®) | Transdermal patches 35, 52.5, 70 micrograms/hour (4-day) | Green SI | | | Prescribe by brand
Fentanyl (Matrifen®) | Transdermal patches 12, 25, 50, 75, 100 micrograms/hour | Green SI | | | Opioid-tolerant patients only; prescribe by brand
Fentanyl (Effentora®) | Buccal tablets 100 micrograms | Hospital Only
Tapentadol (Palexia® SR) | Modified-release tablets 50mg, 100mg, 150mg, 200mg, 250mg | Grey
Diamorphine hydrochloride | Injection 5mg, 10mg, 30mg | Green | | | Palliative care
Pethidine hydrochloride | Tablets 50mg | DNP
## 4.7.3 Neuropathic pain
Gabapentin | Capsules 100mg, 300mg, 400mg | Green | 1st | | Schedule 3 controlled drug
Gabapentin | Tablets 600mg, 800mg | Green
Pregabalin | Capsules 25mg, 50mg, 75mg, 100mg, 150mg, 200mg, 225mg, 300mg | Green | 2nd | | Schedule 3 controlled drug
Capsaicin (Axsain®) | Cream 0.075% | Green SI
Capsaicin (Qutenza®) | Cutaneous patch 179mg | Hospital Only
Lidocaine (Ralvo®) | Medicated plasters 700mg (5%) | DNP | | | Except post-herpetic neuralgia on specialist advice
## 4.7.4 Antimigraine drugs
Sumatriptan | Tablets 50mg, 100mg | Green | 1st
Sumatriptan | Injection 6mg/0.5mL | Green SI
Zolmitriptan | Tablets 2.5mg, 5mg | Green | 2nd
Zolmitriptan | Orodispersible tablets 2.5mg, 5mg | Green | 2nd
Rizatriptan | Oral lyophilisates 10mg | Green | 2nd
Almotriptan | Tablets 12.5mg | Grey
Pizotifen | Tablets 500 micrograms, 1.5mg | Green
Erenumab (Aimovig®) | Pre-filled pen 70mg, 140mg | Hospital Only | | | | TA682
Galcanezumab (Emgality®) | Pre-filled pen 120mg | Hospital Only | | | | TA659
Fremanezumab (Ajovy®) | Pre-filled syringe 225mg | Hospital Only | | | | TA764
Botulinum toxin type A (Botox®) | Injection 100 units | Hospital Only | | | Chronic migraine | TA260
## 4.8.1 Control of epilepsy
Carbamazepine | Tablets 100mg, 200mg, 400mg | Green | | | Prescribe by brand (MHRA category 1)
Carbamazepine (Tegretol® Prolonged Release) | Modified-release tablets 200mg, 400mg | Green | | | Prescribe by brand (MHRA category 1)
Lamotrigine | Tablets 25mg, 50mg, 100mg, 200mg | Green | 1st
Lamotrigine | Dispersible tablets 5mg, 25mg, 100mg | Green
Levetiracetam | Tablets 250mg, 500mg, 750mg, 1g | Green | 1st
Levetiracetam | Oral solution 100mg/mL | Green
Sodium valproate (Epilim®) | Gastro-resistant tablets 200mg, 500mg | Green SI | | | Valproate pregnancy prevention programme
Sodium valproate (Epilim® Chrono) | Modified-release tablets 200mg, 300mg, 500mg | Green SI | | | Valproate pregnancy prevention programme; prescribe by brand
Phenytoin sodium | Capsules 25mg, 50mg, 100mg, 300mg | Green | | | Keep to one manufacturer (MHRA category 1)
Phenobarbital | Tablets 15mg, 30mg, 60mg | Green SI
Topiramate | Tablets 25mg, 50mg, 100mg, 200mg | Green SI | | | Also migraine prophylaxis; pregnancy prevention programme
Zonisamide | Capsules 25mg, 50mg, 100mg | Green SI
Lacosamide | Tablets 50mg, 100mg, 150mg, 200mg | Green SI
Brivaracetam | Tablets 10mg, 25mg, 50mg, 75mg, 100mg | Green SI
Perampanel (Fycompa®) | Tablets 2mg, 4mg, 6mg, 8mg, 10mg, 12mg | Hospital Only
Clobazam | Tablets 10mg | Green SI
Ethosuximide | Capsules 250mg | Green SI
Cannabidiol (Epidyolex®) | Oral solution 100mg/mL | Hospital Only | | | Dravet and Lennox-Gastaut syndromes | TA614, TA615
## 4.8.2 Drugs used in status epilepticus
Midazolam (Buccolam®) | Oromucosal solution 10mg/2mL | Green | | | Prescribe by brand
## 4.9.1 Dopaminergic drugs used in parkinsonism
Co-careldopa | Tablets 12.5mg/50mg, 10mg/100mg, 25mg/100mg, 25mg/250mg | Green SI
Co-careldopa (Sinemet® CR) | Modified-release tablets 25mg/100mg, 50mg/200mg | Green SI
Co-beneldopa (Madopar®) | Capsules 12.5mg/50mg, 25mg/100mg, 50mg/200mg | Green SI
Co-beneldopa (Madopar®) | Dispersible tablets 12.5mg/50mg, 25mg/100mg | Green SI
Ropinirole | Tablets 250 micrograms, 500 micrograms, 1mg, 2mg, 5mg | Green SI
Ropinirole | Modified-release tablets 2mg, 4mg, 8mg | Green SI | | | Prescribe by brand
Pramipexole | Tablets 88 micrograms, 180 micrograms, 700 micrograms | Green SI | | | Strengths expressed as base
Pramipexole | Modified-release tablets 260 micrograms, 520 micrograms, 1.05mg, 2.1mg | Green SI
Rotigotine (Neupro®) | Transdermal patches 2mg, 4mg, 6mg, 8mg/24 hours | Green SI
Rasagiline | Tablets 1mg | Green SI
Selegiline hydrochloride | Tablets 5mg, 10mg | Green SI
Safinamide | Tablets 50mg, 100mg | Green SI
Entacapone | Tablets 200mg | Green SI
Opicapone (Ongentys®) | Capsules 50mg | Green SI
Amantadine hydrochloride | Capsules 100mg | Green SI
Apomorphine hydrochloride | Injection 10mg/mL | Amber SCG
## 4.9.2 Antimuscarinic drugs used in parkinsonism
Procyclidine hydrochloride | Tablets 5mg | Green
Trihexyphenidyl hydrochloride | Tablets 2mg, 5mg | Green
## 4.9.3 Drugs used in essential tremor, chorea, tics and related disorders
Tetrabenazine | Tablets 25mg | Green SI
Riluzole | Tablets 50mg | Amber SCG | | | Motor neurone disease
## 4.10 Drugs used in substance dependence
Nicotine (Nicotinell®) | Transdermal patches 7mg, 14mg, 21mg/24 hours | Green
Nicotine | Medicated chewing gum 2mg, 4mg | Green
Varenicline | Tablets 500 micrograms, 1mg | Green | | | | TA123
Acamprosate calcium | Gastro-resistant tablets 333mg | Green SI
Disulfiram | Tablets 200mg | Green SI
Naltrexone hydrochloride | Tablets 50mg | Amber SCG
Nalmefene (Selincro®) | Tablets 18mg | Green SI | | | | TA325
Buprenorphine | Sublingual tablets 2mg, 8mg | Amber SCG | | | Opioid dependence
Methadone hydrochloride | Oral solution 1mg/mL | Amber SCG | | | Opioid dependence; sugar-free
Lofexidine hydrochloride | Tablets 200 micrograms | Green SI
## 4.11 Drugs for dementia
Donepezil hydrochloride | Tablets 5mg, 10mg | Green SI | 1st | | | TA217
Donepezil hydrochloride | Orodispersible tablets 5mg, 10mg | Green SI | | | | TA217
Galantamine | Modified-release capsules 8mg, 16mg, 24mg | Green SI | | | | TA217
Rivastigmine | Capsules 1.5mg, 3mg, 4.5mg, 6mg | Green SI | | | | TA217
Rivastigmine | Transdermal patches 4.6mg, 9.5mg, 13.3mg/24 hours | Green SI | | | | TA217
Memantine hydrochloride | Tablets 10mg, 20mg | Green SI | | | | TA217
"""

MERSEYSIDE_04 = """
## 04.01.01
ZOPICLONE | Tabs 3.75 mg, 7.5 mg | Green | 1st line | Short-term use only
ZOLPIDEM | Tabs 5 mg, 10 mg | Green | 2nd line
TEMAZEPAM | Tabs 10 mg, 20 mg | Green
NITRAZEPAM | Tabs 5 mg | Black
MELATONIN (Circadin) | MR Tabs 2 mg | Grey
MELATONIN | Oral soln 1 mg/ml | Amber recommended | | Children: specialist recommendation
PROMETHAZINE HYDROCHLORIDE | Tabs 10 mg, 25 mg | Green
## 04.01.02
DIAZEPAM | Tabs 2 mg, 5 mg, 10 mg | Green | 1st line
DIAZEPAM | Oral soln 2 mg/5 ml | Green
DIAZEPAM | Rectal tubes 5 mg, 10 mg | Green
LORAZEPAM | Tabs 1 mg | Green
CHLORDIAZEPOXIDE | Caps 5 mg, 10 mg | Green
BUSPIRONE | Tabs 5 mg, 10 mg | Green
## 04.02.01
HALOPERIDOL | Tabs 500 mcg, 1.5 mg, 5 mg | Green
CHLORPROMAZINE | Tabs 25 mg, 50 mg, 100 mg | Green
OLANZAPINE | Tabs 2.5 mg, 5 mg, 7.5 mg, 10 mg, 15 mg, 20 mg | Green | 1st line
OLANZAPINE | Orodisp Tabs 5 mg, 10 mg, 15 mg, 20 mg | Green
QUETIAPINE | Tabs 25 mg, 100 mg, 150 mg, 200 mg, 300 mg | Green | 1st line
QUETIAPINE | MR Tabs 50 mg, 150 mg, 200 mg, 300 mg, 400 mg | Amber recommended
RISPERIDONE | Tabs 500 mcg, 1 mg, 2 mg, 3 mg, 4 mg, 6 mg | Green | 1st line
RISPERIDONE | Oral soln 1 mg/ml | Green
ARIPIPRAZOLE | Tabs 5 mg, 10 mg, 15 mg, 30 mg | Green | 1st line
ARIPIPRAZOLE | Oral soln 1 mg/ml | Amber recommended
AMISULPRIDE | Tabs 50 mg, 100 mg, 200 mg, 400 mg | Green
SULPIRIDE | Tabs 200 mg, 400 mg | Green
LURASIDONE | Tabs 18.5 mg, 37 mg, 74 mg | Amber initiated
CLOZAPINE | Tabs 25 mg, 100 mg | Red | | Prescribe by brand; patient must be registered with a monitoring service
## 04.02.02
ARIPIPRAZOLE (Abilify Maintena) | PR Inj 400 mg | Purple
FLUPENTIXOL DECANOATE | Depot Inj 20 mg/ml, 100 mg/ml | Amber Patient Retained
HALOPERIDOL DECANOATE | Depot Inj 50 mg/ml | Amber Patient Retained
ZUCLOPENTHIXOL DECANOATE | Depot Inj 200 mg/ml | Amber Patient Retained
PALIPERIDONE (Xeplion) | PR Inj 50 mg, 75 mg, 100 mg, 150 mg | Purple
PALIPERIDONE (Trevicta) | PR Inj 175 mg, 263 mg, 350 mg, 525 mg | Red | | Three-monthly injection
RISPERIDONE (Risperdal Consta) | PR Inj 25 mg, 37.5 mg, 50 mg | Purple
OLANZAPINE EMBONATE (ZypAdhera) | PR Inj 210 mg, 300 mg, 405 mg | Red
## 04.02.03
LITHIUM CARBONATE (Priadel) | MR Tabs 200 mg, 400 mg | Purple | | Prescribe by brand
LITHIUM CITRATE (Priadel) | Liquid 520 mg/5 ml | Purple | | Prescribe by brand
VALPROATE SEMISODIUM (Depakote) | E/C Tabs 250 mg, 500 mg | Amber Initiated | | Valproate pregnancy prevention programme
## 04.03.01
AMITRIPTYLINE | Tabs 10 mg, 25 mg, 50 mg | Green
CLOMIPRAMINE | Caps 10 mg, 25 mg, 50 mg | Green
IMIPRAMINE | Tabs 10 mg, 25 mg | Green
LOFEPRAMINE | Tabs 70 mg | Green
NORTRIPTYLINE | Tabs 10 mg, 25 mg | Green
DOSULEPIN | Caps 25 mg, Tabs 75 mg | Black
TRAZODONE | Caps 50 mg, 100 mg | Green
## 04.03.02
PHENELZINE | Tabs 15 mg | Red
MOCLOBEMIDE | Tabs 150 mg, 300 mg | Amber initiated
## 04.03.03
SERTRALINE | Tabs 50 mg, 100 mg | Green | 1st line
CITALOPRAM | Tabs 10 mg, 20 mg, 40 mg | Green | 1st line
FLUOXETINE | Caps 20 mg | Green | 1st line
FLUOXETINE | Caps 60 mg | Black | | Use 3 x 20 mg capsules (cost)
FLUOXETINE | Oral soln 20 mg/5 ml | Green
ESCITALOPRAM | Tabs 5 mg, 10 mg, 20 mg | Green
PAROXETINE | Tabs 10 mg, 20 mg, 30 mg | Green
## 04.03.04
MIRTAZAPINE | Tabs 15 mg, 30 mg, 45 mg | Green | 1st line
MIRTAZAPINE | Orodisp Tabs 15 mg, 30 mg, 45 mg | Green
VENLAFAXINE | Tabs 37.5 mg, 75 mg | Green
VENLAFAXINE | MR Caps 75 mg, 150 mg, 225 mg | Green | | Prescribe by brand
VENLAFAXINE | MR Tabs 75 mg, 150 mg, 225 mg | Black
DULOXETINE | Caps 30 mg, 60 mg | Green
AGOMELATINE | Tabs 25 mg | Black
## 04.04
METHYLPHENIDATE | Tabs 5 mg, 10 mg, 20 mg | Purple | | Shared care agreement
METHYLPHENIDATE | MR Tabs 18 mg, 27 mg, 36 mg, 54 mg | Purple | | Shared care agreement; prescribe by brand
METHYLPHENIDATE (Equasym XL) | MR Caps 10 mg, 20 mg, 30 mg | Purple
LISDEXAMFETAMINE (Elvanse) | Caps 20 mg, 30 mg, 40 mg, 50 mg, 60 mg, 70 mg | Purple
DEXAMFETAMINE SULFATE | Tabs 5 mg | Purple
ATOMOXETINE | Caps 10 mg, 18 mg, 25 mg, 40 mg, 60 mg, 80 mg | Purple
GUANFACINE (Intuniv) | MR Tabs 1 mg, 2 mg, 3 mg, 4 mg | Purple
MODAFINIL | Tabs 100 mg, 200 mg | Amber initiated | | Narcolepsy
## 04.06
CYCLIZINE | Tabs 50 mg | Green
CYCLIZINE | Inj 50 mg/ml | Green
PROCHLORPERAZINE | Tabs 5 mg | Green
PROCHLORPERAZINE | Buccal Tabs 3 mg | Green
METOCLOPRAMIDE | Tabs 10 mg | Green | | Maximum 5 days
DOMPERIDONE | Tabs 10 mg | Green
ONDANSETRON | Tabs 4 mg, 8 mg | Green
ONDANSETRON | Orodisp Tabs 4 mg, 8 mg | Green
HYOSCINE HYDROBROMIDE (Scopoderm) | Patch 1 mg/72 hrs | Green
BETAHISTINE | Tabs 8 mg, 16 mg | Green
LEVOMEPROMAZINE | Tabs 25 mg | Green | | Palliative care
LEVOMEPROMAZINE | Tabs 6 mg | Amber recommended | | Palliative care; unlicensed strength
## 04.07.01
PARACETAMOL | Tabs 500 mg | Green | 1st line
PARACETAMOL | Oral susp 120 mg/5 ml, 250 mg/5 ml | Green
PARACETAMOL | Soluble Tabs 500 mg | Green
## 04.07.02
CODEINE PHOSPHATE | Tabs 15 mg, 30 mg | Green
CO-CODAMOL | Tabs 30/500 | Green
CO-CODAMOL | Caps 30/500 | Green
CO-DYDRAMOL | Tabs 10/500 | Black
DIHYDROCODEINE | Tabs 30 mg | Green
TRAMADOL | Caps 50 mg | Green
TRAMADOL | MR Tabs 100 mg, 150 mg, 200 mg | Green
MORPHINE SULPHATE (Oramorph) | Oral soln 10 mg/5 ml | Green | 1st line
MORPHINE SULPHATE (MST Continus) | MR Tabs 5 mg, 10 mg, 15 mg, 30 mg, 60 mg, 100 mg | Green | | Prescribe by brand
MORPHINE SULPHATE (Zomorph) | MR Caps 10 mg, 30 mg, 60 mg | Green | | Prescribe by brand
OXYCODONE | Caps 5 mg, 10 mg, 20 mg | Green
OXYCODONE | MR Tabs 10 mg, 20 mg, 40 mg, 80 mg | Green | | Prescribe by brand
OXYCODONE/NALOXONE (Targinact) | MR Tabs 10 mg/5 mg, 20 mg/10 mg | Black
BUPRENORPHINE (Butec) | 7-day patch 5 mcg/hr, 10 mcg/hr, 20 mcg/hr | Green | | Prescribe by brand
BUPRENORPHINE (Transtec) | 4-day patch 35 mcg/hr, 52.5 mcg/hr, 70 mcg/hr | Amber recommended | | Prescribe by brand
FENTANYL (Matrifen) | 72-hour patch 12 mcg/hr, 25 mcg/hr, 50 mcg/hr, 75 mcg/hr, 100 mcg/hr | Amber recommended | | Opioid-tolerant patients only
FENTANYL (Abstral) | S/L Tabs 100 mcg | Red
TAPENTADOL (Palexia SR) | MR Tabs 50 mg, 100 mg, 150 mg, 200 mg, 250 mg | Black
DIAMORPHINE | Inj 5 mg, 10 mg, 30 mg | Green | | Palliative care
## 04.07.03
GABAPENTIN | Caps 100 mg, 300 mg, 400 mg | Green | 1st line
GABAPENTIN | Tabs 600 mg, 800 mg | Green
PREGABALIN | Caps 25 mg, 50 mg, 75 mg, 100 mg, 150 mg, 200 mg, 225 mg, 300 mg | Green | 2nd line
CAPSAICIN (Axsain) | Cream 0.075% | Amber recommended
CAPSAICIN (Qutenza) | Patch 179 mg | Red
LIDOCAINE (Ralvo) | Plaster 700 mg | Grey
## 04.07.04
SUMATRIPTAN | Tabs 50 mg, 100 mg | Green | 1st line
SUMATRIPTAN | Inj 6 mg/0.5 ml | Amber recommended
ZOLMITRIPTAN | Tabs 2.5 mg, 5 mg | Green
ZOLMITRIPTAN | Orodisp Tabs 2.5 mg, 5 mg | Green
RIZATRIPTAN | Oral lyophilisates 10 mg | Green
PIZOTIFEN | Tabs 500 mcg, 1.5 mg | Green
ERENUMAB (Aimovig) | Inj 70 mg, 140 mg | Red | | | TA682
GALCANEZUMAB (Emgality) | Inj 120 mg | Red | | | TA659
FREMANEZUMAB (Ajovy) | Inj 225 mg | Red | | | TA764
RIMEGEPANT (Vydura) | Oral lyophilisates 75 mg | Amber Recommended | | Acute migraine after two triptans | TA919
BOTULINUM TOXIN TYPE A (Botox) | Inj 100 units | Red | | | TA260
## 04.08.01
CARBAMAZEPINE | Tabs 100 mg, 200 mg, 400 mg | Green | | Category 1: maintain on same brand
CARBAMAZEPINE (Tegretol Prolonged Release) | MR Tabs 200 mg, 400 mg | Green | | Category 1: maintain on same brand
LAMOTRIGINE | Tabs 25 mg, 50 mg, 100 mg, 200 mg | Green | 1st line
LAMOTRIGINE | Disp Tabs 5 mg, 25 mg, 100 mg | Green
LEVETIRACETAM | Tabs 250 mg, 500 mg, 750 mg, 1000 mg | Green | 1st line
LEVETIRACETAM | Oral soln 100 mg/ml | Green
SODIUM VALPROATE (Epilim) | E/C Tabs 200 mg, 500 mg | Amber initiated | | Valproate pregnancy prevention programme
SODIUM VALPROATE (Epilim Chrono) | MR Tabs 200 mg, 300 mg, 500 mg | Amber initiated | | Valproate pregnancy prevention programme
PHENYTOIN SODIUM | Caps 25 mg, 50 mg, 100 mg, 300 mg | Green
PHENOBARBITAL | Tabs 15 mg, 30 mg, 60 mg | Amber initiated
TOPIRAMATE | Tabs 25 mg, 50 mg, 100 mg, 200 mg | Amber initiated
ZONISAMIDE | Caps 25 mg, 50 mg, 100 mg | Amber initiated
LACOSAMIDE | Tabs 50 mg, 100 mg, 150 mg, 200 mg | Amber initiated
BRIVARACETAM | Tabs 10 mg, 25 mg, 50 mg, 75 mg, 100 mg | Amber initiated
PERAMPANEL (Fycompa) | Tabs 2 mg, 4 mg, 6 mg, 8 mg, 10 mg, 12 mg | Amber initiated
CLOBAZAM | Tabs 10 mg | Amber initiated
ETHOSUXIMIDE | Caps 250 mg | Amber initiated
CANNABIDIOL (Epidyolex) | Oral soln 100 mg/ml | Red | | | TA614, TA615
CENOBAMATE (Ontozry) | Tabs 12.5 mg, 25 mg, 50 mg, 100 mg, 150 mg, 200 mg | Red | | | TA753
## 04.08.02
MIDAZOLAM (Buccolam) | Oromucosal soln 10 mg/2 ml | Green | | Prescribe by brand
## 04.09.01
CO-CARELDOPA | Tabs 12.5/50, 10/100, 25/100, 25/250 | Amber initiated
CO-CARELDOPA (Sinemet CR) | MR Tabs 25/100, 50/200 | Amber initiated
CO-BENELDOPA (Madopar) | Caps 12.5/50, 25/100, 50/200 | Amber initiated
CO-BENELDOPA (Madopar) | Disp Tabs 12.5/50, 25/100 | Amber initiated
ROPINIROLE | Tabs 250 mcg, 500 mcg, 1 mg, 2 mg, 5 mg | Amber initiated
ROPINIROLE | MR Tabs 2 mg, 4 mg, 8 mg | Amber initiated | | Prescribe by brand
PRAMIPEXOLE | Tabs 88 mcg, 180 mcg, 700 mcg | Amber initiated
PRAMIPEXOLE | MR Tabs 260 mcg, 520 mcg, 1.05 mg, 2.1 mg | Amber initiated
ROTIGOTINE (Neupro) | Patch 2 mg/24 hrs, 4 mg/24 hrs, 6 mg/24 hrs, 8 mg/24 hrs | Amber initiated
RASAGILINE | Tabs 1 mg | Amber initiated
SELEGILINE | Tabs 5 mg, 10 mg | Amber initiated
ENTACAPONE | Tabs 200 mg | Amber initiated
OPICAPONE (Ongentys) | Caps 50 mg | Amber initiated
AMANTADINE | Caps 100 mg | Amber initiated
APOMORPHINE | Inj 10 mg/ml | Purple
## 04.09.02
PROCYCLIDINE | Tabs 5 mg | Green
TRIHEXYPHENIDYL | Tabs 2 mg, 5 mg | Green
## 04.09.03
TETRABENAZINE | Tabs 25 mg | Amber initiated
RILUZOLE | Tabs 50 mg | Amber Patient Retained | | Motor neurone disease
## 04.10
NICOTINE (Nicotinell) | Patch 7 mg/24 hrs, 14 mg/24 hrs, 21 mg/24 hrs | Green
NICOTINE | Gum 2 mg, 4 mg | Green
NICOTINE | Inhalator 15 mg | Green
VARENICLINE | Tabs 500 mcg, 1 mg | Green | | | TA123
ACAMPROSATE | E/C Tabs 333 mg | Amber initiated
DISULFIRAM | Tabs 200 mg | Amber initiated
NALTREXONE | Tabs 50 mg | Purple
NALMEFENE (Selincro) | Tabs 18 mg | Amber recommended | | | TA325
BUPRENORPHINE | S/L Tabs 2 mg, 8 mg | Purple | | Opioid dependence
BUPRENORPHINE (Buvidal) | PR Inj 8 mg, 16 mg, 24 mg, 32 mg | Red | | Opioid dependence: specialist service only
METHADONE | Oral soln 1 mg/ml | Purple | | Opioid dependence
LOFEXIDINE | Tabs 200 mcg | Amber initiated
## 04.11
DONEPEZIL | Tabs 5 mg, 10 mg | Amber recommended | 1st line | | TA217
DONEPEZIL | Orodisp Tabs 5 mg, 10 mg | Amber recommended | | | TA217
GALANTAMINE | MR Caps 8 mg, 16 mg, 24 mg | Amber recommended | | | TA217
RIVASTIGMINE | Caps 1.5 mg, 3 mg, 4.5 mg, 6 mg | Amber recommended | | | TA217
RIVASTIGMINE | Patch 4.6 mg/24 hrs, 9.5 mg/24 hrs, 13.3 mg/24 hrs | Amber recommended | | | TA217
MEMANTINE | Tabs 10 mg, 20 mg | Amber recommended | | | TA217
MEMANTINE | Oral soln 10 mg/ml | Amber recommended | | | TA217
"""

# ---------------------------------------------------------------------------------------------------------
# Chapter 6: Endocrine system (Merseyside exported this chapter as CSV, Windows-1252)
# ---------------------------------------------------------------------------------------------------------
CHESHIRE_06 = """
## 6.1.1.1 Short-acting insulins
Insulin aspart (NovoRapid®) | Penfill cartridges 100 units/mL | Green | 1st | | Prescribe by brand
Insulin aspart (NovoRapid®) | FlexPen 100 units/mL | Green | 1st | | Prescribe by brand
Insulin aspart (Trurapi®) | SoloStar pre-filled pen 100 units/mL | Green | 1st | | Biosimilar: preferred for new patients
Insulin aspart (Fiasp®) | FlexTouch pre-filled pen 100 units/mL | Green SI
Insulin lispro (Humalog®) | KwikPen 100 units/mL | Green | 2nd | | Prescribe by brand
Insulin lispro (Humalog®) | KwikPen 200 units/mL | Green SI | | | High strength: only for doses above 20 units
Insulin lispro (Admelog®) | SoloStar pre-filled pen 100 units/mL | Green | 2nd
Insulin glulisine (Apidra®) | SoloStar pre-filled pen 100 units/mL | Green | 2nd
Soluble insulin (Actrapid®) | Vial 100 units/mL | Hospital Only
Soluble insulin (Humulin S®) | KwikPen 100 units/mL | Green
## 6.1.1.2 Intermediate- and long-acting insulins
Isophane insulin (Humulin I®) | KwikPen 100 units/mL | Green | 1st | | First-line basal insulin in type 2 diabetes
Isophane insulin (Insulatard®) | InnoLet 100 units/mL | Green | 1st
Insulin glargine (Abasaglar®) | KwikPen 100 units/mL | Green | 1st | | Preferred glargine (biosimilar)
Insulin glargine (Lantus®) | SoloStar pre-filled pen 100 units/mL | Green | 2nd
Insulin glargine (Toujeo®) | SoloStar pre-filled pen 300 units/mL | Green SI | | | Not interchangeable unit for unit with 100 units/mL glargine
Insulin detemir (Levemir®) | FlexPen 100 units/mL | Green | 2nd
Insulin degludec (Tresiba®) | FlexTouch 100 units/mL | Green SI
Insulin degludec (Tresiba®) | FlexTouch 200 units/mL | Green SI
Biphasic insulin aspart (NovoMix® 30) | FlexPen 100 units/mL | Green
Biphasic insulin lispro (Humalog® Mix25) | KwikPen 100 units/mL | Green
Biphasic insulin lispro (Humalog® Mix50) | KwikPen 100 units/mL | Green
Biphasic isophane insulin (Humulin M3®) | KwikPen 100 units/mL | Green
Insulin degludec with liraglutide (Xultophy®) | Pre-filled pen 100 units/3.6mg per mL | Green SI
## 6.1.2.1 Sulfonylureas
Gliclazide | Tablets 40mg, 80mg | Green | 1st
Gliclazide | Modified-release tablets 30mg, 60mg | Green | 2nd
Glimepiride | Tablets 1mg, 2mg, 3mg, 4mg | Green | 2nd
Glipizide | Tablets 5mg | Grey
Tolbutamide | Tablets 500mg | DNP
## 6.1.2.2 Biguanides
Metformin hydrochloride | Tablets 500mg, 850mg | Green | 1st
Metformin hydrochloride | Modified-release tablets 500mg, 750mg, 1g | Green | 2nd | | Gastro-intestinal intolerance of standard-release
Metformin hydrochloride | Oral solution 500mg/5mL | Green SR | | | Only where tablets cannot be swallowed
Metformin hydrochloride | Powder sachets 500mg, 1g | DNP
## 6.1.2.3 Other antidiabetic drugs
Pioglitazone | Tablets 15mg, 30mg, 45mg | Green | 2nd
Alogliptin | Tablets 6.25mg, 12.5mg, 25mg | Green | 1st | | Preferred DPP-4 inhibitor
Linagliptin (Trajenta®) | Tablets 5mg | Green | 2nd | | No renal dose adjustment needed
Sitagliptin | Tablets 25mg, 50mg, 100mg | Green | 2nd
Saxagliptin | Tablets 2.5mg, 5mg | Grey
Vildagliptin | Tablets 50mg | Grey
Alogliptin with metformin (Vipdomet®) | Tablets 12.5mg/1g | Green
Sitagliptin with metformin (Janumet®) | Tablets 50mg/1g | Green
Dapagliflozin (Forxiga®) | Tablets 5mg, 10mg | Green | 1st | | Type 2 diabetes; also heart failure and CKD | TA390, TA679
Empagliflozin (Jardiance®) | Tablets 10mg, 25mg | Green | 1st | | | TA336, TA773
Canagliflozin (Invokana®) | Tablets 100mg, 300mg | Green | 2nd | | | TA315
Ertugliflozin (Steglatro®) | Tablets 5mg, 15mg | Grey | | | | TA572
Liraglutide (Victoza®) | Pre-filled pen 6mg/mL | Green SI
Dulaglutide (Trulicity®) | Pre-filled pen 0.75mg, 1.5mg, 3mg, 4.5mg | Green SI | 1st
Semaglutide (Ozempic®) | Pre-filled pen 0.25mg, 0.5mg, 1mg | Green SI | | | Type 2 diabetes only; prescribe by brand
Semaglutide (Rybelsus®) | Tablets 3mg, 7mg, 14mg | Green SI
Semaglutide (Wegovy®) | Pre-filled pen 0.25mg, 0.5mg, 1mg, 1.7mg, 2.4mg | Hospital Only | | | Weight management: specialist service only | TA875
Tirzepatide (Mounjaro®) | KwikPen 2.5mg, 5mg, 7.5mg, 10mg, 12.5mg, 15mg | Green SI | | | Type 2 diabetes | TA924
Repaglinide | Tablets 500 micrograms, 1mg, 2mg | Grey
Acarbose | Tablets 50mg, 100mg | DNP
## 6.1.4 Treatment of hypoglycaemia
Glucagon (GlucaGen® HypoKit) | Injection 1mg | Green
Glucose (GlucoGel®) | Oral gel 40% | Green
## 6.2.1 Thyroid hormones
Levothyroxine sodium | Tablets 25 micrograms | Green | 1st
Levothyroxine sodium | Tablets 50 micrograms | Green | 1st
Levothyroxine sodium | Tablets 75 micrograms | Green | 1st
Levothyroxine sodium | Tablets 100 micrograms | Green | 1st
Levothyroxine sodium | Oral solution 25 micrograms/5mL, 50 micrograms/5mL, 100 micrograms/5mL | Green SR | | | Only where tablets are unsuitable
Liothyronine sodium | Tablets 5 micrograms, 10 micrograms, 20 micrograms | Red | | | Endocrinologist initiation and review only
## 6.2.2 Antithyroid drugs
Carbimazole | Tablets 5mg, 20mg | Green SI
Propylthiouracil | Tablets 50mg | Green SI
## 6.3.1 Replacement therapy
Fludrocortisone acetate | Tablets 100 micrograms | Green SI
Hydrocortisone | Tablets 10mg, 20mg | Green SI
Hydrocortisone (Alkindi®) | Granules in capsules for opening 0.5mg, 1mg, 2mg, 5mg | Hospital Only
Hydrocortisone (Plenadren®) | Modified-release tablets 5mg, 20mg | DNP
## 6.3.2 Glucocorticoid therapy
Prednisolone | Tablets 1mg, 5mg | Green | 1st
Prednisolone | Gastro-resistant tablets 2.5mg, 5mg | DNP | | | No evidence of less gastric irritation
Prednisolone | Soluble tablets 5mg | Green SR | | | Children and swallowing difficulties
Dexamethasone | Tablets 500 micrograms, 2mg | Green
Dexamethasone | Oral solution 2mg/5mL | Green
Methylprednisolone | Tablets 2mg, 4mg, 16mg | Green SI
## 6.4.1.1 Oestrogens and HRT
Estradiol (Elleste Solo®) | Tablets 1mg, 2mg | Green | 1st
Estradiol (Evorel®) | Transdermal patches 25, 50, 75, 100 micrograms/24 hours | Green | 1st | | Prescribe by brand
Estradiol (Oestrogel®) | Gel 0.06% (750 micrograms per actuation) | Green
Estradiol (Sandrena®) | Gel 0.1% sachets 500 micrograms, 1mg | Green
Estradiol with norethisterone (Elleste Duet®) | Tablets 1mg, 2mg | Green
Estradiol with dydrogesterone (Femoston®) | Tablets 1/10, 2/10 | Green
Estradiol with dydrogesterone (Femoston® Conti) | Tablets 0.5/2.5, 1/5 | Green
Tibolone | Tablets 2.5mg | Green | 2nd
## 6.4.1.2 Progestogens
Progesterone, micronised (Utrogestan®) | Capsules 100mg | Green | | | Endometrial protection with oestrogen HRT
Norethisterone | Tablets 5mg | Green
Medroxyprogesterone acetate | Tablets 2.5mg, 5mg, 10mg | Green
## 6.4.1.4 Selective oestrogen receptor modulators
Raloxifene hydrochloride | Tablets 60mg | Green SI
## 6.4.2 Male sex hormones and antagonists
Testosterone (Testogel®) | Gel 16.2mg/g | Green SI
Testosterone (Tostran®) | Gel 2% | Green SI
Testosterone undecanoate (Nebido®) | Injection 1g/4mL | Amber SCG
Cyproterone acetate | Tablets 50mg, 100mg | Green SI
## 6.5.1 Hypothalamic and anterior pituitary hormones
Somatropin | Injection (various devices) | Red | | | Prescribe by brand; biosimilar preferred | TA188
Tetracosactide | Injection 250 micrograms/mL | Hospital Only | | | Diagnostic use
## 6.5.2 Posterior pituitary hormones and antagonists
Desmopressin | Tablets 100 micrograms, 200 micrograms | Green
Desmopressin (DesmoMelt®) | Oral lyophilisates 120 micrograms, 240 micrograms | Green | | | 120 micrograms lyophilisate = 200 micrograms tablet
Desmopressin | Nasal spray 10 micrograms/dose | Green SI | | | Cranial diabetes insipidus only
Tolvaptan (Samsca®) | Tablets 15mg, 30mg | Hospital Only
## 6.6 Drugs affecting bone metabolism
Alendronic acid | Tablets<nbsp>70mg | Green | 1st | | Once weekly
Risedronate sodium | Tablets 35mg | Green | 2nd | | Once weekly
Ibandronic acid | Tablets 150mg | Green | 3rd | | Once monthly
Zoledronic acid | Infusion 5mg/100mL | Hospital Only
Denosumab (Prolia®) | Pre-filled syringe 60mg | Amber SCG | | | Six-monthly; do not stop without a plan | TA204
Teriparatide | Pre-filled pen 20 micrograms/80 microlitres | Red | | | Biosimilar preferred | TA161
Romosozumab (Evenity®) | Pre-filled pen 105mg | Red | | | | TA791
## 6.7.1 Dopaminergic drugs
Cabergoline | Tablets 500 micrograms | Green SI
Bromocriptine | Tablets 2.5mg | Green SI
"""

MERSEYSIDE_06 = """
## 06.01.01.01
INSULIN ASPART (NovoRapid®) | Penfill 100 units/ml | Green | 1st line | Prescribe by brand
INSULIN ASPART (NovoRapid®) | FlexPen 100 units/ml | Green | 1st line | Prescribe by brand
INSULIN ASPART (Trurapi®) | SoloStar 100 units/ml | Green | 1st line | Biosimilar
INSULIN ASPART (Fiasp®) | FlexTouch 100 units/ml | Amber recommended
INSULIN LISPRO (Humalog®) | KwikPen 100 units/ml | Green | | Prescribe by brand
INSULIN LISPRO (Humalog®) | KwikPen 200 units/ml | Amber initiated
INSULIN LISPRO (Lyumjev®) | KwikPen 100 units/ml | Amber recommended
INSULIN GLULISINE (Apidra®) | SoloStar 100 units/ml | Green
SOLUBLE INSULIN (Actrapid®) | Vial 100 units/ml | Red
SOLUBLE INSULIN (Humulin S®) | KwikPen 100 units/ml | Green
## 06.01.01.02
ISOPHANE INSULIN (Humulin I®) | KwikPen 100 units/ml | Green | 1st line
ISOPHANE INSULIN (Insulatard®) | InnoLet 100 units/ml | Green | 1st line
INSULIN GLARGINE (Abasaglar®) | KwikPen 100 units/ml | Green | 1st line | Biosimilar: preferred glargine
INSULIN GLARGINE (Semglee®) | Pre-filled pen 100 units/ml | Green | 1st line | Biosimilar
INSULIN GLARGINE (Lantus®) | SoloStar 100 units/ml | Green
INSULIN GLARGINE (Toujeo®) | SoloStar 300 units/ml | Amber recommended | | Not interchangeable unit for unit with 100 units/ml products
INSULIN DETEMIR (Levemir®) | FlexPen 100 units/ml | Green
INSULIN DEGLUDEC (Tresiba®) | FlexTouch 100 units/ml, 200 units/ml | Amber recommended
BIPHASIC INSULIN ASPART (NovoMix® 30) | FlexPen 100 units/ml | Green
BIPHASIC INSULIN LISPRO (Humalog® Mix25) | KwikPen 100 units/ml | Green
BIPHASIC INSULIN LISPRO (Humalog® Mix50) | KwikPen 100 units/ml | Green
BIPHASIC ISOPHANE INSULIN (Humulin M3®) | KwikPen 100 units/ml | Green
INSULIN DEGLUDEC/LIRAGLUTIDE (Xultophy®) | Pre-filled pen | Red
## 06.01.02.01
GLICLAZIDE | Tabs 40 mg, 80 mg | Green | 1st line
GLICLAZIDE | MR Tabs 30 mg, 60 mg | Green
GLIMEPIRIDE | Tabs 1 mg, 2 mg, 3 mg, 4 mg | Green
GLIPIZIDE | Tabs 5 mg | Grey
TOLBUTAMIDE | Tabs 500 mg | Black
## 06.01.02.02
METFORMIN | Tabs 500 mg, 850 mg | Green | 1st line
METFORMIN | MR Tabs 500 mg, 750 mg, 1000 mg | Green | 2nd line
METFORMIN | Oral soln 500 mg/5 ml | Amber recommended | | Approx. £60 per 150 ml: only if tablets cannot be swallowed
METFORMIN | Sachets 500 mg, 1000 mg | Black
## 06.01.02.03
PIOGLITAZONE | Tabs 15 mg, 30 mg, 45 mg | Green
ALOGLIPTIN | Tabs 6.25 mg, 12.5 mg, 25 mg | Green | 1st line
LINAGLIPTIN (Trajenta®) | Tabs 5 mg | Green
SITAGLIPTIN | Tabs 25 mg, 50 mg, 100 mg | Green | 1st line
SAXAGLIPTIN | Tabs 2.5 mg, 5 mg | Green
VILDAGLIPTIN | Tabs 50 mg | Black
ALOGLIPTIN/METFORMIN (Vipdomet®) | Tabs 12.5 mg/1000 mg | Green
SITAGLIPTIN/METFORMIN (Janumet®) | Tabs 50 mg/1000 mg | Green
DAPAGLIFLOZIN (Forxiga®) | Tabs 5 mg, 10 mg | Green | 1st line | | TA390 / TA679
EMPAGLIFLOZIN (Jardiance®) | Tabs 10 mg, 25 mg | Green | 1st line | | TA336 / TA773
CANAGLIFLOZIN (Invokana®) | Tabs 100 mg, 300 mg | Green | | | TA315
ERTUGLIFLOZIN (Steglatro®) | Tabs 5 mg, 15 mg | Green | | | TA572
LIRAGLUTIDE (Victoza®) | Inj 6 mg/ml pre-filled pen | Amber initiated
DULAGLUTIDE (Trulicity®) | Inj 0.75 mg, 1.5 mg, 3 mg, 4.5 mg pre-filled pen | Amber initiated | 1st line
SEMAGLUTIDE (Ozempic®) | Inj 0.25 mg, 0.5 mg, 1 mg pre-filled pen | Amber initiated | | Type 2 diabetes; prescribe by brand
SEMAGLUTIDE (Rybelsus®) | Tabs 3 mg, 7 mg, 14 mg | Amber initiated
SEMAGLUTIDE (Wegovy®) | Inj 0.25 mg, 0.5 mg, 1 mg, 1.7 mg, 2.4 mg pre-filled pen | Red | | Specialist weight management service | TA875
TIRZEPATIDE (Mounjaro®) | KwikPen 2.5 mg, 5 mg, 7.5 mg, 10 mg, 12.5 mg, 15 mg | Amber initiated | | Type 2 diabetes | TA924
REPAGLINIDE | Tabs 500 mcg, 1 mg, 2 mg | Grey
## 06.01.04
GLUCAGON (GlucaGen® HypoKit) | Inj 1 mg | Green
GLUCOSE (GlucoGel®) | Oral gel 40% | Green
GLUCOSE (Dextro Energy®) | Chewable Tabs 3 g | Green | | Self-care purchase encouraged
## 06.02.01
LEVOTHYROXINE | Tabs 12.5 mcg, 25 mcg, 50 mcg, 75 mcg, 100 mcg | Green | 1st line
LEVOTHYROXINE | Oral soln 25 µg/5 ml, 50 µg/5 ml, 100 µg/5 ml | Amber recommended | | Prescribe by brand
LIOTHYRONINE | Tabs 5 mcg, 10 mcg, 20 mcg | Red | | Endocrinology only
## 06.02.02
CARBIMAZOLE | Tabs 5 mg, 20 mg | Amber initiated
PROPYLTHIOURACIL | Tabs 50 mg | Amber initiated
## 06.03.01
FLUDROCORTISONE | Tabs 100 mcg | Amber initiated
HYDROCORTISONE | Tabs 10 mg, 20 mg | Amber initiated
HYDROCORTISONE (Alkindi®) | Granules in caps 0.5 mg, 1 mg, 2 mg, 5 mg | Red
HYDROCORTISONE (Plenadren®) | MR Tabs 5 mg, 20 mg | Black
## 06.03.02
PREDNISOLONE | Tabs 1 mg, 5 mg | Green | 1st line
PREDNISOLONE | E/C Tabs 2.5 mg, 5 mg | Black
PREDNISOLONE | Soluble Tabs 5 mg | Green
DEXAMETHASONE | Tabs 500 mcg, 2 mg | Green
DEXAMETHASONE | Tabs 4 mg | Green
DEXAMETHASONE | Oral soln 2 mg/5 ml | Green
METHYLPREDNISOLONE | Tabs 2 mg, 4 mg, 16 mg | Amber initiated
## 06.04.01.01
ESTRADIOL (Elleste Solo®) | Tabs 1 mg, 2 mg | Green | 1st line
ESTRADIOL (Evorel®) | Patch 25 mcg, 50 mcg, 75 mcg, 100 mcg | Green | 1st line | Prescribe by brand
ESTRADIOL (Estradot®) | Patch 25 mcg, 37.5 mcg, 50 mcg, 75 mcg, 100 mcg | Green | | Smaller patch; prescribe by brand
ESTRADIOL (Oestrogel®) | Gel 0.06% pump | Green
ESTRADIOL (Sandrena®) | Gel sachets 500 mcg, 1 mg | Green
ESTRADIOL/NORETHISTERONE (Elleste Duet®) | Tabs 1 mg, 2 mg | Green
ESTRADIOL/DYDROGESTERONE (Femoston®) | Tabs 1/10, 2/10 | Green
ESTRADIOL/DYDROGESTERONE (Femoston® Conti) | Tabs 0.5/2.5, 1/5 | Green
TIBOLONE | Tabs 2.5 mg | Green
## 06.04.01.02
PROGESTERONE MICRONISED (Utrogestan®) | Caps 100 mg | Green
NORETHISTERONE | Tabs 5 mg | Green
MEDROXYPROGESTERONE | Tabs 2.5 mg, 5 mg, 10 mg | Green
## 06.04.01.04
RALOXIFENE | Tabs 60 mg | Amber initiated
## 06.04.02
TESTOSTERONE (Testogel®) | Gel 16.2 mg/g | Amber initiated
TESTOSTERONE (Tostran®) | Gel 2% | Amber initiated
TESTOSTERONE UNDECANOATE (Nebido®) | Inj 1 g/4 ml | Amber Patient Retained
CYPROTERONE | Tabs 50 mg, 100 mg | Amber initiated
## 06.05.01
SOMATROPIN | Inj | Red | | | TA188
TETRACOSACTIDE | Inj 250 mcg/ml | Red
## 06.05.02
DESMOPRESSIN | Tabs 100 mcg, 200 mcg | Green
DESMOPRESSIN (DesmoMelt®) | Oral lyophilisates 120 mcg, 240 mcg | Green
DESMOPRESSIN | Nasal spray 10 mcg/dose | Amber initiated
TOLVAPTAN (Samsca®) | Tabs 15 mg, 30 mg | Red
## 06.06.02
ALENDRONIC ACID | Tabs 70 mg | Green | 1st line | Once weekly
RISEDRONATE | Tabs 35 mg | Green | 2nd line | Once weekly
IBANDRONIC ACID | Tabs 150 mg | Green | 2nd line | Once monthly
ZOLEDRONIC ACID | Inf 5 mg/100 ml | Red
DENOSUMAB (Prolia®) | Inj 60 mg pre-filled syringe | Amber Retained | | Six-monthly | TA204
TERIPARATIDE | Inj 20 mcg/80 microlitres pre-filled pen | Red | | | TA161
ROMOSOZUMAB (Evenity®) | Inj 105 mg pre-filled pen | Red | | | TA791
## 06.07.01
CABERGOLINE | Tabs 500 mcg | Amber initiated
BROMOCRIPTINE | Tabs 2.5 mg | Amber initiated
"""

MERSEYSIDE_NOTES = (
    ("Pan Mersey style formulary export (example data for harmonise)",),
    (None,),
    ("RAG status", "Meaning"),
    ("Green", "Suitable for initiation and prescribing in primary care"),
    ("Amber Recommended", "Specialist recommendation; GP initiates and prescribes"),
    ("Amber Initiated", "Specialist initiates; GP continues once stable"),
    ("Amber Patient Retained", "Specialist retains responsibility (also written 'Amber retained')"),
    ("Purple", "Shared care agreement required"),
    ("Red", "Hospital / specialist prescribing only"),
    ("Grey", "Awaiting review: not to be started pending a formulary decision"),
    ("Black", "Not recommended"),
)


# ---------------------------------------------------------------------------------------------------------
# Mechanism: parse the tables above and write the files
# ---------------------------------------------------------------------------------------------------------
# Wirral (a third legacy formulary, chapter 6 only): dm+d-style names, strength before form, its own words.
WIRRAL_HEADER = ("Product", "Traffic Light", "Comments")
WIRRAL_06 = """
NovoRapid 100units/ml solution for injection 3ml cartridges | Green
Insulin aspart 100units/ml solution for injection 3ml pre-filled FlexPen | Green
Fiasp 100units/ml solution for injection 3ml pre-filled FlexTouch pens | Blue | Specialist recommendation
Humalog 100units/ml KwikPen | Green
Humalog 200units/ml KwikPen | Amber | Specialist initiation: high-strength insulin
Lyumjev 100units/ml KwikPen | Blue
Apidra 100units/ml SoloStar | Green
Actrapid 100units/ml solution for injection 10ml vials | Red
Humulin S 100units/ml KwikPen | Green
Humulin I 100units/ml KwikPen | Green
Insulatard 100units/ml InnoLet | Green
Abasaglar 100units/ml KwikPen | Green | Preferred glargine
Semglee 100units/ml pre-filled pen | Green
Lantus 100units/ml SoloStar | Green
Toujeo 300units/ml SoloStar | Amber | Not interchangeable unit for unit with 100units/ml glargine
Levemir 100units/ml FlexPen | Green
Tresiba 100units/ml FlexTouch | Amber
Tresiba 200units/ml FlexTouch | Amber
NovoMix 30 FlexPen 100units/ml | Green
Humalog Mix25 100units/ml KwikPen | Green
Humalog Mix50 100units/ml KwikPen | Green
Humulin M3 100units/ml KwikPen | Green
Gliclazide 40mg tablets | Green
Gliclazide 80mg tablets | Green
Gliclazide 30mg modified-release tablets | Green
Gliclazide 60mg modified-release tablets | Green
Glimepiride 1mg tablets | Green
Glimepiride 2mg tablets | Green
Glimepiride 4mg tablets | Green
Glipizide 5mg tablets | Not approved
Metformin 500mg tablets | Green
Metformin 850mg tablets | Green
Metformin 500mg modified-release tablets | Green
Metformin 750mg modified-release tablets | Green
Metformin 1g modified-release tablets | Green
Metformin 500mg/5ml oral solution sugar free | Blue | Swallowing difficulties only
Pioglitazone 15mg tablets | Green
Pioglitazone 30mg tablets | Green
Pioglitazone 45mg tablets | Green
Alogliptin 25mg tablets | Green | Preferred DPP-4 inhibitor
Alogliptin 12.5mg tablets | Green
Alogliptin 6.25mg tablets | Green
Linagliptin 5mg tablets | Green
Sitagliptin 100mg tablets | Green
Sitagliptin 50mg tablets | Green
Sitagliptin 25mg tablets | Green
Saxagliptin 5mg tablets | Not approved
Dapagliflozin 10mg tablets | Green | TA390
Dapagliflozin 5mg tablets | Green
Empagliflozin 10mg tablets | Green | TA336
Empagliflozin 25mg tablets | Green
Canagliflozin 100mg tablets | Amber
Canagliflozin 300mg tablets | Amber
Victoza 6mg/ml pre-filled pen | Amber
Trulicity 1.5mg/0.5ml pre-filled pen | Amber
Ozempic 0.25mg pre-filled pen | Amber | Type 2 diabetes only
Rybelsus 3mg tablets | Amber
Rybelsus 7mg tablets | Amber
Rybelsus 14mg tablets | Amber
Mounjaro 2.5mg KwikPen | Amber | TA924
Acarbose 50mg tablets | Not approved
Repaglinide 500microgram tablets | Not approved
GlucaGen HypoKit 1mg | Green
GlucoGel 40% oral gel | Green
Levothyroxine 25microgram tablets | Green
Levothyroxine 50microgram tablets | Green
Levothyroxine 100microgram tablets | Green
Levothyroxine 75microgram tablets | Green
Levothyroxine 12.5microgram tablets | Green | Paediatric and frail elderly dosing
Liothyronine 20microgram tablets | Red
Carbimazole 5mg tablets | Green
Carbimazole 20mg tablets | Green
Propylthiouracil 50mg tablets | Amber
Fludrocortisone 100microgram tablets | Amber
Hydrocortisone 10mg tablets | Amber
Hydrocortisone 20mg tablets | Amber
Plenadren 5mg modified-release tablets | Not approved
Prednisolone 5mg tablets | Green
Prednisolone 1mg tablets | Green
Prednisolone 5mg gastro-resistant tablets | Not approved
Prednisolone 5mg soluble tablets | Blue
Dexamethasone 2mg tablets | Green
Dexamethasone 500microgram tablets | Green
Methylprednisolone 4mg tablets | Amber
Elleste Solo 1mg tablets | Green
Elleste Solo 2mg tablets | Green
Oestrogel 0.06% gel | Green
Utrogestan 100mg capsules | Green
Norethisterone 5mg tablets | Green
Medroxyprogesterone 10mg tablets | Green
Tibolone 2.5mg tablets | Blue
Raloxifene 60mg tablets | Amber
Testogel 16.2mg/g gel | Amber
Nebido 1g/4ml solution for injection | Amber SCP
Cyproterone 50mg tablets | Amber
Desmopressin 100microgram tablets | Green
Desmopressin 200microgram tablets | Green
DesmoMelt 120microgram oral lyophilisates | Green
Alendronic acid 70mg tablets | Green | Once weekly
Risedronate sodium 35mg tablets | Green
Ibandronic acid 150mg tablets | Blue
Prolia 60mg/1ml solution for injection pre-filled syringes | Amber SCP | TA204
Cabergoline 500microgram tablets | Amber
Bromocriptine 2.5mg tablets | Amber
Calcitriol 250nanogram capsules | Amber | Not listed in the other formularies
"""


@dataclass(frozen=True)
class Sheet:
    """One legacy spreadsheet to write: rows as cell values, with the row numbers to merge across."""

    source: str
    chapter: str
    file_name: str
    sheet_name: str
    rows: tuple[tuple[str | None, ...], ...]
    header_row: int
    merged_rows: tuple[int, ...] = ()


def _cell(text: str) -> str | None:
    value = text.strip().replace("<sp>", " ").replace("<nbsp>", "\u00a0")
    return value or None


def _fields(line: str, width: int) -> list[str | None]:
    parts = [_cell(p) for p in line.split("|")]
    if len(parts) > width:
        raise ValueError(f"too many fields ({len(parts)} > {width}): {line!r}")
    return parts + [None] * (width - len(parts))


def _membership(status: str | None) -> str:
    word = (status or "").strip().casefold()
    if word in ("dnp", "black"):
        return "Non-formulary"
    if word in ("red", "hospital only"):
        return "Restricted"
    return "Formulary"


Row = tuple[str | None, ...]


def cheshire_rows(table: str, chapter_number: int, title: str) -> tuple[list[Row], list[int]]:
    """Title row, blank row, header, then heading rows and data rows; returns rows and heading row numbers."""
    rows: list[Row] = [(title,) + (None,) * 8, (None,) * 9, CHESHIRE_HEADER]
    headings = []
    n = 0
    for line in table.strip().splitlines():
        if line.startswith("## "):
            rows.append((line[3:].strip(),) + (None,) * 8)
            headings.append(len(rows))
            continue
        drug, form, status, choice, member, notes, ta = _fields(line, 7)
        n += 1
        ref = f"C{chapter_number:02d}-{n:03d}"
        rows.append((None, drug, form, status, choice, member or _membership(status), notes, ta, ref))
    return rows, headings


def merseyside_rows(table: str) -> list[Row]:
    """Header, then one row per medicine with the section code repeated on every row."""
    rows: list[Row] = [MERSEYSIDE_HEADER]
    section = None
    for line in table.strip().splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        rows.append((section, *_fields(line, 6)))
    return rows


def example_sheets() -> list[Sheet]:
    """Every legacy spreadsheet of the example, as rows of cell values."""
    sheets = []
    cheshire = (
        ("02-cardiovascular", 2, "Chapter 2 Cardiovascular system", CHESHIRE_02, True),
        ("04-central-nervous-system", 4, "Chapter 4 Central nervous system", CHESHIRE_04, False),
        ("06-endocrine", 6, "Chapter 6 Endocrine system", CHESHIRE_06, True),
    )
    for slug, number, name, table, merge_headings in cheshire:
        title = f"Cheshire CCG Joint Formulary \u2014 {name} \u2014 exported 03/2024"
        rows, headings = cheshire_rows(table, number, title)
        if number == 6:  # one export has a stray trailing space in a header cell, as real ones do
            rows[2] = tuple("Notes " if h == "Notes" else h for h in rows[2])
        merged = (1, *headings) if merge_headings else (1,)
        sheets.append(Sheet("cheshire", slug, "cheshire.xlsx", "Sheet1", tuple(rows), 3, merged))
    merseyside = (
        ("02-cardiovascular", MERSEYSIDE_02, "merseyside.xlsx"),
        ("04-central-nervous-system", MERSEYSIDE_04, "merseyside.xlsx"),
        ("06-endocrine", MERSEYSIDE_06, "merseyside.csv"),
    )
    for slug, table, file_name in merseyside:
        sheet_name = "" if file_name.endswith(".csv") else "Formulary"
        sheets.append(Sheet("merseyside", slug, file_name, sheet_name, tuple(merseyside_rows(table)), 1))
    wirral = [WIRRAL_HEADER, *(tuple(_fields(line, 3)) for line in WIRRAL_06.strip().splitlines())]
    sheets.append(Sheet("wirral", "06-endocrine", "wirral.xlsx", "Endocrine", tuple(wirral), 1))
    return sheets


def _cheshire_workbook(sheet: Sheet) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.sheet_name
    for row in sheet.rows:
        ws.append(list(row))
    for r in sheet.merged_rows:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(CHESHIRE_HEADER))
        ws.cell(r, 1).font = Font(bold=True, size=14 if r == 1 else 11)
        if r > 1:
            ws.cell(r, 1).fill = PatternFill("solid", fgColor="DDEBF7")
    for c in range(1, len(CHESHIRE_HEADER) + 1):
        ws.cell(sheet.header_row, c).font = Font(bold=True)
    for letter, width in zip("ABCDEFGHI", (14, 44, 52, 14, 8, 14, 60, 12, 10), strict=False):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    return wb


def _merseyside_workbook(sheet: Sheet, notes_first: bool) -> Workbook:
    wb = Workbook()
    data = wb.active
    data.title = sheet.sheet_name
    for row in sheet.rows:
        data.append(list(row))
    for c in range(1, len(MERSEYSIDE_HEADER) + 1):
        data.cell(1, c).font = Font(bold=True)
        data.cell(1, c).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDEFG", (16, 44, 52, 24, 12, 56, 14), strict=False):
        data.column_dimensions[letter].width = width
    notes = wb.create_sheet("Notes", 0 if notes_first else 1)
    for row in MERSEYSIDE_NOTES:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 70
    return wb


def _plain_workbook(sheet: Sheet) -> Workbook:
    """One sheet, header in row 1, nothing else: the simplest export."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.sheet_name
    for row in sheet.rows:
        ws.append(list(row))
    return wb


def _fix_properties(wb: Workbook, creator: str) -> None:
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = EXPORTED
    wb.properties.modified = EXPORTED
    wb.properties.title = None


def _workbook_bytes(wb: Workbook) -> bytes:
    """Serialise without openpyxl stamping 'now' into the properties, then fix the zip timestamps."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def _csv_bytes(sheet: Sheet) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in sheet.rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode("cp1252")


def sheet_bytes(sheet: Sheet) -> bytes:
    """The file content of one legacy spreadsheet."""
    if sheet.file_name.endswith(".csv"):
        return _csv_bytes(sheet)
    if sheet.source == "cheshire":
        wb = _cheshire_workbook(sheet)
        _fix_properties(wb, "Cheshire CCG Medicines Management")
    elif sheet.source == "wirral":
        wb = _plain_workbook(sheet)
        _fix_properties(wb, "Wirral Medicines Management")
    else:
        wb = _merseyside_workbook(sheet, notes_first=sheet.chapter.startswith("02"))
        _fix_properties(wb, "Pan Mersey APC")
    return _workbook_bytes(wb)


def write_example(out_dir: Path) -> list[Path]:
    """Write every example spreadsheet under ``out_dir/<chapter slug>/``; returns the paths written."""
    written = []
    for sheet in example_sheets():
        target = Path(out_dir) / sheet.chapter / sheet.file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(sheet_bytes(sheet))
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "chapters"
    for path in write_example(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
