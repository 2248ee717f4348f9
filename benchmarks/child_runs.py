"""Benchmark child processes: a crashed run is repeated and reported, never timed.

A benchmark that stops at the first crash measures nothing, and one that retries quietly hides
a bug; so a crash is repeated (up to `max_crashes` in all) and every one is listed under the
results table.
"""

import os
import subprocess
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    seconds: float
    stdout: str


@dataclass
class ChildRunner:
    max_crashes: int = 5
    runs: int = 0
    crashes: list[str] = field(default_factory=list)

    def run(self, command: list[str], env: dict[str, str] | None = None) -> Run:
        """Wall time and output of one clean run of `command`."""
        # Unbuffered, so whatever the child printed is kept even if it then crashes.
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        while True:
            self.runs += 1
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                  env=full_env)
            elapsed = time.perf_counter() - started
            if done.returncode == 0:
                return Run(elapsed, done.stdout)
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            self.crashes.append(f"`{' '.join(command[1:3])}` exit status {done.returncode}: "
                                f"{last}")
            if len(self.crashes) > self.max_crashes:
                raise RuntimeError("Too many crashed child processes:\n" + done.stderr)

    def report(self) -> str:
        if not self.crashes:
            return ""
        lines = [f"{len(self.crashes)} of {self.runs} child processes crashed and were "
                 "run again:"]
        return "\n".join(lines + [f"- {crash}" for crash in self.crashes])
