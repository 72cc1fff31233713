"""Bank statements, read without the database: rows, parsers, reconciliation, donor names and memo masking.

Everything here is pure: it takes text and returns values. The importer (a service of the funds app) decides what
to write; see ``docs/statement-mapping.md`` for the JSON column mapping committees write for their own banks.
"""

from mattran.funds.statements.rows import ParseResult, RowError, StatementRow

__all__ = ["ParseResult", "RowError", "StatementRow"]
