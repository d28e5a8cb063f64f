//! Open311 GeoReport v2, through a real HTTP client: the shapes of the spec's
//! own examples (wiki.open311.org/GeoReport_v2), keys, errors and the limit.

use hotline::secret::digest as hash_key;
use reqwest::Client;
use serde_json::Value;

use crate::driver;
use crate::helpers::{STAFF, TestApp};

/// The key `city` uses in these tests (its SHA-256 is in the config).
pub const KEY: &str = "city-secret-key";

pub async fn spawn_api(extra: &str) -> TestApp {
    let config = format!(
        "{STAFF}\n[telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [open311]\nenabled = true\nbase_url = \"http://hotline.test/open311/v2\"\n\
         contact = \"311@jnwater.test\"\nkeys = [{{ client = \"city\", key_sha256 = \"{}\" }}]\n{extra}",
        hash_key(KEY)
    );
    TestApp::spawn_with(&config).await
}

pub fn url(app: &TestApp, path: &str) -> String {
    format!("http://{}/open311/v2/{path}", app.http_addr())
}

pub async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    json(driver::get(&url(app, path)).await)
}

pub async fn post(app: &TestApp, fields: &[(&str, &str)]) -> (u16, Value) {
    json(driver::post_form(&url(app, "requests.json"), &[], fields).await)
}

