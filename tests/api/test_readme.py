"""The README's API example runs, unchanged but for its address and tokens, against a real
HTTP server."""

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

from django.conf import settings

from annotator.models import Membership
from annotator.services import membership_set, project_create, token_create

README = Path(settings.BASE_DIR) / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    return re.search(r"<!-- api-example -->\s*```python\n(.*?)```", text, re.DOTALL).group(1)


def test_the_readme_api_example_runs(live_server, transactional_db, make_user):
    project = project_create(slug="syria-casualties", name="Syria casualty reports")
    for username, role in (("lead", Membership.Role.LEAD), ("annotator1", "annotator")):
        make_user(username)
        membership_set(project=project, username=username, role=role)
    code = readme_example()
    code = code.replace('"http://127.0.0.1:8000/api"', repr(live_server.url + "/api"))
    code = code.replace(
        'LEAD_TOKEN = "…"', f"LEAD_TOKEN = {token_create(project=project, username='lead').key!r}"
    )
    code = code.replace(
        'ANNOTATOR_TOKEN = "…"',
        f"ANNOTATOR_TOKEN = {token_create(project=project, username='annotator1').key!r}",
    )
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue().splitlines() == [
        "1 imported, 0 duplicates skipped, 0 rejected",
        "civilians {'victim_status': 'unknown'}",
        "annotator1 CASUALTY_FIGURE 12 21 civilians",
    ]
