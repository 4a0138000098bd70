"""Extraction off the reactor's core: worker processes fed with page bytes over sockets.

Scrapy's reactor runs on one core; extracting an article costs several times what fetching
and archiving it does, so on a machine with a second core the crawl goes as fast as
extraction can keep up only if extraction runs there. Each job is plain data both ways:
(body, URL, headers, fetch time) in, a ``PageExtraction`` (dataclasses) and the worker's CPU
milliseconds out, as length-prefixed pickles over a socket pair per worker. The reactor's
own event loop writes jobs and reads results (non-blocking, ``add_reader``/``add_writer``):
no threads in the crawl process. concurrent.futures' pool needs two (a feeder and a result
manager) that cost 0.9 ms of the crawl process's CPU per page and contend for its GIL.

The workers are spawned (never forked from a process running a reactor and threads), and
die with the crawl process (Linux parent-death signal): a crawl killed with SIGKILL leaves no
worker behind holding its files or its stderr. A worker that dies (a segfault in a C library,
the OOM killer) is replaced, and each job it lost is tried once more, alone in a process of
its own; the job that kills that one too is given up on (its page stays in the WARC and
``captures``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import socket
import struct
import time
import traceback
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from newscrawl.extract import PageExtraction, extract_page
from newscrawl.extract.outlinks import PageLinks
from newscrawl.extract.profiles import profile_for
from newscrawl.gctune import tune_gc

logger = logging.getLogger(__name__)

_profiles: dict[str, str] = {}


def _init_worker(profiles: Mapping[str, str], parent: int, gc_threshold: int = 0) -> None:
    global _profiles
    _profiles = dict(profiles)
    _die_with(parent)
    if gc_threshold > 0:  # the crawl process's collector settings (newscrawl.gctune)
        tune_gc(gc_threshold)


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their socket closes
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class ReportedLinks:
    """The page links a worker has already sent back, each with the smallest depth it was
    linked at. The spider turns a link into a request only when it was not linked at that
    depth or less before (``NewsSpider._first_link``), and a news page's ~200 links are mostly
    the menus and footers every page repeats: the links this worker reported before, at this
    depth or less, are left out where they are found, instead of being pickled, sent and
    looked up again by the crawl process (~190 of 199 links a page on the bench site; the
    reactor's core is the crawl's bottleneck). Dropping a link here is only ever what the
    spider would do: it saw that link, from this worker, at a depth no greater. A replaced
    worker starts empty, and so does one whose memory reached ``capacity`` (it forgets all:
    repeats are then sent again and the spider drops them, as without this)."""

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._depths: dict[int, int] = {}  # hash(url) -> depth, as the spider's index

    def fresh(self, links: PageLinks, depth: int) -> PageLinks:
        """``links`` without the page links reported before at ``depth`` or less."""
        depths = self._depths
        if len(depths) > self.capacity:
            depths.clear()
        kept = []
        unseen = depth + 1
        for url in links.pages:
            key = hash(url)
            if depths.get(key, unseen) > depth:
                depths[key] = depth
                kept.append(url)
        return PageLinks(pages=kept, alternates=links.alternates, repeated=links.repeated + len(links.pages) - len(kept))


_reported = ReportedLinks()


def extract_job(
    body: bytes, url: str, headers: Mapping[str, str], fetched_at: datetime | None, links: bool = False,
    link_depth: int | None = None,
) -> tuple[PageExtraction, float]:
    """Runs in a worker: the page's extraction (with its links, if asked) and the CPU
    milliseconds it took. With ``link_depth`` (the depth of the page's links in the crawl),
    links this worker reported before at that depth or less are left out (``ReportedLinks``)."""
    started = time.thread_time()
    result = extract_page(body, url, headers, fetched_at=fetched_at, profile=profile_for(url, _profiles), links=links)
    if link_depth is not None and result.links is not None:
        result = replace(result, links=_reported.fresh(result.links, link_depth))
    return result, (time.thread_time() - started) * 1000.0


def workers_for(setting: str | int | None) -> int:
    """NEWSCRAWL_EXTRACT_WORKERS: a number (0: extract in the crawl process) or ``auto``:
    one per core beyond the reactor's, at most 4."""
    if setting in (None, "", "auto"):
        return max(0, min(4, (os.cpu_count() or 1) - 1))
    return max(0, int(setting))


class BrokenWorker(RuntimeError):
    """A page whose extraction took its worker down, twice."""


class WorkerDied(RuntimeError):
    """The worker process running a job ended before answering."""


class RemoteError(RuntimeError):
    """A job raised an exception that could not be sent back as itself (not picklable)."""


_LENGTH = struct.Struct("!Q")
SOCKET_BUFFER = 4 << 20
"""Bytes each end may have in flight: a dozen pages' jobs waiting for the worker, so that it
never waits for the reactor to find time to write the next one (Linux caps it at
net.core.wmem_max; the default there is 208 KB, two pages)."""
_READ_CHUNK = 1 << 20


def _frame(obj: Any) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def _recv_exactly(sock: socket.socket, size: int) -> bytearray | None:
    """``size`` bytes from a blocking socket; None at end of stream."""
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = sock.recv_into(view[got:])
        if not n:
            return None
        got += n
    return buffer


def _serve(sock: socket.socket, job: Callable[..., Any], profiles: Mapping[str, str], parent: int, gc_threshold: int) -> None:
    """A worker's life: jobs in, answers out, until the crawl closes its end of the socket."""
    _init_worker(profiles, parent, gc_threshold)
    while True:
        header = _recv_exactly(sock, _LENGTH.size)
        if header is None:
            return
        body = _recv_exactly(sock, _LENGTH.unpack(header)[0])
        if body is None:
            return
        job_id, args = pickle.loads(body)
        try:
            answer = (job_id, True, job(*args))
        except Exception as exc:  # sent back and raised where the job was asked for
            exc.add_note("in the extraction worker:\n" + "".join(traceback.format_tb(exc.__traceback__)))
            answer = (job_id, False, exc)
        try:
            frame = _frame(answer)
        except Exception:  # an exception (or a result) that does not pickle
            error = answer[2] if not answer[1] else None
            text = "".join(traceback.format_exception(error)) if error is not None else "unpicklable result"
            frame = _frame((job_id, False, RemoteError(text)))
        sock.sendall(frame)


class _Worker:
    """One spawned worker process and the non-blocking socket the event loop talks to it on."""

    def __init__(self, context: Any, job: Callable[..., Any], initargs: tuple[Any, ...], on_death: Callable[[_Worker], None]) -> None:
        ours, theirs = socket.socketpair()
        for end in (ours, theirs):  # jobs and answers queue in the kernel, not behind a busy reactor
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
        self.process = context.Process(target=_serve, args=(theirs, job, *initargs), daemon=True)
        self.process.start()
        theirs.close()
        ours.setblocking(False)
        self.sock = ours
        self.fd = ours.fileno()
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.on_death = on_death
        self.loop: asyncio.AbstractEventLoop | None = None
        self._out: deque[memoryview] = deque()
        self._in = bytearray()
        self.dead = False

    def submit(self, loop: asyncio.AbstractEventLoop, job_id: int, args: tuple[Any, ...]) -> asyncio.Future[Any]:
        future = loop.create_future()
        if self.dead:
            future.set_exception(WorkerDied("worker process ended"))
            return future
        self._attach(loop)
        self.pending[job_id] = future
        self._out.append(memoryview(_frame((job_id, args))))
        if len(self._out) == 1:
            self._write()
        return future

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        if loop is self.loop:
            return
        self._detach()
        self.loop = loop
        loop.add_reader(self.fd, self._readable)
        if self._out:
            loop.add_writer(self.fd, self._write)

    def _detach(self) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.fd)
            self.loop.remove_writer(self.fd)
        self.loop = None

    def _write(self) -> None:
        try:
            while self._out:
                view = self._out[0]
                sent = self.sock.send(view)
                if sent < len(view):
                    self._out[0] = view[sent:]
                    break
                self._out.popleft()
        except BlockingIOError:
            pass
        except OSError:
            self._died()
            return
        if self.loop is not None:
            if self._out:
                self.loop.add_writer(self.fd, self._write)
            else:
                self.loop.remove_writer(self.fd)

    def _readable(self) -> None:
        try:
            while True:
                chunk = self.sock.recv(_READ_CHUNK)
                if not chunk:
                    self._answers()  # what it sent before it ended
                    self._died()
                    return
                self._in += chunk
                if len(chunk) < _READ_CHUNK:
                    break
        except BlockingIOError:
            pass
        except OSError:
            self._died()
            return
        self._answers()

    def _answers(self) -> None:
        data, start, end = self._in, 0, len(self._in)
        while end - start >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(data, start)
            if end - start - _LENGTH.size < size:
                break
            body = memoryview(data)[start + _LENGTH.size : start + _LENGTH.size + size]
            job_id, ok, value = pickle.loads(body)
            body.release()
            start += _LENGTH.size + size
            future = self.pending.pop(job_id, None)
            if future is not None and not future.done():
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        if start:
            del data[:start]

    def _died(self) -> None:
        if self.dead:
            return
        self.dead = True
        self._detach()
        self.sock.close()
        lost, self.pending = self.pending, {}
        for future in lost.values():
            if not future.done():
                future.set_exception(WorkerDied("worker process ended"))
        self.on_death(self)

    def close(self, timeout: float = 10.0) -> None:
        """End of input for the worker (it exits), then wait for it; kill one that hangs."""
        self._detach()
        for future in self.pending.values():
            future.cancel()
        self.pending = {}
        if not self.dead:
            self.dead = True
            self.sock.close()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class ExtractionPool:
    def __init__(
        self, workers: int, profiles: Mapping[str, str], job: Callable[..., tuple[PageExtraction, float]] = extract_job,
        gc_threshold: int = 0,
    ) -> None:
        self.job = job
        self.replaced = 0
        self._context = multiprocessing.get_context("spawn")
        self._initargs = (dict(profiles), os.getpid(), gc_threshold)
        self._ids = iter(range(1 << 62))
        self._workers = [self._spawn() for _ in range(workers)]
        self._retired: list[_Worker] = []

    def _spawn(self, on_death: Callable[[_Worker], None] | None = None) -> _Worker:
        return _Worker(self._context, self.job, self._initargs, on_death or self._replace)

    def _replace(self, dead: _Worker) -> None:
        if dead in self._workers:
            logger.error("An extraction worker died (replaced); the pages it held are tried again one by one")
            self.replaced += 1
            self._workers[self._workers.index(dead)] = self._spawn()
            self._retired.append(dead)

    async def extract(
        self, body: bytes, url: str, headers: Mapping[str, str], fetched_at: datetime | None, links: bool = False,
        link_depth: int | None = None,
    ) -> tuple[PageExtraction, float]:
        """The job's answer from the least busy worker; ``link_depth``: see ``extract_job``."""
        args: tuple[Any, ...] = (body, url, dict(headers), fetched_at, links)
        if link_depth is not None:
            args += (link_depth,)
        loop = asyncio.get_running_loop()
        worker = min(self._workers, key=lambda w: len(w.pending))
        try:
            return await worker.submit(loop, next(self._ids), args)
        except WorkerDied:
            pass
        # Tried again alone in a process of its own: the page that kills workers takes down
        # only that one, not a worker again with the innocent pages that were lost with it.
        alone = self._spawn(on_death=lambda worker: None)
        try:
            return await alone.submit(loop, next(self._ids), args)
        except WorkerDied:
            raise BrokenWorker(f"extraction of {url} takes its worker process down") from None
        finally:
            alone.close()

    def close(self) -> None:
        for worker in self._workers + self._retired:
            worker.close()
        self._retired = []
