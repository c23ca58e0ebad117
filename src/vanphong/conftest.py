"""Every test of the project uses the fixtures of `vanphong.testing.plugin`."""

pytest_plugins = ["vanphong.testing.plugin"]
