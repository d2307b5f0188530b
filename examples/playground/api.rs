//! The playground's API: annotated routes with several policies, a global
//! default, and the endpoints the page uses to explain what happened.

use crate::recorder::{self, Recorder};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{delete, get, patch, post, put, web, App, Error, HttpResponse, Responder};
use cors_actix::{cors, cors_policy, Cors, CorsPolicy};
use cors_core::browser::{
    check_actual, check_preflight, classify, Blocked, BrowserRequest, Credentials, Header, Response,
};
use serde_json::{json, Value};

/// The default for every route without `#[cors]`: the page's origin (any
/// port on 127.0.0.1), simple methods only.
pub fn global_policy() -> CorsPolicy {
    cors_policy!(origins = ["http://127.0.0.1:*"], methods = [GET, HEAD, POST], expose_headers = ["x-request-id"])
}

/// Public data: any origin, no credentials, `Access-Control-Allow-Origin: *`.
#[cors(origins = "*", expose_headers = ["x-request-id"])]
#[get("/public")]
async fn public_data() -> impl Responder {
    HttpResponse::Ok().insert_header(("x-request-id", "pub-1")).json(json!({"weather": "sunny"}))
}

/// A credentialed, preflighted route: JSON body, custom header, cookies.
/// `expose_headers` is left out, so the route inherits the global
/// policy's, as it does every key it does not set.
#[cors(
    origins = ["http://127.0.0.1:*", "https://app.example.com"],
    credentials = true,
    allow_headers = ["content-type", "x-request-id"],
    max_age = 0,
)]
#[put("/orders")]
async fn update_order(body: web::Bytes) -> impl Responder {
    HttpResponse::Ok().insert_header(("x-request-id", "ord-7")).json(json!({"updated": body.len()}))
}

/// `PATCH` is not one of the methods a browser upper-cases (Fetch,
/// "normalize" a method), so this route allows `fetch(url, { method: "PATCH" })`
/// but not `method: "patch"`, which goes on the wire as `patch`.
#[cors(origins = ["http://127.0.0.1:*"], max_age = 0)]
#[patch("/orders")]
async fn patch_order(body: web::Bytes) -> impl Responder {
    HttpResponse::Ok().json(json!({"patched": body.len()}))
}

/// Validates an order: a 422 error the page can still read, because error
/// responses carry CORS headers too.
#[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["content-type"], max_age = 0)]
#[post("/orders/validate")]
async fn validate_order(order: web::Json<Value>) -> impl Responder {
    match order.get("quantity").and_then(Value::as_u64) {
        Some(q) if q > 0 => HttpResponse::Ok().json(json!({"valid": true})),
        _ => HttpResponse::UnprocessableEntity().json(json!({"error": "quantity must be a positive number"})),
    }
}

/// Only partner sites under example.com: the playground page is refused.
#[cors(origins = ["https://*.example.com"], allow_headers = ["content-type"], max_age = 0)]
#[delete("/partners/cache")]
async fn purge_partner_cache() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// `reject = true`: a disallowed origin gets 403 and the handler never runs.
#[cors(origins = ["https://admin.example.com"], reject)]
#[get("/admin/report")]
async fn admin_report() -> impl Responder {
    "secret report"
}

/// A device on the private network: answers Private Network Access
/// preflights.
#[cors(origins = ["http://127.0.0.1:*"], private_network, max_age = 0)]
#[get("/printer/status")]
async fn printer_status() -> impl Responder {
    HttpResponse::Ok().json(json!({"paper": "low"}))
}

/// Opts out of CORS entirely, even under the global default.
#[cors(off)]
#[get("/internal/metrics")]
async fn metrics() -> impl Responder {
    "requests_total 42"
}

/// No attribute: the global default applies.
#[get("/health")]
async fn health() -> impl Responder {
    HttpResponse::Ok().insert_header(("x-request-id", "health-1")).body("ok")
}

/// What the API saw and sent for one traced request.
#[cors(origins = ["http://127.0.0.1:*"])]
#[get("/__trace/{id}")]
async fn trace(id: web::Path<String>, recorder: web::Data<Recorder>) -> impl Responder {
    HttpResponse::Ok().json(recorder.get(&id))
}

