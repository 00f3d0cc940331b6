"""The domain: models, rules and queries. Never imports textual."""
