"""The OpenAPI document at /api/openapi.json is valid OpenAPI 3, and every answer of every endpoint, errors
included, matches the schema the document gives for that path and status ($refs resolved): for a list of
chosen queries, and for queries that hypothesis generates from the document's parameter schemas."""

import jsonschema
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .factories import EncounterCountFactory, build_site

SPEC_URI = "urn:briefings:openapi"

EXPECTED_PATHS = {
    "/api/",
    "/api/briefings",
    "/api/briefings/{slug}",
    "/api/figures",
    "/api/figures/{slug}",
    "/api/reward-programs",
    "/api/reward-programs/{slug}",
    "/api/reward-offers",
    "/api/reward-offers/{slug}",
    "/api/tip-channels",
    "/api/places",
    "/api/places/{slug}",
    "/api/organizations",
    "/api/organizations/{slug}",
    "/api/encounter-counts",
}


@pytest.fixture
def spec(client, db):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    return response.json()


def pointer(*parts):
    return "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def response_validator(spec, path, status, method="get"):
    """A JSON Schema validator for the body the document promises for `method path` answering `status`."""
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    where = pointer("paths", path, method, "responses", status, "content", "application/json", "schema")
    return jsonschema.Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/{where}"},
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def test_the_openapi_document_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)  # raises on any error
    assert set(spec["paths"]) == EXPECTED_PATHS
    assert all(set(operations) == {"get"} for operations in spec["paths"].values())


def test_every_parameter_and_answer_is_documented(spec):
    list_parameters = {"limit", "offset", "page"}
    for path, operations in spec["paths"].items():
        operation = operations["get"]
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        if path.endswith("{slug}"):
            assert names == {"slug"}, path
            assert set(operation["responses"]) == {"200", "404"}, path
        elif path != "/api/":
            assert list_parameters <= names, path
            assert set(operation["responses"]) == {"200", "422"}, path
    encounter_parameters = {p["name"] for p in spec["paths"]["/api/encounter-counts"]["get"]["parameters"]}
    assert {"from", "to", "region", "area", "component", "fiscal_year"} <= encounter_parameters
    money = spec["components"]["schemas"]["RewardOffer"]["properties"]["ceiling_amount"]
    assert (money["type"], money["format"]) == ("string", "decimal")


def calls(site):
    """(documented path, address, status) for every endpoint: answers, empty answers and errors."""
    briefing, figure, offer = site.briefings[0], site.figures[0], site.offers[0]
    return [
        ("/api/", "/api/", 200),
        ("/api/briefings", "/api/briefings?limit=2", 200),
        ("/api/briefings", f"/api/briefings?topic={site.topic.slug}&published_from=2024-01-01", 200),
        ("/api/briefings", "/api/briefings?offset=100", 200),
        ("/api/briefings", "/api/briefings?topic=nothing", 422),
        ("/api/briefings", "/api/briefings?limit=many", 422),
        ("/api/briefings/{slug}", f"/api/briefings/{briefing.slug}", 200),
        ("/api/briefings/{slug}", f"/api/briefings/{site.hidden_briefings[0].slug}", 404),
        ("/api/figures", "/api/figures", 200),
        ("/api/figures", f"/api/figures?metric={site.metric.slug}&key=true", 200),
        ("/api/figures", "/api/figures?place=nowhere", 422),
        ("/api/figures/{slug}", f"/api/figures/{figure.slug}", 200),
        ("/api/figures/{slug}", f"/api/figures/{site.hidden_figures[0].slug}", 404),
        ("/api/reward-programs", "/api/reward-programs", 200),
        ("/api/reward-programs", "/api/reward-programs?page=0", 422),
        ("/api/reward-programs/{slug}", f"/api/reward-programs/{site.program.slug}", 200),
        ("/api/reward-programs/{slug}", "/api/reward-programs/none", 404),
        ("/api/reward-offers", "/api/reward-offers?status=active", 200),
        ("/api/reward-offers", "/api/reward-offers?status=maybe", 422),
        ("/api/reward-offers/{slug}", f"/api/reward-offers/{offer.slug}", 200),
        ("/api/reward-offers/{slug}", "/api/reward-offers/none", 404),
        ("/api/tip-channels", "/api/tip-channels", 200),
        ("/api/tip-channels", "/api/tip-channels?kind=pigeon", 422),
        ("/api/places", "/api/places", 200),
        ("/api/places", "/api/places?kind=planet", 422),
        ("/api/places/{slug}", f"/api/places/{site.city.slug}", 200),
        ("/api/places/{slug}", "/api/places/none", 404),
        ("/api/organizations", "/api/organizations", 200),
        ("/api/organizations", "/api/organizations?limit=0", 422),
        ("/api/organizations/{slug}", f"/api/organizations/{site.agency.slug}", 200),
        ("/api/organizations/{slug}", "/api/organizations/none", 404),
        ("/api/encounter-counts", "/api/encounter-counts?from=2023-10&to=2024-09&component=usbp", 200),
        ("/api/encounter-counts", "/api/encounter-counts?from=October", 422),
    ]


