"""Form and guide definitions the commune publishes, and the forms the server checks against.

A definition is published once per version and never changes after: a draft started on a
version must finish on that same version on every laptop, so republishing a version with a
different body is refused (raise the version instead). The same holds against the forms and
guides shipped with FieldKit: laptops and this server already know a shipped id@version, so a
published file may repeat it but not change it. Each version is one row of the `definition`
table and one change-log entry with no commune, which every laptop pulls.
"""

import json
import tempfile
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from fieldkit.core.columns import utcnow
from fieldkit.core.forms.definition import FormDefinition, FormError, load_form
from fieldkit.core.forms.definition import load_forms_reporting as load_shipped_forms
from fieldkit.core.guides import GuideError, load_guide
from fieldkit.core.paths import forms_dir, guides_dir
from fieldkit_server.audit import CLI_ACTOR, write_audit
from fieldkit_server.change_feed import lock_feed, log_change
from fieldkit_server.db import writing
from fieldkit_server.tables import definition

# Pseudo-table each kind travels as (sync_protocol.DEFINITION_TABLES).
TABLE_OF_KIND = {"form": "form_definition", "guide": "guide_definition"}
# A definition never changes once published, so the server's version of its row stays 1.
DEFINITION_VERSION = 1
_NAMESPACE = uuid.UUID("0f6f3b7e-3c1e-4a47-9d36-7f2b1f0b8c55")


class PublishError(ValueError):
    """Why nothing was published: every bad file, each named."""


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)  # "kind id version"
    unchanged: list[str] = field(default_factory=list)


def definition_row_id(kind: str, definition_id: str, version: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{definition_id}/{version}"))


def _kind_of(path: Path) -> str:
    """Forms carry a "survey" (the XLSForm layout); guides carry "steps"."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return "form"  # let the form loader explain what is wrong with the file
    return "guide" if isinstance(data, dict) and "steps" in data else "form"


def publish_directory(engine: Engine, directory: Path | str,
                      actor: str = CLI_ACTOR) -> PublishReport:
    """Publish every `*.json` form and guide in `directory`, all or nothing."""
    directory = Path(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise PublishError(f"Không có tệp .json nào trong {directory}.")
    loaded: list[tuple[str, str, str, str]] = []  # kind, id, version, body
    problems: list[str] = []
    for path in files:
        kind = _kind_of(path)
        try:
            item = load_form(path) if kind == "form" else load_guide(path)
        except (FormError, GuideError) as error:
            problems.append(f"{path.name}: {error}")
            continue
        body = path.read_text(encoding="utf-8")
        shipped = _shipped_bodies().get((kind, item.id, item.version))
        if shipped is not None and json.loads(body) != shipped:
            problems.append(f"{path.name}: {item.id} phiên bản {item.version} đã có sẵn trong "
                            "FieldKit với nội dung khác; hãy tăng số phiên bản.")
            continue
        loaded.append((kind, item.id, item.version, body))
    if problems:
        raise PublishError("Không công bố gì vì có tệp hỏng:\n" + "\n".join(problems))
    report = PublishReport()
    with writing(engine) as conn:
        lock_feed(conn)
        for kind, definition_id, version, body in loaded:
            name = f"{kind} {definition_id} {version}"
            row_id = definition_row_id(kind, definition_id, version)
            stored = conn.execute(select(definition.c.body)
                                  .where(definition.c.row_id == row_id)).scalar_one_or_none()
            if stored is not None:
                if stored != body:
                    raise PublishError(f"{name}: phiên bản này đã được công bố với nội dung "
                                       "khác; hãy tăng số phiên bản rồi công bố lại.")
                report.unchanged.append(name)
                continue
            conn.execute(insert(definition).values(
                row_id=row_id, kind=kind, definition_id=definition_id, version=version,
                body=body, published_at=utcnow()))
            log_change(conn, TABLE_OF_KIND[kind], row_id, DEFINITION_VERSION, None, None)
            write_audit(conn, actor, "publish_definition", name)
            report.published.append(name)
    return report


@cache
def _shipped_bodies() -> dict[tuple[str, str, str], Any]:
    """(kind, id, version) → parsed JSON of every form and guide shipped with FieldKit."""
    found: dict[tuple[str, str, str], Any] = {}
    for kind, folder in (("form", forms_dir()), ("guide", guides_dir())):
        for path in sorted(folder.glob("*.json")):
            try:
                item = load_form(path) if kind == "form" else load_guide(path)
            except (FormError, GuideError):
                continue  # a shipped file that does not load is no version anyone can use
            found[(kind, item.id, item.version)] = json.loads(path.read_text(encoding="utf-8"))
    return found


@cache
def _shipped_forms() -> dict[tuple[str, str], FormDefinition]:
    forms, _refused = load_shipped_forms(forms_dir())
    return {(form.id, form.version): form for form in forms}


@cache
def _parsed_form(body: str) -> FormDefinition | None:
    """A published body through the same loader the laptop uses (it reads files, hence the
    temporary one). Bodies never change per version, so the result is kept."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.json"
        path.write_text(body, encoding="utf-8")
        try:
            return load_form(path)
        except FormError:
            return None


def known_form(conn: Connection, form_id: str, version: str) -> FormDefinition | None:
    """The definition a record names, shipped or published; None when the server has none."""
    shipped = _shipped_forms().get((form_id, version))
    if shipped is not None:
        return shipped
    body = conn.execute(select(definition.c.body).where(
        definition.c.row_id == definition_row_id("form", form_id, version))).scalar_one_or_none()
    return None if body is None else _parsed_form(body)
