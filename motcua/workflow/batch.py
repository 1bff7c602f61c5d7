"""What one lifecycle transaction shares between the dossiers it changes: reads made once, writes made together.

``services.runner.run_transitions`` changes one dossier (an officer's action on its page) or many
(a queue's bulk action, an import of online dossiers) in one transaction. Two things make a
batch of a hundred cost a few statements more than one dossier, not a hundred times as many:

- A use case records the rows it writes besides the dossier (its steps) in the dossier's
  ``Writes`` instead of writing them at once. They are written after every dossier of the batch
  has been checked, so a dossier refused half-way through leaves nothing behind, and together:
  new steps in one INSERT, steps changed to the same values in one UPDATE.
- What the dossiers of a batch read alike (the agency's identifier code, its internal process, a
  procedure's name) is read once (``Batch.memo``), and dossier codes are reserved as one range
  (``Batch.take_dossier_code``): the numbers a refused dossier did not use are given back before the
  transaction ends, while the counter row is still locked by it, so the day's sequence keeps no gap.

A single action is a batch of one and takes exactly the same path.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from motcua.core.bulk import insert_rows
from motcua.dossiers.dossier_codes import release_dossier_codes, reserve_dossier_codes
from motcua.workflow.models import DossierStep

T = TypeVar("T")


@dataclass
class Writes:
    """The step rows one dossier's change writes, written when the whole batch has been checked."""

    created: list[DossierStep] = field(default_factory=list)
    updated: list[tuple[DossierStep, tuple[str, ...]]] = field(default_factory=list)

    def create(self, steps: Sequence[DossierStep]) -> None:
        self.created.extend(steps)

    def update(self, step: DossierStep, fields: Sequence[str]) -> None:
        self.updated.append((step, tuple(fields)))


@dataclass
class _Codes:
    numbers: list[str]
    used: int = 0


class Batch:
    """The reads and code ranges shared by the dossiers of one transaction (see the module docstring)."""

    def __init__(self, dossier_ids: Sequence[int]) -> None:
        self.dossier_ids = tuple(dossier_ids)
        self.size = len(self.dossier_ids)
        #: The index of the dossier being changed: the codes reserved cover it and those after it.
        self.position = 0
        self._memo: dict[Hashable, Any] = {}
        self._codes: dict[tuple[str, dt.date], _Codes] = {}

    def memo(self, key: Hashable, read: Callable[[], T]) -> T:
        """``read()``, once per batch for ``key``."""
        if key not in self._memo:
            self._memo[key] = read()
        return cast("T", self._memo[key])

    def take_dossier_code(self, prefix: str, on: dt.date) -> str:
        """The next dossier code of ``prefix`` on ``on``, from a range reserved for the rest of the batch."""
        codes = self._codes.get((prefix, on))
        if codes is None or codes.used == len(codes.numbers):
            codes = _Codes(reserve_dossier_codes(prefix=prefix, on=on, count=max(1, self.size - self.position)))
            self._codes[(prefix, on)] = codes  # a range used up by earlier dossiers is simply replaced
        codes.used += 1
        return codes.numbers[codes.used - 1]

    def release_unused_codes(self) -> None:
        """Give back the numbers reserved and not given (the top of each range: they are given in order)."""
        for (prefix, on), codes in self._codes.items():
            if codes.used < len(codes.numbers):
                release_dossier_codes(prefix=prefix, on=on, count=len(codes.numbers) - codes.used)
        self._codes.clear()


#: A step's field names and the attributes holding their column values (``finished_by`` → ``finished_by_id``).
_COLUMNS = {field.name: field.attname for field in DossierStep._meta.concrete_fields}


def write_steps(writes: Sequence[Writes]) -> None:
    """Create and update the steps the batch's changes recorded: one INSERT, one UPDATE per set of values."""
    created = [step for each in writes for step in each.created]
    insert_rows(created)
    alike: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for each in writes:
        for step, names in each.updated:
            columns = (_COLUMNS[name] for name in names)
            alike[tuple((column, getattr(step, column)) for column in columns)].append(step.pk)
    for values, ids in alike.items():
        DossierStep.objects.filter(pk__in=ids).update(**dict(values))
