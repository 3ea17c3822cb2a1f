"""robots.txt per RFC 9309: groups by user agent, longest match wins, ``*`` and ``$``.

The standard library's parser picks the first matching rule, ignores wildcards and
fractional Crawl-delay values, which real portals use; this one does not.

Availability policy (RFC 9309 §2.3.1): a 4xx robots.txt means no rules (allow all);
a 5xx answer or an unreachable server, after retries, means complete disallow for
this run: we do not crawl a host whose rules we could not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True, slots=True)
class Rule:
    allow: bool
    pattern: str
    regex: re.Pattern[str]

    @property
    def length(self) -> int:
        return len(self.pattern)


@dataclass(slots=True)
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None


def _compile(pattern: str) -> re.Pattern[str]:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def _normalise_path(path: str) -> str:
    # compare percent-decoded forms so /a%2Db and /a-b agree; keep it a str
    return unquote(path)


@dataclass(slots=True)
class Robots:
    """Parsed rules of one host; ``Robots.allow_all()`` / ``disallow_all()`` for the policies."""

    groups: list[_Group] = field(default_factory=list)
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
        groups: list[_Group] = []
        current: _Group | None = None
        in_agents = False
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            name, value = (p.strip() for p in line.split(":", 1))
            name = name.lower()
            if name == "user-agent":
                if current is None or not in_agents:
                    current = _Group()
                    groups.append(current)
                current.agents.append(value.lower())
                in_agents = True
                continue
            if current is None:
                continue
            in_agents = False
            if name in ("allow", "disallow"):
                if not value:
                    continue  # "Disallow:" with no path allows everything
                pattern = _normalise_path(value)
                if not pattern.startswith(("/", "*")):
                    pattern = "/" + pattern
                current.rules.append(Rule(name == "allow", pattern, _compile(pattern)))
            elif name == "crawl-delay":
                try:
                    delay = float(value)
                except ValueError:
                    continue
                if delay >= 0:
                    current.crawl_delay = delay
        return cls(groups=groups)

    def _groups_for(self, user_agent: str) -> list[_Group]:
        token = user_agent.split("/", 1)[0].strip().lower()
        mine = [g for g in self.groups if token and token in g.agents]
        return mine or [g for g in self.groups if "*" in g.agents]

    def allowed(self, url: str, user_agent: str) -> bool:
        """Whether ``user_agent`` may fetch ``url``."""
        if self.disallow_everything:
            return False
        parts = urlsplit(url)
        path = _normalise_path(parts.path or "/")
        if path == "/robots.txt":
            return True
        if parts.query:
            path += "?" + _normalise_path(parts.query)
        best: Rule | None = None
        for group in self._groups_for(user_agent):
            for rule in group.rules:
                if rule.regex.match(path) and (
                    best is None
                    or rule.length > best.length
                    or (rule.length == best.length and rule.allow and not best.allow)
                ):
                    best = rule
        return best is None or best.allow

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay that applies to ``user_agent``, if any."""
        delays = [g.crawl_delay for g in self._groups_for(user_agent) if g.crawl_delay is not None]
        return max(delays) if delays else None
