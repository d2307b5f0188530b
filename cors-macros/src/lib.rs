//! Procedural macros for `cors-actix`: `#[cors(...)]` and `cors_policy!(...)`.
//! Use them through the `cors-actix` crate, which re-exports them.
//!
//! Both macros run the same steps: parse the keys (`attr`), validate them
//! with cors-core (`check`), and only then generate code (`expand`). Every
//! error of every step is collected (`ctxt`) and reported in one compile,
//! each on the literal it is about.
//!
//! ```
//! use actix_web::{get, App};
//! use cors_actix::{cors, cors_policy, Cors};
//!
//! #[cors(origins = ["https://app.example.com", "https://*.example.com"], credentials)]
//! #[get("/me")]
//! async fn me() -> &'static str { "me" }
//!
//! let global = cors_policy!(origins = "*", methods = [GET, HEAD]);
//! assert!(global.allows_origin(b"https://anyone.example"));
//! let _app = App::new().wrap(Cors::new(global)).service(me);
//! ```
#![deny(missing_docs)]

mod attr;
mod check;
mod ctxt;
mod expand;
mod route_attr;
mod suggest;

use proc_macro::TokenStream;

/// Declares the CORS policy of one actix route; checked at compile time.
///
/// Put `#[cors(...)]` **above** the route's actix attribute (`#[get]`,
/// `#[post]`, `#[put]`, `#[delete]`, `#[patch]`, `#[head]`, `#[options]` or
/// `#[route(path, method = "...", ...)]`, however it is imported), and
/// register the handler with `.service(handler)` as usual, in a scope or
/// not. The route's policy answers its [preflights] (`OPTIONS` with
/// `Access-Control-Request-Method`; the handler never runs for one) and
/// decorates every response, errors included. It needs no global [`Cors`]
/// middleware; with one, the keys the route does not set are inherited
/// from the global policy, and the global answers the route's preflights
/// before routing, so scope middleware (auth) never sees them either.
///
/// ```
/// use actix_web::{http::Method, post, test, App, Responder};
/// use cors_actix::cors;
///
/// #[cors(
///     origins = ["https://app.example.com", "https://*.partner.example"],
///     credentials,
///     allow_headers = ["content-type", "x-request-id"],
///     expose_headers = ["x-request-id"],
///     max_age = 600,
/// )]
/// #[post("/orders")]
/// async fn create_order() -> impl Responder {
///     "created"
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().service(create_order)).await;
/// let preflight = test::TestRequest::default()
///     .method(Method::OPTIONS)
///     .uri("/orders")
///     .insert_header(("origin", "https://shop.partner.example"))
///     .insert_header(("access-control-request-method", "POST"))
///     .insert_header(("access-control-request-headers", "content-type"))
///     .to_request();
/// let res = test::call_service(&app, preflight).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://shop.partner.example");
/// assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");
/// assert_eq!(res.headers().get("access-control-max-age").unwrap(), "600");
/// # });
/// ```
///
/// # Keys
///
/// | key | value | meaning |
/// |---|---|---|
/// | `origins` | `"*"`, `"https://a.example"`, or a list of them; patterns `"https://*.a.example"` (one or more labels), `"http://localhost:*"` (any port); `"null"` | who may call the route ([`Access-Control-Allow-Origin`]) |
/// | `origin_fn` | a path to a `fn(&RequestOrigin<'_>, &actix_web::dev::RequestHead) -> bool` | asked, per request, about origins `origins` does not allow; `origins` may then be left out. Never asked about `null`, nor (with `credentials`) about plain `http://` origins off loopback |
/// | `methods` | `[GET, POST, "PURGE"]` or `"*"` | methods a preflight may ask for; defaults to the route's own method(s). Bare names are the standard methods; an extension method is quoted |
/// | `allow_headers` | `["content-type", ...]` or `"*"` | request headers a preflight may ask for ([`Access-Control-Allow-Headers`]) |
/// | `expose_headers` | `["x-request-id", ...]` or `"*"` | response headers scripts may read ([`Access-Control-Expose-Headers`]) |
/// | `credentials` | `true`, `false`, or bare `credentials` | cookies and HTTP auth allowed ([`Access-Control-Allow-Credentials`]). Inherited like every key: a public route (`origins = "*"`) under a global with `credentials` must say `credentials = false`, or the app refuses to start |
/// | `max_age` | `0..=86400` | seconds a browser may cache the preflight ([`Access-Control-Max-Age`]) |
/// | `private_network` | `true`, `false`, or bare | answer Private Network Access preflights |
/// | `reject` | `true`, `false`, or bare | a disallowed origin gets 403 without running the handler (default: the handler runs, the response has no CORS headers) |
/// | `off` | bare, alone | the route never gets CORS headers, whatever the global policy says |
///
/// Without credentials, `*` in `methods`, `allow_headers` and
/// `expose_headers` means any (except `authorization`, which must be
/// listed). With credentials browsers read `*` as a literal name, so it is
/// refused.
///
/// ```
/// use actix_web::{delete, get, route, web, App, HttpResponse};
/// use cors_actix::cors;
///
/// #[cors(origins = "*")] // public, read-only
/// #[get("/status")]
/// async fn status() -> &'static str { "up" }
///
/// #[cors(origins = ["https://app.example.com"], reject)] // 403 for other origins
/// #[delete("/orders/{id}")]
/// async fn delete_order(id: web::Path<u32>) -> HttpResponse { HttpResponse::NoContent().finish() }
///
/// #[cors(origins = ["https://app.example.com"], private_network)]
/// #[route("/items/{id}", method = "PUT", method = "PATCH")]
/// async fn update_item(id: web::Path<u32>) -> String { format!("updated {id}") }
///
/// #[cors(off)] // never any CORS headers
/// #[get("/internal/metrics")]
/// async fn metrics() -> &'static str { "" }
///
/// let app = App::new()
///     .service(web::scope("/api").service(status).service(delete_order).service(update_item))
///     .service(metrics);
/// ```
///
/// # Compile errors
///
/// Every problem is reported in one compile, on the literal it is about,
/// with a hint. Policies that can never work are refused:
///
/// ```compile_fail
/// # use actix_web::get; use cors_actix::cors;
/// #[cors(origins = "https://app.example.com/")] // error: origin `https://app.example.com/` has a trailing slash
/// #[get("/orders")]
/// async fn orders() -> &'static str { "" }
/// # fn main() {}
/// ```
///
/// ```compile_fail
/// # use actix_web::get; use cors_actix::cors;
/// #[cors(origins = "https://*.com")] // error: allows every site under the public suffix `com`
/// #[get("/orders")]
/// async fn orders() -> &'static str { "" }
/// # fn main() {}
/// ```
///
/// So are dangerous ones:
///
/// ```compile_fail
/// # use actix_web::get; use cors_actix::cors;
/// #[cors(origins = "*", credentials)] // error: `origins = "*"` cannot be combined with `credentials`
/// #[get("/me")]
/// async fn me() -> &'static str { "" }
/// # fn main() {}
/// ```
///
/// and ones that contradict the route:
///
/// ```compile_fail
/// # use actix_web::post; use cors_actix::cors;
/// #[cors(origins = "https://app.example.com", methods = [GET])] // error: `methods` does not include `POST`
/// #[post("/orders")]
/// async fn create_order() -> &'static str { "" }
/// # fn main() {}
/// ```
///
/// Misspelled keys get a suggestion:
///
/// ```compile_fail
/// # use actix_web::get; use cors_actix::cors;
/// #[cors(origins = "*", allowed_headers = ["x-request-id"])] // error: unknown key; did you mean `allow_headers`?
/// #[get("/orders")]
/// async fn orders() -> &'static str { "" }
/// # fn main() {}
/// ```
///
/// And `#[cors]` must sit above the route attribute, since attributes
/// expand top-down and actix's would consume the function first:
///
/// ```compile_fail
/// # use actix_web::get; use cors_actix::cors;
/// #[get("/orders")]
/// #[cors(origins = "https://app.example.com")] // error: `#[cors]` must be placed above an actix route attribute
/// async fn orders() -> &'static str { "" }
/// # fn main() {}
/// ```
///
/// On any error the handler is still emitted unchanged, so the rest of the
/// program compiles and only the real errors show.
///
/// # What it generates
///
/// Like actix's own attributes, the handler's name becomes a unit struct
/// implementing `HttpServiceFactory` (with the handler's doc comments). The
/// policy is embedded as `static` data, so nothing is parsed at run time;
/// the route is listed by `cors_actix::routes` and checked against the
/// global policy when the app starts. The actix attribute gets the
/// policy's layer as its innermost `wrap`, and an `OPTIONS` route a guard
/// that keeps preflights (which belong to the policy) out of its resource.
///
/// [preflights]: https://developer.mozilla.org/en-US/docs/Glossary/Preflight_request
/// [`Cors`]: ../cors_actix/struct.Cors.html
/// [`Access-Control-Allow-Origin`]: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin
/// [`Access-Control-Allow-Headers`]: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Headers
/// [`Access-Control-Expose-Headers`]: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Expose-Headers
/// [`Access-Control-Allow-Credentials`]: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials
/// [`Access-Control-Max-Age`]: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Max-Age
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let mut cx = ctxt::Ctxt::new();
    let attrs = attr::Attrs::parse(args.into(), &mut cx);
    let handler = route_attr::read(item.clone(), &mut cx);
    let spec = check::route_policy(&attrs, handler.as_ref().map(|h| h.route.methods.as_slice()), &mut cx);
    match (cx.finish(), handler, spec) {
        (Ok(()), Some(handler), Some(spec)) => {
            expand::route(handler, &spec, attrs.origin_fn.as_ref().map(|e| &e.value))
        }
        (result, ..) => expand::route_fallback(route_attr::fallback_item(item), result.err()),
    }
    .into()
}