def test_every_answer_matches_the_document(client, spec, db):
    site = build_site(briefings=3)
    EncounterCountFactory()
    covered = set()
    for path, url, status in calls(site):
        response = client.get(url)
        assert response.status_code == status, (url, response.content)
        body = response.json()
        errors = sorted(response_validator(spec, path, status).iter_errors(body), key=str)
        assert not errors, (url, [f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]])
        covered.add((path, str(status)))
    documented = {
        (path, status) for path, operations in spec["paths"].items() for status in operations["get"]["responses"]
    }
    assert documented == covered


def test_the_seed_report_matches_the_document(client, spec, seed):
    for path, url in [
        ("/api/briefings", "/api/briefings"),
        ("/api/briefings/{slug}", "/api/briefings/us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"),
        ("/api/figures", "/api/figures?limit=100"),
        ("/api/reward-programs", "/api/reward-programs"),
        ("/api/tip-channels", "/api/tip-channels"),
        ("/api/places", "/api/places?limit=100"),
        ("/api/organizations", "/api/organizations?limit=100"),
    ]:
        response_validator(spec, path, 200).validate(client.get(url).json())


def test_the_validator_does_refuse_a_wrong_answer(spec):
    """Guards the tests above: a body that breaks the document is caught."""
    validator = response_validator(spec, "/api/reward-offers/{slug}", 200)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"slug": "an-offer"})
    wrong_amount = response_validator(spec, "/api/figures", 200)
    with pytest.raises(jsonschema.ValidationError):
        wrong_amount.validate({"count": 1, "next": None, "previous": None, "items": [{"value": 1500.0}]})


# --- Any query, generated -----------------------------------------------------------------------------------


def parameter_values(spec, schema, slugs):
    """Query-string values for a parameter of `schema`: mostly ones it allows, sometimes anything at all."""
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    allowed = options[0] if options else {"type": "string"}
    if "$ref" in allowed:
        allowed = spec["components"]["schemas"][allowed["$ref"].rsplit("/", 1)[-1]]
    if "enum" in allowed:
        valid = st.sampled_from([str(value) for value in allowed["enum"]])
    elif allowed.get("type") == "integer":
        low, high = allowed.get("minimum", -(10**6)), allowed.get("maximum", 10**6)
        valid = st.integers(min_value=low, max_value=high).map(str)
    elif allowed.get("type") == "boolean":
        valid = st.sampled_from(["true", "false"])
    elif allowed.get("format") == "date":
        valid = st.dates().map(lambda day: day.isoformat())
    elif "pattern" in allowed:
        valid = st.from_regex(allowed["pattern"], fullmatch=True)
    else:
        valid = st.sampled_from(slugs) | st.text(max_size=20)
    anything = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
    return st.one_of(valid, valid, anything, st.integers().map(str))


@pytest.fixture
def api_site(db):
    site = build_site(briefings=3)
    EncounterCountFactory()
    return site


@settings(
    max_examples=150,
    deadline=None,
    database=None,  # no example database left in the working tree: each run draws afresh
    # The site is built once for all the examples: the API only reads.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_query_gets_an_answer_the_document_describes(client, spec, api_site, data):
    """Generated queries, from what each parameter's schema allows to arbitrary text: every answer has a status
    the document lists for the path, and the body the document gives for that status."""
    slugs = [
        record.slug for record in (*api_site.briefings, *api_site.hidden_briefings, *api_site.figures, api_site.city)
    ] + ["none"]
    path = data.draw(st.sampled_from(sorted(spec["paths"])), label="path")
    operation = spec["paths"][path]["get"]
    address, query = path, {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            slug = data.draw(st.sampled_from(slugs) | st.from_regex(r"[-a-z0-9]{1,30}", fullmatch=True))
            address = address.replace("{" + parameter["name"] + "}", slug)
        elif data.draw(st.booleans(), label=f"give {parameter['name']}"):
            query[parameter["name"]] = data.draw(
                parameter_values(spec, parameter["schema"], slugs), label=parameter["name"]
            )
    response = client.get(address, query)
    status = str(response.status_code)
    assert response.status_code < 500, (address, query, response.content[:300])
    assert status in operation["responses"], (address, query, response.content[:300])
    errors = sorted(response_validator(spec, path, status).iter_errors(response.json()), key=str)
    assert not errors, (address, query, [f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]])
