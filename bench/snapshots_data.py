"""The snapshot benchmark's data (bench/snapshots.py), fixed seed, never
committed: the accounts of bench/data.py with their owner and deputy, the
checklist confirmed, 50 moderation actions and 20 questions in the snapshot's
period, and a queued yearly request with 5 screenshots. The 5 PNGs are drawn
with Pillow (a page header, text, photo-like gradients with noise, so the
compression is not trivial), stored once and shared by every request's
screenshot rows: each PDF still embeds all 5."""

import hashlib
import io
import random

SCREENSHOTS = 5
ACTIONS = 50
QUESTIONS = 20
WIDTH, HEIGHT = 1280, 2000
SEED = 20141112
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

WORDS = [
    "Nora",
    "kommun",
    "bibliotek",
    "öppet",
    "hus",
    "simhallen",
    "skolan",
    "förskola",
    "vägarbete",
    "kommunfullmäktige",
    "invånare",
    "frågor",
    "svar",
    "evenemang",
    "sommarlov",
    "snöröjning",
    "återvinning",
    "kultur",
    "idrott",
    "äldreomsorg",
]


def screenshot_png(rng: random.Random, index: int) -> bytes:
    """A 1280×2000 'screenshot' of a feed: header bar, posts with text lines and a
    photo each (gradients with grain), so PNG compression has real work to do."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("RGB", (WIDTH, HEIGHT), (240, 242, 245))
    draw = ImageDraw.Draw(page)
    title = ImageFont.truetype(BOLD, 28)
    body = ImageFont.truetype(FONT, 20)
    draw.rectangle([0, 0, WIDTH, 90], fill=(24, 119, 242))
    draw.text((40, 28), f"Nora kommun – sida {index + 1}", font=title, fill="white")
    words = WORDS
    y = 120
    while y < HEIGHT - 200:
        draw.rounded_rectangle([40, y, WIDTH - 40, y + 560], 12, fill="white")
        draw.ellipse([60, y + 20, 120, y + 80], fill=(rng.randrange(256), 120, 90))
        draw.text((140, y + 30), "Nora kommun · " + rng.choice(words), font=title, fill="black")
        for k in range(3):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 11)))
            draw.text((60, y + 100 + 30 * k), text, font=body, fill=(40, 40, 40))
        # A photo: two gradients tinted at random, with grain from the seeded rng.
        w, h = WIDTH - 120, 330
        grad = Image.linear_gradient("L").resize((w, h))
        grad2 = Image.radial_gradient("L").resize((w, h))
        noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
        channels = [
            Image.blend(Image.blend(grad, grad2, rng.random()), noise, 0.12 + 0.1 * rng.random())
            for _ in range(3)
        ]
        photo = Image.merge("RGB", channels)
        page.paste(photo, (60, y + 200))
        y += 600
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


def make_data(n: int) -> dict:
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from archive.models import SnapshotReason, SnapshotRequest, SnapshotScreenshot
    from bench.data import BATCH, make_accounts, question_rows
    from channels_registry.models import (
        ChecklistConfirmation,
        SocialAccount,
        SocialAccountUserObjectPermission,
    )
    from channels_registry.selectors import required_checklist_items
    from moderation.categories import Category
    from moderation.models import ModerationAction, Question

    rng = random.Random(SEED)
    made = make_accounts(n)
    accounts, users = made["accounts"], made["users"]
    now = timezone.now()
    today = timezone.localdate()
    # The owner sees and manages the account, as channels_registry's services grant.
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    perms = Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(SocialAccount),
        codename__in=["view_socialaccount", "change_socialaccount"],
    )
    SocialAccountUserObjectPermission.objects.bulk_create(
        (
            SocialAccountUserObjectPermission(user=users[2 * i], permission=p, content_object=a)
            for i, a in enumerate(accounts)
            for p in perms
        ),
        batch_size=BATCH,
    )
    ChecklistConfirmation.objects.bulk_create(
        (
            ChecklistConfirmation(account=a, item=item, confirmed_by=users[2 * i])
            for i, a in enumerate(accounts)
            for item in required_checklist_items(a)
        ),
        batch_size=BATCH,
    )
    categories = [
        Category.KRANKANDE,
        Category.REKLAM,
        Category.PERSONANGREPP,
        Category.OLAGA_HOT,
        Category.INAKTUELLT,
    ]
    for start in range(0, n, 100):
        chunk = list(enumerate(accounts))[start : start + 100]
        ModerationAction.objects.bulk_create(
            (
                ModerationAction(
                    account=a,
                    action=rng.choice(ModerationAction.Action.values),
                    origin=(
                        ModerationAction.Origin.OWN_POST
                        if category == Category.INAKTUELLT
                        else ModerationAction.Origin.CITIZEN
                    ),
                    category=category,
                    reason="Bryter mot policyn §5.",
                    content_author="En invånare",
                    content_text="Kommentaren som doldes.",
                    logged_by=users[2 * i],
                    logged_at=now - datetime.timedelta(minutes=rng.randint(60, 60 * 24 * 30)),
                )
                for i, a in chunk
                for category in (rng.choice(categories) for _ in range(ACTIONS))
            ),
            batch_size=BATCH,
        )
        Question.objects.bulk_create(
            question_rows(
                chunk,
                users,
                rng,
                now=now,
                per_account=QUESTIONS,
                hours=(2, 24 * 30),
                statuses=Question.Status.values,
            ),
            batch_size=BATCH,
        )
    # The five screenshots, stored once; every request's rows point at them.
    images = []
    for k in range(SCREENSHOTS):
        data = screenshot_png(rng, k)
        name = default_storage.save(f"snapshots/screenshots/bench/{k}.png", ContentFile(data))
        images.append((name, hashlib.sha256(data).hexdigest(), len(data)))
    requests = SnapshotRequest.objects.bulk_create(
        (
            SnapshotRequest(
                account=a,
                reason=SnapshotReason.YEARLY,
                requested_by=users[2 * i],
                queued_by=users[2 * i],
                status=SnapshotRequest.Status.QUEUED,
            )
            for i, a in enumerate(accounts)
        ),
        batch_size=BATCH,
    )
    SnapshotScreenshot.objects.bulk_create(
        (
            SnapshotScreenshot(
                request=r,
                image=name,
                content_type="image/png",
                sha256=digest,
                caption=f"Skärmdump {k + 1}",
                captured_on=today - datetime.timedelta(days=k),
                uploaded_by=users[2 * i],
            )
            for i, r in enumerate(requests)
            for k, (name, digest, _size) in enumerate(images)
        ),
        batch_size=BATCH,
    )
    return {
        "jobs": [(r.pk, users[2 * i].pk) for i, r in enumerate(requests)],
        "png_sizes": [size for _n, _d, size in images],
    }
