# ruff: noqa: E501  (HTML templates: long lines)
"""Site chrome: the WordPress page (classic XHTML or HTML5 theme)."""

from __future__ import annotations

from .chrome_wp import ga, sharedaddy, wp_sidebar
from .dates import WEEKDAYS, fmt, iso
from .model import Page, slug
from .text import attr, other_titles, paras_html, wp_esc


def wp_document(
    p: Page,
    comments_html: str,
    *,
    theme: str,
    generator: str,
    post_id: int,
    classic=False,
    head_extra="",
    extra_scripts="",
    canonical=None,
) -> str:
    """A WordPress page: classic (XHTML, #page/#sidebar) or HTML5 (site-header/widget-area)."""
    t = p.art["title"]
    nav = "".join(
        f'<li class="menu-item"><a href="{p.base}{slug(x)}/">{x}</a></li>'
        for x in ["Home", "About", p.art["category"], "Archives", "Contact"]
    )
    pub = p.published
    canonical = canonical or p.url
    if classic:
        return wp_classic_document(
            p, comments_html, theme, generator, post_id, head_extra, extra_scripts, canonical, t, nav, pub
        )
    return wp_html5_document(
        p, comments_html, theme, generator, post_id, head_extra, extra_scripts, canonical, t, nav, pub
    )


def wp_classic_document(
    p, comments_html, theme, generator, post_id, head_extra, extra_scripts, canonical, t, nav, pub
) -> str:
    return wp_classic_top(p, canonical, generator, head_extra, nav, post_id, pub, t, theme) + wp_classic_bottom(
        p, comments_html, extra_scripts
    )


def wp_classic_top(p, canonical, generator, head_extra, nav, post_id, pub, t, theme) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="en-US">
<head profile="http://gmpg.org/xfn/11">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{p.site} &raquo; {wp_esc(t)}</title>
<meta name="generator" content="{generator}" />
<link rel="stylesheet" href="{p.base}wp-content/themes/{theme}/style.css" type="text/css" media="screen" />
<link rel="alternate" type="application/rss+xml" title="{attr(p.site)} RSS Feed" href="{p.base}feed/" />
<link rel="pingback" href="{p.base}xmlrpc.php" />
<link rel="alternate" type="application/rss+xml" title="{attr(p.site)} &raquo; {attr(t)} Comments Feed" href="{p.url}feed/" />
<script type='text/javascript' src='{p.base}wp-includes/js/comment-reply.js?ver=20090102'></script>
<link rel='canonical' href='{canonical}' />
{head_extra}
</head>
<body class="single postid-{post_id}">
<div id="page">
<div id="header" role="banner">
<div id="headerimg">
<h1><a href="{p.base}">{p.site}</a></h1>
<div class="description">{p.tagline}</div>
</div>
<ul class="menu">{nav}</ul>
</div>
<hr />
<div id="content" class="widecolumn" role="main">
<div class="navigation">
<div class="alignleft">&laquo; <a href="{p.base}{slug(other_titles(p, 1)[0])}/" rel="prev">{wp_esc(other_titles(p, 1)[0])}</a></div>
<div class="alignright"></div>
</div>
<div class="post-{post_id} post hentry category-{slug(p.art["category"])}" id="post-{post_id}">
<h2>{wp_esc(t)}</h2>
<div class="entry">
{paras_html(p.paras, wp_esc)}
{sharedaddy(p)}
<p class="postmetadata alt">
<small>
This entry was posted on {WEEKDAYS[pub.weekday()]}, {fmt(pub, "{MMMM} {do}, {yyyy}")} at {fmt(pub, "{h}:{mm} {a}")} and is filed under <a href="{p.base}category/{slug(p.art["category"])}/" title="View all posts in {attr(p.art["category"])}" rel="category tag">{p.art["category"]}</a>.
You can follow any responses to this entry through the <a href='{p.url}feed/'>RSS 2.0</a> feed.
You can <a href="#respond">leave a response</a>, or <a href="{p.url}trackback/" rel="trackback">trackback</a> from your own site.
</small>
"""


def wp_classic_bottom(p, comments_html, extra_scripts) -> str:
    return f"""</p>
