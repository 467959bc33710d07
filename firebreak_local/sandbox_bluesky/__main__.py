"""``python -m firebreak_local.sandbox_bluesky [--port 8767] [--account HANDLE]``: run a
sandbox Bluesky in the foreground."""

from firebreak_local.sandbox_bluesky.server import main

if __name__ == "__main__":
    main()
