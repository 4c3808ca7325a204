# ruff: noqa: E501  (HTML templates: long lines)
"""Site chrome: Movable Type, TypePad and Minx pages."""

from __future__ import annotations

from .bank import RNG
from .chrome_wp import ga, months_back
from .dates import MONTHS, fmt, iso
from .model import Page, slug
from .text import attr, esc, other_titles, paras_html


def mt_document(p: Page, comments_html: str, *, kind: str) -> str:
    """Movable Type 2/3, Minx and TypePad pages (blog-style two columns, old markup)."""
    t, pub = p.art["title"], p.published
    cat = p.art["category"]
    e = esc
    archives = "\n".join(
        f'<a href="{p.base}archives/{y}_{m:02d}.html">{MONTHS[m - 1]} {y}</a><br />' for y, m in months_back(p, 6)
    )
    recent = "\n".join(
        f'<a href="{p.base}archives/{RNG.randint(1000, 9999)}.html">{e(x)}</a><br />' for x in other_titles(p)
    )
    if kind == "minx":
        return minx_document(p, comments_html, t, pub, e, archives, recent)
    if kind == "typepad":
        return typepad_document(p, comments_html, t, pub, cat, e, archives, recent)
    return movable_type_document(p, comments_html, kind, t, pub, cat, e, archives, recent)


