"""Runs a creator evaluation set the way a new creator and her members would meet Townsquare.

A real Townsquare (``create_app``, SQLite in a temporary directory, the configured models, its
workers running) is driven in process over HTTP, with the clock at the set's ``today``
(``time_machine``): the creator signs up (``POST /auth/signup``), creates her agent from
``agent.json`` (``POST /agents``), uploads every file through the knowledge API and waits until
each is indexed; then every question is asked by a different member, each in a fresh
conversation through ``POST /v1/chat/completions``. The reply's ``townsquare`` object gives
the pipeline's outcome and citations. Recall@5 is a measurement of retrieval alone, so it asks
the knowledge search service (``studio.knowledge.sources.search``) directly.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any, Literal

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select

from evals.creator import CreatorSet, Question
from evals.creator.scoring import Answer
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db.models import Account
from townsquare.settings import Settings
from townsquare.studio.knowledge import sources

ModelKind = Literal["embedded", "fake"]
PASSWORD = "creator evaluation: never a real sign-in"
RECALL_K = 5
INDEX_TIMEOUT_S = 1_800.0  # the whole upload indexed; the embedded model on 2 busy cores
ASKED_AT = clock(10, 0)  # the time of day on the set's date

Progress = Callable[[str, int, int], None]  # (phase, done, total)


class HarnessError(RuntimeError):
    """The evaluation could not run: a request refused, a file that would not index."""


def instance_settings(data_dir: Path) -> Settings:
    """The configured settings (``TOWNSQUARE_*``: the chat backend, the model, ...) with a
    fresh SQLite database in ``data_dir``; one address signs up every member, and the request
    rate and the upload burst are not limited (the harness uploads a creator's 40-odd files and
    polls faster than a person clicks)."""
    return Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'creator-eval.db'}",
        intents_in_server=False,
        feed_retrain_in_server=False,
        signups_per_address=100_000,
        rate_limit_token_per_second=0,
        rate_limit_token_per_minute=0,
        rate_limit_address_per_second=0,
        rate_limit_address_per_minute=0,
        quota_uploads_per_minute=0,
    )


def build_models(kind: ModelKind, settings: Settings) -> Models:
    """``embedded``: the models the settings configure (loaded on first use); ``fake``: the
    scripted chat model and the bag-of-words embedder, for checking the harness itself."""
    if kind == "fake":
        return Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    return Models(settings)


@contextlib.contextmanager
def clock_at(evalset: CreatorSet) -> Iterator[None]:
    """The set's ``today`` as the date everywhere in the process (the clock keeps ticking)."""
    if evalset.agent.today is None:
        yield
        return
    moment = datetime.combine(evalset.agent.today, ASKED_AT, tzinfo=UTC)
    with time_machine.travel(moment, tick=True):
        yield


