"""One adapter per CMS family, on the shared base in `base.py`, and the generic adapter for the long tail."""
from __future__ import annotations

from gongkai.harvesters.adapters.base import Adapter
from gongkai.harvesters.adapters.epoint import EpointAdapter
from gongkai.harvesters.adapters.generic import GenericAdapter
from gongkai.harvesters.adapters.gkmlpt import GkmlptAdapter
from gongkai.harvesters.adapters.hanweb import HanwebAdapter
from gongkai.harvesters.adapters.trs import TrsAdapter
from gongkai.harvesters.adapters.ucap import UcapAdapter

# Every adapter, by its name; the order breaks ties in detection (harvesters.detect). The registry's list of names
# (schemas.registry.ADAPTERS) is checked against this one by tests/test_architecture.py.
ADAPTERS: dict[str, type[Adapter]] = {a.name: a for a in (TrsAdapter, HanwebAdapter, UcapAdapter, GkmlptAdapter,
                                                          EpointAdapter, GenericAdapter)}


def adapter_for(name: str) -> Adapter:
    try:
        return ADAPTERS[name]()
    except KeyError:
        raise ValueError(f"no adapter {name!r} (known: {', '.join(ADAPTERS)})") from None
