"""The urging letter (công văn đôn đốc): an outgoing draft listing a unit's overdue tasks.

The draft is made by documents.outgoing.save_draft, so it is numbered, approved and issued like any
other outgoing document. It lists only the overdue tasks the actor may see, and takes the highest
secrecy of the tasks and sources it quotes (core.secrecy). A Tuyệt mật task is listed by its deadline
only: its content is never quoted.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Clearance
from vanphong.core.secrecy import derived_secrecy
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import DocumentType, OutgoingDocument, SigningAuthority
from vanphong.followup import events, selectors
from vanphong.followup.models import Task
from vanphong.followup.permissions import MANAGE
from vanphong.org.models import Person, Unit


def urging_letter(actor: Actor, unit: Unit, today: datetime.date | None = None) -> OutgoingDocument:
    require(actor, MANAGE)
    today = today or timezone.localdate()
    overdue = list(selectors.overdue(actor, selectors.Criteria(unit=unit), today))
    if not overdue:
        raise ValidationError(_("%(unit)s has no overdue task to urge.") % {"unit": unit.name})
    lines = [
        _(
            "Following up the tasks assigned by the Standing Committee, the Office notes that the "
            "following tasks led by %(unit)s are past their deadline:"
        )
        % {"unit": unit.name},
        "",
    ]
    quoted: list[Task] = []
    for number, task in enumerate(overdue, start=1):
        assert task.deadline is not None
        if task.secrecy >= Clearance.TUYET_MAT:
            # 08-QC/TW: Tuyệt mật tasks are handled apart; their content never enters a letter, whose
            # readers follow the documents' rules, not the follow-up's narrower ones.
            lines.append(
                _("%(n)s. A Top secret task (deadline %(deadline)s): its content is sent separately.")
                % {"n": number, "deadline": task.deadline.strftime("%d/%m/%Y")}
            )
            continue
        quoted.append(task)
        lines.append(
            _("%(n)s. %(content)s (assigned by %(source)s; deadline %(deadline)s; progress %(progress)s%%).")
            % {
                "n": number,
                "content": task.content,
                "source": task.source,
                "deadline": task.deadline.strftime("%d/%m/%Y"),
                "progress": task.progress,
            }
        )
    lines += [
        "",
        _(
            "The Office asks %(unit)s to complete these tasks urgently and report the results, or to "
            "request an extension stating the reason, within 5 working days."
        )
        % {"unit": unit.name},
    ]
    signer = Person.objects.filter(organisation=actor.organisation, user=actor.user).first()
    doc = OutgoingDocument(
        doc_type=DocumentType.objects.get(symbol="CV"),
        summary=_("Urging the completion of overdue tasks"),
        body="\n".join(lines),
        secrecy=derived_secrecy([*quoted, *(task.source for task in quoted)]),
        signer=signer,
        signing_authority=SigningAuthority.TL,
        signing_body=_("Standing Committee"),
        signer_title=_("Office chief"),
        external_recipients="\n".join([unit.name, _("Filed: Office")]),
    )
    with transaction.atomic():
        documents_outgoing.save_draft(actor, doc)
        audit.record(
            actor,
            events.FOLLOWUP_URGING_LETTER,
            organisation=actor.organisation,
            obj=doc,
            after={"unit": unit.pk, "tasks": [task.pk for task in overdue]},
        )
    return doc
