# ruff: noqa: E501  (HTML templates: long lines)
"""Site chrome: news CMS, old hand-rolled blog and forum pages."""

from __future__ import annotations

from .bank import RNG
from .chrome_wp import ga
from .dates import fmt, iso
from .model import Page, slug
from .text import attr, esc, other_titles, paras_html


def news_document(
    p: Page,
    comments_html: str,
    *,
    brand_color="#c00",
    head_extra="",
    article_attrs="",
    body_attrs="",
    body_prop="",
    form_html="",
    nav=None,
) -> str:
    """A modern news/magazine CMS page (custom theme: no WordPress, no blog engine)."""
    t, pub = p.art["title"], p.published
    nav = nav or ["News", "Politics", "Business", "Sports", "Opinion", "Weather", "Obituaries"]
    navhtml = "".join(f'<li><a href="{p.base}{slug(x)}/">{x}</a></li>' for x in nav)
    most = "".join(f'<li><a href="{p.base}{slug(x)}">{esc(x)}</a></li>' for x in other_titles(p))
    return news_top(p, article_attrs, body_attrs, body_prop, brand_color, head_extra, navhtml, pub, t) + news_bottom(
        p, comments_html, form_html, most
    )


def news_top(p, article_attrs, body_attrs, body_prop, brand_color, head_extra, navhtml, pub, t) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t)} | {p.site}</title>
<meta name="description" content="{attr(p.paras[0][:150])}">
<link rel="canonical" href="{p.url}">
<meta property="og:type" content="article">
<meta property="og:url" content="{p.url}">
<meta property="og:title" content="{attr(t)}">
<meta property="og:site_name" content="{attr(p.site)}">
<meta property="article:published_time" content="{iso(pub)}">
<meta name="twitter:card" content="summary_large_image">
<link rel="stylesheet" href="{p.base}assets/app.{RNG.getrandbits(32):08x}.css">
<style>:root{{--brand:{brand_color}}} .visually-hidden{{position:absolute;clip:rect(0 0 0 0)}}</style>
{head_extra}
{ga(modern=True)}
</head>
<body class="article-page"{body_attrs}>
<a class="visually-hidden" href="#main">Skip to main content</a>
<div class="top-bar"><span class="today">{fmt(p.fetched_dt.astimezone(p.zone), "{EEEE}, {MMMM} {d}, {yyyy}")}</span> <a href="{p.base}subscribe">Subscribe</a> <a href="{p.base}login">Sign in</a></div>
<header class="masthead">
<a class="logo" href="{p.base}">{p.site}</a>
<p class="tagline">{p.tagline}</p>
<nav class="primary-nav" aria-label="Sections"><ul>{navhtml}</ul></nav>
</header>
<main id="main">
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{p.base}">Home</a> › <a href="{p.base}{slug(p.art["category"])}/">{p.art["category"]}</a></nav>
<article class="story"{article_attrs}>
<header class="story-head">
<p class="kicker">{p.art["category"]}</p>
<h1 class="headline" itemprop="headline">{esc(t)}</h1>
<p class="byline">By <a href="{p.base}staff/{slug(p.art["byline"])}" rel="author">{esc(p.art["byline"])}</a> · <time class="pubdate" datetime="{iso(pub)}">{fmt(pub, "{MMMM} {d}, {yyyy} {h}:{mm} {a}")}</time></p>
<div class="share-bar"><a class="share fb" href="https://www.facebook.com/sharer/sharer.php?u={attr(p.url)}">Share</a> <a class="share tw" href="https://twitter.com/intent/tweet?url={attr(p.url)}">Tweet</a> <a class="share mail" href="mailto:?body={attr(p.url)}">Email</a> <button class="share print" onclick="window.print()">Print</button></div>
</header>
<figure class="lead-art"><img src="{p.base}img/{slug(t)[:20]}.jpg" alt=""><figcaption>Photo: {esc(p.site)} staff</figcaption></figure>
<div class="story-body"{body_prop}>
{paras_html(p.paras)}
</div>
"""


def news_bottom(p, comments_html, form_html, most) -> str:
    return f"""<aside class="newsletter-box"><h2>Get the morning briefing</h2><p>The day's top stories, in your inbox by 6 a.m.</p><form action="{p.base}newsletter" method="post"><input type="email" name="email" placeholder="you@example.com"> <button>Sign up</button></form></aside>
{comments_html}
{form_html}
</article>
<aside class="rail">
<section class="most-read"><h2>Most read</h2><ol>{most}</ol></section>
<section class="ad-slot"><div id="div-gpt-ad-{RNG.getrandbits(24)}-0" style="min-height:250px"></div></section>
</aside>
</main>
<footer class="site-footer">
<nav><a href="{p.base}about">About us</a> · <a href="{p.base}contact">Contact</a> · <a href="{p.base}privacy">Privacy policy</a> · <a href="{p.base}terms">Terms of use</a> · <a href="{p.base}corrections">Corrections</a></nav>
<p>&copy; {p.fetched_dt.year} {p.site}. All rights reserved.</p>
</footer>
<script src="{p.base}assets/app.{RNG.getrandbits(32):08x}.js" defer></script>
<script>window.googletag=window.googletag||{{cmd:[]}};googletag.cmd.push(function(){{googletag.pubads().enableSingleRequest();googletag.enableServices();}});</script>
</body>
</html>
"""


def old_document(p: Page, comments_html: str, *, generator: str, form_html: str) -> str:
    """A hand-rolled or small-CMS blog from the 2000s: table/div layout, no blog engine markup."""
    t, pub = p.art["title"], p.published
    side = "".join(f'<li><a href="{p.base}?p={RNG.randint(100, 999)}">{esc(x)}</a></li>' for x in other_titles(p))
    links = "".join(
        f'<li><a href="http://www.{slug(x)}.com/">{x}</a></li>'
        for x in ["Instapundit", "Daily Kos", "Volokh", "Talking Points Memo", "Hit & Run"]
    )
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="generator" content="{generator}">
<title>{p.site} :: {esc(t)}</title>
<link rel="stylesheet" type="text/css" href="{p.base}layout.css">
<link rel="alternate" type="application/rss+xml" title="RSS 2.0" href="{p.base}rss.php">
<link rel="canonical" href="{p.url}">
<script type="text/javascript" src="{p.base}js/prototype.js"></script>
</head>
<body>
<div id="wrap">
<div id="top"><a href="{p.base}"><img src="{p.base}images/logo.gif" alt="{attr(p.site)}" border="0"></a><div class="motto">{p.tagline}</div></div>
<div id="menubar"><a href="{p.base}">Home</a> | <a href="{p.base}archives.php">Archives</a> | <a href="{p.base}about.php">About</a> | <a href="{p.base}contact.php">Contact</a> | <a href="{p.base}rss.php">RSS</a></div>
<table width="100%" cellspacing="0" cellpadding="6" border="0"><tr>
<td id="maincol" valign="top">
<div class="entry">
<h2 class="entrytitle">{esc(t)}</h2>
<div class="entrymeta">Filed under {p.art["category"]} by {esc(p.art["byline"])} on {fmt(pub, "{MMMM} {d}, {yyyy}")} @ {fmt(pub, "{h}:{mm} {a}")}</div>
<div class="entrybody">
{paras_html(p.paras)}
</div>
<div class="entrytools"><a href="{p.url}#comments">Comments</a> | <a href="{p.base}print.php?id=1">Printer-friendly</a> | <a href="http://del.icio.us/post?url={attr(p.url)}">del.icio.us</a> | <a href="http://digg.com/submit?url={attr(p.url)}">Digg it</a></div>
</div>
{comments_html}
{form_html}
</td>
<td id="sidecol" valign="top" width="210">
<h3>Recent entries</h3><ul>{side}</ul>
<h3>Blogroll</h3><ul>{links}</ul>
<h3>Search</h3><form action="{p.base}search.php"><input type="text" name="q" size="16"><input type="submit" value="Go"></form>
</td>
</tr></table>
<div id="bottom">Copyright &copy; {pub.year} {esc(p.art["byline"])}. Powered by {generator}. Page rendered in 0.{RNG.randint(100, 999)} sec.</div>
</div>
{ga()}
</body>
</html>
"""


