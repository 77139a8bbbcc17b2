"""The kill test: concurrent public submissions while app servers and workers are killed (-9)
and restarted, on one server and scaled out, with and without client retries.

Three runs, each on a fresh database:

- one server on SQLite, one on PostgreSQL: ``xxgk serve --no-worker`` (gunicorn, 2 workers)
  and one ``xxgk worker``, the clients talking to gunicorn directly (the kill test of issue
  11);
- scaled out on PostgreSQL: two app servers and two workers behind nginx
  (deploy/nginx/xxgk.conf, an upstream of two), as a province would run it.

Meanwhile half the clients submit without retries (a failure is given up: that submission
is the applicant's to repeat; the next comes a second later) and half retry with the same
``Idempotency-Key`` every second until they get an answer; a handler replies to the stored applications (the reply's letter is rendered
by a worker, then emailed by a worker to an SMTP server this script runs). ``--kills``
times during the run, an app server (its whole process group) and a worker are killed with
SIGKILL mid-work and started again two seconds later; in the scaled-out run always the
first of each, so the others carry on.

Afterwards (the workers left to finish the queue, a dead worker's job taken again once its
lease runs out) it prints for each run: submissions sent, acknowledged and stored; lost
(acknowledged, not stored), stored twice and half-written (without identity, submission
event or audit entry); and of the jobs: run, retaken after a kill, unfinished, letters
stored twice; of the mails, counted per letter at the SMTP server (a message counts once
its data has arrived, before the server's answer: a worker killed while it waits for that
answer leaves a mail the server may deliver): mails per letter (the most must be 1), letters
never mailed, and mails unconfirmed (the worker died between the hand-off and its record:
not sent again, shown to staff). The SMTP server answers each message ``--smtp-delay``
seconds late, as a distant one does, which widens that window for the kills. Usage:

    .venv/bin/python bench/scale_out.py [--seconds 40] [--clients 4] [--kills 3]
        [--smtp-delay 0.5] [--runs sqlite,postgres,scaled]
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import hashlib
import http.client
import json
import os
import re
import signal
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from nginx_front import Front  # noqa: E402
from serving import free_port, wait_until_up  # noqa: E402

XXGK = [sys.executable, "-m", "xxgk.cli"]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
NUMBER = re.compile(r"\d{6}-\d{4}-\d{6}")

PAYLOAD = json.dumps({
    "applicant_column": "natural_person", "applicant_name": "压测申请人",
    "id_document_type": "resident_id", "id_number": "11010519491231002X",
    "phone": "13800000000", "email": "bench@example.cn",
    "description": "请公开2023年西城区老旧小区综合整治项目的立项批复文件。",
    "provision_form": "electronic", "delivery": "email", "agency": "110102",
}).encode()

SETUP = """
from xxgk.agencies.models import Agency
Agency.objects.get_or_create(code="110102", defaults={"name": "北京市西城区人民政府",
                                                      "kind": "district"})
