-- wrk: POST {"fahrenheit": 42} to converter-vertx, the peer of :predict.
wrk.method = "POST"
wrk.body = '{"fahrenheit": 42}'
wrk.headers["Content-Type"] = "application/json"
