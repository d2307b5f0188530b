//! `examples/multi_tenant.rs`: a tenant added through the admin endpoint is
//! refused before and allowed after, by the in-process browser, without
//! rebuilding the app.

#[allow(dead_code)]
#[path = "../examples/multi_tenant.rs"]
mod multi_tenant;

use actix_web::http::StatusCode;
use actix_web::{test, App};
use cors_actix::test::Browser;
use multi_tenant::{routes, Tenants};

const NEW_TENANT: &str = "https://globex.example";

#[actix_web::test]
async fn a_tenant_added_at_run_time_is_refused_before_and_allowed_after() {
    let (cors, tenants) = Tenants::new(vec!["https://acme.example".into()], "secret".into()).unwrap();
    let app = test::init_service(App::new().wrap(cors).app_data(tenants).configure(routes)).await;
    let order = || {
        Browser::new(NEW_TENANT)
            .fetch("POST", "/api/orders")
            .credentials(true)
            .header("content-type", "application/json")
    };

    let before = order().send(&app).await;
    assert!(!before.is_allowed(), "{before:?}");
    let acme = Browser::new("https://acme.example").fetch("GET", "/api/orders").credentials(true).send(&app).await;
    assert!(acme.is_allowed(), "{acme:?}");

    let admin = |token: &str, body: &str| {
        test::TestRequest::post()
            .uri("/admin/tenants")
            .insert_header(("x-admin-token", token))
            .set_payload(body.to_owned())
            .to_request()
    };
    let res = test::call_service(&app, admin("wrong", NEW_TENANT)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A refused origin changes nothing and says why.
    let res = test::call_service(&app, admin("secret", "https://globex.example/")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let reason = test::read_body(res).await;
    assert!(String::from_utf8_lossy(&reason).contains("trailing slash"), "{reason:?}");
    assert!(!order().send(&app).await.is_allowed());

    let res = test::call_service(&app, admin("secret", NEW_TENANT)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let after = order().send(&app).await;
    assert!(after.is_allowed(), "{after:?}");
    assert!(after.preflighted(), "a JSON POST is preflighted");
    let acme = Browser::new("https://acme.example").fetch("GET", "/api/orders").credentials(true).send(&app).await;
    assert!(acme.is_allowed(), "earlier tenants keep working");
}