"""

# The handler: confirms and answers the oldest submitted application every half second
# (each reply queues its letter, and the letter its email), until the run ends.
HANDLER = """
import os, time
from django.utils import timezone
from xxgk.applications import actions
from xxgk.applications.models import Application, Status
deadline = time.monotonic() + float(os.environ["BENCH_SECONDS"])
while time.monotonic() < deadline:
    application = Application.objects.filter(status=Status.SUBMITTED).order_by("pk").first()
    if application is not None:
        try:
            actions.confirm_receipt(application, received_on=timezone.localdate())
            actions.reply(application, outcome="disclosed",
                          legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项")
        except Exception as exc:  # a busy database: the next turn tries again
            print("handler:", type(exc).__name__, exc)
    time.sleep(0.5)
"""

PENDING = """
from xxgk.core.models import Job, JobState
print(Job.objects.exclude(state__in=[JobState.DONE, JobState.FAILED]).count())
"""

# What the database holds, read after the run.
FINDINGS = """
import json
from collections import Counter
from xxgk.agencies.models import AuditEntry
from xxgk.applications.models import (Application, ApplicantIdentity, ApplicationEvent,
                                      Document, EventKind)
from xxgk.core.models import Job, JobState, Mail, MailState
submitted = set(ApplicationEvent.objects.filter(kind=EventKind.SUBMITTED)
                .values_list("application_id", flat=True))
identities = set(ApplicantIdentity.objects.values_list("application_id", flat=True))
audited = set(int(i) for i in AuditEntry.objects.filter(action="application.submit")
              .values_list("object_id", flat=True))
apps = list(Application.objects.values_list("pk", "number", "client_token"))
replies = list(ApplicationEvent.objects.filter(kind=EventKind.REPLIED)
               .values_list("pk", "application__number"))
letters = Counter(Document.objects.filter(kind=Document.Kind.LETTER)
                  .values_list("event_id", flat=True))
emailed = Counter(e["event_id"] for e in AuditEntry.objects.filter(
    action="application.letter_emailed").values_list("detail", flat=True))
jobs = list(Job.objects.values_list("task", "state", "attempts"))
numbers = dict(replies)
unconfirmed = [numbers.get(int(key.removeprefix("letter:"))) for key in
               Mail.objects.filter(state=MailState.UNCONFIRMED, key__startswith="letter:")
               .values_list("key", flat=True)]
print(json.dumps({
    "stored": {number: token for _pk, number, token in apps},
    "half_written": sum(1 for pk, _n, _t in apps
                        if pk not in submitted or pk not in identities or pk not in audited),
    "replies": [number for _pk, number in replies],
    "letters_missing": sum(1 for pk, _n in replies if letters[pk] == 0),
    "letters_twice": sum(1 for pk, _n in replies if letters[pk] > 2),
    "emailed_missing": sum(1 for pk, _n in replies if emailed[pk] == 0),
    "emailed_twice": sum(1 for pk, _n in replies if emailed[pk] > 1),
    "jobs": len(jobs),
    "jobs_retaken": sum(1 for _t, _s, attempts in jobs if attempts > 1),
    "jobs_unfinished": sum(1 for _t, state, _a in jobs if state != JobState.DONE),
    "unconfirmed": unconfirmed,
}))
"""


class Mailbox(socketserver.ThreadingTCPServer):
    """The SMTP server the workers send to: just enough SMTP to take messages, each
    counted by its subject (a letter's name and its application's number), answered
    ``delay`` seconds after its data arrived."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", free_port()), _SMTPHandler)
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.delay = delay


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        # A worker killed mid-conversation resets the connection: its message was counted
        # (or not) already, and there is nobody left to answer.
        with contextlib.suppress(ConnectionError):
            self.converse()

    def converse(self) -> None:
        self.wfile.write(b"220 bench\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                subject = str(email.message_from_bytes(data, policy=email.policy.default)
                              ["Subject"] or "")
                if NUMBER.search(subject):
                    with self.server.lock:  # type: ignore[attr-defined]
                        self.server.received[subject] += 1  # type: ignore[attr-defined]
                time.sleep(self.server.delay)  # type: ignore[attr-defined]
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif verb == b"EHLO":
                self.wfile.write(b"250 bench\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


@dataclass
class Tally:
    """One kind of client's view of the run."""

    sent: int = 0
    acknowledged: dict[str, str] = field(default_factory=dict)  # number -> key
    given_up: int = 0
    failures: Counter = field(default_factory=Counter)  # what the failed attempts got
    keys: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def submitter(index: int, port: int, tls: ssl.SSLContext | None, retries: bool,
              stop: threading.Event, tally: Tally) -> None:
    """Submit applications one after another; with ``retries``, each until it is answered."""
    n = 0
    while not stop.is_set():
        key = uuid.uuid4().hex
        with tally.lock:
            tally.sent += 1
            tally.keys.append(key)
        for _attempt in range(120 if retries else 1):
            n += 1
            # Each request from another loopback address: nginx's per-address limits are
            # for people, and these clients are many people.
            source = (f"127.0.{10 + index}.{n % 250 + 1}", 0)
            conn = (http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=tls,
                                                source_address=source) if tls else
                    http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                               source_address=source))
            try:
                conn.request("POST", "/api/applications", body=PAYLOAD,
                             headers={"Content-Type": "application/json",
                                      "Idempotency-Key": key})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                body, status = b"", type(exc).__name__
            else:
                status = response.status
            finally:
                conn.close()
            if status in (200, 201):
                with tally.lock:
                    tally.acknowledged[json.loads(body)["number"]] = key
                break
            with tally.lock:
                tally.failures[status] += 1
            time.sleep(1.0)
        else:
            with tally.lock:
                tally.given_up += 1


