"""The site registry (站点登记): which county disclosure sections we harvest and how.

A registry is a YAML file with ``version: 1`` and a list ``sites``. Each entry is validated; a bad entry
fails with the file, line, field and what is allowed, e.g.
``sites.yaml:14: sites[2].adapter: 'trsx' is not allowed (allowed: trs, hanweb, ucap, gkmlpt, epoint, generic)``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ADAPTERS = ("trs", "hanweb", "ucap", "gkmlpt", "epoint", "generic")
LEVELS = ("county", "county_city", "district", "banner", "autonomous_county", "department", "township")
SITE_ID = re.compile(r"\A[0-9]{6}-[a-z0-9][a-z0-9-]{0,56}\Z")  # \Z: no trailing newline; 64 characters at most
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])"
HOST_PORT = re.compile(rf"^{_HOST}(?::(?P<port>[0-9]{{1,5}}))?$")


def _host_port(v: str) -> str:
    m = HOST_PORT.match(v)
    if not m or not 0 < int(m["port"] or 80) < 65536:
        raise ValueError(f"{v!r} is not host[:port] (e.g. www.luhe.gov.cn or www.luhe.gov.cn:8080)")
    return v


def _address_port(v: str) -> str:
    m = HOST_PORT.match(v)
    if not m or not m["port"] or not 0 < int(m["port"]) < 65536:
        raise ValueError(f"{v!r} is not address:port (e.g. 127.0.0.1:18800)")
    return v


_GENERIC_LABELS = {"www", "gov", "cn", "com", "net", "org", "edu", "example", "xxgk", "zwgk", "gk", "zfxxgk", "wap",
                   "m", "web", "portal", "site", "zw", "zf", "http", "https"}


def slug_of(host: str) -> str:
    """A site id's slug from a host: www.luhe.gov.cn → luhe, xxgk.luhe.gov.cn → luhe, 10.2.3.4 → 10-2-3-4."""
    name = host.split(":")[0].strip("[]").lower()
    if re.fullmatch(r"[\d.]+", name):
        return name.replace(".", "-")
    labels = [lab for lab in name.split(".") if lab]
    specific = [lab for lab in labels if lab not in _GENERIC_LABELS]
    # the label nearest the registered domain names the county (xxgk.luhe.gov.cn); else the first that is not www
    pick = specific[-1] if specific else next((lab for lab in labels if lab not in ("www", "m", "wap")), "site")
    return re.sub(r"[^a-z0-9-]+", "-", pick).strip("-") or "site"


def site_id_for(host: str, code: str | None) -> str:
    """A site id from the 6-digit administrative code (行政区划代码; 000000 when unknown) and the host's slug."""
    known = code if code and re.fullmatch(r"\d{6}", code) else "000000"
    return f"{known}-{slug_of(host)}"


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names file, line, field and the fix."""


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    delay_seconds: float = Field(1.0, ge=0, le=600, description="minimum seconds between two requests to one host (to the whole politeness group when `group` is set)")
    max_concurrency: int = Field(1, ge=1, le=8, description="requests in flight to one host (or politeness group) at once")
    timeout_seconds: float = Field(20.0, gt=0, le=600, description="the most one response may take, all of it")
    retries: int = Field(2, ge=0, le=10)
    group: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9.:_-]{0,62}$", description="the politeness "
                              "group: sites one server serves (a provincial 集约化 platform hosting many counties) "
                              "name one group: Dagster runs one harvest per group at a time, and every request of the "
                              "group's sites, to any host, counts against one delay and concurrency; default: the "
                              "entry URL's host")
    max_crawl_delay_seconds: float = Field(60.0, ge=0, le=3600, description="the longest robots.txt Crawl-delay "
                                           "honoured; a site asking for more is reported, not waited for")


class HarvestPolicy(BaseModel):
    """How much of a site each run fetches: incremental runs between periodic full sweeps, and size caps."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    full_sweep_days: int = Field(7, ge=0, le=3660, description="a full sweep (every list page, every document revalidated) "
                                                      "at least this often; 0 = every run is a full sweep")
    stop_after_known: int = Field(10, ge=1, le=100_000, description="an incremental run stops walking a column's list after "
                                                        "this many consecutive known, unchanged items")
    max_page_bytes: int = Field(5 * 1024 * 1024, ge=1024, le=256 * 1024 * 1024,
                                description="cap on an HTML/XML/JSON page")
    max_attachment_bytes: int = Field(50 * 1024 * 1024, ge=1024, le=4 * 1024 ** 3,
                                      description="cap on an attachment (附件)")
    max_list_pages: int = Field(1000, ge=1, le=2000, description="list pages walked per column in a run (its page "
                                "budget); a column announcing more is walked this far and reported")
    max_requests: int = Field(100_000, ge=10, le=10_000_000, description="requests in one run of the site (the run's "
                              "budget); a run that reaches it stops, keeps what it fetched, and is reported partial")


