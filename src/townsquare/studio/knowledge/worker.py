"""The background thread that indexes uploads, so a 500-page PDF never holds up a request.

Each file's work is charged to the member who owns its agent (``social.quotas.settle_ingest``,
in place of the read limit held for it since it was queued), and owners are served cheapest
first: the next source is the oldest file of the owner whose files cost (or hold) the least in
the last hour, then of the owner served longest ago. So a member whose files are expensive (the
hostile PDF that runs to the read limit) or many waits behind everyone else, and another
member's first file waits for at most the one file in hand."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import func, select

from townsquare.ai.embeddings import Embedder
from townsquare.db import Database
from townsquare.db.models import Agent, KnowledgeSource
from townsquare.errors import InvalidInput
from townsquare.settings import Settings
from townsquare.social import quotas
from townsquare.studio.knowledge.ingest import STALE_AFTER, claim_source, claimable, index_source
from townsquare.studio.knowledge.isolation import Cost
from townsquare.studio.knowledge.reembed import Slot, reembed

log = logging.getLogger(__name__)


class IngestWorker:
    """A daemon thread that indexes queued sources one at a time; it also picks up sources left
    ``indexing`` by a process that died, and first re-embeds knowledge another embedding
    model made (``reembed``). Owners are served cheapest first, then in turn (the module's
    docstring), so one owner's backlog of slow files delays another owner's upload by at most
    one file. ``wake()`` after an upload starts it at once instead of at the next poll."""

    def __init__(
        self,
        database: Database,
        embedder: Embedder,
        settings: Settings,
        *,
        poll_interval: float = 5.0,
        stale_after: timedelta = STALE_AFTER,
        cross: Embedder | None = None,
    ) -> None:
        self.database = database
        self.embedder = embedder
        self.cross = cross  # the cross-language embedder, whose vectors are kept alongside
        self.settings = settings
        self.poll_interval = poll_interval
        self.stale_after = stale_after
        self._served: dict[int, int] = {}  # owner id -> the turn they were last served in
        self._turn = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the ingest worker is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="townsquare-ingest", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stops after the batch in hand; a source it was indexing goes back to the queue and
        resumes from its last committed batch on the next start."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        self._reembed()
        while not self._stop.is_set():
            try:
                claimed = self._claim_next()
                if claimed is not None:
                    self._index(*claimed)
                    continue
            except InvalidInput as error:
                log.info("knowledge source could not be learned from: %s", error)
                continue
            except Exception:
                # The worker outlives any one failure (a model error, the database away for a
                # moment); the failure is on the source row when it could be recorded.
                log.exception("the ingest worker hit an error; retrying after a pause")
            self._wake.wait(self.poll_interval)
            self._wake.clear()

    def _index(self, source_id: int, owner_id: int) -> None:
        """Indexes one claimed source and charges its owner what it cost, also when it fails."""
        cost = Cost()
        try:
            index_source(
                self.database,
                self.embedder,
                self.settings,
                source_id,
                lambda done, total: None,
                self._stop,
                cost,
                cross=self.cross,
            )
        finally:
            with self.database.session() as session:
                quotas.settle_ingest(session, owner_id, source_id, cost.seconds)

    def _reembed(self) -> None:
        """Knowledge another embedding model made (or, for the cross-language embedder, none
        yet), embedded again before any new file."""
        slots: list[tuple[Slot, Embedder]] = [("primary", self.embedder)]
        if self.cross is not None:
            slots.append(("cross", self.cross))
        for slot, embedder in slots:

            def report(done: int, total: int, name: str = embedder.name) -> None:
                log.info("re-embedding knowledge with %s: %d of %d chunks", name, done, total)

            try:
                done = reembed(
                    self.database, embedder, slot=slot, on_progress=report, stop=self._stop
                )
            except Exception:
                log.exception(
                    "re-embedding knowledge failed; `townsquare agent reembed` retries it"
                )
                return
            if done:
                log.info("%d knowledge chunks embedded again with %s", done, embedder.name)

    def _claim_next(self) -> tuple[int, int] | None:
        """Claims the next source: (its id, its owner's id), or None when none is waiting."""
        with self.database.new_session() as session:
            oldest = list(  # each owner's oldest claimable file
                session.execute(
                    select(Agent.owner_id, func.min(KnowledgeSource.id))
                    .join(Agent, Agent.id == KnowledgeSource.agent_id)
                    .where(KnowledgeSource.kind == "file", claimable(self.stale_after))
                    .group_by(Agent.owner_id)
                )
            )
            spent = quotas.ingest_seconds(session, [int(row[0]) for row in oldest])
        # The owners whose files cost least this hour first; among equals, the one served
        # longest ago (or never); among those never served, the oldest file.
        oldest.sort(key=lambda row: (spent.get(row[0], 0.0), self._served.get(row[0], -1), row[1]))
        for owner_id, source_id in oldest:
            if claim_source(self.database, source_id, self.stale_after):
                self._turn += 1
                self._served[owner_id] = self._turn
                return int(source_id), int(owner_id)
        return None
