"""The gzip libraries a WARC record can be compressed with, and their levels.

Every engine writes standard gzip (RFC 1952) members that zlib, warcio, pywb and
``warcio check`` read; they differ in CPU per byte and in size. Measured on the 224 real news
pages of the eval set (265 KB on average), ms per page and compressed/original size:

=========  =====  ===========  =====
engine     level  ms per page  ratio
=========  =====  ===========  =====
zlib         9        ~9        0.190   (warcio's own, fixed)
zlib         6        5.5       0.191
zlib-ng      6        3.1       0.193
zlib-ng      1        0.9       0.272
isal         3        1.5       0.215
isal         2        0.5       0.222   (default)
=========  =====  ===========  =====

ISA-L (Intel's Intelligent Storage Acceleration library, through python-isal) level 2 costs
a sixth of zlib-ng's level 6 for files ~15 % larger, and beats zlib-ng's fastest level on
both counts; archiving is the crawl's largest cost after extraction, so it is the default.
Where archive size matters more than CPU: ``WARC_GZIP_ENGINE = "zlib-ng"`` at level 6 to 9.

A payload the server sent compressed (Content-Encoding gzip or deflate, what nearly every
news site sends to a crawler that offers them; br or zstd where offered) cannot be deflated
smaller; deflate spends ~3 µs per KB finding that out and then stores it.
``GzipCodec.member_storing`` writes such a record's payload as deflate stored blocks
straight away (its headers are still compressed): the same member size, the same standard
gzip, for a CRC.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from isal import isal_zlib
from zlib_ng import zlib_ng

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

# engine name -> (module with zlib's compressobj API, highest level, default level)
ENGINES: dict[str, tuple[ModuleType, int, int]] = {
    "isal": (isal_zlib, 3, 2),
    "zlib-ng": (zlib_ng, 9, 6),
    "zlib": (zlib, 9, 6),
}
DEFAULT_ENGINE = "isal"
# gzip member header: deflate, no flags, no mtime, no extra flags, OS "unknown" (RFC 1952)
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_STORED_BLOCK_MAX = 0xFFFF


class GzipSettingError(ValueError):
    """WARC_GZIP_ENGINE / WARC_GZIP_LEVEL name no engine or level there is; says what is."""


@dataclass(frozen=True)
class GzipCodec:
    """A gzip engine at a level: compresses one buffer into one gzip member."""

    engine: str = DEFAULT_ENGINE
    level: int | None = None  # None: the engine's default

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise GzipSettingError(f"WARC_GZIP_ENGINE={self.engine!r}: choose one of {', '.join(ENGINES)}")
        _, highest, default = ENGINES[self.engine]
        if self.level is None:
            object.__setattr__(self, "level", default)
        elif not 0 <= self.level <= highest:
            raise GzipSettingError(
                f"WARC_GZIP_LEVEL={self.level} is out of range for WARC_GZIP_ENGINE={self.engine!r} "
                f"(0 to {highest}); for zlib's levels up to 9 set WARC_GZIP_ENGINE='zlib-ng'"
            )

    def member(self, data: bytes) -> bytes:
        """``data`` as one complete gzip member."""
        module = ENGINES[self.engine][0]
        return module.compress(data, self.level, module.MAX_WBITS + 16)  # one call: no stream object

    def member_storing(self, head: bytes, payload: bytes, tail: bytes) -> bytes:
        """``head + payload + tail`` as one complete gzip member in which ``head`` is
        deflated and ``payload`` and ``tail`` are stored blocks (RFC 1951 §3.2.4): for a
        payload that is compressed already."""
        module = ENGINES[self.engine][0]
        compressor = module.compressobj(self.level, module.DEFLATED, -module.MAX_WBITS)  # raw deflate
        # a sync flush ends the deflated part on a byte boundary, where stored blocks start
        parts = [_GZIP_HEADER, compressor.compress(head), compressor.flush(module.Z_SYNC_FLUSH)]
        view = memoryview(payload)
        for start in range(0, len(view), _STORED_BLOCK_MAX):
            chunk = view[start : start + _STORED_BLOCK_MAX]
            parts += [_stored_block_header(len(chunk), final=False), chunk]
        parts += [_stored_block_header(len(tail), final=True), tail]
        crc = module.crc32(tail, module.crc32(payload, module.crc32(head)))
        parts.append(struct.pack("<II", crc & 0xFFFFFFFF, (len(head) + len(payload) + len(tail)) & 0xFFFFFFFF))
        return b"".join(parts)


def _stored_block_header(size: int, *, final: bool) -> bytes:
    """BFINAL and BTYPE 00 (stored) in a byte of their own, then LEN and its complement."""
    return struct.pack("<BHH", 1 if final else 0, size, size ^ 0xFFFF)


DEFAULT_GZIP = GzipCodec()


def choose_codec(engine: str | None, level: int | None) -> GzipCodec:
    """The codec of WARC_GZIP_ENGINE / WARC_GZIP_LEVEL. With no engine named, a level above
    ISA-L's highest is a zlib level, as WARC_GZIP_LEVEL was before ISA-L: zlib-ng at that
    level, so settings written then keep their meaning."""
    if not engine:
        engine = "zlib-ng" if level is not None and level > ENGINES[DEFAULT_ENGINE][1] else DEFAULT_ENGINE
    return GzipCodec(engine, level)


def warc_gzip(settings: BaseSettings) -> GzipCodec:
    """The gzip engine and level of WARC_GZIP_ENGINE / WARC_GZIP_LEVEL (see
    ``choose_codec``). `scrapy crawl` asks first: a wrong value is a one-line usage error."""
    level = settings.get("WARC_GZIP_LEVEL")
    try:
        number = None if level in (None, "") else int(level)
    except ValueError:
        raise GzipSettingError(f"WARC_GZIP_LEVEL={level!r} is not a number") from None
    return choose_codec(settings.get("WARC_GZIP_ENGINE"), number)
