"""The public pages: Chinese by default, English on request, accessible structure."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_chinese_by_default(world, client):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert "北京市西城区人民政府 · 政府信息公开" in html
    assert 'href="#main"' in html  # skip link


def test_english_is_one_post_away(world, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/guide/"},
                           follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Xicheng District Education Commission" in html
    assert "Disclosure guide" in html


def test_the_guide_lists_every_agency_by_kind(world, client):
    html = client.get(reverse("portal:guide")).content.decode()
    for name in ("北京市西城区教育委员会", "北京市西城区财政局", "北京市西城区什刹海街道办事处"):
        assert name in html
    assert html.index("政府部门</h3>") < html.index("街道办事处</h3>")


def test_the_guide_cites_the_regulation_in_the_page_language(world, client):
    assert "第二十条" in client.get(reverse("portal:guide")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("portal:guide")).content.decode()
    assert "Art. 20" in english and "第二十条" not in english


def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_annual_reports_are_linked_from_the_home_page_and_the_navigation(world, client):
    reports = reverse("annual_reports:list")
    html = client.get(reverse("portal:home")).content.decode()
    main = html[html.index('<main'):]
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    assert f'href="{reports}"' in nav
    assert f'href="{reports}"' in main
    guide = client.get(reverse("portal:guide")).content.decode()
    assert f'href="{reports}"' in guide[guide.index('<nav class="site-nav"'):]
