"""The time zone a site writes its clock times in, when a date on the page names none.

"14.07.2024, 21:37 Uhr" on a German site and "2025年1月13日 21時37分" on a Japanese one are
local times: read as UTC they are one and nine hours late, the Japanese one a day late in
Tokyo. The zone comes from the site's country (its country-code domain) or, on a generic
domain, from the page's declared language where one zone covers the language's readers
(Japanese, German, Polish …; not English, Spanish, French, Portuguese, Arabic or Russian).
Countries spanning several zones (the US, Canada, Australia, Brazil, Russia, Mexico,
Indonesia) give none: their times stay UTC, as before.
"""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

COUNTRY_ZONES = {
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong",
    "sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "ph": "Asia/Manila", "th": "Asia/Bangkok",
    "vn": "Asia/Ho_Chi_Minh", "in": "Asia/Kolkata", "pk": "Asia/Karachi", "bd": "Asia/Dhaka", "lk": "Asia/Colombo",
    "il": "Asia/Jerusalem", "ae": "Asia/Dubai", "sa": "Asia/Riyadh", "qa": "Asia/Qatar", "tr": "Europe/Istanbul",
    "uk": "Europe/London", "ie": "Europe/Dublin", "pt": "Europe/Lisbon", "es": "Europe/Madrid", "fr": "Europe/Paris",
    "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "lu": "Europe/Luxembourg", "de": "Europe/Berlin",
    "at": "Europe/Vienna", "ch": "Europe/Zurich", "li": "Europe/Vaduz", "it": "Europe/Rome", "mt": "Europe/Malta",
    "dk": "Europe/Copenhagen", "no": "Europe/Oslo", "se": "Europe/Stockholm", "fi": "Europe/Helsinki",
    "is": "Atlantic/Reykjavik", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "si": "Europe/Ljubljana", "hr": "Europe/Zagreb", "rs": "Europe/Belgrade",
    "ba": "Europe/Sarajevo", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "gr": "Europe/Athens",
    "cy": "Asia/Nicosia", "ee": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius", "ua": "Europe/Kyiv",
    "eg": "Africa/Cairo", "ma": "Africa/Casablanca", "ng": "Africa/Lagos", "gh": "Africa/Accra",
    "ke": "Africa/Nairobi", "tz": "Africa/Dar_es_Salaam", "ug": "Africa/Kampala", "za": "Africa/Johannesburg",
    "na": "Africa/Windhoek", "ls": "Africa/Maseru", "zw": "Africa/Harare", "nz": "Pacific/Auckland",
    "ar": "America/Argentina/Buenos_Aires", "cl": "America/Santiago", "pe": "America/Lima",
}  # not .co (Colombia's, used by sites anywhere), nor .io, .tv, .me
# languages read in one zone (or in neighbouring countries that share its rules)
LANGUAGE_ZONES = {
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "th": "Asia/Bangkok", "vi": "Asia/Ho_Chi_Minh",
    "he": "Asia/Jerusalem", "tr": "Europe/Istanbul", "de": "Europe/Berlin", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw", "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "sl": "Europe/Ljubljana", "hr": "Europe/Zagreb", "da": "Europe/Copenhagen", "nb": "Europe/Oslo", "nn": "Europe/Oslo",
    "no": "Europe/Oslo", "sv": "Europe/Stockholm", "fi": "Europe/Helsinki", "et": "Europe/Tallinn", "lv": "Europe/Riga",
    "lt": "Europe/Vilnius", "is": "Atlantic/Reykjavik", "el": "Europe/Athens", "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia", "uk": "Europe/Kyiv",
}


def site_zone(host: str | None, language: str | None) -> tzinfo | None:
    """The zone of the site's country-code domain, else of the page's language, else None."""
    suffix = (host or "").rstrip(".").rsplit(".", 1)[-1].lower()
    name = COUNTRY_ZONES.get(suffix) or LANGUAGE_ZONES.get((language or "").split("-")[0].split("_")[0].lower())
    return _zone(name) if name else None


@lru_cache(maxsize=None)
def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # a system without tz data: times stay UTC
        return None
