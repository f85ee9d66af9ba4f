"""What machines read to find the desk's pages: sitemap.xml, the Google News sitemap and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse

from ..page_cache import cache_public_page
from ..sitemaps import SITEMAPS, NewsSitemap


@cache_public_page(params=["p"])  # the page of a sitemap split in pages
def sitemap(request):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)


@cache_public_page
def news_sitemap(request):
    return sitemap_views.sitemap(request, sitemaps={"news": NewsSitemap}, template_name="sitemaps/news.xml")


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
