"""The wording of every message: an email (subject and plain text) per topic, an SMS per citizen topic.

Messages are read on a phone by someone who may not remember the procedure's name, so each
one says which dossier (code and procedure), what happened, what to do next, and how to follow
it: the public tracking link and the lookup code (mã tra cứu) the tracking page asks for.
Moments are written day first in Vietnam time (payloads.py). The extension message is the
apology with the new appointment that Decree 118/2025/NĐ-CP Art. 19.6 requires when a dossier
will be late; staff reminders and inter-agency tasks carry no lookup code, which is the citizen's.

The source text is English (gettext msgids); the worker renders under ``settings.LANGUAGE_CODE``
so citizens read Vietnamese once the catalogue is translated. An SMS is folded to GSM-7 and
kept within ``SMS_MAX_LENGTH``: when a long procedure name or reason would not fit, that part
is shortened, never the code, the link or the lookup code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.notifications import payloads, topics
from motcua.notifications.payloads import Payload
from motcua.notifications.sms import SMS_MAX_LENGTH, to_sms_text


@dataclass(frozen=True, slots=True)
class EmailText:
    subject: str
    body: str


def render_email(topic: str, payload: Payload) -> EmailText:
    """The email for ``topic``, in the active language; KeyError for a topic without one."""
    return _EMAILS[topic](payload)


def render_sms(topic: str, payload: Payload) -> str:
    """The SMS for a citizen ``topic``, GSM-7 and at most SMS_MAX_LENGTH; KeyError for other topics."""
    return _SMS[topic](payload)


# --- Email building blocks ------------------------------------------------------------------


def _email(subject: str, *paragraphs: str) -> EmailText:
    body = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    return EmailText(subject=" ".join(subject.split()), body=body + "\n")


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _greeting(payload: Payload) -> str:
    name = payloads.text(payload, "applicant_name")
    return _("Dear %(name)s,") % {"name": name} if name else _("Dear applicant,")


def _line(template: str, value: str) -> str:
    """``template % value`` when there is a value, else nothing (the key did not apply)."""
    return template % {"value": value} if value else ""


def _facts(payload: Payload, *extra: str) -> str:
    return _lines(
        _line(_("Dossier code: %(value)s"), payloads.text(payload, "code")),
        _line(_("Procedure: %(value)s"), payloads.text(payload, "procedure_name")),
        *extra,
    )


def _reason(payload: Payload) -> str:
    return _line(_("Reason: %(value)s"), payloads.text(payload, "reason"))


def _tracking(payload: Payload) -> str:
    return _lines(
        _("Follow your dossier at %(url)s") % {"url": payloads.tracking_url(payload)},
        _line(_("Lookup code: %(value)s"), payloads.text(payload, "lookup_secret")),
    )


def _footer() -> str:
    return _("This message was sent automatically; replies to it are not read.")


def _how_the_result_comes(payload: Payload) -> str:
    # Whole sentences, not a phrase slotted into one: word order differs between languages.
    method = payloads.text(payload, "delivery_method")
    if method == "counter":
        return _("The result will be handed over at the counter.")
    if method == "post":
        return _("The result will be sent to you by post.")
    if method == "online":
        return _("The result will be available for download on the tracking page.")
    return ""


def _subject(template: str, payload: Payload) -> str:
    return template % {"code": payloads.text(payload, "code")}


# --- Citizen emails -------------------------------------------------------------------------


def _received_email(payload: Payload) -> EmailText:
    unit = payloads.unit(payload)
    return _email(
        _subject(_("Your dossier %(code)s has been received"), payload),
        _greeting(payload),
        _("%(unit)s has received your dossier.") % {"unit": unit} if unit else _("Your dossier has been received."),
        _facts(
            payload,
            _line(_("Received on: %(value)s"), payloads.moment(payload, "received_at")),
            _line(_("Appointment for the result: %(value)s"), payloads.moment(payload, "appointment_at")),
            _how_the_result_comes(payload),
        ),
        _tracking(payload),
        _footer(),
    )


def _supplement_requested_email(payload: Payload) -> EmailText:
    missing = payloads.items(payload, "missing")
    unit = payloads.unit(payload)
    return _email(
        _subject(_("Your dossier %(code)s needs more documents"), payload),
        _greeting(payload),
        _("Your dossier must be supplemented before it can be processed."),
        _reason(payload),
        _lines(_("Please provide:"), *(f"- {item}" for item in missing)) if missing else "",
        _facts(payload),
        _("Send them through the tracking page or bring them to %(unit)s.") % {"unit": unit}
        if unit
        else _("Send them through the tracking page."),
        _tracking(payload),
        _footer(),
    )


def _refused_email(payload: Payload) -> EmailText:
    agency = payloads.agency(payload)
    return _email(
        _subject(_("Your dossier %(code)s has been refused"), payload),
        _greeting(payload),
        _("%(agency)s cannot process your dossier.") % {"agency": agency}
        if agency
        else _("Your dossier cannot be processed."),
        _reason(payload),
        _facts(payload),
        _tracking(payload),
        _footer(),
    )


def _extended_email(payload: Payload) -> EmailText:
    agency = payloads.agency(payload)
    return _email(
        _subject(_("Apology: your dossier %(code)s will be late"), payload),
        _greeting(payload),
        _("%(agency)s apologises: your dossier cannot be resolved by the appointment.") % {"agency": agency}
        if agency
        else _("We apologise: your dossier cannot be resolved by the appointment."),
        _reason(payload),
        _facts(
            payload,
            _line(_("Previous appointment: %(value)s"), payloads.moment(payload, "appointment_at")),
            _line(_("New appointment: %(value)s"), payloads.moment(payload, "new_appointment_at")),
        ),
        _tracking(payload),
        _footer(),
    )


def _result_ready_email(payload: Payload) -> EmailText:
    method = payloads.text(payload, "delivery_method")
    unit = payloads.unit(payload)
    if method == "counter" and unit:
        what_next = _("You can collect it at %(unit)s. Please bring your receipt and an identity document.") % {
            "unit": unit
        }
    elif method == "post":
        what_next = _("It will be sent to you by post.")
    elif method == "online":
        what_next = _("You can download it from the tracking page.")
    else:
        what_next = ""
    return _email(
        _subject(_("The result of your dossier %(code)s is ready"), payload),
        _greeting(payload),
        _lines(_("The result of your dossier is ready."), what_next),
        _facts(payload),
        _tracking(payload),
        _footer(),
    )


def _returned_email(payload: Payload) -> EmailText:
    return _email(
        _subject(_("Your dossier %(code)s is complete"), payload),
        _greeting(payload),
        _lines(
            _("The result of your dossier has been returned to you. Thank you for using the public service."),
            _("You can rate the service on the tracking page."),
        ),
        _facts(payload),
        _tracking(payload),
        _footer(),
    )


def _stopped_email(payload: Payload) -> EmailText:
    agency = payloads.agency(payload)
    return _email(
        _subject(_("Processing of your dossier %(code)s has stopped"), payload),
        _greeting(payload),
        _("As you asked, %(agency)s has stopped processing your dossier.") % {"agency": agency}
        if agency
        else _("As you asked, the processing of your dossier has stopped."),
        _reason(payload),
        _facts(payload),
        _tracking(payload),
        _footer(),
    )


def _closed_email(payload: Payload) -> EmailText:
    return _email(
        _subject(_("Your dossier %(code)s has been closed"), payload),
        _greeting(payload),
        _("Your dossier has been closed because the documents asked for were not provided in time."),
        _reason(payload),
        _facts(payload),
        _tracking(payload),
        _footer(),
    )


# --- Staff and agency emails ----------------------------------------------------------------


def _staff_facts(payload: Payload) -> str:
    return _facts(
        payload,
        _line(_("Applicant: %(value)s"), payloads.text(payload, "applicant_name")),
        _line(_("Received on: %(value)s"), payloads.moment(payload, "received_at")),
        _line(_("Due: %(value)s"), payloads.moment(payload, "due_at")),
    )


def _due_soon_email(payload: Payload) -> EmailText:
    values = {"code": payloads.text(payload, "code"), "due": payloads.moment(payload, "due_at")}
    return _email(
        _("Dossier %(code)s is due on %(due)s") % values,
        _("Dossier %(code)s, held by your unit, is due on %(due)s.") % values,
        _staff_facts(payload),
        _footer(),
    )


def _overdue_email(payload: Payload) -> EmailText:
    values = {"code": payloads.text(payload, "code"), "due": payloads.moment(payload, "due_at")}
    return _email(
        _("Dossier %(code)s is overdue (due %(due)s)") % values,
        _lines(
            _("Dossier %(code)s, held by your unit, was due on %(due)s.") % values,
            _("A late dossier needs a written apology to the applicant with a new appointment."),
        ),
        _staff_facts(payload),
        _footer(),
    )


def _task_forwarded_email(payload: Payload) -> EmailText:
    agency = payloads.agency(payload)
    return _email(
        _subject(_("Inter-agency task for dossier %(code)s"), payload),
        _("%(agency)s asks your agency to take part in resolving a dossier.") % {"agency": agency}
        if agency
        else _("Your agency is asked to take part in resolving a dossier."),
        _lines(
            _line(_("Task: %(value)s"), payloads.text(payload, "task")),
            _line(_("Please reply by %(value)s."), payloads.moment(payload, "due_at")),
        ),
        _facts(
            payload,
            _line(_("Applicant: %(value)s"), payloads.text(payload, "applicant_name")),
            _line(_("Received on: %(value)s"), payloads.moment(payload, "received_at")),
        ),
        _footer(),
    )


# --- SMS ------------------------------------------------------------------------------------


def _sms(template: str, payload: Payload, *, elastic: Mapping[str, str] | None = None, **fixed: str) -> str:
    """``template`` then the tracking link and lookup code, in GSM-7 and within SMS_MAX_LENGTH.

    ``template`` takes the dossier code, the ``fixed`` values and the ``elastic`` ones: those that
    may be shortened (procedure names, reasons). When the text is too long, the elastic values
    are cut to the longest common length that fits, so a long procedure name and a long reason
    both keep their beginning; the code, the link and the lookup code are never cut, unless
    even that is not enough and the end of the text goes as a last resort.
    """
    tail = _("Details: %(url)s lookup code %(secret)s") % {
        "url": payloads.tracking_url(payload),
        "secret": payloads.text(payload, "lookup_secret"),
    }
    fixed_values = {"code": payloads.text(payload, "code"), **fixed}
    values = {name: to_sms_text(value) for name, value in (elastic or {}).items()}

    def render(cap: int) -> str:
        shortened = {name: _shorten(value, cap) for name, value in values.items()}
        return to_sms_text(f"{template % {**fixed_values, **shortened}} {tail}")

    longest = max((len(value) for value in values.values()), default=0)
    if len(render(longest)) <= SMS_MAX_LENGTH:
        return render(longest)
    low, high = 0, longest  # the largest cap whose text fits, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if len(render(middle)) <= SMS_MAX_LENGTH:
            low = middle
        else:
            high = middle - 1
    return render(low)[:SMS_MAX_LENGTH]


def _shorten(value: str, cap: int) -> str:
    """``value`` if it has at most ``cap`` characters, else its beginning and "..." in ``cap`` characters."""
    if len(value) <= cap:
        return value
    return value[: max(cap - 3, 0)].rstrip(" ,;:.") + "..."


def _received_sms(payload: Payload) -> str:
    appointment = payloads.moment(payload, "appointment_at")
    template = (
        _("Dossier %(code)s (%(procedure)s) has been received. Appointment: %(appointment)s.")
        if appointment
        else _("Dossier %(code)s (%(procedure)s) has been received.")
    )
    return _sms(
        template, payload, appointment=appointment, elastic={"procedure": payloads.text(payload, "procedure_name")}
    )


def _supplement_requested_sms(payload: Payload) -> str:
    needed = ", ".join(payloads.items(payload, "missing")) or payloads.text(payload, "reason").rstrip(" .")
    template = (
        _("Dossier %(code)s (%(procedure)s) needs more documents: %(needed)s.")
        if needed
        else _("Dossier %(code)s (%(procedure)s) needs more documents.")
    )
    return _sms(template, payload, elastic={"needed": needed, "procedure": payloads.text(payload, "procedure_name")})


def _refused_sms(payload: Payload) -> str:
    reason = payloads.text(payload, "reason").rstrip(" .")
    template = (
        _("Dossier %(code)s (%(procedure)s) has been refused: %(reason)s.")
        if reason
        else _("Dossier %(code)s (%(procedure)s) has been refused.")
    )
    return _sms(template, payload, elastic={"reason": reason, "procedure": payloads.text(payload, "procedure_name")})


def _extended_sms(payload: Payload) -> str:
    reason = payloads.text(payload, "reason").rstrip(" .")
    template = (
        _("We apologise: dossier %(code)s will be late. New appointment: %(appointment)s. Reason: %(reason)s.")
        if reason
        else _("We apologise: dossier %(code)s will be late. New appointment: %(appointment)s.")
    )
    appointment = payloads.moment(payload, "new_appointment_at")
    return _sms(template, payload, appointment=appointment, elastic={"reason": reason})


def _result_ready_sms(payload: Payload) -> str:
    method = payloads.text(payload, "delivery_method")
    unit = payloads.unit(payload)
    if method == "counter" and unit:
        template = _("The result of dossier %(code)s is ready for collection at %(unit)s.")
    elif method == "post":
        template = _("The result of dossier %(code)s is ready and will be sent by post.")
    elif method == "online":
        template = _("The result of dossier %(code)s is ready to download.")
    else:
        template = _("The result of dossier %(code)s is ready.")
    return _sms(template, payload, elastic={"unit": unit})


def _returned_sms(payload: Payload) -> str:
    return _sms(
        _("The result of dossier %(code)s has been returned. Thank you; you can rate the service online."), payload
    )


def _stopped_sms(payload: Payload) -> str:
    return _sms(_("Processing of dossier %(code)s has stopped at your request."), payload)


def _closed_sms(payload: Payload) -> str:
    return _sms(_("Dossier %(code)s has been closed: the documents asked for were not provided in time."), payload)


_EMAILS: dict[str, Callable[[Payload], EmailText]] = {
    topics.DOSSIER_RECEIVED: _received_email,
    topics.DOSSIER_SUPPLEMENT_REQUESTED: _supplement_requested_email,
    topics.DOSSIER_REFUSED: _refused_email,
    topics.DOSSIER_EXTENDED: _extended_email,
    topics.DOSSIER_RESULT_READY: _result_ready_email,
    topics.DOSSIER_RETURNED: _returned_email,
    topics.DOSSIER_STOPPED: _stopped_email,
    topics.DOSSIER_CLOSED: _closed_email,
    topics.DOSSIER_DUE_SOON: _due_soon_email,
    topics.DOSSIER_OVERDUE: _overdue_email,
    topics.AGENCY_TASK_FORWARDED: _task_forwarded_email,
}

_SMS: dict[str, Callable[[Payload], str]] = {
    topics.DOSSIER_RECEIVED: _received_sms,
    topics.DOSSIER_SUPPLEMENT_REQUESTED: _supplement_requested_sms,
    topics.DOSSIER_REFUSED: _refused_sms,
    topics.DOSSIER_EXTENDED: _extended_sms,
    topics.DOSSIER_RESULT_READY: _result_ready_sms,
    topics.DOSSIER_RETURNED: _returned_sms,
    topics.DOSSIER_STOPPED: _stopped_sms,
    topics.DOSSIER_CLOSED: _closed_sms,
}
