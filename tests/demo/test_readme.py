"""The README's table of demo accounts says who each account is and where it works, and
stays true to what ``xxgk demo`` builds."""

import re
from pathlib import Path

from xxgk.demo.build import DEMO_PASSWORD, all_agency_rows, demo_accounts

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_names_every_demo_accounts_agency():
    text = README.read_text(encoding="utf-8")
    names = {code: name for code, name, _en in all_agency_rows()}
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r"^\| `([\w-]+)` \| [^|]+ \| [^|]+ \| ([^|]+) \|$", text, re.M)}
    named = [a for a in demo_accounts() if not re.fullmatch(r"h\d+", a.username)]
    assert {a.username for a in named} == set(rows)
    for account in named:
        assert f"{names[account.agency_code]} ({account.agency_code})" in rows[account.username]
    assert f"`{DEMO_PASSWORD}`" in text
    handlers = [a for a in demo_accounts() if re.fullmatch(r"h\d+", a.username)]
    assert f"each of the {len(handlers)} departments and sub-district offices" in text


def test_the_first_screen_is_the_two_commands():
    first = README.read_text(encoding="utf-8").split("---", 1)[0]
    commands = re.findall(r"^make \w+", first, re.M)
    assert commands == ["make run", "make test"]
