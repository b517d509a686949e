"""Registry validation: a bad entry names the file, the line, the field and what is allowed."""
from __future__ import annotations

from pathlib import Path

import pytest
from gongkai.schemas.registry import ADAPTERS, RegistryError, load_registry

REAL = Path(__file__).parents[1] / "schemas" / "registries" / "real_counties.yaml"
GOOD = """version: 1
sites:
  - site_id: 441523-luhe
    name: 陆河县人民政府
    level: county
    province: 广东省
    entry_urls: [http://www.luhe.gov.cn/gkmlpt/index]
    adapter: gkmlpt
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_registry_loads_with_defaults(tmp_path):
    (site,) = load_registry(write(tmp_path, GOOD))
    assert site.code == "441523" and site.allowed_hosts == ["www.luhe.gov.cn"]
    assert site.active and site.politeness.delay_seconds >= 1.0 and not site.allow_private_addresses


def test_unknown_adapter_names_file_line_field_and_allowed_values(tmp_path):
    path = write(tmp_path, GOOD.replace("adapter: gkmlpt", "adapter: trsx"))
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}:8: sites[0].adapter: 'trsx' is not allowed")
    assert all(a in msg for a in ADAPTERS)


def test_bad_site_id_and_url_are_reported_on_their_lines(tmp_path):
    with pytest.raises(RegistryError, match=r"sites.yaml:3: sites\[0\].site_id: .*6-digit"):
        load_registry(write(tmp_path, GOOD.replace("441523-luhe", "luhe")))
    with pytest.raises(RegistryError, match=r"sites.yaml:7: sites\[0\].entry_urls.*not an absolute http"):
        load_registry(write(tmp_path, GOOD.replace("http://www.luhe.gov.cn/gkmlpt/index", "www.luhe.gov.cn")))


def test_missing_field_unknown_field_and_duplicates(tmp_path):
    with pytest.raises(RegistryError, match=r":3: sites\[0\].province: Field required"):
        load_registry(write(tmp_path, GOOD.replace("    province: 广东省\n", "")))
    with pytest.raises(RegistryError, match=r":9: sites\[0\].colour: Extra inputs"):
        load_registry(write(tmp_path, GOOD + "    colour: red\n"))
    twice = GOOD + GOOD.split("sites:\n", 1)[1]
    with pytest.raises(RegistryError, match=r":9: sites\[1\].site_id '441523-luhe' repeats the entry on line 3"):
        load_registry(write(tmp_path, twice))


def test_broken_yaml_and_missing_file(tmp_path):
    with pytest.raises(RegistryError, match=r"sites.yaml:\d+: not valid YAML"):
        load_registry(write(tmp_path, GOOD + "  - [unclosed\n"))
    with pytest.raises(RegistryError, match="registry file not found"):
        load_registry(tmp_path / "nope.yaml")


def test_the_real_county_registry_is_valid_and_broad():
    sites = load_registry(REAL)
    assert len(sites) >= 10
    assert len({s.province for s in sites}) >= 5 and len({s.adapter for s in sites}) >= 3
    assert all(s.needs_internet and not s.allow_private_addresses for s in sites)


def test_cli_registry_check_reports_errors(tmp_path, capsys):
    from gongkai_cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["registry", "check", str(write(tmp_path, GOOD.replace("level: county", "level: city")))])
    assert "sites[0].level: 'city' is not allowed (allowed: county, county_city" in str(exit_.value)
    main(["registry", "check", str(REAL)])
    assert "sites OK" in capsys.readouterr().out
