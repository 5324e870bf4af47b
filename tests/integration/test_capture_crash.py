"""SIGKILL the real server (uvicorn) during capture over HTTP, again and again, on both backends.

Two client threads keep posting requests of six client-signed events (two batches, each
generated, split in two and one part disposed) while the server is killed at random moments and
started again. Afterwards: every acknowledged event is stored at the leaf index it was answered
with; every request is stored whole or not at all (checked in the rows, and again by resending
each unanswered request, whose events must come back all `stored` or all `already_stored`); and
`zerowaste ledger audit`, run as the CLI in its own process, is clean.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import MASTER_KEY, postgres_url
from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import CODE, Firm, document, line, signed
from zerowaste.adapters.db.engine import temporary_schema
from zerowaste.bootstrap import Context, build_context
from zerowaste.domain.accounts import NewSigningKey, UserRole
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes
from zerowaste.settings import Settings

KILLS = 22
CHECKPOINT_EVERY = 25

# Builds the app once (FastAPI's route setup costs seconds), then forks a child per command
# line: `serve` runs uvicorn with that app on the port until killed (the child drops any pooled
# connection it inherited, so each start opens its own); `cli OUT ARGS...` runs the `zerowaste`
# command line with its output in OUT. Each child's pid is printed, then its exit status.
ZYGOTE = """
import os, sys
import uvicorn
from zerowaste.app import create_app
from zerowaste.cli.main import main
from zerowaste.settings import Settings

url, master_key, port, every = sys.argv[1:5]
os.environ.update(ZEROWASTE_DATABASE_URL=url, ZEROWASTE_MASTER_KEY=master_key)
app = create_app(Settings(ledger_checkpoint_every=int(every)))


def serve():
    app.state.context.engine.dispose(close=False)
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="critical")


def cli(out, *args):
    with open(out, "w") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
    sys.argv = ["zerowaste", *args]
    try:
        main()
    except SystemExit as exc:
        sys.stdout.flush()
        os._exit(exc.code if isinstance(exc.code, int) else 1)
    sys.stdout.flush()
    os._exit(0)


