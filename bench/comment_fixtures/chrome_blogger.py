# ruff: noqa: E501  (HTML templates: long lines)
"""Site chrome: Blogger pages."""

from __future__ import annotations

from .bank import RNG
from .chrome_wp import months_back
from .dates import MONTHS, fmt, iso
from .model import Page
from .text import attr, esc, paras_html


def blogger_document(p: Page, comments_html: str) -> str:
    t, pub = p.art["title"], p.published
    blog_id = p.base.split("//")[1].split(".")[0]
    archive = "\n".join(
        f"<li class='archivedate'><a class='post-count-link' href='{p.base}{y}/{m:02d}/'>{MONTHS[m - 1]}</a> "
        f"<span class='post-count' dir='ltr'>({RNG.randint(1, 14)})</span></li>"
        for y, m in months_back(p, 5)
    )
    labels = ", ".join(
        f"<a href='{p.base}search/label/{x.replace(' ', '%20')}' rel='tag'>{x}</a>"
        for x in [p.art["category"], "notes"]
    )
    return (
        blogger_top(p, pub, t)
        + blogger_middle(p, blog_id, comments_html, labels, pub, t)
        + blogger_bottom(p, archive, blog_id)
    )


def blogger_top(p, pub, t) -> str:
    return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' xmlns='http://www.w3.org/1999/xhtml' xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' xmlns:expr='http://www.google.com/2005/gml/expr'>
