//! Rule 1: which requests are CORS requests, and of which kind.

use super::*;

// ---- rule 1: classification -------------------------------------------------

#[test]
fn no_origin_is_not_cors_and_varies_on_origin_for_a_list_policy() {
    let plan = not_cors(&app_only(), &RequestParts::new(b"GET"));
    assert_eq!(plan, Plan { vary: VarySet::ORIGIN, ..Plan::EMPTY });
}

#[test]
fn no_origin_gets_star_without_vary_for_an_any_origin_policy() {
    let plan = not_cors(&any_origin(), &RequestParts::new(b"GET"));
    assert_eq!(plan, Plan { allow_origin: AllowOrigin::Any, ..Plan::EMPTY });
}

#[test]
fn classification_table() {
    let lines: &[&[u8]] = &[b"x-a"];
    let table: &[(&str, RequestParts<'_>, RequestKind)] = &[
        ("GET, no Origin", RequestParts::new(b"GET"), RequestKind::NotCors),
        ("OPTIONS + ACRM, no Origin", RequestParts::new(b"OPTIONS").request_method(b"PUT"), RequestKind::NotCors),
        ("OPTIONS + ACRH, no Origin", RequestParts::new(b"OPTIONS").request_headers(lines), RequestKind::NotCors),
        ("OPTIONS + Origin + ACRM", preflight(APP, b"PUT"), RequestKind::Preflight),
        (
            "OPTIONS + Origin + ACRM twice",
            RequestParts { request_method: HeaderInput::Many, ..actual(b"OPTIONS", APP) },
            RequestKind::Preflight,
        ),
        ("OPTIONS + Origin, no ACRM", actual(b"OPTIONS", APP), RequestKind::Actual),
        ("OPTIONS + Origin + ACRH, no ACRM", actual(b"OPTIONS", APP).request_headers(lines), RequestKind::Actual),
        ("GET + Origin + ACRM", actual(b"GET", APP).request_method(b"PUT"), RequestKind::Actual),
        ("lower-case options + Origin + ACRM", actual(b"options", APP).request_method(b"PUT"), RequestKind::Actual),
        ("POST + Origin", actual(b"POST", APP), RequestKind::Actual),
        (
            "GET + Origin twice",
            RequestParts { origin: HeaderInput::Many, ..RequestParts::new(b"GET") },
            RequestKind::Actual,
        ),
        ("GET + empty Origin", actual(b"GET", b""), RequestKind::Actual),
    ];
    for (name, req, want) in table {
        assert_eq!(req.kind(), *want, "{name}");
    }
}

#[test]
fn options_with_origin_but_no_acrm_is_answered_as_an_actual_request() {
    let policy = api();
    let plan = allowed(&policy, &actual(b"OPTIONS", APP));
    assert!(!plan.allow_methods && !plan.allow_headers && !plan.max_age, "{plan:?}");
    let (rejection, _, _) = disallowed(&policy, &actual(b"OPTIONS", EVIL));
    assert_eq!(rejection, Rejection::OriginNotAllowed);
}

#[test]
fn acrm_on_a_non_options_request_does_not_make_a_preflight() {
    let policy = api();
    // DELETE is not an allowed preflight method, but this is no preflight.
    assert_eq!(allowed(&policy, &actual(b"GET", APP).request_method(b"DELETE")).allow_origin, AllowOrigin::Mirror);
    assert!(!allowed(&policy, &actual(b"options", APP).request_method(b"DELETE")).allow_methods);
}

#[test]
fn header_input_from_values_counts_lines() {
    let none: [&[u8]; 0] = [];
    assert_eq!(HeaderInput::from_values(none), HeaderInput::Absent);
    assert_eq!(HeaderInput::from_values([&b"a"[..]]), HeaderInput::One(b"a"));
    assert_eq!(HeaderInput::from_values([&b"a"[..], b"a"]), HeaderInput::Many);
}
