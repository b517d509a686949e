"""One adapter per CMS family, on the shared base in `base.py`."""
from __future__ import annotations

from harvesters.adapters.base import Adapter
from harvesters.adapters.hanweb import HanwebAdapter
from harvesters.adapters.trs import TrsAdapter
from harvesters.adapters.ucap import UcapAdapter

ADAPTERS: dict[str, type[Adapter]] = {"trs": TrsAdapter, "hanweb": HanwebAdapter, "ucap": UcapAdapter}


def adapter_for(name: str) -> Adapter:
    try:
        return ADAPTERS[name]()
    except KeyError:
        raise NotImplementedError(
            f"adapter {name!r} is in the registry schema but not implemented yet (implemented: {', '.join(ADAPTERS)})"
        ) from None
