"""GET /metrics: Prometheus text with request counts by route template, latencies and the store size."""

from __future__ import annotations

import re

from tests.api.routes.conftest import Api

_SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+Inf]+$')


def _samples(text: str) -> dict[str, float]:
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if not line.startswith("#")
    }


def test_metrics_are_prometheus_text(example_api: Api) -> None:
    example_api.client.get("/api/search", params={"q": "radar"})
    example_api.client.get("/api/search", params={"q": "tno"})
    example_api.client.get("/api/search")  # 400
    response = example_api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    for line in response.text.splitlines():
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or _SAMPLE.match(line), line
    samples = _samples(response.text)
    assert samples['defport_kg_http_requests_total{method="GET",route="/api/search",status="200"}'] == 2
    assert samples['defport_kg_http_requests_total{method="GET",route="/api/search",status="400"}'] == 1
    assert samples['defport_kg_http_request_duration_seconds_count{route="/api/search"}'] == 3
    assert samples['defport_kg_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"}'] == 3
    assert samples["defport_kg_store_triples"] == example_api.store.triple_count() > 1000


def test_routes_are_labelled_by_template_not_raw_path(api: Api) -> None:
    for key_id in ("0123456789ab", "ba9876543210"):
        api.client.get(f"/api/keys/{key_id}", headers=api.auth("admin"))
    api.client.get("/no/such/page/1")
    api.client.get("/no/such/page/2")
    text = api.client.get("/metrics").text
    assert 'route="/api/keys/{key_id}",status="404"} 2' in text
    assert 'route="unmatched",status="404"} 2' in text
    assert "0123456789ab" not in text and "/no/such" not in text


def test_histogram_buckets_are_cumulative(api: Api) -> None:
    for _ in range(3):
        api.client.get("/health")
    samples = _samples(api.client.get("/metrics").text)
    buckets = [
        v for k, v in samples.items() if k.startswith('defport_kg_http_request_duration_seconds_bucket{route="/health"')
    ]
    assert buckets == sorted(buckets) and buckets[-1] == 3