def _ok(response: Any, expected: int, what: str) -> dict[str, Any]:
    if response.status_code != expected:
        raise HarnessError(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    body: dict[str, Any] = response.json()
    return body


@dataclass
class Instance:
    """The running Townsquare and what the creator's side set up in it."""

    client: TestClient
    evalset: CreatorSet
    owner_token: str = ""
    file_of_source: dict[int, str] = field(default_factory=dict)  # source id -> file name

    def signup(self, handle: str, name: str) -> str:
        body = {"handle": handle, "password": PASSWORD, "display_name": name}
        signed_up = _ok(self.client.post("/auth/signup", json=body), 201, f"sign-up {handle}")
        return str(signed_up["token"])

    def owner_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.owner_token}"}

    def set_up_creator(self, progress: Progress) -> None:
        """The creator signs up, creates her agent and uploads her files; returns once every
        file is indexed."""
        agent = self.evalset.agent
        self.owner_token = self.signup(agent.owner_handle, agent.owner_name)
        created = self.client.post("/agents", json=agent.spec(), headers=self.owner_headers())
        _ok(created, 201, "creating the agent")
        files = self.evalset.files
        for done, (name, data) in enumerate(files.items(), 1):
            uploaded = self.client.post(
                f"/agents/{agent.handle}/knowledge",
                files={"file": (name, data)},
                headers=self.owner_headers(),
            )
            source = _ok(uploaded, 202, f"uploading {name}")
            self._check_clock(source["created_at"])
            self.file_of_source[source["id"]] = name
            progress("upload", done, len(files))
        self._wait_until_indexed(progress)

    def _check_clock(self, stamp: str) -> None:
        """The server dates what it stores on the set's day, or the run is not what it claims."""
        today = self.evalset.agent.today
        if today is not None and datetime.fromisoformat(stamp).date() != today:
            raise HarnessError(f"the server dated an upload {stamp}, not the set's day {today}")

    def _wait_until_indexed(self, progress: Progress) -> None:
        source_ids = self.file_of_source
        pending = dict(source_ids)
        deadline = time.monotonic() + INDEX_TIMEOUT_S
        while pending:
            for source_id, name in list(pending.items()):
                url = f"/agents/{self.evalset.agent.handle}/knowledge/{source_id}"
                source = _ok(self.client.get(url, headers=self.owner_headers()), 200, url)
                if source["status"] == "failed":
                    raise HarnessError(f"{name} did not index: {source['error']}")
                if source["status"] == "ready":
                    del pending[source_id]
            progress("index", len(source_ids) - len(pending), len(source_ids))
            if pending and time.monotonic() > deadline:
                raise HarnessError(f"not indexed after {INDEX_TIMEOUT_S:.0f} s: {sorted(pending)}")
            if pending:
                time.sleep(0.5)

    def retrieved_files(self, question: str) -> tuple[str, ...]:
        """The files of the top ``RECALL_K`` passages the agent's retrieval returns."""
        app = self.client.app
        database, models = app.state.database, app.state.models  # type: ignore[attr-defined]
        with database.session() as session:
            owner = session.scalar(
                select(Account).where(Account.handle == self.evalset.agent.owner_handle)
            )
            hits = sources.search(
                session, owner, self.evalset.agent.handle, models, question, RECALL_K
            )
        return tuple(self.file_of_source.get(h.passage.source_id, "") for h in hits)

    def ask(self, question: Question, member: int) -> Answer:
        """``question`` as the first message of member number ``member``."""
        token = self.signup(f"member_{member:04d}", f"Member {member}")
        retrieved = self.retrieved_files(question.question)
        body = {
            "model": self.evalset.agent.handle,
            "messages": [{"role": "user", "content": question.question}],
        }
        started = time.perf_counter()
        response = self.client.post(
            "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        seconds = time.perf_counter() - started
        completion = _ok(response, 200, f"question {question.id}")
        extra = completion["townsquare"]
        cited = tuple(
            dict.fromkeys(
                self.file_of_source.get(int(c.get("source_id", 0)), "") for c in extra["citations"]
            )
        )
        return Answer(
            question=question,
            text=completion["choices"][0]["message"]["content"],
            outcome=extra["outcome"],
            cited=cited,
            retrieved=retrieved,
            seconds=seconds,
        )


def run_set(
    evalset: CreatorSet,
    questions: Sequence[Question],
    *,
    models: Models,
    data_dir: Path,
    progress: Progress = lambda phase, done, total: None,
    on_answer: Callable[[Answer], None] = lambda answer: None,
) -> list[Answer]:
    """Builds the instance in ``data_dir``, sets up the creator and asks ``questions``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = instance_settings(data_dir)
    answers = []
    with clock_at(evalset), TestClient(create_app(settings, models=models)) as client:
        instance = Instance(client, evalset)
        instance.set_up_creator(progress)
        for number, question in enumerate(questions, 1):
            answer = instance.ask(question, number)
            answers.append(answer)
            on_answer(answer)
            progress("ask", number, len(questions))
    return answers
