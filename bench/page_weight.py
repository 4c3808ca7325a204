"""The weight real news pages carry around an article: scripts, styles, menus, widgets.

The syndication templates (bench/syndication_sites.py) are lean, 7 KB a page, so
``trafilatura.extract`` needs ~2 ms for one. Pages saved from news sites and blogs weigh
40–150 KB of HTML: analytics and ad-tag scripts, inline CSS, a mega menu, sidebar widgets
(archives, tag cloud, blogroll, recent comments, teasers), a footer site map. ``weigh``
adds that chrome to a rendered page, deterministically per site, in the elements a
boilerplate remover is expected to drop (script, style, nav, aside, footer), so the
article text and what dedup sees stay the same.
"""

from __future__ import annotations

import random
from functools import cache

_WORDS = (
    "city council budget school police harbour election market storm court housing water transit health energy "
    "farm museum festival river bridge airport union strike report review season county state nation world "
    "opinion letters weather traffic sports business science arts food"
)

_WORD_LIST = _WORDS.split()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORD_LIST) for _ in range(n))


def _script(rng: random.Random, kb: int) -> str:
    """An analytics/ad-tag bootstrap: a config object and a minified-looking function body."""
    parts = ["<script>window.__SITE_CONFIG__ = {"]
    while sum(map(len, parts)) < kb * 1024:
        key = "".join(rng.choice("abcdefghijklmnop") for _ in range(8))
        parts.append(f'"{key}":{{"slot":"/{rng.randrange(10**6)}/{key}","sizes":[[300,250],[728,90]],"lazy":true}},')
        parts.append(f"function {key}(e,t){{var n=e||{{}};return n.{key}?t(n):void 0}};")
    return "".join(parts) + "};</script>\n"


def _style(rng: random.Random, kb: int) -> str:
    rules = []
    while sum(map(len, rules)) < kb * 1024:
        name = "".join(rng.choice("abcdefghij") for _ in range(6))
        rules.append(f".{name}{{margin:0 {rng.randrange(40)}px;color:#{rng.randrange(16**6):06x};display:flex}}")
    return "<style>" + "".join(rules) + "</style>\n"


def _menu(rng: random.Random, domain: str, sections: int) -> str:
    columns = []
    for _ in range(sections):
        title = _words(rng, 1).title()
        items = "".join(
            f'<li><a href="https://{domain}/{title.lower()}/{w.replace(" ", "-")}/">{w.title()}</a></li>'
            for w in (_words(rng, 2) for _ in range(12))
        )
        columns.append(f'<div class="menu-col"><h4>{title}</h4><ul>{items}</ul></div>')
    return '<nav class="mega-menu">' + "".join(columns) + "</nav>\n"


def _widgets(rng: random.Random, domain: str, count: int) -> str:
    widgets = []
    for n in range(count):
        kind = n % 4
        if kind == 0:  # archives
            items = "".join(
                f'<li><a href="https://{domain}/{y}/{m:02d}/">{m:02d}/{y}</a> ({rng.randrange(20, 90)})</li>'
                for y in range(2024, 2018, -1)
                for m in range(12, 0, -1)
            )
            widgets.append(f'<aside class="widget widget-archive"><h3>Archives</h3><ul>{items}</ul></aside>')
        elif kind == 1:  # tag cloud
            tags = " ".join(
                f'<a class="tag-{rng.randrange(1, 6)}" href="https://{domain}/tag/{w}/">{w}</a>'
                for w in (_words(rng, 1) for _ in range(60))
            )
            widgets.append(f'<aside class="widget widget-tags"><h3>Tags</h3><div class="cloud">{tags}</div></aside>')
        elif kind == 2:  # teasers of other stories
            items = "".join(
                f'<li><a href="https://{domain}/story/{rng.randrange(10**6)}/">'
                f'<img src="/img/{rng.randrange(10**5)}.jpg" alt=""><span>{_words(rng, 7).capitalize()}</span></a>'
                f"<p>{_words(rng, 14).capitalize()}.</p></li>"
                for _ in range(10)
            )
            widgets.append(f'<aside class="widget widget-teasers"><h3>More stories</h3><ul>{items}</ul></aside>')
        else:  # blogroll / recent comments
            items = "".join(
                f'<li><a href="https://{_words(rng, 1)}{rng.randrange(100)}.example/">{_words(rng, 3).title()}</a></li>'
                for _ in range(30)
            )
            widgets.append(f'<aside class="widget widget-links"><h3>Elsewhere</h3><ul>{items}</ul></aside>')
    return "\n".join(widgets) + "\n"


def _sitemap(rng: random.Random, domain: str) -> str:
    pairs = (_words(rng, 2) for _ in range(80))
    links = " ".join(f'<a href="https://{domain}/{w.replace(" ", "/")}/">{w.title()}</a>' for w in pairs)
    return f'<footer class="site-map"><nav>{links}</nav><p>{_words(rng, 30).capitalize()}.</p></footer>\n'


@cache
def site_chrome(domain: str) -> tuple[str, str, str]:
    """(head, top of body, end of body) for one site: 40–150 KB, the same on all its pages."""
    rng = random.Random(domain)
    scripts = rng.randrange(15, 60)  # KB
    head = _style(rng, rng.randrange(4, 16)) + _script(rng, scripts // 2)
    top = _menu(rng, domain, rng.randrange(6, 14))
    bottom = _widgets(rng, domain, rng.randrange(3, 9)) + _sitemap(rng, domain) + _script(rng, scripts - scripts // 2)
    return head, top, bottom


def weigh(html: str, domain: str) -> str:
    """``html`` with its site's chrome added: in <head>, after <body…>, before </body>."""
    head, top, bottom = site_chrome(domain)
    html = html.replace("</head>", head + "</head>", 1)
    start = html.find("<body")
    if start >= 0 and (end := html.find(">", start)) >= 0:
        html = html[: end + 1] + "\n" + top + html[end + 1 :]
    at = html.rfind("</body>")
    return html[:at] + bottom + html[at:] if at >= 0 else html
