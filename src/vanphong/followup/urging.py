"""The urging letter (công văn đôn đốc): an outgoing draft listing a unit's overdue tasks.

The draft is made by documents.services.save_draft, so it is numbered, approved and issued like any
other outgoing document. It lists only the overdue tasks the actor may see, and takes the highest
secrecy among them (a letter carrying a secret task's content is itself secret).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.documents import services as documents
from vanphong.documents.models import DocumentType, OutgoingDocument, SigningAuthority
from vanphong.followup import selectors
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
    for number, task in enumerate(overdue, start=1):
        assert task.deadline is not None
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
        secrecy=max(task.secrecy for task in overdue),
        signer=signer,
        signing_authority=SigningAuthority.TL,
        signing_body=_("Standing Committee"),
        signer_title=_("Office chief"),
        external_recipients="\n".join([unit.name, _("Filed: Office")]),
    )
    with transaction.atomic():
        documents.save_draft(actor, doc)
        audit.record(
            actor=actor.user,
            organisation=actor.organisation,
            action="followup.urging_letter",
            obj=doc,
            after={"unit": unit.pk, "tasks": [task.pk for task in overdue]},
        )
    return doc
