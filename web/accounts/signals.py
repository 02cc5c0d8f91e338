"""Every user gets a profile, however the user was created (CLI, admin, sign-up, bot)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from web.accounts.models import AthleteProfile, User


@receiver(post_save, sender=User)
def ensure_profile(
    sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        AthleteProfile.objects.get_or_create(user=instance)
