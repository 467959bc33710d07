"""``python -m firebreak_local.sandbox_x [--port 8765]``: run a sandbox X in the foreground."""

from firebreak_local.sandbox_x.server import main

if __name__ == "__main__":
    main()
