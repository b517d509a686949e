"""The private-address guard: a harvest connects only to public (global unicast) addresses.

A registry entry, a redirect or a DNS answer could point the harvester at the machine it runs on, the local network
or a cloud metadata service (100.100.100.200, 169.254.169.254). `refusal` judges one address: anything that is not
global unicast is refused, and an IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, NAT64
64:ff9b::/96, 6to4 2002::/16, Teredo) is judged by the IPv4 address inside. `GuardedAdapter` makes the check where it
cannot be dodged: on the socket's peer address, right after it connects, so the address judged is the address
used (a name that resolves to a public address for the scope check and to 127.0.0.1 a moment later, DNS rebinding,
is refused all the same). A registry entry with `allow_private_addresses: true` (loopback tests, replays) skips it.
"""
from __future__ import annotations

import ipaddress

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(OSError):
    """A connection to a non-global address (the message names the address and the registry switch)."""


def embedded_ipv4(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the forms that carry one."""
    if isinstance(addr, ipaddress.IPv4Address):
        return None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr in NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    return None


def refusal(address: str) -> str | None:
    """Why a connection to `address` is refused, or None when it is a public unicast address."""
    try:
        addr = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    inner = embedded_ipv4(addr)
    if inner is not None:
        why = refusal(str(inner))
        return f"{why} inside {addr}" if why else None
    if addr in NAT64_LOCAL:
        return f"private address {addr} (local-use NAT64)"
    if addr.is_multicast:
        return f"multicast address {addr}"
    if not addr.is_global:  # private, loopback, link-local, shared (100.64/10), reserved, unspecified
        return f"private address {addr}"
    return None


def _checked(sock, host: str):
    peer = sock.getpeername()[0]
    why = refusal(peer)
    if why:
        sock.close()
        raise AddressRefused(f"{host}: connected to {why}; refused (set allow_private_addresses in the "
                             "registry entry only for a site on your own network)")
    return sock


class _GuardedHTTP(HTTPConnection):
    def _new_conn(self):
        return _checked(super()._new_conn(), self.host)


class _GuardedHTTPS(HTTPSConnection):
    def _new_conn(self):
        return _checked(super()._new_conn(), self.host)


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTP


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPS


class GuardedAdapter(HTTPAdapter):
    """requests' adapter whose connections are refused unless their peer address is public."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
