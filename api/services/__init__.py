"""Account services the API needs and no other package offers yet (see the report of the API issue)."""
