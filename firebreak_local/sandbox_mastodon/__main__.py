"""``python -m firebreak_local.sandbox_mastodon [--port 8766]``: run a sandbox Mastodon."""

from firebreak_local.sandbox_mastodon.server import main

if __name__ == "__main__":
    main()
