"""Writes of citizen reception and petitions: one function = one transaction = permission check + audit.

Citizens' identity and contact are sealed (`core.sealing`) before they are stored; audit snapshots
never include them. Everything is validated before anything is written; a refused request names
the rule and its source.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from vanphong.accounts.models import Membership
from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.sealing import seal, unseal
from vanphong.core.text import clean, fold
from vanphong.documents import numbering
from vanphong.documents import services as documents
from vanphong.documents.models import DocumentType, OutgoingDocument
from vanphong.org.models import Person
from vanphong.petitions import events, rules
from vanphong.petitions.models import (
    Channel,
    Competence,
    Extension,
    HandlerRole,
    Instance,
    Petition,
    PetitionHandler,
    PetitionKind,
    PetitionSettings,
    ReceptionSession,
    SenderKind,
    SessionKind,
    State,
    Step,
    Visit,
)
from vanphong.petitions.permissions import (
    REGISTER,
    SETTINGS,
    VIEW,
    may_see_identity,
    may_see_visitors,
)
from vanphong.petitions.workflow import PETITION_FIELDS, WORKFLOW

VISIT_FIELDS = [
    "session",
    "visited_on",
    "content_kind",
    "delegation_size",
    "content",
    "documents_handed_in",
    "answer",
]
SESSION_FIELDS = ["held_on", "kind", "leader", "led_by_head", "place", "notes"]

# Fuzzy matching of repeat and duplicate letters (scores 0-100 of rapidfuzz on folded text).
SAME_NAME = 90
SAME_ADDRESS = 80
SAME_CONTENT = 80
MATCH_YEARS = 5

# Law on Complaints 2011 art. 8 and Law on Denunciations 2018 art. 22: a letter states the name and
# address of the person who sends it.
SENDER_SOURCE = "Luật Khiếu nại 2011, Điều 8; Luật Tố cáo 2018, Điều 22"
# Law on Complaints 02/2011/QH13 art. 8(2): a written complaint states the complainant's name and
# address and is signed (or fingerprinted) by them; art. 11(5): a complaint letter without the
# complainant's signature or fingerprint is not accepted for resolution. Art. 8(2) is confirmed by
# several published copies of the law; art. 11's clause numbering by one secondary source only
# (confidence M: check against the official text).
ANONYMOUS_COMPLAINT_SOURCE = "Luật Khiếu nại 2011, khoản 2 Điều 8 và khoản 5 Điều 11"
# Law on Denunciations 2018 art. 25(1): a denunciation without name or address is not handled as a
# denunciation; art. 25(2): if it is specific and backed by evidence, it may serve an inspection.
ANONYMOUS_DENUNCIATION_SOURCE = "Luật Tố cáo 2018, Điều 25"
# The protection of denouncers (FACTS §4; the article is not pinned down there).
DENOUNCER_SOURCE = "Luật Tố cáo 2018, bảo vệ người tố cáo"


@dataclass(frozen=True)
class Identity:
    """A citizen's identity and contact (or a delegation's representatives), kept sealed."""

    name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    representatives: str = ""

    @classmethod
    def cleaned(cls, **values: Any) -> Identity:
        return cls(**{f.name: clean(values.get(f.name) or "") for f in fields(cls)})

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())


def _petition_context(organisation_id: int) -> str:
    return f"petitions.petition.sender:{organisation_id}"


def _visit_context(organisation_id: int) -> str:
    return f"petitions.visit.citizens:{organisation_id}"


def _open_identity(token: str, context: str) -> Identity:
    return Identity(**unseal(token, context)) if token else Identity()


def _today() -> datetime.date:
    return timezone.localdate()


def _record(actor: Actor, action: str, obj: Any, before: Any, after: Any) -> None:
    audit.record(actor, action, organisation=obj.organisation, obj=obj, before=before, after=after)


# -- reception sessions and visits ------------------------------------------------------------------


def save_session(
    actor: Actor,
    *,
    held_on: datetime.date,
    kind: str = SessionKind.REGULAR,
    leader: Person | None = None,
    led_by_head: bool = True,
    place: str = "",
    notes: str = "",
) -> ReceptionSession:
    require(actor, REGISTER)
    organisation = actor.organisation
    assert organisation is not None
    errors: dict[str, str] = {}
    if held_on > _today() + datetime.timedelta(days=366):
        errors["held_on"] = _("The date is more than a year ahead.")
    if leader is not None and leader.organisation_id != organisation.pk:
        errors["leader"] = _("The selected item does not exist.")
    if kind not in SessionKind.values:
        errors["kind"] = _("Unknown kind.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = ReceptionSession.objects.create(
            organisation=organisation,
            held_on=held_on,
            kind=kind,
            leader=leader,
            led_by_head=led_by_head,
            place=clean(place),
            notes=clean(notes),
            created_by=actor.user,
        )
        _record(actor, "reception_session.created", session, None, audit.snapshot(session, SESSION_FIELDS))
    return session


def record_visit(
    actor: Actor,
    *,
    visited_on: datetime.date,
    content_kind: str,
    identity: Identity,
    content: str,
    session: ReceptionSession | None = None,
    delegation_size: int = 1,
    documents_handed_in: str = "",
    answer: str = "",
) -> Visit:
    require(actor, REGISTER)
    organisation = actor.organisation
    assert organisation is not None
    content = clean(content)
    errors: dict[str, str] = {}
    if not identity.name:
        errors["name"] = _("Enter the citizen's name (for a delegation, its representative's).")
    if not content:
        errors["content"] = _("Enter what the citizen said or asked.")
    if visited_on > _today():
        errors["visited_on"] = _("The date is in the future.")
    if session is not None and session.organisation_id != organisation.pk:
        errors["session"] = _("The selected item does not exist.")
    elif session is not None and session.held_on != visited_on:
        errors["visited_on"] = _("A visit in a session takes place on the session's date.")
    if delegation_size < 1:
        errors["delegation_size"] = _("At least one person.")
    if content_kind not in PetitionKind.values:
        errors["content_kind"] = _("Unknown kind.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            organisation=organisation,
            session=session,
            visited_on=visited_on,
            content_kind=content_kind,
            delegation_size=delegation_size,
            citizens_sealed=seal(asdict(identity), _visit_context(organisation.pk)),
            content=content,
            documents_handed_in=clean(documents_handed_in),
            answer=clean(answer),
            received_by=actor.user,
        )
        _record(actor, "visit.recorded", visit, None, audit.snapshot(visit, VISIT_FIELDS))
    return visit


def visitors(actor: Actor, visit: Visit) -> Identity | None:
    """The visitors' identity if the actor may see it (None otherwise); a denouncer's view is audited."""
    if not may_see_visitors(actor, visit):
        return None
    identity = _open_identity(visit.citizens_sealed, _visit_context(visit.organisation_id))
    if visit.content_kind == PetitionKind.DENUNCIATION:
        with transaction.atomic():
            _record(actor, "visit.identity_viewed", visit, None, None)
    return identity


def open_for_register(item: Petition | Visit) -> Identity | None:
    """The identity shown in registers, lists and exports: never a denouncer's, whoever looks."""
    if isinstance(item, Visit):
        if item.content_kind == PetitionKind.DENUNCIATION:
            return None
        return _open_identity(item.citizens_sealed, _visit_context(item.organisation_id))
    if item.kind == PetitionKind.DENUNCIATION:
        return None
    return _open_identity(item.sender_sealed, _petition_context(item.organisation_id))


