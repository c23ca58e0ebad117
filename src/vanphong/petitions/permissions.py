"""Who sees and handles citizen reception and petitions.

Petitions are kept apart from the documents (QĐ 693-QĐ/VPTW): only the reception role, the office
chief and the standing leaders (the head receives citizens) see them at all; a clerk of the văn thư
does not. Within them, a denouncer's identity and contact are shown only to the petition's named
handlers and the office chief (Law on Denunciations 2018: the denouncer is protected), and each
showing is audited. Other citizens' identity is shown to everyone who sees the petition.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, Policy, declare_permissions, register_policy
from vanphong.petitions.models import (
    Extension,
    Petition,
    PetitionHandler,
    PetitionKind,
    ReceptionSession,
    Step,
    Visit,
)

VIEW = "petitions.view"
REGISTER = "petitions.register"
PROCESS = "petitions.process"
ASSIGN = "petitions.assign"
SEE_IDENTITIES = "petitions.see_identities"
SETTINGS = "petitions.settings"

declare_permissions(
    (
        VIEW,
        _("See reception sessions and petitions"),
        {"reception_officer", "office_chief", "standing_leader"},
    ),
    (REGISTER, _("Record reception sessions, visits and petitions"), {"reception_officer", "office_chief"}),
    (PROCESS, _("Accept, transfer, file and extend petitions"), {"reception_officer", "office_chief"}),
    (ASSIGN, _("Name the handlers of a petition"), {"office_chief"}),
    (SEE_IDENTITIES, _("See every denouncer's identity"), {"office_chief"}),
    (SETTINGS, _("Change the petition settings"), {"office_chief", "administrator"}),
)


class ReceptionPolicy(Policy):
    """Rows of the actor's organisation and of the committees it succeeded (FACTS §1: the petitions
    of a dissolved committee pass to its successor), for those who hold the reception view permission."""

    change_permission = REGISTER

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member or not (actor.system or actor.has_perm(VIEW)):
            return queryset.none()
        return queryset.filter(
            Q(organisation=actor.organisation) | Q(organisation__successor=actor.organisation)
        )


def is_named_handler(actor: Actor, petition: Petition) -> bool:
    return actor.user is not None and petition.handlers.filter(user=actor.user).exists()


def protects_identity(petition: Petition) -> bool:
    return petition.kind == PetitionKind.DENUNCIATION


def may_see_identity(actor: Actor, petition: Petition) -> bool:
    """A denouncer only to the named handlers and the office chief; others to all who see the petition."""
    if actor.system or actor.has_perm(SEE_IDENTITIES):
        return True
    if not protects_identity(petition):
        return actor.has_perm(VIEW)
    return is_named_handler(actor, petition)


def may_see_visitors(actor: Actor, visit: Visit) -> bool:
    """Citizens who came to denounce are protected like the denouncer of the petition made from it."""
    if actor.system or actor.has_perm(SEE_IDENTITIES):
        return True
    if visit.content_kind != PetitionKind.DENUNCIATION:
        return actor.has_perm(VIEW)
    if not actor.has_perm(VIEW):
        return False
    # The officer who received the denouncer, like the intake handler of a letter, knows them already.
    if actor.user is not None and visit.received_by_id == actor.user.pk:
        return True
    return any(is_named_handler(actor, petition) for petition in visit.petitions.all())


def may_handle(actor: Actor, petition: Petition) -> bool:
    """Verification, conclusion and answer: the named handlers and the office chief."""
    return (
        actor.system or actor.has_perm(ASSIGN) or (actor.has_perm(VIEW) and is_named_handler(actor, petition))
    )


class ByPetitionPolicy(Policy):
    """A petition's handlers, extensions and steps are visible exactly when the petition is."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.filter(
            petition__in=ReceptionPolicy().visible(actor, Petition.objects.all()).values("pk")
        )


for model in (ReceptionSession, Visit, Petition):
    register_policy(model, ReceptionPolicy())
for child in (PetitionHandler, Extension, Step):
    register_policy(child, ByPetitionPolicy())
