"""newscrawl item pipelines (parse, dedup, Parquet) and the captures log."""
