"""Keep the analytics store in step with the system of record.

Deletions leave a tombstone for the sync to apply, and take the activity's
original file with them; any change to an activity or a profile asks for a
sync once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from web.accounts.models import AthleteProfile, User
from web.activities.models import Activity, DeletedRecord


def _sync_after_commit() -> None:
    if settings.FOULEE_SYNC_ON_COMMIT:
        from analytics.sync import request_sync

        request_sync()


@receiver(post_save, sender=Activity)
@receiver(post_save, sender=AthleteProfile)
def changed(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _sync_after_commit()


@receiver(post_delete, sender=Activity)
def activity_deleted(sender: type[Activity], instance: Activity, **kwargs: Any) -> None:
    DeletedRecord.objects.create(kind=DeletedRecord.Kind.ACTIVITY, object_id=instance.pk)
    if instance.original_file:
        # The athlete's original goes with the activity, once the deletion is committed
        # (a rolled-back deletion must still find its file); the legs of a multisport file
        # share it, so it goes with the last of them.
        storage, name = instance.original_file.storage, instance.original_file.name
        if not Activity.objects.filter(original_file=name).exists():
            transaction.on_commit(lambda: storage.delete(name), robust=True)
    _sync_after_commit()


@receiver(post_delete, sender=User)
def athlete_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    DeletedRecord.objects.create(kind=DeletedRecord.Kind.ATHLETE, object_id=instance.pk)
    _sync_after_commit()
