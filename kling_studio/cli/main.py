"""``kling-studio``: the desktop app with no arguments, and a headless CLI with sub-commands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

# Everything else is imported after the "no arguments = open the app" check: argparse and the
# command modules would delay the app's first frame by tens of milliseconds.


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="kling-studio",
        description=(
            "Author multi-shot Kling video storyboards, see their price and what the API would "
            "reject, and generate them (offline simulator by default). Run without a command "
            "to open the app."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from kling_studio.cli import core_cmds

    core_cmds.register(sub)
    try:
        from kling_studio.cli import jobs_cmds
    except ImportError:  # pragma: no cover - engine commands not installed
        pass
    else:
        jobs_cmds.register(sub)
    return parser


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    import argparse

    for action in parser._actions:  # argparse keeps sub-commands on a private attribute
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        # The app: decided before the parser, whose command modules import the whole domain.
        from kling_studio.app.main import run_app

        return run_app(smoke_test=None)
    from kling_studio.cli import common

    parser = build_parser()
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in _commands(parser):
        # `kling-studio Film.kstudio` (a file manager's "Open with"): open it in the app.
        target = Path(argv[0])
        if not target.exists():
            print(f"kling-studio: {target}: no such file or command", file=sys.stderr)
            return common.EXIT_USAGE
        return common.launch_app(target)
    args = parser.parse_args(argv)
    if args.command is None:
        return common.launch_app()
    try:
        return int(args.func(args))
    except common.CliError as exc:
        print(f"kling-studio: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("kling-studio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head` that stopped reading: not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
