"""The load test's users (`make load`, run by bench/load.py): annotators who take a document,
mark 5 to 15 words with think time between, relabel one, delete one and submit; and leads who
browse the review queue, a review and the agreement figures.

Every write the server acknowledges (a 2xx) is recorded, and written to LOAD_ACKS when the run
stops, so bench/load.py can check each one against the database.
"""

import json
import os
import random
import re
from itertools import count
from pathlib import Path

from locust import HttpUser, between, events, task

SLUG = os.environ["LOAD_PROJECT"]
ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
THINK = tuple(float(part) for part in os.environ.get("LOAD_THINK", "0.5,2").split(","))
API = f"/api/projects/{SLUG}"
WORD = re.compile(r"\w+")

acknowledged: list[dict] = []
_annotator_numbers = count()
_lead_numbers = count()


@events.quitting.add_listener
def _write_acknowledged(environment, **_):
    Path(os.environ["LOAD_ACKS"]).write_text(json.dumps(acknowledged))


class Annotator(HttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        token = ACCOUNTS["annotators"][next(_annotator_numbers) % len(ACCOUNTS["annotators"])]
        self.client.headers["Authorization"] = f"Token {token}"

    @task
    def annotate_a_document(self):
        taken = self.client.post(f"{API}/next/", name="next document")
        if taken.status_code != 200:
            return  # 204: nothing left for this annotator
        assignment = taken.json()["id"]
        here = f"{API}/assignments/{assignment}"
        opened = self.client.get(f"{here}/", name="open document")
        if opened.status_code != 200:
            return
        text = opened.json()["document"]["text"]
        words = [match.span() for match in WORD.finditer(text)]
        spans = []
        for start, end in sorted(random.sample(words, random.randint(5, 15))):
            self.wait()
            label = random.choice(("LOCATION", "ACTOR"))
            saved = self.client.post(
                f"{here}/spans/",
                json={"label": label, "start": start, "end": end},
                name="save span",
            )
            if saved.status_code == 201:
                span = saved.json()["id"]
                spans.append(span)
                acknowledged.append(
                    {
                        "write": "create",
                        "span": span,
                        "assignment": assignment,
                        "start": start,
                        "end": end,
                        "label": label,
                    }
                )
        if len(spans) >= 2:
            self.wait()
            relabelled, removed = random.sample(spans, 2)
            label = random.choice(("LOCATION", "ACTOR"))
            answer = self.client.patch(
                f"{here}/spans/{relabelled}/", json={"label": label}, name="relabel span"
            )
            if answer.status_code == 200:
                acknowledged.append({"write": "relabel", "span": relabelled, "label": label})
            answer = self.client.delete(f"{here}/spans/{removed}/", name="delete span")
            if answer.status_code == 204:
                acknowledged.append({"write": "delete", "span": removed})
        self.wait()
        submitted = self.client.post(f"{here}/submit/", name="submit")
        if submitted.status_code == 200:
            acknowledged.append({"write": "submit", "assignment": assignment})


class Lead(HttpUser):
    wait_time = between(*THINK)
    fixed_count = int(os.environ.get("LOAD_LEADS", "1"))

    def on_start(self):
        token = ACCOUNTS["leads"][next(_lead_numbers) % len(ACCOUNTS["leads"])]
        self.client.headers["Authorization"] = f"Token {token}"

    @task
    def browse_reviews(self):
        queue = self.client.get(f"{API}/review/", name="review queue")
        documents = queue.json().get("results", []) if queue.status_code == 200 else []
        if documents:
            self.wait()
            document = random.choice(documents)["document"]
            self.client.get(f"{API}/review/{document}/", name="review document")
        self.wait()
        self.client.get(f"{API}/agreement/", name="agreement figures")
