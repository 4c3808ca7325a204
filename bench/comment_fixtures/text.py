"""Text: escaping, texturizing, paragraphs, avatars, post URLs."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime

from .bank import ARTICLES, RNG
from .model import Comment, Page, slug

# --- text --------------------------------------------------------------------


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


_WP_ENTITIES = {
    "’": "&#8217;",
    "‘": "&#8216;",
    "“": "&#8220;",
    "”": "&#8221;",
    "…": "&#8230;",
    "—": "&#8212;",
    "–": "&#8211;",
    "×": "&#215;",
}


def wp_esc(s: str) -> str:
    """Escape as WordPress prints texturized text: curly quotes as numeric entities."""
    s = esc(s)
    for ch, ent in _WP_ENTITIES.items():
        s = s.replace(ch, ent)
    return s


def texturize(s: str) -> str:
    """A small wptexturize: what WordPress does to comment text and author names."""
    s = s.replace("...", "…").replace(" -- ", " — ").replace(" - ", " – ")
    s = re.sub(r"(?<=\w)'(?=\w)", "’", s)
    s = re.sub(r"(^|(?<=[\s(\[]))'(?=\d\d?s\b)", "’", s)
    s = re.sub(r'(^|(?<=[\s(\[]))"', "“", s)
    s = s.replace('"', "”")
    s = re.sub(r"(^|(?<=[\s(\[]))'", "‘", s)
    return s.replace("'", "’")


def texturize_comment(c: Comment):
    c.author = texturize(c.author)
    new = []
    for b in c.blocks:
        if isinstance(b, str):
            new.append(texturize(b))
        else:
            new.append((b[0], [texturize(x) for x in b[1]]))
    c.blocks = new


def blocks_html(blocks, e=esc, br="<br />") -> str:
    """One <p> per paragraph; ("br", …) as one <p> with <br><br>; quotes as <blockquote>."""
    out = []
    for b in blocks:
        if isinstance(b, str):
            out.append(f"<p>{e(b)}</p>")
        elif b[0] == "br":
            out.append("<p>" + f"{br}\n{br}\n".join(e(x) for x in b[1]) + "</p>")
        else:
            out.append("<blockquote>" + "".join(f"<p>{e(x)}</p>" for x in b[1]) + "</blockquote>")
    return "\n".join(out)


def flat_lines(blocks) -> list[str]:
    return Comment("", blocks).lines()


def blocks_br(blocks, e=esc, br="<br>") -> str:
    """All paragraphs in one container separated by <br><br> (Minx, Blogger, forums)."""
    return f"{br}\n{br}\n".join(e(x) for x in flat_lines(blocks))


def gravatar(name: str, size: int, scheme="https://secure.gravatar.com") -> str:
    h = hashlib.md5(name.lower().encode()).hexdigest()
    return f"{scheme}/avatar/{h}?s={size}&#038;d=mm&#038;r=g"


def paras_html(paras, e=esc) -> str:
    return "\n".join(f"<p>{e(x)}</p>" for x in paras)


def other_titles(p: Page, n=5) -> list[str]:
    keys = sorted(k for k in ARTICLES if ARTICLES[k] is not p.art)
    return [ARTICLES[k]["title"] for k in RNG.sample(keys, n)]


def post_url(base: str, when: datetime, title: str, style="wp") -> str:
    s = slug(title)
    if style == "wp":
        return f"{base}{when.year}/{when.month:02d}/{s}/"
    if style == "wpday":
        return f"{base}{when.year}/{when.month:02d}/{when.day:02d}/{s}/"
    if style == "html":
        return f"{base}{when.year}/{when.month:02d}/{s[:40].rstrip('-')}.html"
    if style == "archive":
        return f"{base}archives/{RNG.randint(10000, 99999):06d}.html"
    return f"{base}{style}/{s}"