def minx_document(p, comments_html, t, pub, e, archives, recent) -> str:
    charset = p.encoding
    words = sum(len(x.split()) for x in p.paras)
    canonical = f'<link rel="canonical" href="{p.url}">\n' if p.url.startswith("http") and "nosid" in p.path else ""
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{p.site}: {e(t)}</title>
<meta name="generator" content="Minx 0.7 alpha">
<link rel="stylesheet" href="{p.base}styles-site.css" type="text/css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="{p.base}index.rdf">
{canonical}<script type="text/javascript" src="{p.base}mt-site.js"></script>
</head>
<body>
<table width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td colspan="2" class="banner"><h1><a href="{p.base}">{p.site}</a></h1><div class="tagline">{p.tagline}</div></td></tr>
<tr>
<td valign="top" class="main">
<div class="blog">
<div class="date-header">{fmt(pub, "{EEEE}, {MMMM} {dd}")}</div>
<div class="post">
<div class="post-title">{e(t)}</div>
<div class="post-body">
{paras_html(p.paras)}
</div>
<div class="posted">Posted by: {e(p.art["byline"])} at {fmt(pub, "{hh}:{mm} {A}")} | <a href="#comments">Comments ({len(p.comments)})</a> | <a href="#addcomment">Add Comment</a><br>
Post contains {words} words, total size {words * 6 // 1000 + 1} kb.</div>
</div>
{comments_html}
</div>
</td>
<td valign="top" class="side" width="200">
<div class="sidetitle">Recent Posts</div>
<div class="side">{recent}</div>
<div class="sidetitle">Archives</div>
<div class="side">{archives}</div>
<div class="sidetitle">Search</div>
<div class="side"><form method="get" action="{p.base}search.php"><input name="q" size="15"> <input type="submit" value="Go"></form></div>
<div class="sidetitle">Powered by</div>
<div class="side"><a href="http://www.mu.nu/">Minx</a><br>Site Meter<br>
Page generated in 0.0{RNG.randint(10, 99)} seconds.<br>{RNG.randint(80, 140)} queries taking 0.0{RNG.randint(10, 99)} seconds, {RNG.randint(200, 400)} records returned.</div>
</td>
</tr>
</table>
{ga()}
</body>
</html>
"""


def typepad_document(p, comments_html, t, pub, cat, e, archives, recent) -> str:
    return typepad_top(p, cat, comments_html, e, pub, t) + typepad_bottom(archives, recent)


def typepad_top(p, cat, comments_html, e, pub, t) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" id="typepad-standard">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="generator" content="http://www.typepad.com/" />
<title>{p.site}: {e(t)}</title>
<link rel="stylesheet" href="{p.base}styles.css?v=6" type="text/css" media="screen" />
<link rel="alternate" type="application/atom+xml" title="Posts on '{attr(p.site)}' (Atom)" href="{p.base}atom.xml" />
<link rel="canonical" href="{p.url}" />
<script type="text/javascript">var TPApp = {{ blog_id: "6a00d8341c{RNG.getrandbits(32):08x}" }};</script>
</head>
<body class="layout-two-column-right post">
<div id="container"><div id="container-inner" class="pkg">
<div id="banner"><div id="banner-inner" class="pkg">
<h1 id="banner-header"><a href="{p.base}" accesskey="1">{p.site}</a></h1>
<h2 id="banner-description">{p.tagline}</h2>
</div></div>
<div id="pagebody"><div id="pagebody-inner" class="pkg">
<div id="alpha"><div id="alpha-inner" class="pkg">
<p class="content-nav"><a href="{p.base}">Main</a></p>
<div class="entry" id="entry-{RNG.getrandbits(40):010x}">
<h3 class="entry-header">{e(t)}</h3>
<div class="entry-content">
<div class="entry-body">
{paras_html(p.paras)}
</div>
</div>
<div class="entry-footer">
<p class="entry-footer-info">Posted at {fmt(pub, "{hh}:{mm} {A}")} in <a href="{p.base}{slug(cat)}/">{e(cat)}</a> | <a href="{p.url}">Permalink</a></p>
<div class="entry-footer-share"><a href="http://www.facebook.com/share.php?u={attr(p.url)}">Share on Facebook</a> | <a href="http://twitter.com/home?status={attr(p.url)}">Tweet This!</a> | <a href="http://digg.com/submit?url={attr(p.url)}">Digg This</a></div>
</div>
</div>
<div class="trackbacks">
<h3 class="trackbacks-header">TrackBack</h3>
<div class="trackbacks-info"><p>TrackBack URL for this entry:<br /><span class="trackbacks-link">http://www.typepad.com/services/trackback/6a00d8341c{RNG.getrandbits(48):012x}</span></p></div>
</div>
{comments_html}
<div class="comments-open" id="comments-open">
<h2 class="comments-open-header">Post a comment</h2>
<div class="comments-open-content">
"""


def typepad_bottom(archives, recent) -> str:
    return f"""<p class="comments-open-moderated">Comments are moderated, and will not appear until the author has approved them.</p>
<form id="comment-form" method="post" action="https://www.typepad.com/t/comments">
<p><label for="comment-author">Name:</label><input id="comment-author" name="author" size="30" /></p>
<p><label for="comment-email">Email Address:</label><input id="comment-email" name="email" size="30" /> (Not displayed with comment.)</p>
<p><label for="comment-url">URL:</label><input id="comment-url" name="url" size="30" /></p>
<p><label for="comment-text">Comments:</label><textarea id="comment-text" name="text" rows="10" cols="30"></textarea></p>
<input type="submit" name="preview" id="comment-preview" value="Preview" /> <input type="submit" name="post" id="comment-post" value="Post" />
</form>
</div>
</div>
</div></div>
<div id="beta"><div id="beta-inner" class="pkg">
<div class="module-archives module"><h2 class="module-header">Archives</h2><div class="module-content">{archives}</div></div>
<div class="module-recent-posts module"><h2 class="module-header">Recent Posts</h2><div class="module-content">{recent}</div></div>
<div class="module-powered module"><div class="module-content"><a href="http://www.typepad.com/">Blog powered by Typepad</a></div></div>
</div></div>
</div></div>
</div></div>
{ga()}
</body>
</html>
"""


def movable_type_document(p, comments_html, kind, t, pub, cat, e, archives, recent) -> str:
    generator = "Movable Type 2.661" if kind == "mt2" else "Movable Type 3.35"
    charset = p.encoding
    form = f"""<div class="comments-head">Post a comment</div>
<div class="comments-body">
<form method="post" action="{p.base}mt/mt-comments.cgi" name="comments_form" onsubmit="if (this.bakecookie[0].checked) rememberMe(this)">
<input type="hidden" name="static" value="1" />
<input type="hidden" name="entry_id" value="{RNG.randint(1000, 20000)}" />
<label for="author">Name:</label><br />
<input tabindex="1" id="author" name="author" /><br /><br />
<label for="email">Email Address:</label><br />
<input tabindex="2" id="email" name="email" /><br /><br />
<label for="url">URL:</label><br />
<input tabindex="3" id="url" name="url" /><br /><br />
Remember personal info?<br />
<input type="radio" id="bakecookie" name="bakecookie" /><label for="bakecookie">Yes</label><input type="radio" id="forget" name="bakecookie" onclick="forgetMe(this.form)" value="Forget Info" style="margin-left: 15px;" /><label for="forget">No</label><br style="clear: both;" />
<label for="text">Comments:</label><br />
<textarea tabindex="4" id="text" name="text" rows="10" cols="50"></textarea><br /><br />
<input type="submit" name="preview" tabindex="5" value="&nbsp;Preview&nbsp;" />
<input style="font-weight: bold;" type="submit" name="post" tabindex="6" value="&nbsp;Post&nbsp;" /><br /><br />
</form>
</div>"""
    return movable_type_top(p, cat, charset, comments_html, e, form, generator, pub, t) + movable_type_bottom(
        p, archives, generator, recent
    )


def movable_type_top(p, cat, charset, comments_html, e, form, generator, pub, t) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name="generator" content="{generator}" />
<title>{p.site}: {e(t)}</title>
<link rel="stylesheet" href="{p.base}styles-site.css" type="text/css" />
<link rel="alternate" type="application/rss+xml" title="RSS" href="{p.base}index.rdf" />
<link rel="start" href="{p.base}" title="Home" />
<script type="text/javascript" language="javascript">
function OpenTrackback (c) {{ window.open(c, 'trackback', 'width=480,height=480,scrollbars=yes,status=yes'); }}
var HOST = '{p.base.split("/")[2]}';
</script>
</head>
<body>
<div id="banner">
<h1><a href="{p.base}" accesskey="1">{p.site}</a></h1>
<span class="description">{p.tagline}</span>
</div>
<div id="container">
<div class="blog">
<div id="menu"><a href="{p.base}archives/">&laquo; Previous entry</a> | <a href="{p.base}">Main</a></div>
</div>
<div class="blog">
<h2 class="date">{fmt(pub, "{MMMM} {dd}, {yyyy}")}</h2>
<div class="blogbody">
<h3 class="title">{e(t)}</h3>
{paras_html(p.paras)}
<div class="posted">Posted by {e(p.art["byline"])} at {fmt(pub, "{hh}:{mm} {A}")}
<br /><a href="{p.base}mt/mt-tb.cgi?__mode=view&amp;entry_id=1" onclick="OpenTrackback(this.href); return false">TrackBack (0)</a></div>
</div>
<!--
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<rdf:Description rdf:about="{p.url}" trackback:ping="{p.base}mt/mt-tb.cgi/1" dc:title="{attr(t)}" dc:identifier="{p.url}" dc:subject="{attr(cat)}" dc:creator="{attr(p.art["byline"])}" dc:date="{iso(pub)}" />
</rdf:RDF>
-->
{comments_html}
{form}
</div>
</div>
"""


def movable_type_bottom(p, archives, generator, recent) -> str:
    return f"""<div id="links">
<div class="sidetitle">Search</div>
<div class="side"><form method="get" action="{p.base}mt/mt-search.cgi"><input id="search" name="search" size="20" /><br /><input type="submit" value="Search" /></form></div>
<div class="sidetitle">Archives</div>
<div class="side">{archives}</div>
<div class="sidetitle">Recent Entries</div>
<div class="side">{recent}</div>
<div class="powered">Powered by<br /><a href="http://www.movabletype.org">{generator}</a><br /></div>
</div>
{ga()}
</body>
</html>
"""
