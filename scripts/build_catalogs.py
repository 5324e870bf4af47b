"""Regenerate src/zerowaste/data/catalogs/ from the reference tables in ../shared/reference.

Run from the project root: `uv run python scripts/build_catalogs.py` (writes the data folder)
or `uv run python scripts/build_catalogs.py --check` (exits 1 if the folder is stale). The
product never reads ../shared at run time; it reads only the files this script writes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
DEFAULT_OUT = PROJECT_ROOT / "src" / "zerowaste" / "data" / "catalogs"

HW_SOURCE = "National Hazardous Waste List 2021 edition (MEE Order No.15); 2025 deltas not applied"
EXEMPTION_SOURCE = (
    "Hazardous waste exemption list, appendix to the 2021 list; 2025 revision not applied"
)
EXPECTED_HW_ENTRIES = 467
EXPECTED_EXEMPTION_ROWS = 57
EXPECTED_CATEGORIES = 46
TRANSLATION_NOTE = "ZeroWaste Chain project translation; not an official English name"

#: English names of the HW categories: the project's own translation, not an official one.
CATEGORY_NAMES_EN = {
    "HW01": "Medical waste",
    "HW02": "Pharmaceutical manufacturing waste",
    "HW03": "Discarded drugs and medicines",
    "HW04": "Pesticide waste",
    "HW05": "Wood preservative waste",
    "HW06": "Waste organic solvents and organic-solvent-containing waste",
    "HW07": "Cyanide-containing heat treatment waste",
    "HW08": "Waste mineral oil and mineral-oil-containing waste",
    "HW09": "Oil/water and hydrocarbon/water mixtures or emulsions",
    "HW10": "Polychlorinated (polybrominated) biphenyl waste (PCBs, PBBs)",
    "HW11": "Distillation residues",
    "HW12": "Dye and paint waste",
    "HW13": "Organic resin waste",
    "HW14": "New chemical substance waste",
    "HW15": "Explosive waste",
    "HW16": "Photosensitive material waste",
    "HW17": "Surface treatment waste",
    "HW18": "Incineration residues",
    "HW19": "Metal carbonyl compound waste",
    "HW20": "Beryllium-containing waste",
    "HW21": "Chromium-containing waste",
    "HW22": "Copper-containing waste",
    "HW23": "Zinc-containing waste",
    "HW24": "Arsenic-containing waste",
    "HW25": "Selenium-containing waste",
    "HW26": "Cadmium-containing waste",
    "HW27": "Antimony-containing waste",
    "HW28": "Tellurium-containing waste",
    "HW29": "Mercury-containing waste",
    "HW30": "Thallium-containing waste",
    "HW31": "Lead-containing waste",
    "HW32": "Inorganic fluoride waste",
    "HW33": "Inorganic cyanide waste",
    "HW34": "Waste acids",
    "HW35": "Waste alkalis",
    "HW36": "Asbestos waste",
    "HW37": "Organophosphorus compound waste",
    "HW38": "Organic cyanide waste",
    "HW39": "Phenol-containing waste",
    "HW40": "Ether-containing waste",
    "HW45": "Organohalogen compound waste",
    "HW46": "Nickel-containing waste",
    "HW47": "Barium-containing waste",
    "HW48": "Non-ferrous metal mining, dressing and smelting waste",
    "HW49": "Other wastes",
    "HW50": "Spent catalysts",
}

EDITIONS_HEADER = [
    "catalog",
    "edition",
    "effective_from",
    "effective_to",
    "available",
    "stand_in",
    "entries_file",
    "categories_file",
    "exemptions_file",
    "entry_count",
    "source",
    "note",
]


def read_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file with a header row."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    """Render rows as CSV text with LF line ends, columns in `header` order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def require(condition: bool, message: str) -> None:
    """Stop the build with `message` unless `condition` holds."""
    if not condition:
        raise SystemExit(f"build_catalogs: {message}")


def build_hazardous_waste(rows: list[dict[str, str]]) -> tuple[str, str]:
    """Return the entries CSV and the categories CSV of the 2021 list."""
    require(len(rows) == EXPECTED_HW_ENTRIES, f"expected {EXPECTED_HW_ENTRIES} HW rows")
    codes = [row["code"] for row in rows]
    require(len(set(codes)) == len(codes), "duplicate HW codes")
    categories: dict[str, str] = {}
    entries = []
    for row in rows:
        code, category = row["code"], row["category"]
        require(re.fullmatch(r"\d{3}-\d{3}-\d{2}", code) is not None, f"bad code {code}")
        require(category == "HW" + code[-2:], f"{code} filed under {category}")
        categories.setdefault(category, row["category_name_zh"])
        entries.append(
            {
                "code": code,
                "category": category,
                "industry_source_zh": row["industry_source_zh"],
                "description_zh": row["description_zh"],
                "hazard": row["hazard"],
                "hazard_notation": row["hazard_notation"],
                "source_pdf_page": row["source_pdf_page"],
                "notes": row["notes"],
                "source": HW_SOURCE,
            }
        )
    require(len(categories) == EXPECTED_CATEGORIES, f"expected {EXPECTED_CATEGORIES} categories")
    require(set(categories) == set(CATEGORY_NAMES_EN), "English names do not match categories")
    category_rows = [
        {
            "category": category,
            "name_zh": name_zh,
            "name_en": CATEGORY_NAMES_EN[category],
            "name_en_source": TRANSLATION_NOTE,
            "source": HW_SOURCE,
        }
        for category, name_zh in sorted(categories.items())
    ]
    entries_csv = to_csv(list(entries[0]), entries)
    return entries_csv, to_csv(list(category_rows[0]), category_rows)


