"""The ``ai-identity`` command: thin layers over the library, one module per command group.

Exit status for every command that processes a platform: 0 when every user was processed, 3 when a user or
a whole source was skipped, 2 for a usage error, 1 for any other failure.
"""

from __future__ import annotations

import sys

import typer

from ai_identity.errors import AIIdentityError

app = typer.Typer(
    name="ai-identity",
    help="Build explainable, consent-respecting AI identities from a talent platform's data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Build explainable, consent-respecting AI identities from a talent platform's data."""


@app.command()
def version() -> None:
    """Print the version."""
    from ai_identity import __version__

    typer.echo(__version__)


def _register() -> None:
    # Each command group lives in its own module and registers itself on ``app``.
    from ai_identity.cli import (
        audit,  # noqa: F401
        consent,  # noqa: F401
        demo,  # noqa: F401
        evaluate,  # noqa: F401
        identity,  # noqa: F401
        keys,  # noqa: F401
        load,  # noqa: F401
        parser,  # noqa: F401
        pii,  # noqa: F401
        platform,  # noqa: F401
        quality,  # noqa: F401
        rights,  # noqa: F401
        serve,  # noqa: F401
        stats,  # noqa: F401
        tokens,  # noqa: F401
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, mapping library errors to their exit codes without a traceback."""
    _register()
    try:
        # without standalone mode, click returns a command's ``typer.Exit(code)`` instead of raising it
        result = app(args=argv, standalone_mode=False)
    except AIIdentityError as exc:
        typer.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except Exception as exc:
        # Typer's (vendored) click raises its usage errors with ``show()`` and their own exit code.
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            return int(exc.exit_code)  # type: ignore[attr-defined]
        raise
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
