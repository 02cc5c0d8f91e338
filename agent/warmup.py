"""Load what the coach needs before its first message, in every process that serves it.

The offline router (its embedding model and weights) and the knowledge base's index are
loaded on first use and shared by the process. Without this, the first athlete to write pays
for them inside their request. ``foulee run`` calls :func:`warm_up` before it says where it
serves, the ASGI entry point (``web.asgi``) as it is imported by any other server, and the bot
as it starts polling. A second call in the same process costs nothing.
"""

from __future__ import annotations

import time


def warm_up() -> float:
    """Load the router (offline coach only), the language model and the knowledge base; the seconds taken."""
    from agent.coach import offline_configured
    from foulee.language import detect_language
    from knowledge.retrieval import get_knowledge_base

    started = time.perf_counter()
    detect_language("bonjour")  # counts its letter model from the knowledge base's documents
    if offline_configured():
        from agent.router import get_router

        # The first embedding also loads the model's weights: do it here, not in a reply.
        get_router().classify("bonjour")
    get_knowledge_base()
    return time.perf_counter() - started