def build_exemptions(rows: list[dict[str, str]]) -> str:
    """Return the exemptions CSV (one row per exempted stage)."""
    require(len(rows) == EXPECTED_EXEMPTION_ROWS, f"expected {EXPECTED_EXEMPTION_ROWS} exemptions")
    out = [
        {
            "item_no": row["no"],
            "code_or_category": row["code_or_category"],
            "description_zh": row["description_zh"],
            "exempted_stage_zh": row["exempted_stage"],
            "conditions_zh": row["conditions_zh"],
            "exemption_content_zh": row["exemption_content_zh"],
            "source": EXEMPTION_SOURCE,
        }
        for row in rows
    ]
    return to_csv(list(out[0]), out)


def build_crosswalk(
    rows: list[dict[str, str]], hw_codes: set[str], sw_status: dict[str, str]
) -> str:
    """Return the EU List of Waste crosswalk with a per-row verification status of the CN code."""
    out = []
    for row in rows:
        cn_codes = [code.strip() for code in row["cn_code"].split(";") if code.strip()]
        if row["cn_code_type"] == "HW":
            missing = [code for code in cn_codes if code not in hw_codes]
            require(not missing, f"crosswalk names unknown HW codes {missing}")
            verified = "yes"
        else:
            require(all(code in sw_status for code in cn_codes), f"unknown SW code in {cn_codes}")
            verified = min(
                (sw_status[code] for code in cn_codes), key=["no", "partial", "yes"].index
            )
        out.append(
            {**row, "cn_code_verified": verified, "source": "project crosswalk; see SOURCES.md"}
        )
    return to_csv(list(out[0]), out)


#: The 2025 edition's remark: why lookups from 2025-01-01 use the 2021 data, and the risk.
NOTE_2025 = (
    "2025 edition in force; its text is not held as data, the 2021 entries stand in; "
    "codes merged, split or added in 2025 (e.g. 4 new tin-smelting wastes) are not known here"
)


def editions_csv(entry_count: int) -> str:
    """Return the editions table: effective dates and availability of each list edition.

    `available` says whether the edition's own data is held; `stand_in` names the edition
    held as data whose files stand in for one that is not (the stand-in rule).
    """
    rows = [
        {
            "catalog": "hazardous_waste_list",
            "edition": "2021",
            "effective_from": "2021-01-01",
            "effective_to": "2024-12-31",
            "available": "yes",
            "stand_in": "",
            "entries_file": "hazardous_waste_2021.csv",
            "categories_file": "hazardous_waste_categories_2021.csv",
            "exemptions_file": "hazardous_waste_exemptions_2021.csv",
            "entry_count": str(entry_count),
            "source": "MEE Order No.15",
            "note": "replaced by the 2025 edition on 2025-01-01",
        },
        {
            "catalog": "hazardous_waste_list",
            "edition": "2025",
            "effective_from": "2025-01-01",
            "effective_to": "",
            "available": "no",
            "stand_in": "2021",
            "entries_file": "",
            "categories_file": "",
            "exemptions_file": "",
            "entry_count": "470",
            "source": "MEE and four other ministries, Order No.36 (issued 2024-11-26)",
            "note": NOTE_2025,
        },
    ]
    return to_csv(EDITIONS_HEADER, rows)


