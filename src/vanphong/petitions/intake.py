"""Intake of petitions: a letter is registered (numbered, its deadline for acceptance set, linked to
the letters on file from the same person or about the same matter), then accepted for resolution
(thụ lý), transferred to the competent body (or its sender guided there), or filed.

Everything is validated before anything is written; a refused request names the rule and its source.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.text import clean, fold
from vanphong.documents import numbering
from vanphong.petitions import events, rules
from vanphong.petitions.identities import NO_IDENTITY, Identity, seal_sender, visitors_of
from vanphong.petitions.letters import draft_letter
from vanphong.petitions.matching import find_similar
from vanphong.petitions.models import (
    Channel,
    Competence,
    HandlerRole,
    Instance,
    Petition,
    PetitionHandler,
    PetitionKind,
    SenderKind,
    State,
    Step,
    Visit,
)
from vanphong.petitions.permissions import REGISTER
from vanphong.petitions.workflow import PETITION_FIELDS, check_step_date, lock, transition

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
    identity: Identity = NO_IDENTITY,
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
    if received_on > timezone.localdate():
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
        identity = visitors_of(visit)
    # Matching opens the sealed identities of years of letters: done before the transaction, so that
    # the other writers (queued on SQLite) do not wait for it.
    matches = find_similar(organisation, identity, summary, kind)
    best = matches[0] if matches else None
    acceptance = rules.acceptance_deadline(kind, received_on, organisation)
    with transaction.atomic(durable=True):
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
            sender_sealed=seal_sender(identity, organisation.pk),
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
        # The first step of the history: a creation, not a transition of the workflow.
        Step.objects.create(
            organisation=organisation,
            petition=petition,
            action="register",
            to_state=petition.state,
            on=received_on,
            by=actor.user,
        )
        audit.record(
            actor,
            events.PETITION_REGISTERED,
            petition,
            organisation=organisation,
            after=audit.snapshot(petition, PETITION_FIELDS),
        )
    return petition


@transaction.atomic(durable=True)
def transfer(
    actor: Actor,
    petition: Petition,
    *,
    to_body: str,
    guidance: bool = False,
    on: datetime.date | None = None,
    note: str = "",
) -> Petition:
    """Not in competence: draft the transfer letter (or the guidance to the citizen), close as transferred."""
    lock(petition)
    on = on or timezone.localdate()
    to_body = clean(to_body)
    errors: dict[str, str] = {}
    if petition.competence == Competence.OWN:
        errors["competence"] = _(
            "This petition is marked within the committee's competence: accept it, or correct its competence."
        )
    if not to_body:
        errors["to_body"] = _("Enter the competent body.")
    check_step_date(on, "on", errors)
    if on < petition.received_on:
        errors["on"] = _("The date is before the petition was received.")
    if errors:
        raise ValidationError(errors)
    letter = draft_letter(actor, petition, to_body=to_body, guidance=guidance)
    return transition(
        actor,
        petition,
        "transfer",
        on=on,
        note=note,
        competent_body=to_body,
        transfer_letter=letter,
        closed_reason=note,
    )


@transaction.atomic(durable=True)
def file_away(actor: Actor, petition: Petition, *, reason: str, on: datetime.date | None = None) -> Petition:
    """Not accepted (không thụ lý): the letter is filed, with the reason."""
    on = on or timezone.localdate()
    reason = clean(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason.")
    check_step_date(on, "on", errors)
    if errors:
        raise ValidationError(errors)
    return transition(actor, petition, "file", on=on, note=reason, closed_reason=reason)


@transaction.atomic(durable=True)
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
    lock(petition)
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
    check_step_date(on, "on", errors)
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
    return transition(
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