print("ready", flush=True)
for command in sys.stdin:
    name, *args = command.split()
    pid = os.fork()
    if pid == 0:
        try:
            serve() if name == "serve" else cli(*args)
        finally:
            os._exit(1)
    print("pid", pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print("done", os.waitstatus_to_exitcode(status), flush=True)
"""


@dataclass
class Sent:
    """One capture request: its body, its event ids, and what (if anything) answered it."""

    body: dict[str, Any]
    event_ids: list[uuid.UUID]
    acknowledged: dict[uuid.UUID, int] = field(default_factory=dict)
    answered: bool = False


class Zygote:
    """The forking parent process of the servers and CLI runs."""

    def __init__(self, url: str, port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, url, MASTER_KEY, str(port), str(CHECKPOINT_EVERY)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.child = 0
        assert self.process.stdout is not None
        assert self.process.stdout.readline().split() == ["ready"], "the zygote died"

    def start(self, *command: str) -> int:
        """Fork a child running `command`; its pid."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(" ".join(command) + "\n")
        self.process.stdin.flush()
        words = self.process.stdout.readline().split()
        assert words[:1] == ["pid"], f"the zygote died: {words}"
        self.child = int(words[1])
        return self.child

    def wait(self) -> int:
        """Wait for the running child to end; its exit code (negative: the killing signal)."""
        assert self.process.stdout is not None
        words = self.process.stdout.readline().split()
        assert words[:1] == ["done"], f"the zygote died: {words}"
        self.child = 0
        return int(words[1])

    def kill(self) -> int:
        """SIGKILL the running child."""
        os.kill(self.child, signal.SIGKILL)
        return self.wait()

    def close(self) -> None:
        """Kill any child, end the zygote."""
        if self.child:
            self.kill()
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(client: httpx.Client, deadline_s: float = 60.0) -> None:
    stop = time.monotonic() + deadline_s
    while True:
        try:
            client.get("/api/v1/ledger/verifier-key")
            return
        except httpx.TransportError:
            if time.monotonic() > stop:
                raise
            time.sleep(0.02)


def make_request(firm: Firm, at: datetime) -> Sent:
    """Six events: two batches generated, each split in two and one part disposed."""
    events = []
    for _ in range(2):
        raw, kept, gone = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        events += [
            document(firm, "generated", at, outputs=[line(raw, "1.25", "TNE", waste_code=CODE)]),
            document(
                firm,
                "split",
                at,
                inputs=[line(raw, "1250")],
                outputs=[line(kept, "800.5"), line(gone, "449.5")],
            ),
            document(
                firm, "disposed", at, inputs=[line(gone, "449.5")], disposal_method="incineration"
            ),
        ]
    body = {"events": [signed(firm, event) for event in events]}
    return Sent(body, [uuid.UUID(event["event_id"]) for event in events])


@contextlib.contextmanager
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
        return
    base = postgres_url()
    assert base is not None
    with temporary_schema(base, "zw_capture_crash") as url:
        yield url


def registered_firm(context: Context) -> tuple[Firm, dict[str, str]]:
    """A firm with a site and a client-side key valid since yesterday; an admin's API key."""
    factory = Factory(context)
    organization = factory.organization()
    site = factory.site(organization)
    private = generate_private_key()
    since = datetime.now(UTC) - timedelta(days=1)
    key = context.signing_keys.register(
        OPERATOR, organization.id, NewSigningKey(public_key_bytes(private), since)
    )
    headers = factory.api_key(factory.user(UserRole.ADMIN))
    return Firm(organization, site, private, key.id), headers


class Submitter(threading.Thread):
    """Posts fresh requests while the server is up; records every answer, or its absence."""

    def __init__(self, base_url: str, headers: dict[str, str], firm: Firm, up: threading.Event):
        super().__init__(daemon=True)
        # A new connection per request: a kept-alive one would die with the server and make the
        # next request look cut by a kill it never met.
        keep_none = httpx.Limits(max_keepalive_connections=0)
        self.client = httpx.Client(base_url=base_url, headers=headers, timeout=30, limits=keep_none)
        self.firm = firm
        self.up = up
        self.stop = threading.Event()
        self.sent: list[Sent] = []
        self.unexpected: list[str] = []

    def run(self) -> None:
        at = datetime.now(UTC) - timedelta(hours=1)
        while not self.stop.is_set():
            if not self.up.wait(0.1):
                continue
            request = make_request(self.firm, at)
            self.sent.append(request)
            try:
                response = self.client.post("/api/v1/events", json=request.body)
            except httpx.TransportError:
                continue  # killed before it answered: unknown whether it was stored
            request.answered = True
            if response.status_code != 201:
                self.unexpected.append(f"{response.status_code} {response.text[:300]}")
                continue
            for result in response.json()["results"]:
                assert result["status"] == "stored"
                request.acknowledged[uuid.UUID(result["event_id"])] = result["leaf_index"]


def stored_leaves(context: Context, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Leaf index of each of `event_ids` that is stored, checking events and ledger agree."""
    found = {}
    with context.unit_of_work() as uow:
        for event_id in event_ids:
            row = uow.events.event(event_id)
            entry = uow.ledger.entry(context.ledger.log_id, event_id)
            assert (row is None) == (entry is None), f"event {event_id} half-stored"
            if row is not None and entry is not None:
                assert row.leaf_index == entry.leaf_index
                found[event_id] = row.leaf_index
    return found


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_sigkill_during_http_capture_loses_no_acknowledged_event(
    backend: str, tmp_path: Path
) -> None:
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(database(backend, tmp_path))
        context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
        stack.callback(context.close)
        context.migrate()
        firm, headers = registered_firm(context)
        port = free_port()
        zygote = Zygote(url, port)
        stack.callback(zygote.close)
        base_url = f"http://127.0.0.1:{port}"
        probe = stack.enter_context(httpx.Client(base_url=base_url, timeout=30))
        up = threading.Event()
        submitters = [Submitter(base_url, headers, firm, up) for _ in range(2)]
        for submitter in submitters:
            submitter.start()
        generator = random.Random(20261201)
        killed_by = []
        for _ in range(KILLS):
            zygote.start("serve")
            wait_until_serving(probe)
            up.set()
            time.sleep(generator.uniform(0.1, 1.2))
            up.clear()  # no new request until the next start; those in flight meet the kill
            killed_by.append(zygote.kill())
        for submitter in submitters:
            submitter.stop.set()
            submitter.join(60)
        assert killed_by == [-signal.SIGKILL] * KILLS
        sent = [request for s in submitters for request in s.sent]
        assert [u for s in submitters for u in s.unexpected] == []
        cut = [request for request in sent if not request.answered]
        acknowledged = [request for request in sent if request.acknowledged]
        assert len(cut) >= KILLS // 2, "too few kills landed while a request was in flight"
        assert len(acknowledged) >= KILLS // 2

        for request in acknowledged:
            assert stored_leaves(context, request.event_ids) == request.acknowledged
        whole = 0
        for request in cut:
            stored = stored_leaves(context, request.event_ids)
            assert len(stored) in (0, len(request.event_ids)), "a request was half-stored"
            whole += bool(stored)

        zygote.start("serve")
        wait_until_serving(probe)
        statuses = []
        for request in cut:
            response = probe.post("/api/v1/events", json=request.body, headers=headers)
            assert response.status_code == 201, response.text
            statuses.append({result["status"] for result in response.json()["results"]})
        zygote.kill()
        assert all(len(s) == 1 for s in statuses), "a resent request was partly stored"
        assert sum(s == {"already_stored"} for s in statuses) == whole

        total = 6 * len(sent)
        with context.unit_of_work() as uow:
            assert uow.events.counts() == (total, total, total * 2 // 3)
            assert uow.ledger.head_size(context.ledger.log_id) == total
            assert uow.ledger.entry_count(context.ledger.log_id) == total
        out = tmp_path / "audit.txt"
        zygote.start("cli", str(out), "ledger", "audit")
        code = zygote.wait()
        report = out.read_text(encoding="utf-8")
        assert code == 0, report
        assert f"clean: {total} entries" in report
        assert context.ledger.audit().checkpoints_checked > 0
