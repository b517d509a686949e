"""Named failures, so a harvest says what went wrong instead of returning silent emptiness."""


class HarvestError(Exception):
    """A site could not be harvested; the message names the URL and what to do."""


class OutOfScope(HarvestError):
    """A URL outside the site's allowed hosts, a non-http(s) scheme, or a private address not allowed by the registry."""


class RobotsDisallowed(HarvestError):
    """robots.txt forbids the URL for our User-Agent."""


class SiteChanged(HarvestError):
    """A page no longer has the layout its adapter expects (e.g. titles and dates differ in number)."""


class EmptyHarvest(HarvestError):
    """A disclosure entry page yielded no columns at all: a changed layout or a blocked site, never 'no data'."""


class Blocked(HarvestError):
    """An anti-bot gateway answered (412/202 JavaScript challenge, or a 200 challenge page): report `blocked`."""


class CircuitOpen(HarvestError):
    """Too many consecutive failures: the site is left alone for this run, with the reason recorded."""


class BudgetSpent(HarvestError):
    """A run reached its request budget (harvest.max_requests): it stops and keeps what it fetched (status partial)."""


class TooLarge(HarvestError):
    """A response over the registry's size cap for its kind (page or attachment); skipped, not retried."""


class SlowResponse(HarvestError):
    """A response that did not arrive in full within the timeout (a server trickling its body)."""
