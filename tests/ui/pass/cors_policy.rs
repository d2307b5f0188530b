// `cors_policy!` builds a `CorsPolicy` from every key, checked at compile time
use actix_web::App;
use cors_actix::{cors_policy, Cors, CorsPolicy};

fn main() {
    let any: CorsPolicy = cors_policy!(origins = "*", methods = [GET, HEAD]);
    assert!(any.allows_origin(b"https://anything.example"));

    let full = cors_policy!(
        origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*", "null"],
        methods = [GET, POST, "PURGE"],
        allow_headers = ["content-type"],
        expose_headers = ["x-request-id"],
        credentials,
        max_age = 600,
        private_network = true,
        reject = true,
        allow_null_with_credentials = true,
    );
    assert!(full.allows_origin(b"https://a.b.example.com"));
    assert!(full.allows_origin(b"null"));
    assert!(!full.allows_origin(b"https://example.com"));
    assert!(full.credentials() && full.private_network() && full.rejects());
    assert_eq!(full.spec().max_age, Some(600));

    let off = cors_policy!(off);
    assert!(off.is_off());

    // usable wherever an expression is
    let _ = App::new().wrap(Cors::new(cors_policy!(origins = ["https://app.example.com"])));
}
