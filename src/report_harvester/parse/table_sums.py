"""The tables' own arithmetic, as a proof of where a row's values stand.

Table 三's six applicant columns add up to its 总计; table 四's four outcomes add up
to 总计 for each of its three proceedings. A row whose cells could stand in more
than one way (empty cells at both ends, digits run together) is placed only in the
way these sums allow, and its cells are noted so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Value, Warning

SUMS_NOTE = "placed_by_sums"


@dataclass(frozen=True, slots=True)
class Sums:
    """A row's arithmetic: in each group of ``group`` cells the last is the total of the
    others (table 三: six applicant columns and 总计; table 四: four outcomes and 总计,
    three times)."""

    group: int

    def __call__(self, parts: list[int]) -> bool:
        """Whether every group of a row's numbers adds up (a cut of run-together digits)."""
        size = self.group
        return all(
            sum(parts[g : g + size - 1]) == parts[g + size - 1] for g in range(0, len(parts), size)
        )

    def allow(self, cells: Sequence[Value]) -> bool:
        """Whether the cells can stand where they are: the numbers among a group's parts
        never add up to more than its printed total (counts are never negative), and
        when every part is printed they add up to it."""
        size = self.group
        for g in range(0, len(cells) - size + 1, size):
            *parts, total = cells[g : g + size]
            if total.kind != "number" or total.value is None:
                continue
            numbers = [p.value for p in parts if p.kind == "number" and p.value is not None]
            if sum(numbers) > total.value:
                return False
            if len(numbers) == len(parts) and sum(numbers) != total.value:
                return False
        return True

    def one_way(self, ways: Sequence[list[Value]]) -> list[Value] | None:
        """Of a row's possible placements, the one the sums allow, its cells noted
        ``SUMS_NOTE``; ``None`` when they allow none or more than one."""
        allowed = [way for way in ways if self.allow(way)]
        return noted(allowed[0], SUMS_NOTE) if len(allowed) == 1 else None


t3_sums = Sums(7)
t4_sums = Sums(5)


def noted(cells: list[Value], note: str) -> list[Value]:
    """The cells, each marked with how its position was proven."""
    return [cell.model_copy(update={"note": note}) for cell in cells]


def by_sums_warning(code: str, where: str, raw: str) -> Warning:
    """The warning for a row placed by its totals, with its values as printed."""
    return Warning(
        code=code,
        message=f"{where}: empty cells at both ends ({raw}); placed the one way its totals"
        " allow",
    )
