"""The transfer and guidance letters: a petition outside the committee's competence is sent on.

A transfer letter sends the petition to the competent body; a guidance letter tells the sender where
to send it. Either is an ordinary outgoing draft (type Công văn) that the office completes, has
signed and issues (`documents.outgoing.save_draft`). The letter is a Vietnamese official document
whatever the interface language, so its text is not translated; it never names a denouncer, since
the documents' registers and search are open to the văn thư.
"""

from __future__ import annotations

from vanphong.core.access import Actor
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import DocumentType, OutgoingDocument
from vanphong.petitions.identities import sender_of
from vanphong.petitions.models import Petition, PetitionKind

# The kind of letter as the letter's Vietnamese wording names it.
LETTER_KINDS = {
    PetitionKind.COMPLAINT: "khiếu nại",
    PetitionKind.DENUNCIATION: "tố cáo",
    PetitionKind.PROPOSAL: "kiến nghị",
    PetitionKind.REPORT: "phản ánh",
}


def letter_text(petition: Petition, to_body: str, guidance: bool) -> tuple[str, str, str]:
    """Summary, body and recipient of a transfer or guidance letter; a denouncer is never named."""
    organisation = petition.organisation.name
    sender = ""
    if petition.kind != PetitionKind.DENUNCIATION:
        sender = sender_of(petition).name or petition.sender_body
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


def draft_letter(actor: Actor, petition: Petition, *, to_body: str, guidance: bool) -> OutgoingDocument:
    """The letter as an outgoing draft, in the caller's transaction (`petitions.intake.transfer`)."""
    summary, body, recipient = letter_text(petition, to_body, guidance)
    return documents_outgoing.save_draft(
        actor,
        OutgoingDocument(
            doc_type=DocumentType.objects.get(symbol="CV"),
            summary=summary,
            body=body,
            external_recipients="\n".join(line for line in (recipient, "Lưu: VT.") if line),
        ),
    )
