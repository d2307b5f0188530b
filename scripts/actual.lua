-- wrk script: an actual CORS request, GET /items from an allowed origin
-- (scripts/load.sh).
wrk.method = "GET"
wrk.path = "/items"
wrk.headers["Origin"] = "https://app.example"
