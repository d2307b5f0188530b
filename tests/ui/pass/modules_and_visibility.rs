// `pub`, `pub(crate)`, `super::` paths, private helpers and `use` imports
use actix_web::App;

const GREETING: &str = "hello";

mod handlers {
    use actix_web::{get, post};
    use cors_actix::cors;

    fn private_helper() -> &'static str {
        super::GREETING
    }

    #[cors(origins = "https://app.example.com")]
    #[get("/hello")]
    pub async fn hello() -> &'static str {
        private_helper()
    }

    #[cors(origins = "https://app.example.com")]
    #[post("/hello")]
    pub(crate) async fn hello_post() -> String {
        format!("{} {}", self::private_helper(), crate::GREETING)
    }

    pub mod nested {
        use actix_web::get;

        #[cors_actix::cors(origins = "https://app.example.com")]
        #[get("/nested")]
        pub(in crate::handlers) async fn nested() -> &'static str {
            super::super::GREETING
        }

        pub fn config(cfg: &mut actix_web::web::ServiceConfig) {
            cfg.service(nested);
        }
    }
}

fn main() {
    let _ = App::new().service(handlers::hello).service(handlers::hello_post).configure(handlers::nested::config);
}
