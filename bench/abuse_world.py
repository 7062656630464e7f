"""The world the abuse benchmarks run in: a live server on loopback with the fake models, the
members and the abuser seeded with tokens, each sending from its own loopback address, and the
hostile PDF of issue 16's finding 2. Used by `bench/abuse.py` and `bench/refusal_cost.py`;
run as `python bench/abuse_world.py PORT` it is the server itself."""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from townsquare.db import Database, upgrade_to_head
from townsquare.settings import Settings
from townsquare.social import accounts, sessions
from townsquare.studio.agents import create_agent
from townsquare.studio.spec import AgentSpec

PASSWORD = "correct horse battery staple"
AGENT = "bench_guide"


def hostile_pdf(salt: int, pages: int = 3, stream_bytes: int = 2 * 2**20) -> bytes:
    """The PDF of issue 16, finding 2 (as `tests/studio/knowledge/documents.py`): a few KiB, each
    page a deflated ``(A) Tj`` content stream that costs text extraction seconds a page. ``salt``
    makes each copy a new file, so an upload is not answered with the last one's source."""
    content = _hostile_stream(stream_bytes)
    page_ids = [4 + 2 * n for n in range(pages)]
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for page_id in page_ids:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
    out = bytearray(b"%%PDF-1.4\n%% copy %d\n" % salt)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@functools.cache
def _hostile_stream(stream_bytes: int) -> bytes:
    """A page's deflated ``(A) Tj`` content stream, compressed once (the abuser's client would
    otherwise spend its time here, not the server)."""
    return zlib.compress(b"BT /F1 12 Tf " + b"(A) Tj " * (stream_bytes // 7) + b"ET", 9)


def long_histories() -> list[bytes]:
    """The abuser's chat completions, encoded once: within the caps (64,000 characters of
    earlier turns), over the history cap (422) and over the body limit (413). A real abuser
    sends the same bytes again rather than re-encoding 1.35 MB of JSON a request on the cores
    the server shares here."""
    bodies = []
    for turns in (3, 8, 90):
        history = [
            {"role": ("user", "assistant")[i % 2], "content": "x" * 15_000} for i in range(turns)
        ]
        messages = [*history, {"role": "user", "content": "and?"}]
        bodies.append(json.dumps({"model": AGENT, "messages": messages}).encode())
    return bodies


def knowledge_wait(url: str, owner: Member, phase: str, limit_s: float) -> float | None:
    """Seconds until a small text file the agent's owner uploads is indexed (None: not within
    ``limit_s``): the one ingest worker indexes files oldest first, whoever sent them."""
    data = f"Opening hours for the {phase} phase: nine to five.\n".encode()
    started = time.perf_counter()
    with owner.client(url, timeout=60) as client:
        files = {"file": (f"hours-{phase}.txt", data, "text/plain")}
        r = client.post(f"/agents/{AGENT}/knowledge", files=files)
        r.raise_for_status()
        source = int(r.json()["id"])
        while time.perf_counter() - started < limit_s:
            status = client.get(f"/agents/{AGENT}/knowledge/{source}").json()["status"]
            if status in ("ready", "failed"):
                return time.perf_counter() - started
            time.sleep(0.2)
    return None


def open_threads(url: str, seeded: Seeded) -> None:
    for member in [*seeded.members, seeded.abuser]:
        with member.client(url, timeout=30) as client:
            r = client.post(f"/agents/{AGENT}/threads")
            r.raise_for_status()
        member.thread_id = int(r.json()["thread_id"])


TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds of process ``pid`` so far (all its threads), or with
    ``children`` of its children it has reaped (the server's knowledge-file readers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) * TICK_S


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_with_fakes(port: int) -> None:
    """`townsquare serve`, with the fake chat model and embedder passed in (as tests do)."""
    import uvicorn

    from townsquare.ai.fake import FakeChatModel, FakeEmbedder
    from townsquare.ai.runtime import Models
    from townsquare.app import create_app
    from townsquare.cli.options import load_settings

    settings = load_settings(port=port)
    models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    uvicorn.run(
        create_app(settings, models=models), host="127.0.0.1", port=port, log_level="warning"
    )


@dataclass
class Member:
    handle: str
    headers: dict[str, str]
    address: str  # the loopback address its requests come from
    thread_id: int = 0

    def client(self, url: str, timeout: float) -> httpx.Client:
        """A client that sends as this member, from its own address (members are people in
        different places: the request-rate limit counts each address on its own)."""
        transport = httpx.HTTPTransport(local_address=self.address)
        return httpx.Client(
            base_url=url, headers=self.headers, timeout=timeout, transport=transport
        )


@dataclass
class Seeded:
    members: list[Member]
    abuser: Member
    victim: str  # the handle whose password the abuser guesses
    abuser_agent: str  # an agent the abuser owns, to upload knowledge to


def seed(settings: Settings, members: int) -> Seeded:
    """Accounts and tokens straight in the database: sign-ups over HTTP from one address are
    themselves throttled (`TOWNSQUARE_SIGNUPS_PER_ADDRESS`)."""
    database = Database.configured(settings)
    upgrade_to_head(database)
    made: list[Member] = []
    with database.session() as session:
        for n in range(members + 1):
            handle = "abuser" if n == members else f"member{n}"
            account = accounts.create_account(session, handle=handle, password=PASSWORD)
            _, token = sessions.issue_token(session, account, "bench", settings=settings)
            address = f"127.0.{1 + n // 250}.{2 + n % 250}"
            made.append(Member(handle, {"Authorization": f"Bearer {token}"}, address))
            if n == 0:
                spec = {"handle": AGENT, "name": "Guide", "personality": "A helpful town guide."}
                create_agent(session, account, AgentSpec.model_validate(spec))
            if n == members:
                spec = {"handle": "abuser_bot", "name": "Bot", "personality": "A bot."}
                create_agent(session, account, AgentSpec.model_validate(spec))
        session.commit()
    database.dispose()
    return Seeded(made[:-1], made[-1], made[1].handle, "abuser_bot")


@dataclass
class Server:
    data_dir: Path
    model: str
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "TOWNSQUARE_DATA_DIR": str(self.data_dir)}
        if self.model == "fake":
            command = [sys.executable, __file__, str(self.port)]
        else:
            command = [sys.executable, "-m", "townsquare", "serve", "--port", str(self.port)]
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError(f"the server did not start; see {self.data_dir / 'server.log'}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


if __name__ == "__main__":
    serve_with_fakes(int(sys.argv[1]))
