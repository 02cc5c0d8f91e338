"""The coach agent: tools over analytics and knowledge. Not built yet (see the agent issue)."""
