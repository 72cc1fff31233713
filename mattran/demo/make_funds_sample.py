"""Cut the demo's sample of the real Vietcombank Yagi statement (``mattran/demo/data/vcb_yagi_sample.csv.gz``).

The full community parse of the statement of account 0011001932418 (1–10/9/2024, 200,361 rows, see
``../shared/data/statements/README.md``) stays outside the repository. The demo needs a few thousand of its
rows, so this module keeps:

* every row of a day with fewer than :data:`SMALL_DAY` rows (1–8/9/2024: the quiet days before the appeal,
  including the statement's only debit, a bank fee), and
* every :data:`EVERY_NTH`-th row (counting from the first data row of the file) of the two busy days.

Rows are written unchanged (same header, same cells, memos exactly as parsed) except the ``Balance`` column,
which is emptied: the bank prints a running balance on a few rows only, and a sample that leaves out the rows in
between can never continue it, so the importer would report a break for each. The output is a gzip file with a
zero timestamp, so running the command twice gives the same bytes::

    python -m mattran.demo.make_funds_sample [SOURCE] [--out mattran/demo/data/vcb_yagi_sample.csv.gz]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "data" / "statements" / "vcb_0011001932418_2024-09-01_2024-09-10.csv.gz"
OUT = Path(__file__).resolve().parent / "data" / "vcb_yagi_sample.csv.gz"
HEADER = ["PageId", "TNXDate", "DocNo", "Debit", "Credit", "Balance", "TransactionDetails"]
SMALL_DAY = 1000
EVERY_NTH = 60


def _read(source: Path) -> list[list[str]]:
    with gzip.open(source, "rt", encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        if header != HEADER:
            raise SystemExit(f"{source}: unexpected header {header}")
        return list(reader)


def cut(rows: list[list[str]]) -> list[list[str]]:
    """The sample's rows, in file order, by the rule in the module docstring."""
    per_day = Counter(row[1] for row in rows)
    balance = HEADER.index("Balance")
    kept = []
    for number, row in enumerate(rows, start=1):
        if per_day[row[1]] < SMALL_DAY or number % EVERY_NTH == 0:
            kept.append([*row[:balance], "", *row[balance + 1:]])
    return kept


def write(rows: list[list[str]], out: Path) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = cut(_read(args.source))
    write(rows, args.out)
    credits = sum(int(row[4].replace(".", "")) for row in rows if row[4])
    print(f"{args.out}: {len(rows)} rows, credits {credits:,} VND, {args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
