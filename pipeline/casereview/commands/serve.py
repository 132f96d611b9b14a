"""`casereview serve`: run the QA web app."""

from __future__ import annotations

from typing import Any

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        db: str | None = typer.Option(None, "--db", help="Database URL (default: $CASEREVIEW_DB or "
                                         "sqlite:///casereview.db)."),
    ) -> None:
        """Serve the QA web app (queue, verification, audit trail, agreement)."""
        import uvicorn

        from casereview.commands import config, die
        from casereview.store import resolve_db_url
        from casereview.taxonomy import TaxonomyError
        from casereview.web import create_app

        settings = config(ctx)
        try:
            web_app = create_app(resolve_db_url(db), config=settings)
        except TaxonomyError as exc:
            die(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bad URL or unreachable database: name the problem, not a traceback
            die(f"cannot open the database: {exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}")
        typer.echo(f"casereview QA on http://{host}:{port}/ (Ctrl-C to stop)")
        uvicorn.run(web_app, host=host, port=port, log_level="info", **proxy_options(settings.web.trusted_proxies))


def proxy_options(trusted_proxies: list[str]) -> dict[str, Any]:
    """uvicorn believes X-Forwarded-For/-Proto only from the proxies params.yaml names (web.trusted_proxies);
    with none, from nobody, not even loopback."""
    if not trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(trusted_proxies)}
