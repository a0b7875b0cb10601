"""A terminal progress bar for the CLI, in bytes read from the input files or in documents."""

import sys
import time
from typing import BinaryIO, TextIO


class ProgressBar:
    """Draws `[#####.....]  45%  12.3/27.0 MB` on a terminal; silent when output is redirected."""

    WIDTH = 30
    REDRAW_SECONDS = 0.1

    def __init__(self, total: int, stream: TextIO = sys.stderr, unit: str = "bytes"):
        self.total = max(total, 1)
        self.unit = unit
        self.done = 0
        self.stream = stream
        self.enabled = stream.isatty()
        self._drawn_at = 0.0

    def advance(self, amount: int) -> None:
        self.done += amount
        now = time.monotonic()
        if self.enabled and now - self._drawn_at >= self.REDRAW_SECONDS:
            self._drawn_at = now
            self._draw()

    def finish(self) -> None:
        if self.enabled:
            self.done = self.total
            self._draw()
            self.stream.write("\n")

    def _draw(self) -> None:
        fraction = min(self.done / self.total, 1.0)
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        if self.unit == "bytes":
            amount = f"{self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB"
        else:
            amount = f"{self.done:,}/{self.total:,} {self.unit}"
        self.stream.write(f"\r[{bar}] {fraction:4.0%}  {amount}")
        self.stream.flush()


class CountingReader:
    """Wraps a binary file so that every byte read advances a progress bar."""

    def __init__(self, stream: BinaryIO, progress: ProgressBar):
        self._stream = stream
        self._progress = progress

    def fileno(self) -> int:
        # The import checks a file's size before reading it.
        return self._stream.fileno()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._progress.advance(len(data))
        return data

    def __iter__(self):
        for line in self._stream:
            self._progress.advance(len(line))
            yield line
