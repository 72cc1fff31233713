"""Writes on the number register. Each service checks the policy and records an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, models, transaction

from mattran.accounts.permissions import Action, can, require
from mattran.audit.services import record
from mattran.documents.issuers import issuer_symbol_groups
from mattran.documents.models import DocType, DocumentNumber, NumberCounter
from mattran.documents.symbols import document_symbol
from mattran.organisations.models import FrontBody

#: Taking a number changes the unit's records, so it needs the same right as changing the unit.
RESERVE_ACTION = Action.CHANGE_UNIT


def _existing_for(target: models.Model | None) -> DocumentNumber | None:
    if target is None or target.pk is None:
        return None
    return (
        DocumentNumber.objects.select_related("issuer__unit")
        .filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .first()
    )


def _lock_counter(issuer: FrontBody, year: int) -> NumberCounter:
    """The (issuer, year) counter row, created if missing, locked until the transaction ends.

    PostgreSQL holds a row lock (SELECT … FOR UPDATE). On SQLite the project opens every transaction with
    BEGIN IMMEDIATE (see settings), so the whole database is write-locked from the start of the transaction.
    """
    try:
        with transaction.atomic():
            NumberCounter.objects.get_or_create(issuer=issuer, year=year)
    except IntegrityError:
        pass  # another transaction created it first; the locking read below waits for it
    return NumberCounter.objects.select_for_update().get(issuer=issuer, year=year)


def document_number_reserve(
    *,
    actor: Any,
    issuer: FrontBody,
    doc_type: DocType | str,
    title: str,
    issued_on: dt.date,
    target: models.Model | None = None,
) -> DocumentNumber:
    """Take the next number of ``issuer`` for the year of ``issued_on`` (numbering restarts every year).

    With a ``target`` (the report, minutes or plan being numbered) asking again returns the number it
    already has, so a retried publish does not burn a second number.
    """
    require(actor, RESERVE_ACTION, issuer.unit)
    doc_type = DocType(doc_type)
    title = title.strip()
    if not title:
        raise ValueError("a document number needs a title (trích yếu)")
    if target is not None and target.pk is None:
        raise ValueError("save the target before numbering it")
    existing = _existing_for(target)
    if existing is not None:
        return existing
    year = issued_on.year
    try:
        with transaction.atomic():
            counter = _lock_counter(issuer, year)
            existing = _existing_for(target)  # re-checked under the lock: a parallel request may have won
            if existing is not None:
                return existing
            counter.last += 1
            counter.save(update_fields=["last"])
            entry = DocumentNumber.objects.create(
                issuer=issuer, year=year, number=counter.last, doc_type=doc_type, title=title,
                issued_on=issued_on,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                target_type=target._meta.label_lower if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
            )
            record(
                actor=actor, action="documents.number.reserve", target=entry, unit=issuer.unit,
                changes={"số": entry.symbol, "trích yếu": title, "ngày": issued_on,
                         **({"văn bản": f"{entry.target_type} #{entry.target_id}"} if target is not None else {})},
            )
    except IntegrityError:
        # Only the per-target constraint can fail here (the counter is locked): a parallel request numbered
        # the same target first.
        existing = _existing_for(target)
        if existing is None:
            raise
        return existing
    return entry


def blank_symbol(issuer: FrontBody, doc_type: DocType | str) -> str:
    """``      /BC-MTTQ-BTT``: the symbol with room for the number, as drafts carry it."""
    return "      /" + document_symbol(1, doc_type, *issuer_symbol_groups(issuer)).split("/", 1)[1]


def document_number_for_export(
    *, actor: Any, issuer: FrontBody, doc_type: DocType | str, title: str, issued_on: dt.date, target: models.Model,
) -> DocumentNumber | None:
    """The register entry to print on an exported document: the one ``target`` already has, otherwise the next
    number when ``actor`` may take numbers. ``None`` for a reader who may not (they see the blank symbol until a
    cadre has numbered the document); exporting never fails for lack of that right."""
    existing = _existing_for(target)
    if existing is not None:
        return existing
    if actor is not None and not can(actor, RESERVE_ACTION, issuer.unit):
        return None
    return document_number_reserve(actor=actor, issuer=issuer, doc_type=doc_type, title=title,
                                   issued_on=issued_on, target=target)
