"""Importing a QR receipt scanned from a printed declaration at the one-stop-shop counter.

The receipt is checked against the enrolled laptops' public keys, so a receipt signed by any
other key is refused even though its signature is intact. A key of a revoked laptop still
vouches for receipts it signed before it was revoked (the citizen's printout is genuine), but
not for later ones: a stolen laptop must not mint declarations.

The receipt is compared with the record synced from the laptop, when there is one, so the
officer sees whether the printout matches what the volunteer's laptop sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.i18n import tr
from fieldkit.core.receipts import Receipt, ReceiptError, answers_digest, verify_receipt
from fieldkit_server.audit import write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.tables import device, imported_receipt
from fieldkit_server.web.figures import form_record, household
from fieldkit_server.web.form_texts import FormCatalogue, load_catalogue

SIGNED_AFTER_REVOKE = ("Biên nhận được ký sau khi máy «{device}» đã bị thu hồi; "
                       "không thể công nhận.")


@dataclass(frozen=True)
class ImportResult:
    receipt: Receipt
    title: str
    answers: list[tuple[str, str]]
    already: bool
    imported_at: datetime
    imported_by: str
    device_name: str
    # "match", "differs" or "missing": the receipt against the record synced from the laptop.
    synced: str
    household: str | None


def import_receipt(engine: Engine, text: str, officer: str) -> ImportResult:
    """Verify and store `text`; ReceiptError (message in Vietnamese) when it is refused.

    A receipt already imported is not stored again: the answer says when and by whom."""
    with reading(engine) as conn:
        devices = {row.id: row for row in conn.execute(select(device))}
        catalogue = load_catalogue(conn)
    trusted = {}
    for row in devices.values():
        try:
            trusted[row.id] = bytes.fromhex(row.public_key)
        except ValueError:
            continue
    receipt = verify_receipt(text, trusted_keys=trusted)
    enrolled = devices[receipt.device_id]
    if enrolled.revoked_at is not None and \
            as_utc(enrolled.revoked_at) <= as_utc(receipt.signed_at):
        raise ReceiptError("untrusted", tr(SIGNED_AFTER_REVOKE).format(device=enrolled.name))
    answers_json = json.dumps(receipt.answers, ensure_ascii=False, sort_keys=True)
    now = utcnow()
    try:
        with writing(engine) as conn:
            existing = conn.execute(select(imported_receipt).where(
                imported_receipt.c.record_id == receipt.record_id)).first()
            if existing is None:
                conn.execute(insert(imported_receipt).values(
                    record_id=receipt.record_id, device_id=receipt.device_id,
                    form_id=receipt.form_id, form_version=receipt.form_version,
                    answers=answers_json, signed_at=receipt.signed_at, imported_at=now,
                    imported_by=officer[:64]))
                write_audit(conn, officer, "import_receipt",
                            f"{receipt.reference} ({receipt.form_id}, máy {receipt.device_id})",
                            enrolled.commune_id)
    except IntegrityError:
        # Another officer imported the same receipt in the same instant.
        existing = None
        with reading(engine) as conn:
            existing = conn.execute(select(imported_receipt).where(
                imported_receipt.c.record_id == receipt.record_id)).first()
    with reading(engine) as conn:
        synced = conn.execute(
            select(form_record.c.answers, household.c.head_name)
            .join(household, household.c.id == form_record.c.household_id)
            .where(form_record.c.id == receipt.record_id)).first()
    return ImportResult(
        receipt=receipt,
        title=catalogue.texts(receipt.form_id, receipt.form_version).title,
        answers=answer_rows(catalogue, receipt),
        already=existing is not None,
        imported_at=existing.imported_at if existing is not None else now,
        imported_by=existing.imported_by if existing is not None else officer,
        device_name=enrolled.name,
        synced=_compare(receipt, synced.answers if synced else None),
        household=synced.head_name if synced else None,
    )


def answer_rows(catalogue: FormCatalogue, receipt: Receipt) -> list[tuple[str, str]]:
    """The answers in the order the receipt holds them, labelled from the form version."""
    if receipt.answers is None:
        return []
    texts = catalogue.texts(receipt.form_id, receipt.form_version)
    return [(texts.labels.get(name, name), texts.answer(name, value))
            for name, value in receipt.answers.items()]


def _compare(receipt: Receipt, synced_answers: str | None) -> str:
    if synced_answers is None:
        return "missing"
    try:
        answers: Any = json.loads(synced_answers)
    except ValueError:
        return "differs"
    if not isinstance(answers, dict):
        return "differs"
    return "match" if answers_digest(answers) == receipt.answers_sha256 else "differs"
