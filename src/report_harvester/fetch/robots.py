"""robots.txt per RFC 9309, read by Protego (the parser Scrapy maintains).

Protego does what the standard library's parser does not and real portals need:
the longest match wins, ``*`` and ``$`` patterns, percent-encoding compared
decoded, fractional Crawl-delay values. Only the first ``ROBOTS_MAX_BYTES`` of a
file are read (RFC 9309 §2.5: at least 500 KiB must be parsed), so a huge
robots.txt is still obeyed as far as it was read.

Availability policy (RFC 9309 §2.3.1): a 4xx robots.txt means no rules (allow all);
a 5xx answer or an unreachable server, after retries, means complete disallow for
this run: we do not crawl a host whose rules we could not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

ROBOTS_MAX_BYTES = 512 * 1024


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (``report-harvester``)."""
    return user_agent.split("/", 1)[0].strip()


@dataclass(slots=True)
class Robots:
    """Rules of one host; ``Robots.allow_all()`` / ``disallow_all()`` for the policies."""

    rules: Protego | None = None
    disallow_everything: bool = False
    note: str | None = None  # why the rules are what they are (e.g. "robots.txt: HTTP 503")

    @classmethod
    def allow_all(cls, note: str | None = None) -> Robots:
        return cls(note=note)

    @classmethod
    def disallow_all(cls, note: str) -> Robots:
        return cls(disallow_everything=True, note=note)

    @classmethod
    def parse(cls, text: str) -> Robots:
        """Rules from the text of a robots.txt file (unknown lines are ignored)."""
        return cls(rules=Protego.parse(text))

    def allowed(self, url: str, user_agent: str) -> bool:
        """Whether ``user_agent`` may fetch ``url``."""
        if self.disallow_everything:
            return False
        if self.rules is None or urlsplit(url).path == "/robots.txt":
            return True
        return bool(self.rules.can_fetch(url, agent_token(user_agent)))

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay that applies to ``user_agent``, if any."""
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(agent_token(user_agent))
        return float(delay) if delay is not None else None
