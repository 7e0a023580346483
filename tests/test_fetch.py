"""URL fetching: real pages from a loopback server, and the SSRF refusals around it."""

from __future__ import annotations

import gzip
import ssl
import tracemalloc
from pathlib import Path

import httpx
import pytest

from ingest.fetch import Fetcher, FetchError, address_problem
from ingest.loaders import load_bytes
from tests.fixtures.ingest.pageserver import PageServer

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "harbour_talks.html").read_bytes()


@pytest.fixture
def server():
    with PageServer() as running:
        yield running


class PublicNameFetcher(Fetcher):
    """Treats the name `public.test` as a public host that DNS maps to the loopback server.

    Every other name (and every redirect target) is resolved and checked for real, so the tests
    exercise the refusal path exactly as it runs in production, without leaving the machine.
    """

    def resolve(self, host: str, port: int) -> str:
        if host == "public.test":
            return "127.0.0.1"
        return super().resolve(host, port)


def test_fetches_a_page_when_private_addresses_are_allowed(server):
    url = server.page("/world/harbour", PAGE)
    page = Fetcher(allow_private=True).fetch(url)
    assert page.content_type == "text/html" and page.body == PAGE
    (doc,) = load_bytes(page.body, page.name, url=page.url, content_type=page.content_type)
    assert "Borg urged Tunisia to share search-and-rescue data" in doc.text
    assert doc.url == url


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"])
def test_loopback_is_refused_by_default(server, host):
    server.page("/p", PAGE)
    with pytest.raises(FetchError, match=r"refused: .* address") as caught:
        Fetcher().fetch(f"http://{host}:{server.port}/p")
    assert "BRIEFBOT_ALLOW_PRIVATE_URLS" in str(caught.value)
    assert server.hosts == []  # refused before any connection


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),
        ("240.0.0.1", "reserved"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 of the cloud metadata address
        ("2002:c0a8:1::1", "private"),  # 6to4 of 192.168.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo whose client is 127.0.0.1
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
    ],
)
def test_address_classes_that_are_refused(address, kind):
    assert kind in (address_problem(address) or "")


def test_public_addresses_pass():
    assert address_problem("93.184.216.34") is None
    assert address_problem("2606:2800:220:1:248:1893:25c8:1946") is None
    assert address_problem("2002:5db8:d822::1") is None  # 6to4 of a public address


def test_redirect_to_loopback_is_refused_after_the_first_hop(server):
    server.page("/secret", b"<html><body><p>internal admin page with secrets inside it</p></body></html>")
    server.redirect("/story", f"http://127.0.0.1:{server.port}/secret")
    fetcher = PublicNameFetcher()
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to a loopback address"):
        fetcher.fetch(f"http://public.test:{server.port}/story")
    assert server.hosts == [f"public.test:{server.port}"]  # the first hop only


def test_connection_is_pinned_to_the_checked_address_and_keeps_the_host_name(server):
    url = server.page("/world/harbour", PAGE)
    server.redirect("/short", "/world/harbour", status=301)
    page = PublicNameFetcher().fetch(f"http://public.test:{server.port}/short")
    assert page.body == PAGE
    assert page.url == f"http://public.test:{server.port}/world/harbour"
    assert server.hosts == [f"public.test:{server.port}"] * 2
    assert url.endswith(page.url.split(str(server.port), 1)[1])


def test_redirect_loops_are_cut_off(server):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        Fetcher(allow_private=True).fetch(server.base + "/a")


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda s: s.page("/missing", b"not here", status=404), "HTTP 404"),
        (lambda s: s.page("/img", b"\x89PNG....", content_type="image/png"), "content type image/png"),
        (lambda s: s.page("/big", b"<p>" + b"x" * 5000 + b"</p>"), "over the 4 KB limit"),
        (lambda s: s.page("/empty", b""), "empty response"),
        (lambda s: s.slow("/slow", 2.0), "timed out"),
    ],
)
def test_bad_pages_fail_with_a_reason(server, setup, reason):
    url = setup(server)
    with pytest.raises(FetchError, match=reason):
        Fetcher(allow_private=True, max_bytes=4096, timeout=0.5).fetch(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/file.txt", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:pw@public.test/", "credentials"),
        ("http:///nohost", "names no host"),
    ],
)
def test_urls_that_are_never_fetched(url, reason):
    with pytest.raises(FetchError, match=reason):
        PublicNameFetcher().fetch(url)


TLS = FIXTURES / "tls"  # a self-signed certificate for the name public.test, made for these tests only


def test_https_is_pinned_to_the_checked_address_and_verified_against_the_host_name():
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(TLS / "public-test.crt", TLS / "public-test.key")
    client_tls = ssl.create_default_context(cafile=str(TLS / "public-test.crt"))
    with PageServer(tls=server_tls) as server:
        server.page("/world/harbour", PAGE)
        page = PublicNameFetcher(verify=client_tls).fetch(f"https://public.test:{server.port}/world/harbour")
        assert page.body == PAGE and server.hosts == [f"public.test:{server.port}"]
        # The same server under a name its certificate does not carry is refused by TLS.
        with pytest.raises(FetchError, match="could not connect"):
            Fetcher(allow_private=True, verify=client_tls).fetch(f"https://127.0.0.1:{server.port}/world/harbour")
        # And a certificate nobody vouches for is refused with the default trust store.
        with pytest.raises(FetchError, match="could not connect"):
            PublicNameFetcher().fetch(f"https://public.test:{server.port}/world/harbour")


def compressed_page(server: PageServer, path: str, body: bytes, encoding: str = "gzip") -> str:
    """A page compressed although the fetcher asked for none (servers may ignore Accept-Encoding)."""
    data = gzip.compress(body) if encoding == "gzip" else body
    server.routes[path] = (200, {"Content-Type": "text/html", "Content-Encoding": encoding}, data)
    return server.base + path


def test_pages_are_asked_for_uncompressed():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=httpx.ByteStream(PAGE))

    page = PublicNameFetcher(transport=httpx.MockTransport(handler)).fetch("http://public.test/world/harbour")
    assert page.body == PAGE and seen["accept-encoding"] == "identity"


def test_a_compressed_page_is_still_read(server):
    page = Fetcher(allow_private=True).fetch(compressed_page(server, "/gz", PAGE))
    assert page.body == PAGE


def test_a_compression_bomb_stops_at_the_cap_without_inflating(server):
    """64 MB of zeros gzip to 64 KB, under the 128 KB cap as sent: reading must stop at the cap as
    inflated, not inflate whole network chunks (tens of MB) before checking."""
    url = compressed_page(server, "/bomb", b"\0" * (64 * 1024 * 1024))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="over the 128 KB limit"):
            Fetcher(allow_private=True, max_bytes=128 * 1024).fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"{peak // (1024 * 1024)} MB held while reading a page capped at 128 KB"


def test_an_encoding_that_was_not_asked_for_and_cannot_be_bounded_is_refused(server):
    url = compressed_page(server, "/br", b"\x1b\x00\x00\x00", encoding="br")
    with pytest.raises(FetchError, match="content encoding 'br'"):
        Fetcher(allow_private=True).fetch(url)
