"""Per-site extraction profiles: one module per site, for sites where the generic engine is
wrong. A profile fills named fields first (source "profile"), can point at the body
container and drop page furniture; every other field stays generic.

A profile module defines ``PROFILE = Profile(...)``. Sites are mapped to modules
explicitly, here in ``SITES`` (registered domain -> module) or per crawl with the
NEWSCRAWL_PROFILES setting; nothing registers itself on import. Adding a site touches only
its module and one mapping line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newscrawl.urls import host_name

FieldFunction = Callable[[Any], Any]  # (Document) -> value


@dataclass(frozen=True)
class Profile:
    name: str
    fields: Mapping[str, FieldFunction] = field(default_factory=dict)
    """Field name -> function of the parsed Document; a None result falls back to the engine."""
    body_xpath: str | None = None
    """The body container(s), when the generic container search picks the wrong block."""
    drop_xpaths: tuple[str, ...] = ()
    """Elements removed before any extraction (site furniture the generic rules keep)."""


# domain -> module defining PROFILE (a domain covers its subdomains). The generic engine needs none for the sites
# we measure; add a line here with the site's module when a site needs one.
SITES: dict[str, str] = {}


def load_profile(module_path: str) -> Profile:
    profile = getattr(importlib.import_module(module_path), "PROFILE", None)
    if not isinstance(profile, Profile):
        raise TypeError(f"{module_path} defines no PROFILE = Profile(...)")
    return profile


def profile_for(url: str, extra: Mapping[str, str] | None = None) -> Profile | None:
    """The profile of the site ``url`` belongs to, from SITES and ``extra`` (which wins):
    the host itself, else its parent domains (www.news.example.com, news.example.com,
    example.com)."""
    host = (host_name(url) or "").lower()
    mapping = {**SITES, **(extra or {})}
    labels = host.split(".")
    for i in range(len(labels) - 1):
        module = mapping.get(".".join(labels[i:]))
        if module:
            return load_profile(module)
    return None
