"""The chat with the coach: the same agent as the bot and the API, on the ``web`` channel.

The conversation lives in the athlete's ``CoachingSession`` for the web
channel (``agent.coach.Coach`` stores both messages), so the page only shows
it. The charts of a reply are not stored with it: the latest reply's pictures
are kept in the viewer's session until the next message, so the page can be
reloaded (post/redirect/get) and still show them.
"""

from __future__ import annotations

import base64
from typing import Any, Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from agent.charts import Attachment
from agent.coach import Coach
from web.accounts.models import User
from web.coaching.models import Channel, CoachingSession, Message, MessageRole
from web.site.forms import ChatForm
from web.site.views.common import athlete_for, athlete_page, site_page, viewer

#: The messages shown, newest last; older ones stay in the admin and the export.
HISTORY_MESSAGES: Final = 50
#: Where the latest reply's pictures wait for the page that follows the POST.
PICTURES_KEY: Final = "site_chat_pictures"

#: One coach for the process: it loads its engine (and the embedding model) once, on first use.
COACH: Final = Coach()


def conversation(athlete: User) -> list[Message]:
    """The latest web conversation of ``athlete``, at most ``HISTORY_MESSAGES``, oldest first."""
    session = (
        CoachingSession.objects.filter(athlete=athlete, channel=Channel.WEB).order_by("-started_at").first()
    )
    if session is None:
        return []
    latest = Message.objects.filter(session=session).order_by("-created_at", "-id")[:HISTORY_MESSAGES]
    return list(reversed(latest))


def data_uri(picture: Attachment) -> str:
    """The picture inside the page: nothing to store, nothing to serve, gone with the next message."""
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"


def _chat_url(athlete: User, own: bool) -> str:
    return reverse("site:chat") if own else reverse("site:athlete_chat", args=[athlete.pk])


@site_page
@athlete_page
def chat(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    """Show the conversation; a POST asks the coach (who may take seconds the first time) and redirects."""
    athlete = athlete_for(request, athlete_id, "chat")
    me = viewer(request)
    own = athlete.pk == me.pk
    form = ChatForm(request.POST or None)
    # An invalid message is named by the field's own error (ChatForm), once: no banner besides it.
    if request.method == "POST" and form.is_valid():
        reply = COACH.reply(me, form.cleaned_data["message"], Channel.WEB, athlete=None if own else athlete)
        answer = (
            Message.objects.filter(
                session__athlete=athlete, session__channel=Channel.WEB, role=MessageRole.ASSISTANT
            )
            .order_by("-created_at", "-id")
            .first()
        )
        pictures = [{"title": picture.title, "src": data_uri(picture)} for picture in reply.attachments]
        request.session[PICTURES_KEY] = {"message": answer.pk if answer else None, "pictures": pictures}
        return redirect(f"{_chat_url(athlete, own)}#latest")
    history = conversation(athlete)
    stored: dict[str, Any] = request.session.get(PICTURES_KEY) or {}
    rows = [
        {
            "message": message,
            "pictures": stored.get("pictures", []) if message.pk == stored.get("message") else [],
        }
        for message in history
    ]
    context = {"athlete": athlete, "own": own, "form": form, "rows": rows}
    return render(request, "site/chat.html", context)
