"""The template traits the syndication corpus's sites are built from (bench/syndication_sites.py):
where the body sits, navigation, sidebars, bylines, date lines, footers and extras.
"""

# Template traits are cycled over lists of coprime-ish lengths, so every site ends up with its
# own combination without a page of literals per site.
BODIES = (
    ("div", 'class="story-text"'),
    ("article", 'class="article"'),
    ("section", 'class="body" itemprop="articleBody"'),
    ("div", 'class="entry-content"'),
    ("article", 'class="story"'),
    ("div", 'class="article-body"'),
    ("div", 'class="story-body__inner"'),
    ("div", 'class="field-body" property="articleBody"'),
    ("article", 'class="article__content"'),
    ("div", 'class="body article-text"'),
    ("div", 'class="content entry"'),
    ("section", 'class="text"'),
)
NAVS = (
    "News,World,Business,Politics,Sport,Culture",
    "Top news,World,US,Markets,Technology",
    "Local,Region,Nation,Opinion,Obituaries",
    "Metro,Nation,World,Money,Life",
    "Coast,State,Country,Weather,Fishing",
    "Home,National,International,Economy,Science,Health,Environment",
    "City,Politics,Business,Tech,Arts,Food",
)
SIDEBARS = ["Most read", "Related stories", "Trending now", "Popular", "Related", "Most popular", "Also on this site"]
BYLINES = [
    "By {author}",
    "{author} | Staff",
    "Story by {author}",
    "Written by {author}",
    "{author}",
    "Report by {author}",
]
DATES = [
    "%B %d, %Y",
    "%d %b %Y, %H:%M GMT",
    "%Y-%m-%d %H:%M",
    "%b. %d, %Y",
    "%m/%d/%Y %H:%M",
    "%A, %B %d, %Y",
    "%d/%m/%Y",
]
FOOTERS = ["© {name}. All rights reserved.", "Copyright {name}. Redistribution prohibited.", "{name}. Terms apply."]
LETTERS = ["Sign up for the {name} morning briefing.", "{name} in your inbox, daily.", "Get {name} Weekly."]
SEPS = (" | ", " - ", " — ", " :: ")
EXTRAS = [
    "share ad",
    "breadcrumbs tags",
    "related_below",
    "share tags",
    "ad breadcrumbs",
    "related_below share",
    "tags",
]
# Blog engines have their own body markup and bylines.
BLOG_BODIES = (
    ("div", 'class="post-body entry-content"'),
    ("div", 'class="entry"'),
    ("article", 'class="post-content"'),
    ("div", 'class="entry-text"'),
    ("div", 'class="postcontent"'),
)
BLOG_NAVS = ("Home,About,Archive", "Posts,Reading list,Contact", "Latest,Topics,About us", "Home,Corrections")
BLOG_BYLINES = ["Posted by {author}", "{author} wrote", "by {author}", "Filed by {author}", "— {author}"]
