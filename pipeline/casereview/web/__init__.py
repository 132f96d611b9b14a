"""The QA web app. `create_app(db_url)` returns the FastAPI application; `casereview serve` runs it."""

from casereview.web.app import create_app

__all__ = ["create_app"]
