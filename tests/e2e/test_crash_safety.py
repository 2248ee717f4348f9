"""A killed process loses no completed field: every field typed and finished is committed at
once, and the store survives a SIGKILL (a flat battery, a forced shutdown) without damage."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.consent import ConsentInput
from fieldkit.core.households import add_village
from fieldkit.core.models import Household, Person
from fieldkit.core.people import create_household
from fieldkit.core.profile import set_up_profile
from fieldkit.core.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "passphrase-for-crash-tests"

CHILD = textwrap.dedent("""
    import os
    import signal
    import sys
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from fieldkit.core.store import Store
    from fieldkit.ui.person_form import PersonForm
    from tests.ui.keyboard import press_enter, type_text

    data_dir, person_id = Path(sys.argv[1]), sys.argv[2]
    app = QApplication([])
    store = Store.open(data_dir, os.environ["FIELDKIT_PASSPHRASE"])
    form = PersonForm(store, person_id)
    form.show()
    app.processEvents()

    for edit, text in ((form.full_name, "Lò Văn Pao"), (form.phone, "0987 654 321")):
        edit.setFocus()
        type_text(edit, text)
        press_enter(edit)
        app.processEvents()
    form.id_number.setFocus()
    type_text(form.id_number, "0010850")  # still typing: no Enter, focus never left
    app.processEvents()
    assert form.id_number.text() == "0010850"
    print("READY", form.status.text(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    print("still alive", flush=True)
""")


@pytest.fixture
def store_with_head(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "data"
    store = Store.create(data_dir, PASSPHRASE)
    try:
        code = communes_of(provinces()[0][0])[0].code
        profile = set_up_profile(store, "Lò Thị Linh", "0912345678", code)
        with store.write() as session:
            village = add_village(session, profile.commune_id, "Bản Phiêng Luông", kind="ban")
            _, head = create_household(session, village.id, profile.volunteer_id,
                                       ConsentInput(given_by="self"))
            head_id = head.id
    finally:
        store.close()
    return data_dir, head_id


def test_killed_process_loses_no_completed_field(tmp_path: Path, store_with_head):
    data_dir, head_id = store_with_head
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FIELDKIT_DATA_DIR"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", PYTHONUTF8="1",
               FIELDKIT_PASSPHRASE=PASSPHRASE,
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p))

    child = subprocess.run([sys.executable, str(script), str(data_dir), head_id],
                           capture_output=True, encoding="utf-8", env=env, cwd=tmp_path,
                           timeout=120)

    assert child.stdout.startswith("READY"), child.stderr
    assert "still alive" not in child.stdout
    assert child.returncode == -signal.SIGKILL, child.stderr

    store = Store.open(data_dir, PASSPHRASE)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with store.read() as session:
            head = session.get(Person, head_id)
            assert head is not None
            household = session.get(Household, head.household_id)
        assert head.full_name == "Lò Văn Pao"
        assert head.phone == "0987654321"
        assert head.id_number is None, "a field still being typed is not saved half-done"
        assert household is not None and household.head_name == "Lò Văn Pao"
    finally:
        store.close()
