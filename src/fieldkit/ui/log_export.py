"""Help → Send error log: the laptop's log files in one .zip the volunteer can hand or send
to the commune's IT officer, with a header saying which laptop and which versions.

The log holds no personal data (see `fieldkit.core.app_log`), and the confirmation says so,
since a volunteer asked to send "a file from the laptop" will rightly ask what is in it."""

import errno
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from fieldkit.core.app_log import app_version, archive_logs, system_summary
from fieldkit.ui.app import qt_versions

SUFFIX = ".zip"


def log_header(device_id: str, practice: bool) -> str:
    """The archive's first file: enough to tell laptops and versions apart, nothing more. The
    device id is the random one the store made, not anything about the volunteer."""
    lines = (f"FieldKit {app_version()}", system_summary(), qt_versions(),
             f"Device id: {device_id}", f"Practice mode: {'yes' if practice else 'no'}",
             f"Written: {datetime.now().astimezone().isoformat(timespec='seconds')}")
    return "\n".join(lines) + "\n"


def default_location(device_id: str) -> Path:
    """The Desktop, where a volunteer finds it again, or home if there is none."""
    desktop = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation)
    folder = Path(desktop) if desktop and Path(desktop).is_dir() else Path.home()
    return folder / f"fieldkit-log-{device_id[:8]}-{datetime.now():%Y%m%d-%H%M}{SUFFIX}"


def send_error_log(parent: QWidget, data_dir: Path, device_id: str, practice: bool,
                   path: Path | None = None) -> bool:
    """Ask where (the Desktop or a USB stick), write the .zip, say where it went. `path`
    skips the question."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("LogExport", "Gửi nhật ký lỗi"),
            str(default_location(device_id)),
            QCoreApplication.translate("LogExport", "Tệp nén (*{suffix})").format(suffix=SUFFIX))
        if not chosen:
            return False
        path = Path(chosen)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    try:
        archive_logs(data_dir, path, log_header(device_id, practice))
    except OSError as error:
        _tell(parent, QMessageBox.Icon.Warning,
              QCoreApplication.translate("LogExport", "Không lưu được nhật ký lỗi"),
              _explain(error, path))
        return False
    _tell(parent, QMessageBox.Icon.Information,
          QCoreApplication.translate("LogExport", "Đã lưu nhật ký lỗi"),
          QCoreApplication.translate(
              "LogExport",
              "Đã lưu nhật ký lỗi vào {file}.\n\nTệp chỉ ghi lại hoạt động của phần mềm (phiên "
              "bản, lỗi, các lần mở khóa và đồng bộ), không chứa thông tin cá nhân của người "
              "dân. Hãy gửi tệp này cho cán bộ kỹ thuật của xã.").format(file=path))
    return True


def _explain(error: OSError, path: Path) -> str:
    """Disk full and write-protected sticks are the usual causes: say what to do about them."""
    if error.errno == errno.ENOSPC:
        return QCoreApplication.translate(
            "LogExport", "Ổ đĩa hoặc USB đã đầy nên không lưu được {file}. Hãy xóa bớt tệp "
            "trên đó hoặc chọn nơi khác.").format(file=path)
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return QCoreApplication.translate(
            "LogExport", "Không được phép ghi vào {folder}: USB có thể đang bị khóa ghi, hoặc "
            "thư mục chỉ cho phép đọc. Hãy chọn nơi khác, ví dụ màn hình nền (Desktop)."
        ).format(folder=path.parent)
    return QCoreApplication.translate(
        "LogExport", "Không lưu được {file}: {error}. Hãy chọn nơi khác.").format(
        file=path, error=error.strerror or error)


def _tell(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    # A standard OK button would say "OK" in English: Qt ships no Vietnamese for it.
    box.addButton(QCoreApplication.translate("LogExport", "Đóng"),
                  QMessageBox.ButtonRole.AcceptRole)
    box.exec()
