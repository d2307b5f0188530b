//! Records what the API saw and sent for every request tagged with a
//! `trace=<id>` query parameter, so the page can show the preflight and the
//! actual exchange "as the server saw them" — including the headers the
//! browser hides from scripts and the server's reason for a refusal.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use actix_web::{web, Error};
use cors_actix::Rejection;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::Mutex;

/// At most this many traces are kept; older ones are dropped.
const MAX_TRACES: usize = 500;

#[derive(Default)]
pub struct Recorder {
    traces: Mutex<VecDeque<(String, Vec<Value>)>>,
}

impl Recorder {
    fn push(&self, id: &str, exchange: Value) {
        let mut traces = self.traces.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, list)) = traces.iter_mut().find(|(t, _)| t == id) {
            list.push(exchange);
            return;
        }
        if traces.len() == MAX_TRACES {
            traces.pop_front();
        }
        traces.push_back((id.to_owned(), vec![exchange]));
    }

    pub fn get(&self, id: &str) -> Vec<Value> {
        let traces = self.traces.lock().unwrap_or_else(|e| e.into_inner());
        traces.iter().find(|(t, _)| t == id).map(|(_, l)| l.clone()).unwrap_or_default()
    }
}

fn headers_json(headers: &HeaderMap) -> Value {
    let mut list: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    list.sort();
    Value::Array(list.into_iter().map(|(k, v)| json!([k, v])).collect())
}

fn trace_id(req: &ServiceRequest) -> Option<String> {
    req.query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("trace="))
        .map(|id| id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect())
}

/// The outermost middleware of the API: sees the final headers.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let Some(id) = trace_id(&req) else { return next.call(req).await };
    let recorder = req.app_data::<web::Data<Recorder>>().cloned();
    let is_preflight =
        req.method() == actix_web::http::Method::OPTIONS && req.headers().contains_key("access-control-request-method");
    let seen = json!({
        "kind": if is_preflight { "preflight" } else { "actual" },
        "method": req.method().as_str(),
        "path": req.path(),
        "request_headers": headers_json(req.headers()),
    });
    let result = next.call(req).await;
    let (status, headers, rejection) = match &result {
        Ok(res) => (
            res.status().as_u16(),
            headers_json(res.headers()),
            res.response().extensions().get::<Rejection>().map(|r| r.to_string()),
        ),
        Err(e) => {
            let r = e.error_response();
            let rejection = r.extensions().get::<Rejection>().map(|r| r.to_string());
            (r.status().as_u16(), headers_json(r.headers()), rejection)
        }
    };
    if let Some(recorder) = recorder {
        let mut exchange = seen;
        exchange["status"] = json!(status);
        exchange["response_headers"] = headers;
        exchange["rejection"] = json!(rejection);
        recorder.push(&id, exchange);
    }
    result
}
