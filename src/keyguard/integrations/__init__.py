"""Integrations with other tools; each module imports its tool and is loaded only by it."""