def forum_document(p: Page, replies_html: str, *, forum: str, head_extra="", op_attrs="", body_prop="") -> str:
    """A forum thread page: the opening post is the article, the replies are the comments."""
    t, pub = p.art["title"], p.published
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<title>{esc(t)} | {forum}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{p.url}">
<meta property="og:title" content="{attr(t)}">
<meta property="og:url" content="{p.url}">
<link rel="stylesheet" href="{p.base}css/forum.css?v={RNG.randint(100, 999)}">
{head_extra}
</head>
<body class="thread-view">
<div id="top-nav"><a class="brand" href="{p.base}">{forum}</a>
<ul class="nav"><li><a href="{p.base}forums/">Forums</a></li><li><a href="{p.base}whats-new/">What's new</a></li><li><a href="{p.base}members/">Members</a></li><li><a href="{p.base}login/">Log in</a></li><li><a href="{p.base}register/">Register</a></li></ul>
<form class="search" action="{p.base}search/"><input name="q" placeholder="Search forums"></form></div>
<div id="content">
<ul class="breadcrumbs"><li><a href="{p.base}forums/">Forums</a></li><li><a href="{p.base}forums/{slug(p.art["category"])}/">{esc(p.art["category"])}</a></li></ul>
<div class="thread-head"><h1 class="thread-title">{esc(t)}</h1>
<div class="thread-info">Started by <a href="{p.base}members/{slug(p.art["byline"])}/">{esc(p.art["byline"])}</a> · {fmt(pub, "{MMM} {d}, {yyyy}")} · Views: {RNG.randint(900, 9000):,}</div></div>
<div class="op"{op_attrs}>
<div class="op-user"><a href="{p.base}members/{slug(p.art["byline"])}/">{esc(p.art["byline"])}</a><br><small>Junior member</small></div>
<div class="op-body"{body_prop}>
{paras_html(p.paras)}
</div>
<div class="op-tools"><a href="#">Report</a> · <a href="#">Quote</a> · <a href="#">Reply</a></div>
</div>
{replies_html}
<div class="quick-reply"><h3>Write your reply…</h3><form method="post" action="{p.base}threads/reply"><textarea name="message" rows="6" cols="60" placeholder="Write your reply..."></textarea><br><button type="submit">Post reply</button></form><p class="login-note">You must log in or register to reply here.</p></div>
<div class="similar"><h3>Similar threads</h3><ul>{"".join(f'<li><a href="{p.base}threads/{RNG.randint(10000, 99999)}/">{esc(x)}</a></li>' for x in other_titles(p, 4))}</ul></div>
</div>
<div id="footer"><a href="{p.base}help/terms/">Terms and rules</a> · <a href="{p.base}help/privacy-policy/">Privacy policy</a> · <a href="{p.base}help/">Help</a> · Forum software by XenForo&reg; &copy; 2010-2024</div>
{ga(modern=True)}
</body>
</html>
"""
