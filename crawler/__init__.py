"""The Scrapy project: settings, spiders, the sources file, and the newsdedup CLI."""
