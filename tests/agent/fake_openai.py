"""A fake OpenAI-compatible chat-completions server on loopback, for the real client to talk to.

Each request is answered by ``respond(request)`` when given, else by the next entry of
``FakeOpenAI.script`` (the last one repeats): a
``Reply`` (text, native tool calls, or an HTTP status), optionally after a delay. The requests
are kept in ``requests`` for the test to read. Used by tests/agent/test_llm.py and bench/llm_coach.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str | None = None
    #: Native tool calls: (name, arguments as a JSON string, so that invalid JSON can be sent).
    tool_calls: list[tuple[str, str]] = field(default_factory=list)
    status: int = 200
    delay_s: float = 0.0
    #: Built from the request instead (e.g. quoting a tool result): overrides ``text``.
    from_request: Callable[[dict[str, Any]], str] | None = None


class FakeOpenAI:
    """The server; ``url`` is its ``/v1`` base URL. Stop it with ``close()``."""

    def __init__(
        self, script: list[Reply] | None = None, respond: Callable[[dict[str, Any]], Reply] | None = None
    ) -> None:
        self.script: list[Reply] = list(script or [Reply("ok")])
        #: Answers every request instead of the script when set (bench/llm_coach.py).
        self.respond = respond
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake._lock:
                    fake.requests.append(body)
                    if fake.respond is not None:
                        reply = fake.respond(body)
                    else:
                        reply = fake.script.pop(0) if len(fake.script) > 1 else fake.script[0]
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.status != 200:
                    self._send(reply.status, {"error": {"message": "fake failure", "type": "server_error"}})
                    return
                message: dict[str, Any] = {"role": "assistant", "content": reply.text}
                if reply.from_request is not None:
                    message["content"] = reply.from_request(body)
                if reply.tool_calls:
                    message["tool_calls"] = [
                        {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": args}}
                        for n, (name, args) in enumerate(reply.tool_calls)
                    ]
                self._send(
                    200,
                    {
                        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )  # fmt: skip

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a slow reply past its deadline)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def last_tool_result(body: dict[str, Any]) -> dict[str, Any]:
    """The last tool message of a request, as JSON."""
    tools = [message for message in body["messages"] if message["role"] == "tool"]
    return dict(json.loads(tools[-1]["content"]))
