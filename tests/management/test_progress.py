import io

from annotator.management.progress import CountingReader, ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_advances_with_bytes_read_and_finishes_at_full():
    terminal = Terminal()
    bar = ProgressBar(total=20, stream=terminal)
    bar.REDRAW_SECONDS = 0
    reader = CountingReader(io.BytesIO(b"0123456789\n0123456789"), bar)
    first_line = next(iter(reader))
    assert first_line == b"0123456789\n"
    assert "[################..............]  55%" in terminal.getvalue()
    bar.finish()
    assert terminal.getvalue().endswith("100%  0.0/0.0 MB\n")


def test_bar_is_silent_when_output_is_not_a_terminal():
    output = io.StringIO()
    bar = ProgressBar(total=10, stream=output)
    CountingReader(io.BytesIO(b"abc"), bar).read()
    bar.finish()
    assert output.getvalue() == ""
