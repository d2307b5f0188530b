// handlers with extractors and any return type keep working
use actix_web::{get, post, put, web, App, HttpRequest, HttpResponse, Responder};
use cors_actix::cors;
use serde::Deserialize;

#[derive(Deserialize)]
struct Page {
    page: Option<u32>,
}

#[derive(Deserialize, serde::Serialize)]
struct Order {
    item: String,
}

struct Db;

#[cors(origins = "https://app.example.com")]
#[get("/orders/{id}")]
async fn get_order(id: web::Path<u32>, page: web::Query<Page>, req: HttpRequest) -> String {
    format!("{id} {:?} {}", page.page, req.path())
}

#[cors(origins = "https://app.example.com", allow_headers = ["content-type"])]
#[post("/orders")]
async fn create(order: web::Json<Order>, _db: web::Data<Db>) -> actix_web::Result<web::Json<Order>> {
    Ok(order)
}

#[cors(origins = "https://app.example.com")]
#[put("/orders/{id}")]
async fn replace(id: web::Path<u32>, body: web::Bytes) -> Result<HttpResponse, actix_web::Error> {
    Ok(HttpResponse::Ok().body(format!("{id}: {} bytes", body.len())))
}

#[cors(origins = "https://app.example.com")]
#[get("/either")]
async fn either() -> impl Responder {
    actix_web::Either::<&'static str, HttpResponse>::Left("left")
}

fn main() {
    let _ = App::new()
        .app_data(web::Data::new(Db))
        .service(get_order)
        .service(create)
        .service(replace)
        .service(either);
}
