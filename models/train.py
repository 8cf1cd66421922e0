"""Train the stance model: the same code path as `replydesk train` (run from the repo root)."""

from replydesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["train", *__import__("sys").argv[1:]]))
