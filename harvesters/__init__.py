"""Harvest: polite fetching, the raw WARC archive, and one adapter per CMS family."""