<head>
<meta content='width=1100' name='viewport'/>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{p.base}favicon.ico' rel='icon' type='image/x-icon'/>
<link href='{p.url}' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="{attr(p.site)} - Atom" href="{p.base}feeds/posts/default" />
<link rel="service.post" type="application/atom+xml" title="{attr(p.site)} - Atom" href="https://www.blogger.com/feeds/{RNG.getrandbits(60)}/posts/default" />
<meta content='{p.url}' property='og:url'/>
<meta content='{attr(t)}' property='og:title'/>
<title>{p.site}: {esc(t)}</title>
<style id='page-skin-1' type='text/css'><!--
body {{ font: normal normal 12px Arial, Tahoma, Helvetica, FreeSans, sans-serif; color: #222222; }}
.comments .comment-block {{ margin-left: 48px; position: relative; }}
--></style>
<script type="text/javascript">(function() {{ var a = window; a.BLOG_v2 = true; }})();</script>
</head>
<body class='loading variant-simplysimple'>
<div class='navbar section' id='navbar' name='Navbar'><div class='widget Navbar' data-version='1' id='Navbar1'><script type="text/javascript">
    function setAttributeOnload(object, attribute, val) {{ if (window.addEventListener) {{ window.addEventListener('load', function(){{ object[attribute] = val; }}, false); }} }}
</script>
<div id="navbar-iframe-container"></div>
</div></div>
<div class='content'><div class='content-outer'><div class='content-inner'>
<header><div class='header-outer'><div class='region-inner header-inner'>
<div class='header section' id='header' name='Header'><div class='widget Header' data-version='1' id='Header1'>
<div id='header-inner'><div class='titlewrapper'><h1 class='title'><a href='{p.base}'>{p.site}</a></h1></div>
<div class='descriptionwrapper'><p class='description'><span>{p.tagline}</span></p></div></div>
</div></div>
</div></div></header>
<div class='main-outer'><div class='main-inner columns-fluid'>
<div class='column-center-outer'><div class='column-center-inner'>
<div class='main section' id='main' name='Main'><div class='widget Blog' data-version='1' id='Blog1'>
<div class='blog-posts hfeed'>
<div class="date-outer">
<h2 class='date-header'><span>{fmt(pub, "{EEEE}, {MMMM} {d}, {yyyy}")}</span></h2>
<div class="date-posts">
<div class='post-outer'>
"""


def blogger_middle(p, blog_id, comments_html, labels, pub, t) -> str:
    return f"""<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>
<meta content='{RNG.getrandbits(60)}' itemprop='postId'/>
<a name='{RNG.getrandbits(60)}'></a>
<h3 class='post-title entry-title' itemprop='name'>{esc(t)}</h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-{RNG.getrandbits(60)}' itemprop='description articleBody'>
{paras_html(p.paras)}
<div style='clear: both;'></div>
</div>
<div class='post-footer'>
<div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>Posted by <span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'><a class='g-profile' href='https://www.blogger.com/profile/{RNG.getrandbits(64)}' rel='author' title='author profile'><span itemprop='name'>{esc(p.art["byline"])}</span></a></span></span>
<span class='post-timestamp'>at <meta content='{p.url}' itemprop='url'/><a class='timestamp-link' href='{p.url}' rel='bookmark' title='permanent link'><abbr class='published' itemprop='datePublished' title='{iso(pub)}'>{fmt(pub, "{h}:{mm} {A}")}</abbr></a></span>
<span class='post-comment-link'></span>
<span class='post-icons'><span class='item-control blog-admin pid-{RNG.getrandbits(30)}'><a href='https://www.blogger.com/post-edit.g?blogID={blog_id}' title='Edit Post'><img alt='' class='icon-action' height='18' src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif' width='18'/></a></span></span>
<div class='post-share-buttons goog-inline-block'>
<a class='goog-inline-block share-button sb-email' href='https://www.blogger.com/share-post.g?blogID={blog_id}&amp;target=email' target='_blank' title='Email This'><span class='share-button-link-text'>Email This</span></a><a class='goog-inline-block share-button sb-blog' href='https://www.blogger.com/share-post.g?target=blog' target='_blank' title='BlogThis!'><span class='share-button-link-text'>BlogThis!</span></a><a class='goog-inline-block share-button sb-twitter' href='https://www.blogger.com/share-post.g?target=twitter' target='_blank' title='Share to Twitter'><span class='share-button-link-text'>Share to Twitter</span></a><a class='goog-inline-block share-button sb-facebook' href='https://www.blogger.com/share-post.g?target=facebook' target='_blank' title='Share to Facebook'><span class='share-button-link-text'>Share to Facebook</span></a>
</div>
</div>
<div class='post-footer-line post-footer-line-2'><span class='post-labels'>Labels: {labels}</span></div>
</div>
</div>
{comments_html}
</div>
</div></div>
</div>
<div class='blog-pager' id='blog-pager'>
<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{p.base}{pub.year}/{pub.month:02d}/newer.html' id='Blog1_blog-pager-newer-link' title='Newer Post'>Newer Post</a></span>
<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{p.base}{pub.year}/{pub.month:02d}/older.html' id='Blog1_blog-pager-older-link' title='Older Post'>Older Post</a></span>
<a class='home-link' href='{p.base}'>Home</a>
</div>
<div class='clear'></div>
<div class='post-feeds'><div class='feed-links'>Subscribe to: <a class='feed-link' href='{p.url.rsplit("/", 1)[0]}/feeds/comments/default' target='_blank' type='application/atom+xml'>Post Comments (Atom)</a></div></div>
</div></div>
</div></div>
<div class='column-right-outer'><div class='column-right-inner'><aside>
<div class='sidebar section' id='sidebar-right-1'>
<div class='widget Profile' data-version='1' id='Profile1'><h2>About Me</h2><div class='widget-content'><dl class='profile-datablock'><dt class='profile-data'><a class='profile-name-link g-profile' href='https://www.blogger.com/profile/{RNG.getrandbits(64)}' rel='author'>{esc(p.art["byline"])}</a></dt></dl><a class='profile-link' href='https://www.blogger.com/profile/{RNG.getrandbits(64)}' rel='author'>View my complete profile</a></div></div>
<div class='widget BlogArchive' data-version='1' id='BlogArchive1'><h2>Blog Archive</h2><div class='widget-content'><div id='ArchiveList'><div id='BlogArchive1_ArchiveList'><ul class='hierarchy'>
<li class='archivedate expanded'><a class='toggle' href='javascript:void(0)'><span class='zippy toggle-open'>&#9660;&#160;</span></a><a class='post-count-link' href='{p.base}{pub.year}/'>{pub.year}</a> <span class='post-count' dir='ltr'>({RNG.randint(20, 80)})</span>
"""


def blogger_bottom(p, archive, blog_id) -> str:
    return f"""<ul class='hierarchy'>
{archive}
</ul></li>
</ul></div></div></div></div>
<div class='widget Followers' data-version='1' id='Followers1'><h2 class='title'>Followers</h2><div class='widget-content'><div id='Followers1-wrapper'></div></div></div>
</div>
</aside></div></div>
</div></div>
<footer><div class='footer-outer'><div class='region-inner footer-inner'>
<div class='widget Attribution' data-version='1' id='Attribution1'><div class='widget-content' style='text-align: center;'>Simple theme. Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div></div>
</div></div></footer>
</div></div></div>
<script type="text/javascript" src="https://www.blogger.com/static/v1/widgets/widgets.js"></script>
<script type='text/javascript'>window['__wavt'] = 'AOuZoY{RNG.getrandbits(64):x}';_WidgetManager._Init('//www.blogger.com/rearrange?blogID={blog_id}','//{p.base.split("//")[1]}','{blog_id}');</script>
</body>
</html>
"""