class Run:
    """App servers, workers and (scaled out) nginx on one database."""

    def __init__(self, env: dict, var: Path, servers: int, workers: int, front: bool) -> None:
        self.env, self.var = env, var
        self.ports = [free_port() for _ in range(servers)]
        self.servers: list[subprocess.Popen | None] = [None] * servers
        self.workers: list[subprocess.Popen | None] = [None] * workers
        for i in range(servers):
            self.start_server(i)
        for i in range(workers):
            self.start_worker(i)
        for port in self.ports:
            wait_until_up(port)
        self.front = None
        if front:
            prefix = var / "nginx"
            prefix.mkdir()
            self.front = Front(prefix, [f"127.0.0.1:{p}" for p in self.ports], var / "static")

    def start_server(self, i: int) -> None:
        self.servers[i] = subprocess.Popen(
            [*XXGK, "serve", "--no-worker", "--bind", f"127.0.0.1:{self.ports[i]}",
             "--workers", "2"], env=self.env, cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_worker(self, i: int) -> None:
        self.workers[i] = subprocess.Popen([*XXGK, "worker"], env=self.env, cwd=ROOT,
                                           start_new_session=True, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)

    def kill(self) -> None:
        """SIGKILL the first app server's whole process group and the first worker."""
        for process in (self.servers[0], self.workers[0]):
            if process is not None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def restart(self) -> None:
        self.start_server(0)
        self.start_worker(0)

    def stop(self) -> None:
        if self.front is not None:
            self.front.stop()
        for process in [*self.servers, *self.workers]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.servers, *self.workers]:
            if process is not None:
                process.wait(timeout=90)




def xxgk(env: dict, *args: str) -> str:
    done = subprocess.run([*XXGK, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"xxgk {args[0]} failed:\n{done.stderr}")
    return done.stdout


def run_once(label: str, database_url: str | None, *, servers: int, workers: int,
             front: bool, args: argparse.Namespace, mailbox: Mailbox) -> dict:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "XXGK_VAR_DIR": var, "LOG_LEVEL": "ERROR",
               # Every client is this machine: no limit on submissions per address.
               "XXGK_SUBMISSIONS_PER_HOUR": "0",
               "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.server_address[1]}",
               "BENCH_SECONDS": str(args.seconds)}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        xxgk(env, "migrate", "--no-input", "-v0")
        xxgk(env, "collectstatic", "--no-input", "-v0")
        xxgk(env, "shell", "--no-imports", "-c", SETUP)
        with mailbox.lock:
            mailbox.received.clear()
        run = Run(env, Path(var), servers, workers, front)
        try:
            port, tls = ((run.front.https_port, run.front.context()) if run.front
                         else (run.ports[0], None))
            stop = threading.Event()
            tallies = {False: Tally(), True: Tally()}
            clients = [threading.Thread(target=submitter,
                                        args=(i, port, tls, i % 2 == 1, stop, tallies[i % 2 == 1]))
                       for i in range(args.clients)]
            handler = subprocess.Popen([*XXGK, "shell", "--no-imports", "-c", HANDLER],
                                       env=env, cwd=ROOT)
            began = time.monotonic()
            for t in clients:
                t.start()
            downtimes = []
            for k in range(args.kills):
                time.sleep(max(0.0, began + args.seconds * (k + 1) / (args.kills + 1)
                               - time.monotonic()))
                killed = time.monotonic()
                run.kill()
                time.sleep(2)
                run.restart()
                wait_until_up(run.ports[0])
                downtimes.append(time.monotonic() - killed)
            time.sleep(max(0.0, began + args.seconds - time.monotonic()))
            stop.set()
            for t in clients:
                t.join()
            handler.wait(timeout=120)
            # The queue drains; a job of a killed worker waits out its lease first.
            drain_started = time.monotonic()
            while int(xxgk(env, "shell", "--no-imports", "-c", PENDING)) and \
                    time.monotonic() - drain_started < 300:
                time.sleep(2)
            drained = time.monotonic() - drain_started
        finally:
            run.stop()
        found = json.loads(xxgk(env, "shell", "--no-imports", "-c", FINDINGS))
    with mailbox.lock:
        per_letter = Counter(mailbox.received)
    mails = Counter()
    for subject, count in per_letter.items():
        mails[NUMBER.search(subject).group()] += count
    stored = found["stored"]
    tokens = {token for token in stored.values() if token}
    rows = {}
    for retries, tally in tallies.items():
        acknowledged = tally.acknowledged
        stored_here = sum(1 for key in tally.keys
                          if hashlib.sha256(f"xxgk-api:{key}".encode()).hexdigest() in tokens)
        rows["with retries" if retries else "no retries"] = {
            "sent": tally.sent, "acknowledged": len(acknowledged), "stored": stored_here,
            "lost": sum(1 for number in acknowledged if number not in stored),
            "given_up": tally.given_up, "failures": dict(tally.failures.most_common())}
    replies = found["replies"]
    return {
        "label": label, "rows": rows, "stored_total": len(stored),
        "stored_twice": len(stored) - len(tokens),
        "half_written": found["half_written"], "replies": len(replies),
        "jobs": found["jobs"], "jobs_retaken": found["jobs_retaken"],
        "jobs_unfinished": found["jobs_unfinished"],
        "letters_missing": found["letters_missing"], "letters_twice": found["letters_twice"],
        "emailed_twice": found["emailed_twice"],
        "mails": sum(per_letter.values()), "letters_mailed": len(per_letter),
        "mails_per_letter_max": max(per_letter.values(), default=0),
        "mails_missing": sum(1 for number in replies if mails[number] == 0),
        "mails_twice": sum(1 for count in per_letter.values() if count > 1),
        "unconfirmed": len(found["unconfirmed"]),
        "unconfirmed_missing": sum(1 for number in found["unconfirmed"] if mails[number] == 0),
        "drained_s": drained, "down_s": sum(downtimes) / max(len(downtimes), 1),
    }


