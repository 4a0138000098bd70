"""Keep libraries from phoning home (DESIGN §5): the crawl talks only to the sites it crawls."""

from __future__ import annotations

import tldextract
from scrapy.settings import BaseSettings


class OfflineSuffixListAddon:
    """Scrapy's CookiesMiddleware builds a module-level ``tldextract.TLDExtract()`` that
    downloads the public suffix list on first use. This add-on swaps it, before any request,
    for one that reads the snapshot bundled with tldextract."""

    def update_settings(self, settings: BaseSettings) -> None:
        from scrapy.downloadermiddlewares import cookies

        if hasattr(cookies, "_split_domain"):
            cookies._split_domain = tldextract.TLDExtract(
                include_psl_private_domains=True, suffix_list_urls=(), cache_dir=None
            )