fn json((status, text): (u16, String)) -> (u16, Value) {
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

/// The spec's error body: `[{"code": N, "description": "…"}]`.
pub fn assert_error(answer: &(u16, Value), code: u16, mentions: &str) {
    let (status, body) = answer;
    assert_eq!(*status, code, "{body}");
    assert_eq!(body[0]["code"], code, "{body}");
    let description = body[0]["description"].as_str().unwrap();
    assert!(description.contains(mentions), "{description}");
}

#[tokio::test]
async fn discovery_services_and_a_service_definition_have_the_specs_fields() {
    let app = spawn_api("").await;
    let (status, d) = get(&app, "discovery.json").await;
    assert_eq!(status, 200);
    assert_eq!(d["contact"], "311@jnwater.test");
    let endpoint = &d["endpoints"][0];
    assert_eq!(
        endpoint["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert_eq!(endpoint["url"], "http://hotline.test/open311/v2");
    assert_eq!(endpoint["formats"][1], "application/json");
    for key in ["changeset", "key_service"] {
        assert!(d[key].is_string(), "{key} in {d}");
    }

    let (_, zh) = get(&app, "services.json?locale=zh_CN").await;
    let (_, en) = get(&app, "services.json?locale=en").await;
    assert_eq!(zh.as_array().unwrap().len(), 7);
    let leak_zh = zh
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"] == "leak")
        .unwrap();
    let leak_en = en
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"] == "leak")
        .unwrap();
    assert_eq!(leak_zh["service_name"], "漏水/爆管");
    assert_eq!(leak_en["service_name"], "Leak or burst pipe");
    for key in ["description", "type", "keywords", "group"] {
        assert!(leak_en[key].is_string(), "{key} in {leak_en}");
    }
    assert_eq!(leak_en["metadata"], true);
    assert_eq!(leak_en["type"], "realtime");

    let (status, def) = get(&app, "services/outage.json").await;
    assert_eq!(status, 200);
    assert_eq!(def["service_code"], "outage");
    let compound = &def["attributes"][0];
    assert_eq!(compound["code"], "compound");
    assert_eq!(compound["datatype"], "singlevaluelist");
    assert_eq!(compound["variable"], true);
    assert_eq!(compound["required"], false);
    let yanshan = compound["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "yanshan");
    assert_eq!(yanshan.unwrap()["name"], "燕山小区");

    assert_error(
        &get(&app, "services/teapot.json").await,
        404,
        "service_code",
    );
    app.stop().await;
}

#[tokio::test]
async fn the_same_answers_come_as_xml() {
    let app = spawn_api("").await;
    let services = Client::new()
        .get(url(&app, "services.xml?locale=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(services.status(), 200);
    assert!(
        services.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml")
    );
    let text = services.text().await.unwrap();
    assert!(text.starts_with("<?xml"), "{text}");
    assert!(
        text.contains("<services><service><service_code>outage</service_code><service_name>Water outage</service_name>"),
        "{text}"
    );
    let fields = [("api_key", "wrong"), ("service_code", "leak")];
    let (status, text) = driver::post_form(&url(&app, "requests.xml"), &[], &fields).await;
    assert_eq!(status, 403);
    assert!(
        text.ends_with("<errors><error><code>403</code><description>Invalid api_key</description></error></errors>"),
        "{text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_posted_request_becomes_a_ticket_listed_without_the_residents_details() {
    let app = spawn_api("").await;
    let (status, created) = post(
        &app,
        &[
            ("api_key", KEY),
            ("service_code", "low_pressure"),
            ("address_string", "燕山小区 3号楼2单元"),
            ("lat", "36.6512"),
            ("long", "117.1201"),
            ("description", "三楼以上没有水压，电话 138 0000 0000"),
            ("phone", "13800000000"),
            ("first_name", "Li"),
            ("last_name", "Wei"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id, "JN-260209-0001");
    assert!(created[0].get("service_notice").is_some(), "{created}");

    let stored = app.reports().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].compound_id.as_deref(),
        Some("yanshan"),
        "matched like chat"
    );
    assert_eq!(stored[0].address_detail, "3号楼2单元");

    let (status, one) = get(&app, &format!("requests/{id}.json")).await;
    assert_eq!(status, 200);
    let r = &one[0];
    assert_eq!(r["service_request_id"], id.as_str());
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "low_pressure");
    assert_eq!(r["description"], "三楼以上没有水压，电话 ***");
    assert_eq!(r["agency_responsible"], "Jinan Water");
    assert_eq!(r["requested_datetime"], "2026-02-09T23:00:00+08:00");
    assert_eq!(r["address"], "燕山小区 3号楼2单元");
    assert_eq!(r["lat"], 36.6512);
    assert_eq!(r["long"], 117.1201);
    for key in [
        "status_notes",
        "updated_datetime",
        "expected_datetime",
        "media_url",
        "zipcode",
    ] {
        assert!(r.get(key).is_some(), "{key} missing from {r}");
    }
    let text = r.to_string();
    for private in ["13800000000", "138 0000 0000", "Li", "Wei"] {
        assert!(!text.contains(private), "{private} exposed in {text}");
    }

    let (_, listed) = get(
        &app,
        "requests.json?service_code=low_pressure,leak&status=open",
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, none) = get(&app, "requests.json?status=closed").await;
    assert_eq!(none.as_array().unwrap().len(), 0);
    let (_, earlier) = get(&app, "requests.json?end_date=2026-02-09T22:00:00%2B08:00").await;
    assert_eq!(earlier.as_array().unwrap().len(), 0);
    let (_, token) = get(&app, &format!("tokens/{id}.json")).await;
    assert_eq!(token[0]["service_request_id"], id.as_str());
    assert_error(
        &get(&app, "requests/JN-260209-9999.json").await,
        404,
        "service_request_id",
    );
    assert_error(
        &get(&app, "requests.json?start_date=yesterday").await,
        400,
        "start_date",
    );
    app.stop().await;
}

#[tokio::test]
async fn refused_requests_get_the_specs_error_and_store_nothing() {
    let app = spawn_api("").await;
    let malformed = Client::new()
        .post(url(&app, "requests.json"))
        .header("content-type", "application/json")
        .body("{\"service_code\": \"leak\", ")
        .send()
        .await
        .unwrap();
    let status = malformed.status().as_u16();
    let answer = json((status, malformed.text().await.unwrap()));
    assert_error(&answer, 400, "Malformed");
    assert_error(
        &post(
            &app,
            &[("service_code", "leak"), ("address_string", "燕山")],
        )
        .await,
        403,
        "api_key",
    );
    let wrong = [
        ("api_key", "guess"),
        ("service_code", "leak"),
        ("address_string", "燕山"),
    ];
    assert_error(&post(&app, &wrong).await, 403, "api_key");
    let unknown = [
        ("api_key", KEY),
        ("service_code", "teapot"),
        ("address_string", "燕山"),
    ];
    assert_error(&post(&app, &unknown).await, 404, "service_code");
    let long = "水".repeat(4001);
    let oversized = [
        ("api_key", KEY),
        ("service_code", "leak"),
        ("address_string", "燕山"),
        ("description", long.as_str()),
    ];
    assert_error(&post(&app, &oversized).await, 400, "description");
    let nowhere = [("api_key", KEY), ("service_code", "leak")];
    assert_error(&post(&app, &nowhere).await, 400, "address_string");
    let bad_lat = [
        ("api_key", KEY),
        ("service_code", "leak"),
        ("lat", "north"),
        ("long", "117"),
    ];
    assert_error(&post(&app, &bad_lat).await, 400, "lat");
    let bad_compound = [
        ("api_key", KEY),
        ("service_code", "leak"),
        ("address_string", "3号楼"),
        ("attribute[compound]", "atlantis"),
    ];
    assert_error(&post(&app, &bad_compound).await, 400, "compound");
    assert!(app.reports().await.is_empty(), "nothing stored");
    app.stop().await;
}