/// A [`CorsPolicy`] checked at compile time, e.g. the global default for
/// every route without `#[cors]`.
///
/// Takes the same keys as [`#[cors]`](macro@cors), with the same checks and
/// errors, and needs `origins` (a global policy has nothing to inherit it
/// from). Expands to an expression of type `CorsPolicy`, built from static
/// data. For a policy read at run time (environment, config file) use
/// `CorsPolicy::builder()`, which applies the same rules and returns errors
/// as values.
///
/// ```
/// use actix_web::{get, test, App};
/// use cors_actix::{cors_policy, Cors, CorsPolicy};
///
/// #[get("/health")] // no `#[cors]`: the global policy applies
/// async fn health() -> &'static str { "ok" }
///
/// let global: CorsPolicy = cors_policy!(
///     origins = ["https://app.example.com", "http://localhost:*"],
///     methods = [GET, HEAD],
///     max_age = 600,
/// );
/// assert!(global.allows_origin(b"http://localhost:5173"));
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().wrap(Cors::new(global)).service(health)).await;
/// let req = test::TestRequest::get().uri("/health").insert_header(("origin", "https://app.example.com"));
/// let res = test::call_service(&app, req.to_request()).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
/// # });
/// ```
///
/// ```compile_fail
/// # use cors_actix::cors_policy;
/// let global = cors_policy!(methods = [GET]); // error: no `origins` is set
/// ```
///
/// ```compile_fail
/// # use cors_actix::cors_policy;
/// let global = cors_policy!(origins = "https://App.example.com"); // error: origin contains upper-case letters
/// ```
///
/// [`CorsPolicy`]: ../cors_actix/struct.CorsPolicy.html
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    let mut cx = ctxt::Ctxt::new();
    let attrs = attr::Attrs::parse(input.into(), &mut cx);
    let spec = check::global_policy(&attrs, &mut cx);
    match (cx.finish(), spec) {
        (Ok(()), Some(spec)) => expand::policy(&spec, attrs.origin_fn.as_ref().map(|e| &e.value)),
        (result, _) => expand::policy_fallback(result.err()),
    }
    .into()
}