class Site(BaseModel):
    """One county-level disclosure section (政府信息公开专栏)."""

    model_config = ConfigDict(extra="forbid")
    site_id: str = Field(description="6-digit administrative code (行政区划代码) + '-' + slug")
    name: str
    level: Literal[LEVELS]  # type: ignore[valid-type]
    province: str
    entry_urls: list[str] = Field(min_length=1)
    adapter: Literal[ADAPTERS] | None = Field(  # type: ignore[valid-type]
        None, description="CMS family; leave it out to detect it from the entry page (generic when none matches)")
    allowed_hosts: list[str] = Field(default_factory=list, description="host[:port] the crawler may fetch")
    allow_private_addresses: bool = Field(False, description="true only for the loopback sample web (or a replay)")
    connect_to: dict[Annotated[str, AfterValidator(_host_port)], Annotated[str, AfterValidator(_address_port)]] = Field(
        default_factory=dict, description="host[:port] → address:port to connect to instead, e.g. a replayed mirror "
                                          "on loopback; URLs keep the real host (like curl --connect-to)")
    needs_internet: bool = False
    active: bool = True
    politeness: Politeness = Field(default_factory=Politeness)
    harvest: HarvestPolicy = Field(default_factory=HarvestPolicy)
    column_mapping: dict[str, list[str]] = Field(
        default_factory=dict, description="manual overrides: column path → the requirement keys it meets "
                                          "(replaces the automatic mapping of that column; [] unmaps it)")
    source: str | None = None
    notes: str | None = None

    @field_validator("column_mapping")
    @classmethod
    def _requirement_keys(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        from gongkai.schemas.taxonomy import load_taxonomy

        known = {r.key for r in load_taxonomy().requirements if r.kind == "column"}
        for path, keys in v.items():
            unknown = [k for k in keys if k not in known]
            if unknown:
                raise ValueError(f"{path!r}: {unknown} are not column requirements of schemas/taxonomy.yaml "
                                 f"(e.g. art20_01_normative_docs, jc_budget)")
        return v

    @field_validator("site_id")
    @classmethod
    def _site_id(cls, v: str) -> str:
        if not SITE_ID.match(v):
            raise ValueError(f"{v!r} must be a 6-digit administrative code, '-', then a lowercase slug of letters, "
                             "digits and '-' (64 characters in all at most, e.g. 441523-luhe)")
        return v

    @field_validator("entry_urls")
    @classmethod
    def _urls(cls, v: list[str]) -> list[str]:
        for url in v:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"{url!r} is not an absolute http(s) URL")
        return v

    @model_validator(mode="after")
    def _hosts(self) -> Site:
        entry_hosts = sorted({urlsplit(u).netloc for u in self.entry_urls})
        if not self.allowed_hosts:
            self.allowed_hosts = entry_hosts
        uncovered = [h for h in entry_hosts if h not in self.allowed_hosts]
        if uncovered:
            raise ValueError(f"allowed_hosts {self.allowed_hosts} leaves out the entry URLs' host(s) {uncovered}; "
                             "add them, or leave allowed_hosts out to allow the entry hosts")
        return self

    @property
    def politeness_group(self) -> str:
        """The server the site's harvests share with others (registry `politeness.group`, else the entry host)."""
        return self.politeness.group or urlsplit(self.entry_urls[0]).netloc.lower()

    @property
    def code(self) -> str:
        """The 6-digit administrative division code (行政区划代码)."""
        return self.site_id[:6]


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping and of every key in it, and refuses aliases (`*name`):
    a registry writes each value out, and aliases nested in aliases ("billion laughs") would exhaust memory."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} is not allowed in a registry (anchors "
                                              "and aliases are refused); write the value out", event.start_mark)
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    mapping["__lines__"] = {"__self__": node.start_mark.line + 1, **lines}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__lines__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _error_line(entry: dict[str, Any], loc: tuple[Any, ...]) -> int:
    node: Any = entry
    line = entry["__lines__"]["__self__"]
    for part in loc:
        if isinstance(node, dict):
            line = node.get("__lines__", {}).get(part, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict):
                line = node["__lines__"]["__self__"]
        else:
            break
    return line


def _allowed(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return f" (allowed: {ctx['expected'].replace(chr(39), '')})"
    return ""


def load_registry(path: str | Path) -> list[Site]:
    """Read and validate a registry file; raise RegistryError naming file:line, field and what is allowed."""
    path = Path(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found; pass an existing file or set GONGKAI_REGISTRY") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RegistryError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sites"), list):
        raise RegistryError(f"{path}:1: a registry is a mapping with 'version: 1' and a list 'sites'")
    if doc.get("version") != 1:
        raise RegistryError(f"{path}:{doc['__lines__'].get('version', 1)}: version must be 1")
    sites: list[Site] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(doc["sites"]):
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}: sites[{i}] must be a mapping of fields")
        try:
            site = Site.model_validate(_strip_lines(entry))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "entry"
            got = f" {err['input']!r}" if err["type"] == "literal_error" else ""
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "literal_error":
                msg = "is not allowed"
            raise RegistryError(
                f"{path}:{_error_line(entry, loc)}: sites[{i}].{field}:{got} {msg}{_allowed(err)}"
            ) from None
        if site.site_id in seen:
            raise RegistryError(
                f"{path}:{entry['__lines__']['site_id']}: sites[{i}].site_id {site.site_id!r} "
                f"repeats the entry on line {seen[site.site_id]}; site ids must be unique"
            )
        seen[site.site_id] = entry["__lines__"]["site_id"]
        sites.append(site)
    return sites


def dump_registry(sites: list[Site], path: str | Path, header: str = "") -> None:
    """Write sites as a registry file (used for the generated sample-web registry)."""
    dumped = [s.model_dump(exclude_none=True) for s in sites]
    for entry in dumped:  # an empty connect_to says nothing
        if not entry.get("connect_to"):
            entry.pop("connect_to", None)
    body = {"version": 1, "sites": dumped}
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False)
    Path(path).write_text(header + text, encoding="utf-8")
