//! Request-aware origin checks for actix: a predicate that sees the
//! request's checked origin and actix's own [`RequestHead`].

use actix_web::dev::RequestHead;
use cors_core::{OriginFn, RequestOrigin, RequestView, Text};

/// actix's request head as the framework-neutral view a predicate of
/// cors-core is asked with; its native value is the head itself.
pub(crate) struct ActixRequest<'a>(pub(crate) &'a RequestHead);

impl RequestView for ActixRequest<'_> {
    fn method(&self) -> &str {
        self.0.method.as_str()
    }

    fn path(&self) -> &str {
        self.0.uri.path()
    }

    fn header(&self, name: &str) -> Option<&[u8]> {
        self.0.headers.get(name).map(|v| v.as_bytes())
    }

    fn native(&self) -> Option<&dyn std::any::Any> {
        Some(self.0)
    }
}

/// An origin predicate that sees actix's [`RequestHead`] — method, URI,
/// headers, peer address — for the `origin_fn` of a policy built at run
/// time (the attribute's `origin_fn = path` takes a function of the same
/// signature).
///
/// It is asked about every origin the static `origins` refuse, for every
/// request (never cached; the answers carry `Vary: Origin`), only about
/// origins in serialized form (never `null`), and, with `credentials`,
/// never about a plain `http://` origin off loopback unless the policy
/// sets `allow_insecure_origins_with_credentials`. What it allows is
/// mirrored in `Access-Control-Allow-Origin`, never `*`.
///
/// ```
/// use actix_web::{get, test, App};
/// use cors_actix::{origin_fn, CorsPolicy, Cors};
///
/// #[get("/api/orders")]
/// async fn orders() -> &'static str { "[]" }
///
/// // Preview deployments of the app, `https://pr-<number>.preview.example`.
/// let previews = origin_fn("preview deployments", |origin, head| {
///     let number = origin.host().strip_prefix("pr-").and_then(|h| h.strip_suffix(".preview.example"));
///     origin.scheme() == "https"
///         && number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
///         && head.uri.path().starts_with("/api/")
/// });
/// let policy = CorsPolicy::builder().origins(["https://app.example"]).origin_fn(previews).build()?;
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().wrap(Cors::new(policy)).service(orders)).await;
/// let from = |origin: &'static str| {
///     test::TestRequest::get().uri("/api/orders").insert_header(("origin", origin)).to_request()
/// };
/// let res = test::call_service(&app, from("https://pr-42.preview.example")).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://pr-42.preview.example");
/// let res = test::call_service(&app, from("https://pr-x.preview.example")).await;
/// assert!(res.headers().get("access-control-allow-origin").is_none());
/// # });
/// # Ok::<(), cors_actix::PolicyError>(())
/// ```
pub fn origin_fn<F>(name: impl Into<Text>, predicate: F) -> OriginFn
where
    F: Fn(&RequestOrigin<'_>, &RequestHead) -> bool + Send + Sync + 'static,
{
    OriginFn::new(name, move |origin, request| call(&predicate, origin, request))
}

/// Asks an actix predicate with the request's head; a request from
/// outside actix (none of this crate's layers sends one) is refused.
#[doc(hidden)]
pub fn call<F>(predicate: &F, origin: &RequestOrigin<'_>, request: &dyn RequestView) -> bool
where
    F: Fn(&RequestOrigin<'_>, &RequestHead) -> bool,
{
    match request.native().and_then(|n| n.downcast_ref::<RequestHead>()) {
        Some(head) => predicate(origin, head),
        None => false,
    }
}
