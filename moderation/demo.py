"""Demo posts, a correction, a removal with its escalation, and questions (one
overdue, one forwarded) on the main Facebook account, made through the services
so history, escalation notices and the clock are exactly as in real use."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Unit, User
from channels_registry.models import SocialAccount
from moderation import questions, services
from moderation.categories import Category
from moderation.models import ModerationAction


def _screenshot() -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, 630, 190], outline="black")
    draw.text((24, 30), "Kommentar (demo, bevarad innan den togs bort)", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("skarmdump.png", buffer.getvalue(), content_type="image/png")


def seed(people: dict[str, User], units: dict[str, Unit]) -> None:
    account = SocialAccount.objects.filter(
        platform__slug="facebook", handle="norakommun", status=SocialAccount.Status.ACTIVE
    ).first()
    if account is None or account.posts.exists():
        return
    admin, colleague = people["medarbetare"], people["kollega"]
    now = timezone.now()
    hours = datetime.timedelta(hours=1)

    services.post_log(
        account_id=account.pk,
        actor=admin,
        author=admin,
        published_at=now - 50 * hours,
        text="Nu öppnar vi anmälan till sommarlovsaktiviteterna. Läs mer på nora.se.",
        link="https://www.facebook.com/norakommun/posts/1001",
    )
    wrong = services.post_log(
        account_id=account.pk,
        actor=admin,
        author=colleague,
        published_at=now - 30 * hours,
        text="Återvinningscentralen har öppet till kl. 19 på lördag.",
        link="https://www.facebook.com/norakommun/posts/1002",
    )
    services.post_correct(
        post_id=wrong.pk,
        actor=colleague,
        what_was_wrong="Fel stängningstid: återvinningscentralen stänger kl. 15 på lördagar.",
        correction_text="Rättelse: återvinningscentralen har öppet till kl. 15 på lördag, inte 19.",
        corrected_at=now - 29 * hours,
    )
    outdated = services.post_log(
        account_id=account.pk,
        actor=admin,
        author=admin,
        published_at=now - 20 * hours,
        text="Vägarbete på Storgatan hela veckan.",
    )
    services.post_withdraw(
        post_id=outdated.pk,
        actor=admin,
        action=ModerationAction.Action.UNPUBLISHED,
        reason="Vägarbetet blev klart i förtid; inlägget var inte längre aktuellt.",
    )
    services.action_log(
        account_id=account.pk,
        actor=admin,
        data=services.ActionData(
            action=ModerationAction.Action.DELETED,
            origin=ModerationAction.Origin.CITIZEN,
            category=Category.HETS_MOT_FOLKGRUPP,
            reason="Kommentaren uttrycker missaktning mot en folkgrupp med anspelning på etnisk "
            "bakgrund.",
            content_author="Demo Användare",
            content_text="(Demotext i stället för den hatiska kommentaren.)",
            content_posted_at=now - 6 * hours,
            captured_at=now - 5 * hours,
        ),
        screenshot=_screenshot(),
    )
    services.action_log(
        account_id=account.pk,
        actor=colleague,
        data=services.ActionData(
            action=ModerationAction.Action.HIDDEN,
            origin=ModerationAction.Origin.CITIZEN,
            category=Category.REKLAM,
            reason="Reklam för ett företags tjänster.",
            content_author="Billiga Fönster AB",
            content_text="Bästa priset på fönsterputs i Nora! Ring oss.",
            captured_at=now - 3 * hours,
        ),
    )
    questions.question_log(
        account_id=account.pk,
        actor=admin,
        received_at=now - 14 * 24 * hours,
        asker="Eva Andersson",
        text="När töms soptunnorna på Prästgatan under helgerna?",
    )
    forwarded = questions.question_log(
        account_id=account.pk,
        actor=admin,
        received_at=now - 2 * hours,
        asker="Per Persson",
        text="Hur ansöker jag om bygglov för ett växthus?",
    )
    handler = people.get("handlaggare") or colleague
    questions.question_forward(
        question_id=forwarded.pk,
        actor=admin,
        to=handler,
        note="Kan du svara? Det gäller bygglov.",
    )
    answered = questions.question_log(
        account_id=account.pk,
        actor=admin,
        received_at=now - 4 * hours,
        asker="Lisa Nilsson",
        text="Är biblioteket öppet på lördag?",
    )
    questions.question_answer(
        question_id=answered.pk,
        actor=admin,
        answer="Ja, biblioteket har öppet kl. 10–14 på lördag.",
        answered_at=now - 3 * hours,
    )
