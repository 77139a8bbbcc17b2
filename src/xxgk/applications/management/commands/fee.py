"""``xxgk fee``: what the processing-fee measures charge for one application.

For the OGI office drafting a fee notice, and for anyone checking one: it prints the amount
with the basis, standard and calculation the notice must state (``--json`` for machines).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.applications.fees import FeeQuote, quote_by_application, quote_by_volume


class Command(BaseCommand):
    # Pure arithmetic: the system checks (which import every view through
    # the URLconf, and the font checks) would triple the time of a one-line answer.
    requires_system_checks: list[str] = []
    help = (
        "The information-processing fee of 国办函〔2020〕109号 for one application: "
        "--nth K (by application: the applicant's K-th application this calendar month) "
        "or --pages N (by volume: an application of N A4 pages)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        method = parser.add_mutually_exclusive_group(required=True)
        method.add_argument(
            "--nth", metavar="K",
            help="按件计收: the applicant's K-th application in the calendar month (K ≥ 1)",
        )
        method.add_argument(
            "--pages", metavar="N",
            help="按量计收: the number of A4 pages of the one application (N ≥ 0)",
        )
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print a JSON object: yuan, method, basis, breakdown, …")

    def handle(
        self, *args, nth: str | int | None, pages: str | int | None, as_json: bool, **options
    ) -> None:
        # argparse lets exactly one of --nth and --pages through. Their values are parsed
        # here rather than by argparse so that a bad one ends in one line, not a usage
        # screen; the fee functions reject what the measures do not cover (a 0th
        # application, a negative page count).
        try:
            if nth is not None:
                quote = quote_by_application(_whole("nth", nth))
            else:
                quote = quote_by_volume(_whole("pages", pages))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_as_json(quote) if as_json else _as_text(quote))


def _whole(name: str, value: str | int | None) -> int:
    """The option's value as an int: text from the command line, an int from call_command."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return value


def _as_json(quote: FeeQuote) -> str:
    return json.dumps(quote.as_json_object(), ensure_ascii=False, indent=2)


def _as_text(quote: FeeQuote) -> str:
    return "\n".join([
        f"{quote.method.label_zh}：{quote.amount}元",
        f"计算：{quote.calculation}",
        f"依据：{quote.basis}",
        f"标准：{quote.standard}",
    ])
