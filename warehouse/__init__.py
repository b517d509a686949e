"""The Parquet lake, the DuckDB catalogue and its views, the audit and the release writer."""
