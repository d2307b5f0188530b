// the generated service answers a preflight and an actual request at run time
use actix_web::http::Method;
use actix_web::{post, test, App};
use cors_actix::{cors, cors_policy, Cors};

#[cors(origins = ["https://app.example.com"], allow_headers = ["content-type"], max_age = 600)]
#[post("/orders")]
async fn create_order() -> &'static str {
    "created"
}

fn main() {
    actix_web::rt::System::new().block_on(async {
        let app = test::init_service(
            App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(create_order),
        )
        .await;
        let preflight = test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/orders")
            .insert_header(("origin", "https://app.example.com"))
            .insert_header(("access-control-request-method", "POST"))
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request();
        let res = test::call_service(&app, preflight).await;
        assert_eq!(res.status(), 204);
        assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
        assert_eq!(res.headers().get("access-control-max-age").unwrap(), "600");

        let actual = test::TestRequest::post().uri("/orders").insert_header(("origin", "https://app.example.com"));
        let res = test::call_service(&app, actual.to_request()).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
    });
    assert!(cors_actix::routes(None).iter().any(|r| r.route.handler == "create_order" && r.path == "/orders"));
}
