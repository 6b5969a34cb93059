-- wrk: POST {"inputs": 42} as the TensorFlow Serving clients this replaces did.
wrk.method = "POST"
wrk.body = '{"inputs": 42}'
wrk.headers["Content-Type"] = "application/json"