</div>
</div>
{comments_html}
</div>
<div id="sidebar" role="complementary">
{wp_sidebar(p, html5=False)}
</div>
<hr />
<div id="footer" role="contentinfo">
<p>{p.site} is proudly powered by <a href="http://wordpress.org/">WordPress</a><br /><a href="{p.base}feed/">Entries (RSS)</a> and <a href="{p.base}comments/feed/">Comments (RSS)</a>.</p>
</div>
</div>
{ga()}
{extra_scripts}
</body>
</html>
"""


def wp_html5_document(
    p, comments_html, theme, generator, post_id, head_extra, extra_scripts, canonical, t, nav, pub
) -> str:
    return wp_html5_top(p, canonical, generator, head_extra, nav, post_id, t, theme) + wp_html5_bottom(
        p, comments_html, extra_scripts, post_id, pub, t
    )


def wp_html5_top(p, canonical, generator, head_extra, nav, post_id, t, theme) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US" class="no-js">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{wp_esc(t)} &#8211; {p.site}</title>
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="{attr(p.site)} &raquo; Feed" href="{p.base}feed/" />
<link rel="alternate" type="application/rss+xml" title="{attr(p.site)} &raquo; {attr(t)} Comments Feed" href="{p.url}feed/" />
<script type="text/javascript">
window._wpemojiSettings = {{"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/12.0.0-1\\/72x72\\/","ext":".png","svgUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/12.0.0-1\\/svg\\/","svgExt":".svg","source":{{"concatemoji":"{p.base}wp-includes\\/js\\/wp-emoji-release.min.js"}}}};
</script>
<style type="text/css">
img.wp-smiley, img.emoji {{ display: inline !important; border: none !important; height: 1em !important; width: 1em !important; }}
</style>
<link rel='stylesheet' id='{theme}-style-css' href='{p.base}wp-content/themes/{theme}/style.css' type='text/css' media='all' />
<link rel='https://api.w.org/' href='{p.base}wp-json/' />
<meta name="generator" content="{generator}" />
<link rel="canonical" href="{canonical}" />
<link rel='shortlink' href='{p.base}?p={post_id}' />
{head_extra}
</head>
<body class="post-template-default single single-post postid-{post_id} single-format-standard theme-{theme}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding">
<p class="site-title"><a href="{p.base}" rel="home">{p.site}</a></p>
<p class="site-description">{p.tagline}</p>
</div>
<nav id="site-navigation" class="main-navigation" aria-label="Top Menu">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">{nav}</ul>
</nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-{post_id}" class="post-{post_id} post type-post status-publish format-standard hentry category-{slug(p.art["category"])} entry">
"""


def wp_html5_bottom(p, comments_html, extra_scripts, post_id, pub, t) -> str:
    return f"""<header class="entry-header">
<h1 class="entry-title">{wp_esc(t)}</h1>
<div class="entry-meta">
<span class="posted-on">Posted on <a href="{p.url}" rel="bookmark"><time class="entry-date published" datetime="{iso(pub)}">{fmt(pub, "{MMMM} {d}, {yyyy}")}</time></a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="{p.base}author/{slug(p.art["byline"])}/">{wp_esc(p.art["byline"])}</a></span></span>
</div>
</header>
<div class="entry-content">
{paras_html(p.paras, wp_esc)}
{sharedaddy(p)}
</div><!-- .entry-content -->
<footer class="entry-footer"><span class="cat-links">Posted in <a href="{p.base}category/{slug(p.art["category"])}/" rel="category tag">{p.art["category"]}</a></span></footer>
</article><!-- #post-{post_id} -->
<nav class="navigation post-navigation" role="navigation" aria-label="Posts">
<h2 class="screen-reader-text">Post navigation</h2>
<div class="nav-links"><div class="nav-previous"><a href="{p.base}?p={post_id - 7}" rel="prev"><span class="meta-nav">Previous Post</span> {wp_esc(other_titles(p, 1)[0])}</a></div></div>
</nav>
{comments_html}
</main><!-- #main -->
</div><!-- #primary -->
<aside id="secondary" class="widget-area" role="complementary">
{wp_sidebar(p)}
</aside><!-- #secondary -->
</div><!-- #content -->
<footer id="colophon" class="site-footer">
<div class="site-info">&copy; {pub.year} {p.site} &middot; <a href="https://wordpress.org/">Proudly powered by WordPress</a></div>
</footer>
</div><!-- #page -->
<script type='text/javascript' src='{p.base}wp-includes/js/comment-reply.min.js'></script>
<script type='text/javascript' src='{p.base}wp-includes/js/wp-embed.min.js'></script>
{ga(modern=True)}
{extra_scripts}
</body>
</html>
"""
