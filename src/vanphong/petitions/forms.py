from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import Membership, User
from vanphong.core.access import Actor
from vanphong.core.forms import (
    DateInput,
    Form,
    ModelForm,
    UserChoiceField,
    UserMultipleChoiceField,
    choice_field,
)
from vanphong.org.models import Person
from vanphong.petitions.models import (
    Channel,
    Competence,
    Instance,
    PetitionKind,
    PetitionSettings,
    ReceptionSession,
    SenderKind,
    SessionKind,
    State,
    Subject,
)
from vanphong.petitions.permissions import VIEW


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class IdentityFields(Form):
    """A citizen's identity and contact: sealed when saved."""

    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    id_number = forms.CharField(label=_("Identity card number"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    representatives = forms.CharField(
        label=_("Representatives (delegations)"), max_length=500, required=False
    )
    delegation_size = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)

    IDENTITY = ("name", "id_number", "address", "phone", "email", "representatives")

    def identity_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.IDENTITY}


class SessionForm(Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    leader = forms.ModelChoiceField(
        label=_("Receiving leader"), queryset=Person.objects.order_by("sort_key"), required=False
    )
    led_by_head = forms.BooleanField(
        label=_("The committee head received in person"), required=False, initial=True
    )
    place = forms.CharField(label=_("Location"), max_length=255, required=False)
    notes = forms.CharField(label=_("Notes"), widget=_text(2), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class VisitForm(IdentityFields):
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=ReceptionSession.objects.order_by("-held_on"), required=False
    )
    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    content_kind = forms.ChoiceField(label=_("Kind of content"), choices=PetitionKind.choices)
    content = forms.CharField(label=_("Content"), widget=_text())
    documents_handed_in = forms.CharField(label=_("Documents handed in"), widget=_text(2), required=False)
    answer = forms.CharField(
        label=_("The receiving leader's answer or instruction"), widget=_text(), required=False
    )

    field_order = ["session", "visited_on", "content_kind", *IdentityFields.IDENTITY, "delegation_size"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["name"].required = True


class PetitionForm(IdentityFields):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Received"), choices=Channel.choices)
    transferred_from = forms.CharField(label=_("Transferred by"), max_length=255, required=False)
    sender_kind = forms.ChoiceField(label=_("Sender of the letter"), choices=SenderKind.choices)
    sender_body = forms.CharField(label=_("Sending body"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PetitionKind.choices)
    subject = forms.ChoiceField(label=_("Subject area"), choices=Subject.choices)
    summary = forms.CharField(label=_("Content"), widget=_text())
    concerns = forms.CharField(label=_("Person or body complained about"), max_length=255, required=False)
    competence = forms.ChoiceField(label=_("Competence"), choices=Competence.choices)
    competent_body = forms.CharField(label=_("Competent body"), max_length=255, required=False)
    instance = forms.ChoiceField(
        label=_("Instance (complaints)"), choices=[("", "—"), *Instance.choices], required=False
    )
    is_complex = forms.BooleanField(label=_("Complex"), required=False)
    is_especially_complex = forms.BooleanField(label=_("Especially complex"), required=False)
    remote_area = forms.BooleanField(label=_("Remote, hard-to-reach area"), required=False)

    field_order = [
        "received_on",
        "channel",
        "transferred_from",
        "sender_kind",
        *IdentityFields.IDENTITY,
        "delegation_size",
        "sender_body",
        "kind",
        "subject",
        "summary",
        "concerns",
        "competence",
        "competent_body",
        "instance",
        "is_complex",
        "is_especially_complex",
        "remote_area",
    ]

    def __init__(self, *args: Any, from_visit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        if from_visit:
            # The visitors' identity is taken from the visit, never shown again in this form.
            for name in (*self.IDENTITY, "channel", "transferred_from"):
                del self.fields[name]


class AcceptForm(Form):
    on = forms.DateField(label=_("Accepted on"), widget=DateInput())
    is_complex = forms.BooleanField(label=_("Complex"), required=False)
    is_especially_complex = forms.BooleanField(label=_("Especially complex"), required=False)
    remote_area = forms.BooleanField(label=_("Remote, hard-to-reach area"), required=False)
    target_date = forms.DateField(
        label=_("Target date (proposals and reports: no statutory deadline)"),
        widget=DateInput(),
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class TransferForm(Form):
    to_body = forms.CharField(label=_("Competent body"), max_length=255)
    guidance = forms.BooleanField(
        label=_("Guide the sender to that body instead of transferring the letter"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class FileForm(Form):
    reason = forms.CharField(label=_("Reason for not accepting"), widget=_text(2))


def reception_users(actor: Actor, queryset: QuerySet[User]) -> QuerySet[User]:
    """Members of the organisation who see petitions (the only possible handlers)."""
    memberships = Membership.objects.filter(organisation=actor.organisation, is_active=True).select_related(
        "user"
    )
    ids = [m.user_id for m in memberships if Actor.for_membership(m).has_perm(VIEW)]
    return queryset.filter(pk__in=ids)


USERS = User.objects.order_by("last_name", "first_name")


class AssignForm(Form):
    lead = choice_field(UserChoiceField, reception_users, label=_("Lead handler"), queryset=USERS)
    support = choice_field(
        UserMultipleChoiceField,
        reception_users,
        label=_("Supporting handlers"),
        queryset=USERS,
        required=False,
    )


class ClassifyForm(Form):
    is_complex = forms.BooleanField(label=_("Complex"), required=False)
    is_especially_complex = forms.BooleanField(label=_("Especially complex"), required=False)
    remote_area = forms.BooleanField(label=_("Remote, hard-to-reach area"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ExtendForm(Form):
    decision_reference = forms.CharField(label=_("Extension decision number"), max_length=100)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason"), widget=_text(2))


class ConcludeForm(Form):
    on = forms.DateField(label=_("Concluded on"), widget=DateInput())
    conclusion = forms.CharField(label=_("Conclusion"), widget=_text())


class AnswerForm(Form):
    on = forms.DateField(label=_("Answered on"), widget=DateInput())
    text = forms.CharField(label=_("Answer"), widget=_text())


ACTION_FORMS: dict[str, type[Form]] = {
    "accept": AcceptForm,
    "transfer": TransferForm,
    "file": FileForm,
    "assign": AssignForm,
    "classify": ClassifyForm,
    "extend": ExtendForm,
    "conclude": ConcludeForm,
    "answer": AnswerForm,
}


class PetitionFilterForm(Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *PetitionKind.choices], required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", "—"), *State.choices], required=False)
    subject = forms.ChoiceField(
        label=_("Subject area"), choices=[("", "—"), *Subject.choices], required=False
    )
    text = forms.CharField(
        label=_("Content"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )


class PeriodForm(Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("To"), widget=DateInput(), required=False)


class SettingsForm(ModelForm):
    class Meta:
        model = PetitionSettings
        fields = ["open_day_count", "move_off_day_deadlines"]
