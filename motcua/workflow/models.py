"""What the lifecycle records: the steps a dossier goes through, other agencies' tasks, pauses, events.

- ``DossierStep``: the dossier's copy of its internal process, made at reception, so that an
  administrator's later change to the process never touches a running dossier. Steps of one
  stage run in parallel; each has its own due moment from its budget. A leader may give a step
  to one named officer (``assignee``) or move it to another unit of the agency (Art. 19).
- ``InterAgencyTask``: work forwarded to another agency (liên thông, Decree 118/2025/NĐ-CP
  Art. 20): different level, same level in order (each with its own deadline: the transfer
  slip of Art. 20.2.a), or same level in parallel with a lead agency (Art. 20.3). The other
  agency's result comes back to the dossier.
- ``PauseInterval``: time the clock stood (waiting for a supplement, a pause the law allows),
  kept as intervals so that reports can subtract them (DOMAIN.md §8, index 766).
- ``DossierEvent``: one immutable row per transition, in the same transaction as the change:
  the audit trail, the citizen's timeline and the source of every report. Rows are chained per
  dossier by SHA-256 (``events.py``); updates and deletes are refused by ``save``/``delete`` and,
  on PostgreSQL, by a trigger (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import StaffRoleName
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier


class StepState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("In hand")
    DONE = "done", _("Done")
    SENT_BACK = "sent_back", _("Sent back")


class DossierStep(models.Model):
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="steps")
    stage = models.PositiveSmallIntegerField(_("stage"))
    name = models.CharField(_("name"), max_length=255)
    unit = models.ForeignKey(Agency, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=StaffRoleName.choices)
    budget_hours = models.PositiveIntegerField(_("budget in working hours"))
    state = models.CharField(_("state"), max_length=10, choices=StepState.choices, default=StepState.WAITING)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("finished by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Set by a leader (services.assignment); empty: whoever holds the role in the unit takes it.
    # Indexed with the state below ("my steps"), so not on its own.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["dossier", "stage", "pk"]
        indexes = [
            models.Index(fields=["unit", "state", "due_at"], name="step_unit_queue"),
            models.Index(fields=["assignee", "state"], name="step_assignee_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}. {self.name}"


class InterAgencyMode(models.TextChoices):
    """Decree 118/2025/NĐ-CP Art. 20."""

    DIFFERENT_LEVEL = "different_level", _("Different level: the competent agency decides")
    SEQUENTIAL = "sequential", _("Same level, one agency after another")
    PARALLEL = "parallel", _("Same level, all agencies at once")


class TaskState(models.TextChoices):
    WAITING = "waiting", _("Waiting for its turn")
    ACTIVE = "active", _("With the agency")
    DONE = "done", _("Answered")


class InterAgencyTask(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="inter_agency_tasks"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1, help_text=_("Each forwarding starts a round."))
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    requested_by_agency = models.ForeignKey(
        Agency, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=InterAgencyMode.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    is_lead = models.BooleanField(_("lead agency"), default=False)
    task = models.TextField(_("task"))
    budget_hours = models.PositiveIntegerField(_("budget in working hours"))
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.WAITING)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("inter-agency task")
        verbose_name_plural = _("inter-agency tasks")
        ordering = ["dossier", "round", "order", "pk"]
        indexes = [models.Index(fields=["agency", "state", "due_at"], name="task_agency_queue")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.task[:60]}"


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("Waiting for the applicant's supplement")
    PAUSE = "pause", _("Paused where the law allows")


class PauseInterval(models.Model):
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=12, choices=PauseReason.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    working_seconds = models.PositiveBigIntegerField(_("working time (s)"), default=0)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_at:%d/%m/%Y}"


class ImmutableEventError(Exception):
    """An attempt to change or delete a recorded event."""


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=40)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor's name"), max_length=255, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    actor_unit = models.ForeignKey(
        Agency, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=25, blank=True)
    to_state = models.CharField(_("to"), max_length=25)
    from_stage = models.PositiveSmallIntegerField(_("from stage"), default=0)
    to_stage = models.PositiveSmallIntegerField(_("to stage"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    clock_effect = models.JSONField(_("effect on the clock"), default=dict, blank=True)
    changes = models.JSONField(_("changed values"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous fingerprint"), max_length=64)
    hash = models.CharField(_("fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="event_unique_seq")]
        indexes = [models.Index(fields=["at"], name="event_at")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableEventError("Dossier events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError("Dossier events are never deleted.")
