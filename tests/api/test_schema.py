"""Schemathesis against the live server's OpenAPI document: no 500s, every response as documented.

Each operation runs a few dozen generated requests (valid and invalid ones)
with a coach's token that may read one athlete, so both the scoped and the
refused paths are exercised. Examples are kept few so the suite stays fast;
``SCHEMATHESIS_EXAMPLES`` raises the count for a longer fuzzing run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.main import create_app
from api.ratelimit import RateLimits

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


# The document is the app's own (the one /openapi.json serves); the requests go over the socket.
# (schemathesis.pytest.from_fixture, which would fetch it from the live server, does not run under
# pytest 9: it reads a node attribute pytest removed.)
#: Operations whose valid-by-schema input can still break a rule of the model the schema cannot say
#: (resting HR below maximum HR, a time zone that exists, the right email to confirm a deletion, a
#: speed implied by distance over time): there, a 400 or 422 that names the field is the right answer.
MODEL_RULES = {
    "/v1/me/profile": ["2xx", "401", "404", "422", "429"],
    "/v1/me": ["2xx", "400", "401", "404", "429"],
    "/v1/activities": ["2xx", "401", "404", "422", "429"],
    # A plan needs a race 3 to 30 weeks ahead, and a session's activity must be the athlete's own.
    "/v1/plans": ["2xx", "401", "404", "422", "429"],
    "/v1/plans/{plan_id}/sessions/{session_id}/done": ["2xx", "401", "404", "422", "429"],
}
config = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": EXAMPLES},
        "operations": [
            *(
                {
                    "include-path": path,
                    "checks": {"positive_data_acceptance": {"expected-statuses": statuses}},
                }
                for path, statuses in MODEL_RULES.items()
            ),
            # Each search embeds its query with the real model, each message runs the coach: the
            # random phase alone covers them, without the coverage phase's hundred boundary cases.
            {
                "include-path": "/v1/knowledge/search",
                "phases": {"coverage": {"enabled": False}},
                "generation": {"max-examples": 8},
            },
            {
                "include-path": "/v1/coach/messages",
                "phases": {"coverage": {"enabled": False}},
                "generation": {"max-examples": 8},
                # A message of control characters is refused with a 422 naming body.text (the text
                # rule of foulee/limits.py, said in words a JSON Schema pattern could not give).
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "404", "422", "429"]}
                },
            },
            # A multipart "file" is bytes whatever they are: a part schemathesis calls a boolean
            # ("false") is a file with those five bytes, which the import refuses in its result.
            {
                "include-path": "/v1/activities/upload",
                "checks": {"negative_data_rejection": {"enabled": False}},
            },
        ],
    }
)
schema = schemathesis.openapi.from_dict(create_app(rate_limits=RateLimits.off()).openapi(), config=config)


@pytest.fixture
def coach_token(live, token_for, coach, athlete, make_activity):
    make_activity(athlete)
    return token_for(coach)


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_its_schema(case, api_url, coach_token) -> None:
    # The first coach message loads its intent router: longer than the default 10 s timeout.
    case.call_and_validate(base_url=api_url, headers={"Authorization": f"Bearer {coach_token}"}, timeout=120)
