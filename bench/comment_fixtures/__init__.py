"""The labeled comment-parsing fixtures in fixtures/comments/ and their generator.

    python -m bench.comment_fixtures

Writes one HTML article page per registered page (grouped by comment markup in
sub-folders), the ``pagination/`` and ``recrawl/`` scenarios, and ``expected.json``,
the truth file, then checks every truth record against its page and exits non-zero on
any problem. Deterministic: the only randomness is ``random.Random(20141121)``
(``bank.RNG``), so the order of the draws is part of the output; running it twice gives
byte-identical files. Stdlib + lxml + python-dateutil.

Layout:
  data/           articles.json, comment_texts.json (the text bank), pages.toml (one
                  table per page: path, markup, variant, timezone, site, article)
  bank            loads the text bank; the random source and the output folder
  model, dates, text
                  comments, pages, threads, times, date formats, escaping
  chrome_*        site chrome, one module per engine family (WordPress, MT/TypePad/Minx,
                  Blogger, news CMS / old blog / forum)
  markup_*        comment markup templates, one function per markup (the WordPress walker
                  and its theme items in markup_wp_walker)
  pages_base      the page registry, spec_page(), and the steps the pages share
  pages_*         the pages (one function per page: content, planted quirks, template),
                  registered in __main__.PAGE_MODULES order
  pagination, recrawl
                  the pagination and recrawl scenarios
  truth, check    truth file, writing, self-check
"""
