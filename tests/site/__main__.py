"""Serve the demo site: ``python -m tests.site [--port N]`` prints its URL and serves until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.site.server import DemoServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with DemoServer(port=args.port) as server:
        print(server.base + "/", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
