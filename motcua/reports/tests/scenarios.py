"""Dossiers taken through the real lifecycle at chosen moments, for the statistics tests.

The world is ``workflow.tests.factories.build_world``: a birth registration at the ward of Việt
Trì (province of Phú Thọ), one working day by default (due at 17:00 on the next working day),
a three-step process (specialist, department head, leader). Times are passed in, never read
from the clock, so the figures are the same on every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from motcua.catalog.channels import Channel
from motcua.dossiers.models import Dossier
from motcua.reports.services import apply_new_events
from motcua.workflow import services
from motcua.workflow.tests.factories import (
    PDF,
    World,
    at,
    attach_required,
    build_world,
    counter_documents,
    draft,
    make_dossier,
)

MINUTE = dt.timedelta(minutes=1)


def received_online(world: World, at: dt.datetime) -> Dossier:
    """Submitted online a few minutes before ``at``, received at ``at`` and handed to processing."""
    dossier = draft(world, now=at - 10 * MINUTE)
    attach_required(world, dossier)
    services.submit(dossier_id=dossier.pk, user=world.citizen, now=at - 5 * MINUTE)
    services.receive(dossier_id=dossier.pk, user=world.receiving, now=at)
    return services.transfer(dossier_id=dossier.pk, user=world.receiving, now=at + MINUTE)


def received_at_counter(world: World, at: dt.datetime) -> Dossier:
    dossier = draft(world, channel=Channel.COUNTER, now=at - 5 * MINUTE)
    services.receive_at_counter(
        dossier_id=dossier.pk, user=world.receiving, documents=counter_documents(dossier), now=at
    )
    return services.transfer(dossier_id=dossier.pk, user=world.receiving, now=at + MINUTE)


def approve(world: World, dossier: Dossier, at: dt.datetime) -> Dossier:
    """Through the three steps; the decision at ``at``."""
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=at - 2 * MINUTE)
    services.forward(dossier_id=dossier.pk, user=world.head, now=at - MINUTE)
    return services.approve(dossier_id=dossier.pk, user=world.leader, now=at)


def return_online(world: World, dossier: Dossier, at: dt.datetime) -> Dossier:
    services.attach_result(dossier_id=dossier.pk, user=world.leader, handle=io.BytesIO(PDF), name="ket-qua.pdf")
    return services.return_result(dossier_id=dossier.pk, user=world.receiving, now=at)


def history_csv(rows: list[list[str]], *, header: list[str] | None = None) -> bytes:
    """A historical-import file (docs/howto/historical-import.md) with ``rows`` under the standard header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        header
        or [
            "code",
            "agency_code",
            "procedure_code",
            "channel",
            "received",
            "due",
            "resolved",
            "returned",
            "status",
            "rating",
        ]
    )
    writer.writerows(rows)
    return buffer.getvalue().encode()


def build_march() -> World:
    """The March 2026 dossiers of ``test_standard_report``, counted into the summaries."""
    world = build_world()
    a = received_online(world, at(26, 2, 2026, 9, 10))
    approve(world, a, at(3, 3, 2026, 10))
    b = received_online(world, at(9, 3, 2026, 9, 10))
    return_online(world, approve(world, b, at(9, 3, 2026, 15)), at(9, 3, 2026, 16))
    k = received_at_counter(world, at(9, 3, 2026, 9, 30))
    approve(world, k, at(9, 3, 2026, 15, 30))
    c = received_online(world, at(9, 3, 2026, 9, 20))
    approve(world, c, at(10, 3, 2026, 10))
    d = received_online(world, at(9, 3, 2026, 9, 40))
    approve(world, d, at(11, 3, 2026, 9))
    e = received_online(world, at(9, 3, 2026, 10))
    services.stop(dossier_id=e.pk, user=world.citizen, reason="Không còn nhu cầu", now=at(10, 3, 2026, 8))
    make_dossier(world, "refused", now=at(9, 3, 2026, 11))  # H: refused at the desk
    i = received_online(world, at(16, 3, 2026, 9))
    services.pause(dossier_id=i.pk, user=world.leader, reason="Chờ xác minh (Điều 19)", now=at(17, 3, 2026, 10))
    j = received_online(world, at(16, 3, 2026, 9, 30))
    services.refuse(dossier_id=j.pk, user=world.leader, reasons="Không đủ điều kiện", now=at(18, 3, 2026, 9))
    received_online(world, at(30, 3, 2026, 9, 10))  # F
    received_online(world, at(31, 3, 2026, 9, 10))  # G
    apply_new_events()
    return world
