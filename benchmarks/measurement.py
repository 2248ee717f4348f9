"""One benchmark result beside its baseline, and the Markdown table they are printed in.

Absolute times mean little across laptops; a ratio against a baseline measured in the same run
on the same machine does, so every measurement carries one.
"""

import math
from dataclasses import dataclass

FORMATS = {"ms": "{:.1f} ms", "s": "{:.3f} s", "MB": "{:.0f} MB"}


@dataclass(frozen=True)
class Measurement:
    name: str
    value: float
    baseline: float
    unit: str
    target: str
    met: bool

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else math.inf

    def row(self) -> str:
        shown = FORMATS[self.unit]
        cells = (self.name, shown.format(self.value), shown.format(self.baseline),
                 f"{self.ratio:.2f}×", self.target, "yes" if self.met else "**NO**")
        return "| " + " | ".join(cells) + " |"


def markdown_table(measurements: list[Measurement]) -> str:
    lines = ["| measurement | FieldKit | baseline | ratio | target | met? |",
             "|---|---:|---:|---:|---|---|"]
    lines += [m.row() for m in measurements]
    return "\n".join(lines)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: an actual observed sample, never an interpolated one."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(samples: list[float]) -> float:
    return percentile(samples, 50)
