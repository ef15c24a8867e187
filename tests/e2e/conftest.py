"""The headless Chromium of test_browser.py, shared by the other browser tests."""

from test_browser import driver  # noqa: F401 - a fixture
