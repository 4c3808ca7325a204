"""Project commands for `scrapy` (COMMANDS_MODULE): `crawl` checks the sources file first."""