# -- petitions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    petition: Petition
    score: int
    same_person: bool
    same_matter: bool


def find_similar(
    organisation: Any,
    identity: Identity,
    summary: str,
    kind: str,
    exclude: int | None = None,
    limit: int = 20,
) -> list[Match]:
    """Petitions on file from the same person or about the same matter, the best `limit` first.

    Names, addresses and content are compared folded (no diacritics, đ→d) with rapidfuzz, whose
    loops over all candidates run in C; the sealed identities of the last few years' petitions are
    opened in memory for it (bench/petitions_similar.py).

    A denunciation is never matched by its sender, in either direction: a "same person" link would
    tell whoever sees the other letter's sender who the denouncer is, and would let anyone confirm a
    guessed name by registering a letter under it (the denouncer's identity is protected by the Law on
    Denunciations 2018). Denunciations are matched by their matter only.
    """
    since = _today().replace(year=_today().year - MATCH_YEARS, day=1)
    # With the letters of the committees it succeeded (FACTS §1).
    candidates = Petition.objects.filter(
        Q(organisation=organisation) | Q(organisation__successor=organisation), received_on__gte=since
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    rows = list(candidates.values_list("pk", "sender_sealed", "search_text", "organisation", "kind"))
    name, address, content = fold(identity.name), fold(identity.address), fold(summary)
    person: set[int] = set()
    if name and kind != PetitionKind.DENUNCIATION:
        sealed = [
            (pk, token, org)
            for pk, token, _text, org, other_kind in rows
            if token and other_kind != PetitionKind.DENUNCIATION
        ]
        others = [_open_identity(token, _petition_context(org)) for _pk, token, org in sealed]
        # One fold of the joined text instead of one per row (identities hold no newlines).
        names = fold("\n".join(other.name for other in others)).split("\n")
        addresses = fold("\n".join(other.address for other in others)).split("\n")
        for _name, _score, index in process.extract(
            name, names, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_NAME, limit=None
        ):
            if (
                not address
                or not addresses[index]
                or fuzz.token_set_ratio(address, addresses[index]) >= SAME_ADDRESS
            ):
                person.add(sealed[index][0])
    matter: dict[int, int] = {}
    if content:
        texts = [row[2] for row in rows]
        for _text, score, index in process.extract(
            content, texts, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_CONTENT, limit=None
        ):
            matter[rows[index][0]] = int(score)
    scores = {pk: max(matter.get(pk, 0), 100 if pk in person else 0) for pk in person | set(matter)}
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    found = Petition.objects.in_bulk(best)
    return [Match(found[pk], scores[pk], pk in person, pk in matter) for pk in best]


def _check_sender(sender_kind: str, identity: Identity, sender_body: str, errors: dict[str, str]) -> None:
    if sender_kind == SenderKind.PERSON and not identity.name:
        errors["name"] = _(
            "Enter the sender's name, or mark the letter anonymous or sent by a body: a letter states "
            "the name and address of its sender (%(source)s)."
        ) % {"source": SENDER_SOURCE}
    elif sender_kind == SenderKind.BODY and not sender_body:
        errors["sender_body"] = _("Enter the body that sent the letter.")
    elif sender_kind == SenderKind.ANONYMOUS and not identity.is_empty:
        errors["sender_kind"] = _("An anonymous letter has no name or contact; choose “a citizen” instead.")
    elif sender_kind not in SenderKind.values:
        errors["sender_kind"] = _("Unknown kind.")


def register_petition(
    actor: Actor,
    *,
    received_on: datetime.date,
    channel: str,
    sender_kind: str,
    kind: str,
    subject: str,
    summary: str,
    competence: str,
    identity: Identity = Identity(),
    sender_body: str = "",
    transferred_from: str = "",
    delegation_size: int = 1,
    concerns: str = "",
    competent_body: str = "",
    instance: str = "",
    is_complex: bool = False,
    is_especially_complex: bool = False,
    remote_area: bool = False,
    visit: Visit | None = None,
) -> Petition:
    require(actor, REGISTER)
    organisation = actor.organisation
    assert organisation is not None
    summary, concerns = clean(summary), clean(concerns)
    sender_body, transferred_from, competent_body = (
        clean(sender_body),
        clean(transferred_from),
        clean(competent_body),
    )
    errors: dict[str, str] = {}
    if visit is None or sender_kind != SenderKind.PERSON or not identity.is_empty:
        _check_sender(sender_kind, identity, sender_body, errors)
    if not summary:
        errors["summary"] = _("Enter the content of the letter.")
    if kind not in PetitionKind.values:
        errors["kind"] = _("Unknown kind.")
    if received_on > _today():
        errors["received_on"] = _("The date of receipt is in the future.")
    if channel == Channel.TRANSFERRED and not transferred_from:
        errors["transferred_from"] = _("Enter the body that transferred the letter.")
    if visit is not None and visit.organisation_id != organisation.pk:
        errors["visit"] = _("The selected item does not exist.")
    elif visit is not None and received_on < visit.visited_on:
        errors["received_on"] = _("The letter cannot be received before the visit it was handed in at.")
    if delegation_size < 1:
        errors["delegation_size"] = _("At least one person.")
    if competence not in Competence.values:
        errors["competence"] = _("Unknown kind.")
    if errors:
        raise ValidationError(errors)
    instance = (instance or Instance.FIRST) if kind == PetitionKind.COMPLAINT else ""
    if visit is not None and identity.is_empty and sender_kind == SenderKind.PERSON:
        # A petition made at a visit takes the visitors' identity without showing it to whoever records
        # it; a denouncer's stays protected, so what was handed in at a denunciation visit stays one.
        if visit.content_kind == PetitionKind.DENUNCIATION and kind != PetitionKind.DENUNCIATION:
            raise ValidationError(
                {
                    "kind": _(
                        "The visit was a denunciation: a letter taking its visitors' identity is a "
                        "denunciation too, so that the denouncer stays protected (%(source)s)."
                    )
                    % {"source": DENOUNCER_SOURCE}
                }
            )
        identity = _open_identity(visit.citizens_sealed, _visit_context(visit.organisation_id))
    matches = find_similar(organisation, identity, summary, kind)
    best = matches[0] if matches else None
    acceptance = rules.acceptance_deadline(kind, received_on, organisation)
    with transaction.atomic():
        petition = Petition.objects.create(
            organisation=organisation,
            year=received_on.year,
            number=numbering.take_number(organisation, f"petition:{received_on.year}"),
            received_on=received_on,
            channel=Channel.VISIT if visit is not None else channel,
            transferred_from=transferred_from,
            visit=visit,
            sender_kind=sender_kind,
            sender_body=sender_body,
            delegation_size=delegation_size,
            sender_sealed=""
            if identity.is_empty
            else seal(asdict(identity), _petition_context(organisation.pk)),
            kind=kind,
            subject=subject,
            summary=summary,
            concerns=concerns,
            competence=competence,
            competent_body=competent_body,
            instance=instance,
            is_complex=is_complex or is_especially_complex,
            is_especially_complex=is_especially_complex,
            remote_area=remote_area,
            acceptance_rule=acceptance.rule if acceptance else None,
            acceptance_deadline=acceptance.date if acceptance else None,
            similar_to=best.petition if best else None,
            similarity=best.score if best else None,
            is_repeat=bool(best and best.petition.state == State.ANSWERED and best.same_matter),
            search_text=fold(summary),
            registered_by=actor.user,
        )
        if actor.user is not None:
            # Whoever records the letter does its intake (the checks of Law on Denunciations art. 24).
            PetitionHandler.objects.create(
                organisation=organisation,
                petition=petition,
                user=actor.user,
                role=HandlerRole.INTAKE,
                named_by=actor.user,
            )
        Step.objects.create(
            organisation=organisation,
            petition=petition,
            action="register",
            to_state=petition.state,
            on=received_on,
            by=actor.user,
        )
        _record(actor, "petition.registered", petition, None, audit.snapshot(petition, PETITION_FIELDS))
    return petition


def sender(actor: Actor, petition: Petition) -> Identity | None:
    """The sender's identity if the actor may see it (None otherwise); a denouncer's view is audited."""
    if not may_see_identity(actor, petition):
        return None
    identity = _open_identity(petition.sender_sealed, _petition_context(petition.organisation_id))
    if petition.kind == PetitionKind.DENUNCIATION and not identity.is_empty:
        with transaction.atomic():
            _record(actor, "petition.identity_viewed", petition, None, None)
    return identity


def _transition(
    actor: Actor, petition: Petition, action: str, *, on: datetime.date, note: str = "", **changes: Any
) -> Petition:
    """One transition of the workflow (petitions.workflow): a step of the history, audited."""
    return WORKFLOW.apply(actor, petition, action, step={"on": on, "note": note}, **changes)


def _check_date(on: datetime.date, field: str, errors: dict[str, str]) -> None:
    if on > _today():
        errors[field] = _("The date is in the future.")


# The letter is a Vietnamese official document whatever the interface language, so its text is
# not translated. Its wording names the kind of letter in Vietnamese.
LETTER_KINDS = {
    PetitionKind.COMPLAINT: "khiếu nại",
    PetitionKind.DENUNCIATION: "tố cáo",
    PetitionKind.PROPOSAL: "kiến nghị",
    PetitionKind.REPORT: "phản ánh",
}


def _letter(petition: Petition, to_body: str, guidance: bool) -> tuple[str, str, str]:
    """Summary, body and recipient of a transfer or guidance letter; a denouncer is never named."""
    organisation = petition.organisation.name
    sender = ""
    if petition.kind != PetitionKind.DENUNCIATION:
        identity = _open_identity(petition.sender_sealed, _petition_context(petition.organisation_id))
        sender = identity.name or petition.sender_body
    kind = LETTER_KINDS[PetitionKind(petition.kind)]
    received = (
        f"Ngày {petition.received_on:%d/%m/%Y}, {organisation} nhận được đơn {kind} số {petition.reference}"
        + (f" của {sender}." if sender else ".")
    )
    lines = [received, f"Nội dung: {petition.summary}"]
    if guidance:
        summary = f"V/v hướng dẫn người gửi đơn số {petition.reference} gửi đơn đến cơ quan có thẩm quyền"
        lines.append(
            f"Nội dung đơn không thuộc thẩm quyền giải quyết của {organisation}; đề nghị người gửi đơn "
            f"gửi đơn đến {to_body} để được xem xét, giải quyết theo quy định."
        )
        recipient = sender
    else:
        summary = f"V/v chuyển đơn số {petition.reference} đến cơ quan có thẩm quyền"
        lines.append(
            f"Nội dung đơn thuộc thẩm quyền của {to_body}. {organisation} chuyển đơn đến {to_body} "
            "để xem xét, giải quyết theo thẩm quyền và thông báo kết quả."
        )
        recipient = to_body
    if petition.kind == PetitionKind.DENUNCIATION:
        lines.append("Thông tin về người tố cáo được giữ bí mật theo quy định của Luật Tố cáo.")
    return summary, "\n".join(lines), recipient


def transfer(
    actor: Actor,
    petition: Petition,
    *,
    to_body: str,
    guidance: bool = False,
    on: datetime.date | None = None,
    note: str = "",
) -> Petition:
    """Not in competence: draft the transfer letter (or the guidance to the citizen), close as transferred.

    The letter is an ordinary outgoing draft (numbered and signed in the documents app). It never
    names a denouncer: the documents' registers and search are open to the văn thư.
    """
    on = on or _today()
    to_body = clean(to_body)
    errors: dict[str, str] = {}
    if petition.competence == Competence.OWN:
        errors["competence"] = _(
            "This petition is marked within the committee's competence: accept it, or correct its competence."
        )
    if not to_body:
        errors["to_body"] = _("Enter the competent body.")
    _check_date(on, "on", errors)
    if on < petition.received_on:
        errors["on"] = _("The date is before the petition was received.")
    if errors:
        raise ValidationError(errors)
    summary, body, recipient = _letter(petition, to_body, guidance)
    with transaction.atomic():
        letter = documents.save_draft(
            actor,
            OutgoingDocument(
                doc_type=DocumentType.objects.get(symbol="CV"),
                summary=summary,
                body=body,
                external_recipients="\n".join(line for line in (recipient, "Lưu: VT.") if line),
            ),
        )
        return _transition(
            actor,
            petition,
            "transfer",
            on=on,
            note=note,
            competent_body=to_body,
            transfer_letter=letter,
            closed_reason=note,
        )


def file_away(actor: Actor, petition: Petition, *, reason: str, on: datetime.date | None = None) -> Petition:
    """Not accepted (không thụ lý): the letter is filed, with the reason."""
    on = on or _today()
    reason = clean(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason.")
    _check_date(on, "on", errors)
    if errors:
        raise ValidationError(errors)
    return _transition(actor, petition, "file", on=on, note=reason, closed_reason=reason)


def accept(
    actor: Actor,
    petition: Petition,
    *,
    on: datetime.date,
    is_complex: bool | None = None,
    is_especially_complex: bool | None = None,
    remote_area: bool | None = None,
    target_date: datetime.date | None = None,
    note: str = "",
) -> Petition:
    """Thụ lý: the resolution period starts; its deadline comes from the rule in force that day."""
    organisation = petition.organisation
    is_complex = petition.is_complex if is_complex is None else is_complex
    especially = petition.is_especially_complex if is_especially_complex is None else is_especially_complex
    remote = petition.remote_area if remote_area is None else remote_area
    errors: dict[str, str] = {}
    if petition.competence != Competence.OWN:
        errors["competence"] = _(
            "This petition is not within the committee's competence: transfer it or guide the sender."
        )
    if petition.sender_kind == SenderKind.ANONYMOUS and petition.kind == PetitionKind.COMPLAINT:
        errors["sender_kind"] = _(
            "An anonymous complaint is not accepted for resolution (%(source)s): a complaint letter "
            "states the complainant's name and address and is signed or fingerprinted by them. File it."
        ) % {"source": ANONYMOUS_COMPLAINT_SOURCE}
    elif petition.sender_kind == SenderKind.ANONYMOUS and petition.kind == PetitionKind.DENUNCIATION:
        errors["sender_kind"] = _(
            "An anonymous letter is not accepted for resolution (%(source)s): file it, or use its content "
            "for inspection if it is specific and backed by evidence."
        ) % {"source": ANONYMOUS_DENUNCIATION_SOURCE}
    _check_date(on, "on", errors)
    if on < petition.received_on:
        errors["on"] = _("The acceptance date is before the petition was received.")
    if target_date is not None and target_date < on:
        errors["target_date"] = _("The target date is before the acceptance.")
    if errors:
        raise ValidationError(errors)
    deadline = None
    if petition.kind in rules.KINDS_WITH_DEADLINES:
        deadline = rules.resolution_deadline(
            petition.kind,
            on,
            organisation,
            instance=petition.instance,
            complex_case=is_complex or especially,
            remote=remote,
        )
    return _transition(
        actor,
        petition,
        "accept",
        on=on,
        note=note,
        accepted_on=on,
        is_complex=is_complex or especially,
        is_especially_complex=especially,
        remote_area=remote,
        resolution_rule=deadline.rule if deadline else None,
        resolution_deadline=deadline.date if deadline else target_date,
    )


def _members_who_see_petitions(organisation: Any, users: Iterable[Any]) -> list[Any]:
    chosen = [user for user in users if user is not None]
    memberships = Membership.objects.filter(organisation=organisation, is_active=True, user__in=chosen)
    entitled = {m.user_id for m in memberships if Actor.for_membership(m).has_perm(VIEW)}
    if any(user.pk not in entitled for user in chosen):
        raise ValidationError(
            {"lead": _("Handlers must be members of this organisation who work on citizen reception.")}
        )
    return chosen


def assign(
    actor: Actor, petition: Petition, *, lead: Any, support: Iterable[Any] = (), note: str = ""
) -> Petition:
    """Name the lead handler (and supporting ones); they alone, with the office chief, see a denouncer."""
    if lead is None:
        raise ValidationError({"lead": _("Choose the lead handler.")})
    support = [user for user in support if user is not None and user.pk != lead.pk]
    _members_who_see_petitions(actor.organisation, [lead, *support])
    with transaction.atomic():
        petition.handlers.exclude(role=HandlerRole.INTAKE).delete()
        for user, role in [(lead, HandlerRole.LEAD), *((user, HandlerRole.SUPPORT) for user in support)]:
            PetitionHandler.objects.update_or_create(
                petition=petition,
                user=user,
                defaults={"role": role, "named_by": actor.user, "organisation": petition.organisation},
            )
        names = ", ".join(user.get_full_name() or user.username for user in [lead, *support])
        return _transition(actor, petition, "assign", on=_today(), note=note or names)


def _extended_days(petition: Petition) -> int:
    return sum(petition.extensions.values_list("days", flat=True))


def _extended_deadline(
    petition: Petition, *, complex_case: bool, remote: bool, extended_by: int
) -> datetime.date:
    """The resolution deadline from the rule the petition was accepted under and its extensions,
    counted from acceptance (`rules.compute`: Luật Tố cáo 2018, Điều 30)."""
    assert petition.resolution_rule is not None and petition.accepted_on is not None
    return rules.compute(
        petition.resolution_rule,
        petition.accepted_on,
        petition.organisation,
        complex_case=complex_case,
        remote=remote,
        extended_by=extended_by,
    ).date


def extend(
    actor: Actor,
    petition: Petition,
    *,
    decision_reference: str,
    decided_on: datetime.date,
    days: int,
    reason: str,
) -> Extension:
    """Record a written extension decision (Law on Denunciations 2018 art. 30) the rule allows."""
    decision_reference, reason = clean(decision_reference), clean(reason)
    errors: dict[str, str] = {}
    if not decision_reference:
        errors["decision_reference"] = _(
            "Enter the number of the extension decision: an extension is decided in writing."
        )
    if not reason:
        errors["reason"] = _("Give the reason.")
    _check_date(decided_on, "decided_on", errors)
    if petition.accepted_on and decided_on < petition.accepted_on:
        errors["decided_on"] = _("The decision is dated before the acceptance.")
    if errors:
        raise ValidationError(errors)
    rules.check_extension(
        petition.resolution_rule,
        done=petition.extensions.count(),
        days=days,
        complex_case=petition.is_complex,
        especially_complex=petition.is_especially_complex,
    )
    previous = petition.resolution_deadline
    assert previous is not None
    new_deadline = _extended_deadline(
        petition,
        complex_case=petition.is_complex,
        remote=petition.remote_area,
        extended_by=_extended_days(petition) + days,
    )
    with transaction.atomic():
        extension = Extension.objects.create(
            organisation=petition.organisation,
            petition=petition,
            decision_reference=decision_reference,
            decided_on=decided_on,
            days=days,
            reason=reason,
            previous_deadline=previous,
            new_deadline=new_deadline,
            recorded_by=actor.user,
        )
        _transition(
            actor,
            petition,
            "extend",
            on=decided_on,
            note=f"{decision_reference}: +{days} ({reason})",
            resolution_deadline=new_deadline,
        )
    return extension


def classify(
    actor: Actor,
    petition: Petition,
    *,
    is_complex: bool,
    is_especially_complex: bool,
    remote_area: bool,
    note: str = "",
) -> Petition:
    """A case found complex (or not) after acceptance: its deadline is computed again from the rule
    it was accepted under, with the recorded extensions, from acceptance."""
    deadline = petition.resolution_deadline
    if petition.resolution_rule is not None and petition.accepted_on is not None:
        deadline = _extended_deadline(
            petition,
            complex_case=is_complex or is_especially_complex,
            remote=remote_area,
            extended_by=_extended_days(petition),
        )
    return _transition(
        actor,
        petition,
        "classify",
        on=_today(),
        note=note,
        is_complex=is_complex or is_especially_complex,
        is_especially_complex=is_especially_complex,
        remote_area=remote_area,
        resolution_deadline=deadline,
    )


def _check_resolution_date(petition: Petition, on: datetime.date, errors: dict[str, str]) -> None:
    _check_date(on, "on", errors)
    if petition.accepted_on and on < petition.accepted_on:
        values = {"date": on.strftime("%d/%m/%Y"), "accepted": petition.accepted_on.strftime("%d/%m/%Y")}
        if petition.resolution_rule is None:
            errors["on"] = (
                _("The resolution date %(date)s is before the acceptance on %(accepted)s.") % values
            )
        else:
            errors["on"] = _(
                "The resolution date %(date)s is before the acceptance on %(accepted)s: the resolution "
                "period runs from acceptance (%(source)s)."
            ) % {**values, "source": petition.resolution_rule.source}


def conclude(actor: Actor, petition: Petition, *, on: datetime.date, conclusion: str) -> Petition:
    conclusion = clean(conclusion)
    errors: dict[str, str] = {}
    if not conclusion:
        errors["conclusion"] = _("Enter the conclusion.")
    _check_resolution_date(petition, on, errors)
    if errors:
        raise ValidationError(errors)
    return _transition(actor, petition, "conclude", on=on, concluded_on=on, conclusion=conclusion)


def answer(actor: Actor, petition: Petition, *, on: datetime.date, text: str) -> Petition:
    text = clean(text)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Enter the answer given to the sender.")
    _check_resolution_date(petition, on, errors)
    if petition.concluded_on and on < petition.concluded_on:
        errors["on"] = _("The answer is dated before the conclusion.")
    if errors:
        raise ValidationError(errors)
    return _transition(actor, petition, "answer", on=on, answered_on=on, answer=text)


def save_settings(actor: Actor, settings: PetitionSettings) -> PetitionSettings:
    require(actor, SETTINGS)
    assert actor.organisation is not None and settings.organisation_id == actor.organisation.pk
    fields = ["open_day_count", "move_off_day_deadlines"]
    with transaction.atomic():
        stored = PetitionSettings.objects.filter(pk=settings.pk).first()
        before = audit.snapshot(stored, fields) if stored else None
        settings.save()
        audit.record(
            actor,
            events.PETITION_SETTINGS_UPDATED,
            organisation=actor.organisation,
            obj=settings,
            before=before,
            after=audit.snapshot(settings, fields),
        )
    return settings
