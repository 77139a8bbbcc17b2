"""``xxgk serve``: serve the site with gunicorn (or Django's autoreloading server)."""

from __future__ import annotations

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the site on http://127.0.0.1:8000 with gunicorn; --dev for autoreload."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--dev", action="store_true", help="Django's autoreloading server")

    def handle(self, *args, bind: str, workers: int, dev: bool, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if dev:
            call_command("runserver", bind)
            return
        from gunicorn.app.wsgiapp import WSGIApplication

        # gunicorn reads its options from sys.argv; give it exactly ours.
        sys.argv = ["gunicorn", "xxgk.wsgi:application", "--bind", bind,
                    "--workers", str(workers), "--access-logfile", "-"]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
