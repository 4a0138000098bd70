"""``scrapy warcget <url>``: print the latest archived capture of a URL (headers and body).

Looks the URL up in the CDXJ indexes under OUTPUT_ROOT/warc/, follows a revisit to the
capture holding the payload, and prints the WARC headers, the HTTP headers and the body as
stored (``--decode`` undoes gzip/deflate; ``--list`` lists every capture instead).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = False

    def syntax(self) -> str:
        return "[options] <url>"

    def short_desc(self) -> str:
        return "Print the latest archived capture of a URL from the WARC files"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--decode", action="store_true", help="undo gzip/deflate Content-Encoding")
        parser.add_argument("--list", action="store_true", help="list every capture of the URL")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newscrawl.archive.lookup import decode_payload, index_entries, read_record, resolve  # here, not at the top: every `scrapy` process imports all commands
        if len(args) != 1:
            raise UsageError("give one URL")
        assert self.settings is not None
        warc_root = Path(self.settings.get("OUTPUT_ROOT") or "output") / "warc"
        entries = index_entries(warc_root, args[0])
        if not entries:
            self.exitcode = 1
            print(f"no capture of {args[0]} under {warc_root} (looked in its *.cdxj indexes)", file=sys.stderr)
            return
        if opts.list:
            for entry in entries:
                f = entry.fields
                print(entry.timestamp, f.get("status", "-"), f.get("mime", "-"), f.get("digest", "-"), entry.path)
            return
        latest = entries[-1]
        holder = resolve(warc_root, latest)
        record, payload = read_record(holder)
        out = sys.stdout.buffer
        out.write(f"Capture: {latest.fields['url']} at {latest.timestamp}".encode())
        if holder is not latest:
            out.write(f" (revisit of {holder.timestamp})".encode())
        out.write(b"\n" + record.rec_headers.to_bytes())
        if record.http_headers is not None:
            out.write(record.http_headers.to_bytes())
        if opts.decode and record.http_headers is not None:
            payload = decode_payload(payload, record.http_headers.get_header("Content-Encoding"))
        out.write(payload)
        out.flush()
