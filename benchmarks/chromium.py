"""How this project drives Debian's Chromium headless (browser tests, benchmark, screenshots).

Playwright's own browser download does not work on these machines; ``make test``
installs Debian's ``chromium`` package and everything launches that binary with
these switches.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
