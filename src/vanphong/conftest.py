"""Every test of the project uses the fixtures and hooks of `vanphong.testing.plugin`."""

from vanphong.testing.plugin import *  # noqa: F403  (fixtures and hooks are found by name)
