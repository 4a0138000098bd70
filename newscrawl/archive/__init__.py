"""WARC archiving: record building, the rotating writer and the Scrapy capture extension."""
