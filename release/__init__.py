"""The open-data release stage (开放数据发布): dated dumps, metadata, the privacy screen and the public static site."""
