"""`gongkai inspect | discover | registry check`: onboarding a county (接入新站点)."""
from __future__ import annotations

import sys

from gongkai.schemas.datafolder import DataFolder


def cmd_inspect(args) -> None:
    import json

    from gongkai.harvesters.inspect import inspect_url, render
    from gongkai.harvesters.look import LookFailed

    try:
        report = inspect_url(args.url, DataFolder(args.data).hosts_dir, file=args.file, content_type=args.content_type or "",
                             adapter=args.adapter, allow_private=args.allow_private)
    except LookFailed as exc:
        sys.exit(f"gongkai: {exc}")
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))


def cmd_discover(args) -> None:
    import json

    from gongkai.harvesters.inspect import discover_platform, render_discovery
    from gongkai.harvesters.look import LookFailed

    try:
        report = discover_platform(args.url, DataFolder(args.data).hosts_dir, file=args.file, allow_private=args.allow_private)
    except LookFailed as exc:
        sys.exit(f"gongkai: {exc}")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(render_discovery(report))
    if not report["platform"]:
        sys.exit(1)


def cmd_registry_check(args) -> None:
    from gongkai.schemas.registry import RegistryError, load_registry

    try:
        sites = load_registry(args.file)
    except RegistryError as exc:
        sys.exit(f"gongkai: {exc}")
    print(f"{args.file}: {len(sites)} sites OK")
