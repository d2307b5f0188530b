// `#[cors]` routes inside `web::scope`, nested scopes and actix's `#[scope]`
use actix_web::{get, post, web, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
#[get("/orders")]
async fn orders() -> &'static str {
    "orders"
}

#[cors(origins = "https://app.example.com", credentials)]
#[post("/orders")]
async fn create_order() -> &'static str {
    "created"
}

#[actix_web::scope("/admin")]
mod admin {
    use actix_web::get;
    use cors_actix::cors;

    #[cors(origins = "https://admin.example.com")]
    #[get("/users")]
    pub async fn users() -> &'static str {
        "users"
    }
}

fn main() {
    let _ = App::new()
        .service(web::scope("/api").service(orders).service(create_order))
        .service(web::scope("/v2").service(web::scope("/shop").service(orders)))
        .service(admin::users);
}
