# ruff: noqa: E501  (HTML templates: long lines)
"""Site chrome: WordPress pages (classic and HTML5 themes)."""

from __future__ import annotations

from .bank import RNG
from .dates import MONTHS
from .model import Page, slug
from .text import attr, other_titles, wp_esc

GA = """<script type="text/javascript">
  var _gaq = _gaq || [];
  _gaq.push(['_setAccount', 'UA-{n}-1']);
  _gaq.push(['_trackPageview']);
  (function() {{
    var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;
    ga.src = ('https:' == document.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';
    var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ga, s);
  }})();
</script>"""

GTAG = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-{n}"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', 'G-{n}');
</script>"""


def ga(modern=False) -> str:
    n = RNG.randint(1000000, 9999999)
    return GTAG.format(n=f"{n:X}") if modern else GA.format(n=n)


def months_back(p: Page, n: int) -> list[tuple[int, int]]:
    y, m = p.published.year, p.published.month
    out = []
    for _ in range(n):
        out.append((y, m))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out


def wp_sidebar(p: Page, e=wp_esc, html5=True) -> str:
    recent = "\n".join(f'<li><a href="{p.base}{slug(t)}/">{e(t)}</a></li>' for t in other_titles(p))
    people = [c for c in p.comments if c.kind == "comment"][-5:][::-1]
    rc = "\n".join(
        f'<li class="recentcomments"><span class="comment-author-link">{e(c.author)}</span> on '
        f'<a href="{p.url}#comment-{c.num}">{e(p.art["title"])}</a></li>'
        for c in people
    )
    archives = "\n".join(
        f"<li><a href='{p.base}{y}/{m:02d}/'>{MONTHS[m - 1]} {y}</a></li>" for y, m in months_back(p, 6)
    )
    tag, title = ("section", "h2") if html5 else ("li", "h2")
    wrap_open = "" if html5 else "<ul>"
    wrap_close = "" if html5 else "</ul>"
    return f"""{wrap_open}
<{tag} id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{p.base}">
<label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label>
<input type="submit" class="search-submit" value="Search" /></form></{tag}>
<{tag} id="recent-posts-2" class="widget widget_recent_entries"><{title} class="widget-title">Recent Posts</{title}>
<ul>
{recent}
</ul>
</{tag}>
<{tag} id="recent-comments-2" class="widget widget_recent_comments"><{title} class="widget-title">Recent Comments</{title}><ul id="recentcomments">
{rc}
</ul></{tag}>
<{tag} id="archives-2" class="widget widget_archive"><{title} class="widget-title">Archives</{title}>
<ul>
{archives}
</ul>
</{tag}>
<{tag} id="meta-2" class="widget widget_meta"><{title} class="widget-title">Meta</{title}>
<ul>
<li><a href="{p.base}wp-login.php">Log in</a></li>
<li><a href="{p.base}feed/">Entries feed</a></li>
<li><a href="{p.base}comments/feed/">Comments feed</a></li>
<li><a href="https://wordpress.org/">WordPress.org</a></li>
</ul>
</{tag}>
{wrap_close}"""


def sharedaddy(p: Page) -> str:
    u = attr(p.url)
    return f"""<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul><li class="share-twitter"><a rel="nofollow noopener noreferrer" class="share-twitter sd-button share-icon" href="{u}?share=twitter" target="_blank" title="Click to share on Twitter"><span>Twitter</span></a></li><li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button share-icon" href="{u}?share=facebook" target="_blank" title="Click to share on Facebook"><span>Facebook</span></a></li><li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-button share-icon" href="mailto:?subject=Shared%20post&amp;body={u}" target="_blank" title="Click to email a link to a friend"><span>Email</span></a></li><li class="share-end"></li></ul></div></div></div>
<div class='sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded' id='like-post-wrapper' data-src='https://widgets.wp.com/likes/#blog_id=1&amp;post_id=2&amp;origin={attr(p.base)}' data-name='like-post-frame'><h3 class="sd-title">Like this:</h3><div class='likes-widget-placeholder post-likes-widget-placeholder' style='height: 55px;'><span class='button'><span>Like</span></span> <span class="loading">Loading...</span></div></div>"""


def wp_form(p: Page, post_id: int, html5=True, title="Leave a Reply") -> str:
    if not html5:
        return f"""<h3 id="respond">{title}</h3>
<form action="{p.base}wp-comments-post.php" method="post" id="commentform">
<p><input type="text" name="author" id="author" value="" size="22" tabindex="1" aria-required='true' />
<label for="author"><small>Name (required)</small></label></p>
<p><input type="text" name="email" id="email" value="" size="22" tabindex="2" aria-required='true' />
<label for="email"><small>Mail (will not be published) (required)</small></label></p>
<p><input type="text" name="url" id="url" value="" size="22" tabindex="3" />
<label for="url"><small>Website</small></label></p>
<p><small><strong>XHTML:</strong> You can use these tags: <code>&lt;a href=&quot;&quot; title=&quot;&quot;&gt; &lt;abbr title=&quot;&quot;&gt; &lt;b&gt; &lt;blockquote cite=&quot;&quot;&gt; &lt;em&gt; &lt;strong&gt; </code></small></p>
<p><textarea name="comment" id="comment" cols="58" rows="10" tabindex="4"></textarea></p>
<p><input name="submit" type="submit" id="submit" tabindex="5" value="Submit Comment" />
<input type="hidden" name="comment_post_ID" value="{post_id}" />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' />
</p>
</form>"""
    return f"""<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">{title} <small><a rel="nofollow" id="cancel-comment-reply-link" href="{p.url}#respond" style="display:none;">Cancel reply</a></small></h3>
<form action="{p.base}wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> Required fields are marked <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">Comment</label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required="required"></textarea></p>
<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" required='required' /></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" required='required' /></p>
<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" /></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes" /> <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post_id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' />
</p><p style="display: none;"><input type="hidden" id="akismet_comment_nonce" name="akismet_comment_nonce" value="{RNG.getrandbits(40):010x}" /></p>
</form>
</div><!-- #respond -->"""
