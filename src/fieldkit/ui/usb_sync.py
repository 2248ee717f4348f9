"""Sync by USB stick from the File menu: write the pending work to a file, read the commune's
answer back (see `fieldkit.core.usb_sync`). Each says plainly what happened and what to do
next, since the volunteer does this once in weeks, far from anyone to ask."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from fieldkit.core.store import Store
from fieldkit.core.sync_file import SUFFIX, SyncFileError
from fieldkit.core.usb_sync import default_file_name, export_sync_file, import_answer_file


def export_to_usb(parent: QWidget, store: Store, path: Path | None = None) -> bool:
    """Ask where (a USB stick), write the file, say what it holds. `path` skips the question."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("UsbSync", "Xuất dữ liệu ra USB"),
            str(Path.home() / default_file_name(store, f"{datetime.now():%Y%m%d-%H%M}")),
            QCoreApplication.translate("UsbSync", "Tệp đồng bộ FieldKit (*{suffix})").format(
                suffix=SUFFIX))
        if not chosen:
            return False
        path = Path(chosen)
    try:
        with _busy():
            report = export_sync_file(store, path)
    except (SyncFileError, OSError) as error:
        QMessageBox.warning(parent, QCoreApplication.translate("UsbSync", "Không xuất được"),
                            str(error))
        return False
    QMessageBox.information(
        parent, QCoreApplication.translate("UsbSync", "Đã xuất dữ liệu"),
        QCoreApplication.translate(
            "UsbSync",
            "Đã ghi {n} thay đổi vào {file}.\n\nTệp được mã hóa, chỉ máy chủ của xã mở được. "
            "Đưa tệp cho cán bộ xã nhập trên máy chủ, rồi nhập tệp trả lời họ đưa lại (Tệp → "
            "Nhập tệp trả lời từ USB). Dữ liệu vẫn được giữ trên máy cho tới khi có trả lời.",
        ).format(n=report.changes, file=report.path))
    return True


def import_from_usb(parent: QWidget, store: Store, path: Path | None = None) -> bool:
    """Ask for the commune's answer file, read it, say what it did. `path` skips the question."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, QCoreApplication.translate("UsbSync", "Nhập tệp trả lời từ USB"),
            str(Path.home()),
            QCoreApplication.translate("UsbSync", "Tệp đồng bộ FieldKit (*{suffix})").format(
                suffix=SUFFIX))
        if not chosen:
            return False
        path = Path(chosen)
    try:
        with _busy():
            report = import_answer_file(store, path)
    except (SyncFileError, OSError) as error:
        QMessageBox.warning(parent, QCoreApplication.translate("UsbSync", "Không nhập được"),
                            str(error))
        return False
    pulled = report.pulled.applied if report.pulled else 0
    QMessageBox.information(
        parent, QCoreApplication.translate("UsbSync", "Đã nhập tệp trả lời"),
        QCoreApplication.translate(
            "UsbSync",
            "Máy chủ xã đã nhận {applied} thay đổi mới ({duplicate} đã có từ trước, {conflict} "
            "xung đột, {rejected} bị từ chối). Đã nhận về {pulled} thay đổi: việc được giao, "
            "danh sách hộ, biểu mẫu và dữ liệu của các máy khác.",
        ).format(applied=report.applied, duplicate=report.duplicate, conflict=report.conflict,
                 rejected=report.rejected, pulled=pulled))
    return True


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor while a file of weeks of work is written or read (seconds at most)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