def report(result: dict, args: argparse.Namespace) -> None:
    print(f"\n== {result['label']}: {args.clients} clients, {args.seconds:.0f} s, "
          f"{args.kills} kills (-9) of an app server and a worker, each down "
          f"{result['down_s']:.0f} s until it answered again")
    print(f"  {'clients':14} {'sent':>6} {'acked':>6} {'stored':>7} {'lost':>5} "
          f"{'gave up':>8}")
    for name, row in result["rows"].items():
        print(f"  {name:14} {row['sent']:>6} {row['acknowledged']:>6} {row['stored']:>7} "
              f"{row['lost']:>5} {row['given_up']:>8}   failed attempts: {row['failures']}")
    print(f"  stored {result['stored_total']}: twice {result['stored_twice']}, "
          f"half-written {result['half_written']}")
    print(f"  replies {result['replies']}; jobs {result['jobs']}: retaken after a kill "
          f"{result['jobs_retaken']}, unfinished {result['jobs_unfinished']} "
          f"(queue drained {result['drained_s']:.0f} s after the run)")
    print(f"  letters: missing {result['letters_missing']}, stored twice "
          f"{result['letters_twice']}")
    print(f"  mails (SMTP server): {result['mails']} for {result['letters_mailed']} letters, "
          f"per letter at most {result['mails_per_letter_max']}; sent twice "
          f"{result['mails_twice']} (recorded twice {result['emailed_twice']}); replies never "
          f"mailed {result['mails_missing']}, of which unconfirmed (shown to staff) "
          f"{result['unconfirmed_missing']}; unconfirmed {result['unconfirmed']} (not sent "
          f"again)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--smtp-delay", type=float, default=0.5)
    parser.add_argument("--runs", default="sqlite,postgres,scaled")
    args = parser.parse_args()
    mailbox = Mailbox(args.smtp_delay)
    threading.Thread(target=mailbox.serve_forever, daemon=True).start()
    results = []
    for name in args.runs.split(","):
        if name == "sqlite":
            results.append(run_once("one server, SQLite", None, servers=1, workers=1,
                                    front=False, args=args, mailbox=mailbox))
            report(results[-1], args)
            continue
        database = f"xxgk_bench_scale_{os.getpid()}_{name}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {database}"], check=True)
        try:
            url = f"postgres://postgres@127.0.0.1:5432/{database}"
            if name == "postgres":
                results.append(run_once("one server, PostgreSQL", url, servers=1, workers=1,
                                        front=False, args=args, mailbox=mailbox))
            else:
                results.append(run_once("two app servers + two workers behind nginx, "
                                        "PostgreSQL", url, servers=2, workers=2, front=True,
                                        args=args, mailbox=mailbox))
            report(results[-1], args)
        finally:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {database} "
                            "WITH (FORCE)"], check=True)
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
