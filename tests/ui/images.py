"""Reading what a widget drew: QR symbols are decoded with zxing-cpp, never judged by eye."""

import numpy as np
from PySide6.QtGui import QImage


def image_array(image: QImage) -> np.ndarray:
    """A QImage as the grey-level array zxing-cpp reads, without the row padding."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = np.frombuffer(grey.constBits(), dtype=np.uint8)
    rows = data.reshape(grey.height(), grey.bytesPerLine())
    return rows[:, :grey.width()].copy()