/// Every route's effective policy (`cors_actix::routes`).
#[cors(origins = ["http://127.0.0.1:*"])]
#[get("/__routes")]
async fn routes() -> impl Responder {
    let global = global_policy();
    let list: Vec<Value> = cors_actix::routes(Some(&global))
        .into_iter()
        .map(|r| {
            json!({
                "handler": r.route.handler,
                "methods": r.route.methods,
                "path": r.path,
                "policy": match &r.effective { Ok(p) => p.to_string(), Err(e) => format!("INVALID: {e}") },
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({"global": global.to_string(), "routes": list}))
}

/// The script's headers from the page's `[[name, value], ...]`.
fn page_headers(req: &Value) -> Vec<Header> {
    req.get("headers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|pair| Some(Header::new(pair.get(0)?.as_str()?, pair.get(1)?.as_str()?.as_bytes())))
                .collect()
        })
        .unwrap_or_default()
}

/// The browser's step 2, by cors-core's model of the Fetch standard: is this
/// request simple, or does it need a preflight, and why.
#[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["content-type"], max_age = 0)]
#[post("/__classify")]
async fn classify_request(req: web::Json<Value>) -> impl Responder {
    let method = req.get("method").and_then(Value::as_str).unwrap_or("GET");
    match classify(method, &page_headers(&req)) {
        Ok(c) => HttpResponse::Ok().json(json!({
            "needs_preflight": c.needs_preflight,
            "reasons": c.reasons,
            "method": c.method,
            "unsafe_headers": c.unsafe_header_names,
        })),
        Err(blocked) => HttpResponse::Ok().json(json!({"error": blocked.to_string()})),
    }
}

/// Header lines recorded as `[[name, value], ...]`.
fn recorded_headers(exchange: &Value, key: &str) -> Vec<(String, String)> {
    exchange
        .get(key)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|pair| Some((pair.get(0)?.as_str()?.to_owned(), pair.get(1)?.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// A recorded response, as cors-core's browser model takes it.
fn recorded_response(exchange: &Value) -> Response {
    let status = exchange.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()).unwrap_or(0);
    recorded_headers(exchange, "response_headers").into_iter().fold(Response::new(status), |r, (k, v)| r.header(k, v))
}

fn check_json(result: Result<(), Blocked>) -> Value {
    match result {
        Ok(()) => json!({"passed": true}),
        Err(b) => json!({"passed": false, "check": b.step.to_string(), "reason": b.reason}),
    }
}

/// The checks the browser runs on each response of a traced exchange
/// (Fetch, "CORS-preflight fetch" for the preflight's response, "CORS check"
/// for the actual one), by cors-core's model, so that the page can colour
/// each step by its own check. The body is the page's request: `method`,
/// `headers` and `credentials`; the origin is the one the API saw.
#[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["content-type"], max_age = 0)]
#[post("/__check/{id}")]
async fn check_exchange(id: web::Path<String>, req: web::Json<Value>, recorder: web::Data<Recorder>) -> impl Responder {
    let seen = recorder.get(&id);
    let preflight = seen.iter().find(|x| x["kind"] == "preflight");
    let actual = seen.iter().find(|x| x["kind"] == "actual");
    let origin = preflight
        .or(actual)
        .and_then(|x| recorded_headers(x, "request_headers").into_iter().find(|(k, _)| k == "origin"))
        .map(|(_, v)| v)
        .unwrap_or_default();
    let method = req.get("method").and_then(Value::as_str).unwrap_or("GET");
    let headers = page_headers(&req);
    let credentials = match req.get("credentials").and_then(Value::as_str) {
        Some("include") => Credentials::Include,
        Some("omit") => Credentials::Omit,
        _ => Credentials::SameOrigin,
    };
    let asked_private_network = preflight.is_some_and(|p| {
        recorded_headers(p, "request_headers").iter().any(|(k, _)| k == "access-control-request-private-network")
    });
    let mut page =
        BrowserRequest::new(origin, method, "/").credentials(credentials).private_network(asked_private_network);
    for h in &headers {
        page = page.header(h.name.clone(), h.value.clone());
    }
    let classification = match classify(method, &headers) {
        Ok(c) => c,
        Err(blocked) => return HttpResponse::Ok().json(json!({"error": blocked.to_string()})),
    };
    HttpResponse::Ok().json(json!({
        "preflight": preflight.map(|p| check_json(check_preflight(&page, &classification, &recorded_response(p)))),
        "actual": actual.map(|a| check_json(check_actual(&page, &recorded_response(a)).map(drop))),
    }))
}

/// The API application.
pub fn app(
    recorder: web::Data<Recorder>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(recorder)
        .wrap(Cors::new(global_policy()).debug_reasons(true).record_rejections(true))
        .wrap(actix_web::middleware::from_fn(recorder::record))
        .service(public_data)
        .service(update_order)
        .service(patch_order)
        .service(validate_order)
        .service(purge_partner_cache)
        .service(admin_report)
        .service(printer_status)
        .service(metrics)
        .service(health)
        .service(trace)
        .service(routes)
        .service(classify_request)
        .service(check_exchange)
}
