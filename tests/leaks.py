"""What no response body may show: how the server is built inside."""

# Markers of a traceback, of Python source, of SQL and of the database's address or settings.
INTERNALS = (
    "Traceback",
    'File "',
    ".py",
    "Error:",
    "OperationalError",
    "InterfaceError",
    "psycopg",
    "sqlite",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "5432",
    "postgres",
    "DATABASES",
    "SECRET_KEY",
    "settings",
)


def assert_reveals_nothing(body: str) -> None:
    shown = [marker for marker in INTERNALS if marker.lower() in body.lower()]
    assert not shown, f"the body shows {shown}: {body[:500]!r}"
