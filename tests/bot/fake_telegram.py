"""A fake Telegram Bot API server over real local HTTP, for end-to-end tests of the bot.

The real python-telegram-bot ``Application`` talks to it through ``base_url`` and
``base_file_url`` exactly as it would to api.telegram.org: POSTs to
``/bot<token>/<method>`` with form-encoded (JSON-valued) or multipart bodies,
long-polled ``getUpdates`` with offsets, and file downloads from
``/file/bot<token>/<path>``. Shapes follow the Bot API reference
(https://core.telegram.org/bots/api): ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": ..., "description": ...}``.

Tests act as Telegram users (``push_text``, ``push_command``, ``push_document``,
``push_callback``) and read what the bot sent (``wait_for_messages``). Failures and
delays can be injected per method (``fail_next``, ``delay``) to exercise the bot's
error handling and its concurrency without touching its code.

It is built on the standard library's ``ThreadingHTTPServer`` (no aiohttp here),
so each request, including a long poll, has its own thread.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_policy
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final
from urllib.parse import parse_qs, unquote, urlparse

TOKEN: Final = "123456:TEST-token-for-the-fake-server"
BOT_USER: Final = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Foulée",
    "username": "foulee_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
#: The Bot API's limit on a long poll, in seconds.
MAX_POLL_TIMEOUT_S: Final = 50.0


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user writing to the bot from their private chat (chat id = user id)."""

    id: int
    first_name: str = "Runner"
    language_code: str = "fr"
    username: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.username:
            data["username"] = self.username
        return data

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class SentMessage:
    """Something the bot sent (a message, a photo, a document) or edited, as the server stored it."""

    method: str
    chat_id: int
    message_id: int
    text: str = ""
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    file_bytes: bytes | None = None
    file_name: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    #: When the server received it (``time.monotonic()``), to tell which of two chats was answered first.
    at: float = field(default_factory=time.monotonic)

    def buttons(self) -> list[tuple[str, str]]:
        """The inline keyboard's (label, callback data) pairs, row after row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(button["text"], button.get("callback_data", "")) for row in rows for button in row]

    def as_message(self) -> dict[str, Any]:
        """The Message object Telegram would attach to a callback query on this message."""
        return self.raw


class BotApiError(Exception):
    def __init__(self, status: HTTPStatus, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class FakeTelegram:
    """The server's state and the helpers tests use; ``start()`` serves it on a free port."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self.sent: list[SentMessage] = []
        self._read_cursor: dict[int, int] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.markup_edits: list[dict[str, Any]] = []
        self.chat_actions: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.commands: list[dict[str, Any]] = []
        self.webhooks: list[dict[str, Any]] = []
        self._failures: dict[str, int] = {}
        self._delays: dict[str, float] = {}
        self._server: ThreadingHTTPServer | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def root(self) -> str:
        assert self._server is not None, "start() the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        """What the bot passes to PTB's ``base_url`` (the token is appended to it)."""
        return f"{self.root}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root}/file/bot"

    # -- fault injection ---------------------------------------------------------------------

    def fail_next(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with a 500, as Telegram does when it hiccups."""
        with self._lock:
            self._failures[method] = self._failures.get(method, 0) + times

    def delay(self, method: str, seconds: float) -> None:
        """Make every call of ``method`` take ``seconds`` before answering."""
        with self._lock:
            self._delays[method] = seconds

    # -- acting as users ---------------------------------------------------------------------

    def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            update = {"update_id": next(self._update_ids), **payload}
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def _user_message(self, user: FakeUser, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": user.chat(),
            "from": user.as_json(),
            **content,
        }

    def push_text(self, user: FakeUser, text: str) -> dict[str, Any]:
        return self._push({"message": self._user_message(user, text=text)})

    def push_group_text(self, user: FakeUser, group_id: int, text: str) -> dict[str, Any]:
        """``user`` writes ``text`` in a group chat (negative id, as Telegram's groups have)."""
        chat = {"id": group_id, "type": "group", "title": "Running club"}
        return self._push({"message": {**self._user_message(user, text=text), "chat": chat}})

    def command_update(self, user: FakeUser, command: str) -> dict[str, Any]:
        """An update carrying ``command`` with the ``bot_command`` entity Telegram adds, not queued."""
        if not command.startswith("/"):
            command = "/" + command
        length = len(command.split(maxsplit=1)[0])
        entity = {"type": "bot_command", "offset": 0, "length": length}
        with self._lock:
            update_id = next(self._update_ids)
        return {"update_id": update_id, "message": self._user_message(user, text=command, entities=[entity])}

    def push_command(self, user: FakeUser, command: str) -> dict[str, Any]:
        update = self.command_update(user, command)
        with self._lock:
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def push_document(
        self, user: FakeUser, data: bytes, file_name: str, mime_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        file_id = f"file-{next(self._file_ids)}"
        with self._lock:
            self.files[file_id] = (f"documents/{file_id}_{file_name}", data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self._push({"message": self._user_message(user, document=document)})

    def push_callback(self, user: FakeUser, message: SentMessage, data: str) -> dict[str, Any]:
        """The user presses the inline button carrying ``data`` under one of the bot's messages."""
        query = {
            "id": f"cb-{next(self._callback_ids)}",
            "from": user.as_json(),
            "chat_instance": f"ci-{user.id}",
            "message": message.as_message(),
            "data": data,
        }
        return self._push({"callback_query": query})

    # -- reading what the bot did ------------------------------------------------------------

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 10.0) -> list[SentMessage]:
        """The next ``count`` messages the bot sent to ``chat_id`` that no earlier call returned."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                start = self._read_cursor.get(chat_id, 0)
                mine = [message for message in self.sent if message.chat_id == chat_id]
                fresh = mine[start:]
                if len(fresh) >= count:
                    self._read_cursor[chat_id] = start + count
                    return fresh[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    texts = [message.text for message in fresh]
                    raise TimeoutError(
                        f"chat {chat_id}: {len(fresh)} of {count} messages in {timeout} s: {texts}"
                    )
                self._lock.wait(remaining)

    def wait_for_message(self, chat_id: int, timeout: float = 10.0) -> SentMessage:
        return self.wait_for_messages(chat_id, 1, timeout)[0]

    def no_more_messages(self, chat_id: int, within: float = 0.5) -> bool:
        """True when the bot sends nothing more to ``chat_id`` for ``within`` seconds."""
        try:
            self.wait_for_messages(chat_id, 1, within)
        except TimeoutError:
            return True
        return False

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    def photos(self, chat_id: int) -> list[bytes]:
        with self._lock:
            return [
                message.file_bytes
                for message in self.sent
                if message.chat_id == chat_id and message.method == "sendPhoto" and message.file_bytes
            ]

    # -- the Bot API -------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        with self._lock:
            self.calls.append(method)
            failures = self._failures.get(method, 0)
            if failures:
                self._failures[method] = failures - 1
            delay = self._delays.get(method, 0.0)
        if delay:
            time.sleep(delay)
        if failures:
            raise BotApiError(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal Server Error: injected failure")
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise BotApiError(HTTPStatus.NOT_FOUND, "Not Found: method not found")
        return handler(params, files)

    def _api_getMe(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return BOT_USER

    def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _api_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        with self._lock:
            self.webhooks.append(params)
        return True

    def deliver(self, update: dict[str, Any]) -> int:
        """POST ``update`` to the webhook last set, signed with its secret, as Telegram does.

        Returns the HTTP status the bot's server answered.
        """
        import urllib.request

        with self._lock:
            registered = self.webhooks[-1]
        request = urllib.request.Request(
            registered["url"],
            data=json.dumps(update).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": registered.get("secret_token", ""),
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)

    def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        with self._lock:
            self.commands.append(params)
        return True

    def _api_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        timeout = min(float(params.get("timeout", 0) or 0), MAX_POLL_TIMEOUT_S)
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                # An offset confirms every update before it: Telegram forgets them.
                self._updates = [update for update in self._updates if update["update_id"] >= offset]
                if self._updates:
                    return self._updates[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping:
                    return []
                self._lock.wait(min(remaining, 0.5))

    def _bot_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            **content,
        }

    def _record(self, sent: SentMessage) -> None:
        with self._lock:
            self.sent.append(sent)
            self._lock.notify_all()

    @staticmethod
    def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        return json.loads(markup) if isinstance(markup, str) else markup

    def _api_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        if not text.strip():
            raise BotApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message text is empty")
        if len(text) > 4096 * 2:  # escaped HTML may exceed the visible 4096; far beyond is an error
            raise BotApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message is too long")
        markup = self._markup(params)
        content: dict[str, Any] = {"text": text}
        if markup:
            content["reply_markup"] = markup
        message = self._bot_message(chat_id, **content)
        self._record(
            SentMessage(
                "sendMessage",
                chat_id,
                message["message_id"],
                text=text,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                raw=message,
            )
        )
        return message

    def _upload(self, method: str, field_name: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        if field_name not in files:
            raise BotApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: there is no {field_name} in the request")
        file_name, data = files[field_name]
        caption = str(params.get("caption", ""))
        markup = self._markup(params)
        file_id = f"sent-{next(self._file_ids)}"
        if field_name == "photo":
            attachment: Any = [{"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 400}]
        else:
            attachment = {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name}
        message = self._bot_message(chat_id, **{field_name: attachment}, caption=caption)
        self._record(
            SentMessage(
                method,
                chat_id,
                message["message_id"],
                text=caption,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                file_bytes=data,
                file_name=file_name,
                raw=message,
            )
        )
        return message

    def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._upload("sendPhoto", "photo", params, files)

    def _api_sendDocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._upload("sendDocument", "document", params, files)

    def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        with self._lock:
            self.chat_actions.append(params)
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        with self._lock:
            self.callback_answers.append(params)
        return True

    def _api_editMessageText(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        message_id = int(params["message_id"])
        text = str(params.get("text", ""))
        markup = self._markup(params)
        content: dict[str, Any] = {"text": text, "edit_date": int(time.time())}
        if markup:
            content["reply_markup"] = markup
        message = {**self._bot_message(chat_id, **content), "message_id": message_id}
        self._record(
            SentMessage(
                "editMessageText",
                chat_id,
                message_id,
                text=text,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                raw=message,
            )
        )
        return message

    def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        with self._lock:
            self.markup_edits.append(params)
        chat_id = int(params["chat_id"])
        message = self._bot_message(chat_id, text="")
        return {**message, "message_id": int(params["message_id"])}

    def _api_getFile(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        with self._lock:
            stored = self.files.get(file_id)
        if stored is None:
            raise BotApiError(HTTPStatus.BAD_REQUEST, "Bad Request: invalid file_id")
        path, data = stored
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": path,
        }

    def download(self, path: str) -> bytes | None:
        with self._lock:
            for stored_path, data in self.files.values():
                if stored_path == path:
                    return data
        return None


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Form fields (each JSON-decoded when it is JSON, as PTB encodes them) and uploaded files."""
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=default_policy).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if filename is not None:
                files[str(name)] = (filename, payload)
            else:
                params[str(name)] = _json_or_text(payload.decode("utf-8"))
    elif content_type.startswith("application/json"):
        params = json.loads(body or b"{}")
    elif body:
        for name, values in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
            params[name] = _json_or_text(values[-1])
    return params, files


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _handler_for(server: FakeTelegram) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _reply(self, status: HTTPStatus, body: bytes, content_type: str = "application/json") -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                # The bot stopped while its long poll was open, as a client may: nothing to answer.
                self.close_connection = True

        def _error(self, status: HTTPStatus, description: str) -> None:
            body = {"ok": False, "error_code": int(status), "description": description}
            self._reply(status, json.dumps(body).encode())

        def _route(self) -> None:
            path = unquote(urlparse(self.path).path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            file_prefix = f"/file/bot{server.token}/"
            if path.startswith("/file/bot"):
                if not path.startswith(file_prefix):
                    self._error(HTTPStatus.UNAUTHORIZED, "Unauthorized")
                    return
                data = server.download(path[len(file_prefix) :])
                if data is None:
                    self._error(HTTPStatus.NOT_FOUND, "Not Found: file not found")
                else:
                    self._reply(HTTPStatus.OK, data, "application/octet-stream")
                return
            prefix = f"/bot{server.token}/"
            if not path.startswith(prefix):
                self._error(HTTPStatus.UNAUTHORIZED, "Unauthorized")
                return
            method = path[len(prefix) :]
            params, files = _parse_body(self.headers.get("Content-Type", ""), body)
            query = parse_qs(urlparse(self.path).query)
            params.update({name: _json_or_text(values[-1]) for name, values in query.items()})
            try:
                result = server.call(method, params, files)
            except BotApiError as error:
                self._error(error.status, error.description)
                return
            self._reply(HTTPStatus.OK, json.dumps({"ok": True, "result": result}).encode())

        def do_POST(self) -> None:
            self._route()

        def do_GET(self) -> None:
            self._route()

    return Handler
