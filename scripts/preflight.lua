-- wrk script: a CORS preflight for PUT /items with two requested headers,
-- from an allowed origin (scripts/load.sh).
wrk.method = "OPTIONS"
wrk.path = "/items"
wrk.headers["Origin"] = "https://app.example"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type, x-request-id"
