"""newscrawl's own Scrapy signals."""

# Sent once per HTTP exchange or failed fetch, with ``capture`` (a newscrawl.items.Capture).
capture_recorded = object()
