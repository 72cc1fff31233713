"""Number and symbol of an official document (Decree 30/2020/NĐ-CP, Appendix I, box 3). Pure functions."""

from __future__ import annotations


def document_symbol(number: int, doc_type: str, *issuer_groups: str) -> str:
    """``05/BC-MTTQ-BTT``: the number (leading zero below 10), "/", then the type and the issuer's groups
    joined by "-", with no spaces.

    >>> document_symbol(5, "BC", "MTTQ", "BTT")
    '05/BC-MTTQ-BTT'
    """
    if number < 1:
        raise ValueError("document numbers start at 1")
    groups = [doc_type.strip(), *(g.strip() for g in issuer_groups)]
    if not all(groups):
        raise ValueError("every symbol group must be non-empty")
    return f"{number:02d}/" + "-".join(groups)


def symbol_groups(*, central: bool, standing_board: bool) -> tuple[str, ...]:
    """The issuer's part of the symbol: "MTTW" for the central Front, "MTTQ" for local ones, and "BTT" added
    for the standing board (observed in Front documents, see DOMAIN.md §7.2)."""
    groups = ("MTTW",) if central else ("MTTQ",)
    return (*groups, "BTT") if standing_board else groups