def sources_md(inputs: dict[str, str], unverified: list[str], partial: list[str]) -> str:
    """Return the sidecar SOURCES.md, naming inputs by SHA-256 and the unverified rows."""
    lines = [
        "# Catalog data: origin and verification",
        "",
        "Generated by `scripts/build_catalogs.py` from the project's reference tables",
        "(`shared/reference/`, whose SOURCES.md has the full provenance); do not edit by hand.",
        "Each CSV also carries a `source` column.",
        "",
        "## Hazardous waste list",
        "",
        "Files: `hazardous_waste_2021.csv`, `hazardous_waste_categories_2021.csv`.",
        "",
        "- Edition: 国家危险废物名录（2021年版）, MEE Order No.15,",
        "  in force 2021-01-01 to 2024-12-31.",
        f"- {EXPECTED_HW_ENTRIES} entries in {EXPECTED_CATEGORIES} categories, parsed from the "
        "official PDF",
        "  (page numbers kept in `source_pdf_page`); two merged-cell artefacts were fixed by hand",
        "  (451-001-11 and 251-016-50 to 251-019-50). Industry names keep the printed typos.",
        "- The 2025 edition (Order No.36, in force from 2025-01-01, 470 entries) is",
        "  **not available as data**; none of its changes (merged, split and new codes,",
        "  edited traits, revised exemptions) are applied.",
        "- Stand-in rule: `editions.csv` lists each edition with `available` (is its own",
        "  data held?) and `stand_in` (the edition held as data whose files are used in its",
        "  place). The 2025 edition has `available=no`, `stand_in=2021`: a lookup for a date",
        "  from 2025-01-01 on returns the 2025 edition carrying the 2021 entries, categories",
        "  and exemptions, marked provisional (`CatalogEdition.provisional`), so callers can",
        "  warn that codes merged, split or added in 2025 are not known here (a new 2025 code",
        "  is rejected as unknown, a code dropped in 2025 is still accepted). An edition with",
        "  `available=no` and no `stand_in` has no data, and a lookup in its period fails.",
        "- `name_en` of the categories is the project's own translation, not an official name.",
        "- `hazard` holds the trait codes joined with `;`; `hazard_notation` keeps the printed",
        "  notation (`,`: first trait certain, others possible; `/`: one or more of them).",
        "",
        "## Exemptions (`hazardous_waste_exemptions_2021.csv`)",
        "",
        f"- {EXPECTED_EXEMPTION_ROWS} rows: the 32 numbered items of the 2021 appendix",
        "  (危险废物豁免管理清单), one row per exempted stage; several codes in one cell are",
        "  joined with `;`. The 2025 revision is not applied; under the stand-in rule these",
        "  rows also serve dates from 2025-01-01 on.",
        "",
        "## General solid waste classes (`solid_waste_classes.csv`)",
        "",
        "- Code ranges S01-S99: verified against MEE 固体废物分类与代码目录 (2024), Art. 5.",
        f"- Partly verified (order only, official table not seen): {', '.join(partial)}.",
        f"- **Unverified** (recalled, no source seen): {', '.join(unverified)}.",
        "",
        "## EU List of Waste crosswalk (`eu_crosswalk.csv`)",
        "",
        "- EU codes and descriptions were checked against a public copy of the EU list; Chinese",
        "  HW codes are checked against the 2021 list by the build script.",
        "- `cn_code_verified` gives the status of the Chinese code (solid waste rows inherit the",
        "  class status above); `confidence` is a judgement of the match (high, medium, low).",
        "- Basel A-codes predate the 2025 amendments (A1180 became A1181 on 2025-01-01).",
        "",
        "## Inputs",
        "",
        *(f"- `{name}` sha256 `{digest}`" for name, digest in sorted(inputs.items())),
        "",
    ]
    return "\n".join(lines)


def build(reference: Path) -> dict[str, str]:
    """Return the data folder's files (name -> text) built from the reference folder."""
    names = {
        "hw": "cn_hazardous_waste_2021.csv",
        "ex": "cn_hw_exemptions_2021.csv",
        "sw": "cn_solid_waste_classes.csv",
        "eu": "eu_list_of_waste_sample.csv",
    }
    paths = {key: reference / name for key, name in names.items()}
    for path in paths.values():
        require(path.is_file(), f"missing {path}")
    hw_rows = read_rows(paths["hw"])
    sw_rows = read_rows(paths["sw"])
    entries_csv, categories_csv = build_hazardous_waste(hw_rows)
    sw_status = {row["code"]: row["verified"] for row in sw_rows}
    fieldnames = list(sw_rows[0])
    inputs = {
        name: hashlib.sha256(paths[key].read_bytes()).hexdigest() for key, name in names.items()
    }
    return {
        "hazardous_waste_2021.csv": entries_csv,
        "hazardous_waste_categories_2021.csv": categories_csv,
        "hazardous_waste_exemptions_2021.csv": build_exemptions(read_rows(paths["ex"])),
        "solid_waste_classes.csv": to_csv(fieldnames, sw_rows),
        "eu_crosswalk.csv": build_crosswalk(
            read_rows(paths["eu"]), {row["code"] for row in hw_rows}, sw_status
        ),
        "editions.csv": editions_csv(len(hw_rows)),
        "SOURCES.md": sources_md(
            inputs,
            unverified=[row["code"] for row in sw_rows if row["verified"] == "no"],
            partial=[row["code"] for row in sw_rows if row["verified"] == "partial"],
        ),
    }


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the catalog data folder; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail if the folder is stale")
    args = parser.parse_args(argv)
    files = build(args.reference)
    stale = [
        name
        for name, text in files.items()
        if not (args.out / name).is_file() or (args.out / name).read_text(encoding="utf-8") != text
    ]
    if args.check:
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.out / name).write_text(files[name], encoding="utf-8", newline="\n")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
