"""What the head-to-head runs measure: the three services as their images run them (the image's JVM
flags file, one event loop for one core) and the reference peers, each with the request the load sends
and the answer it must give."""
import json
import os

from .measure import Request, Target

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JSON = {"Content-Type": "application/json"}


def _celsius_is(expected, tolerance):
    def check(status, body):
        if status != 200:
            return f"status {status}"
        celsius = json.loads(body)["celsius"]
        return None if abs(celsius - expected) <= tolerance else f"celsius {celsius}, expected {expected}"
    return check


def _prediction_is(expected, tolerance):
    def check(status, body):
        if status != 200:
            return f"status {status}"
        prediction = json.loads(body)["predictions"][0]
        value = prediction[0] if isinstance(prediction, list) else prediction
        return None if abs(value - expected) <= tolerance else f"prediction {value}, expected {expected}"
    return check


def _price_is(expected):
    def check(status, body):
        if status != 200:
            return f"status {status}"
        return None if body.find(f'"price":{expected}') >= 0 else f"no price {expected} in {body}"
    return check


# Flags every JVM run gets: they only silence JDK 25's warnings about Netty's and TensorFlow's native access.
QUIET_FLAGS = ["--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"]


def image_flags(name):
    """The JVM flags the service's image runs with: src/main/jib/etc/footprint/jvm.options."""
    return [f"@{os.path.join(ROOT, name, 'src/main/jib/etc/footprint/jvm.options')}"]


def java_path():
    """The java that runs the services and the JDK peer: $JAVA_HOME's (the scripts set it), else Temurin 25's."""
    return os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")


def java_service(module, label=None, env=None, request=None, check=None, flags=None):
    """A service run from its runnable jar, with `flags` (default: its image's JVM flags)."""
    jar = os.path.join(ROOT, module, "target", f"{module}.jar")
    command = [java_path(), *(image_flags(module) if flags is None else QUIET_FLAGS + list(flags)), "-jar", jar]
    return Target(name=label or module, command=command, request=request, check=check, limits_from=module,
                  env={"EVENT_LOOPS": "1", "HTTP_HOST": "127.0.0.1", **(env or {})}, cwd=ROOT)


CONVERT = Request("POST", "/convert", '{"fahrenheit": 98.6}', JSON)
PRICE = Request("GET", "/prices/P123")
# The request the clients of the TensorFlow Serving deployment sent, one value per request.
PREDICT = Request("POST", "/v1/models/model:predict", '{"instances": [98.6]}', JSON)


def services(flags=None):
    """This project's services, by name, run with `flags` (default: each image's own)."""
    model = dict(request=PREDICT, check=_prediction_is(37.0, 1e-4), flags=flags)
    return {
        "converter-vertx": java_service("converter-vertx", request=CONVERT, check=_celsius_is(37.0, 1e-9), flags=flags),
        # Ready as soon as it listens (the Deployments' WARMUP_SECONDS off): the JVM's own warm-up, under load.
        "converter-vertx-cold": java_service("converter-vertx", "converter-vertx-cold", request=CONVERT,
                                             check=_celsius_is(37.0, 1e-9), flags=flags, env={"WARMUP_SECONDS": "0"}),
        "model-serving": java_service("model-serving", **model),
        "model-serving-unbatched": java_service("model-serving", "model-serving-unbatched",
                                                env={"BATCHING_ENABLED": "false"}, **model),
        "price-service": java_service("price-service", request=PRICE, check=_price_is("19.99"), flags=flags,
                                      env={"PRICES_SOURCE": os.path.join(ROOT, "price-service/prices.txt")}),
    }


# What the converter answers for CONVERT, byte for byte but its random app_id: nginx's fixed body.
CONVERTER_BODY = '{"celsius":37.0,"app_id":"00000000"}'


def nginx_config(port, directory):
    """A config of nginx's own for the ceiling: one worker, on 127.0.0.1 only, no log, every file in
    `directory`; every request on a keep-alive connection (wrk's are never closed) answered by `return 200`."""
    with open(os.path.join(directory, "nginx.conf"), "w") as conf:
        conf.write(f"""worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {directory}/nginx-body;
  proxy_temp_path {directory}/nginx-proxy;
  fastcgi_temp_path {directory}/nginx-fastcgi;
  uwsgi_temp_path {directory}/nginx-uwsgi;
  scgi_temp_path {directory}/nginx-scgi;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  server_tokens off;
  server {{
    listen 127.0.0.1:{port};
    default_type application/json;
    location = /health/ready {{ return 200 '{{"status":"UP"}}'; }}
    location / {{ return 200 '{CONVERTER_BODY}'; }}
  }}
}}
""")


def all_targets(tools):
    """Every target of the head-to-head, by name. `tools` gives the peers' binaries and Python."""
    convert = CONVERT
    targets = [
        *services().values(),
        # The peers get the converter's limits: the same contract in the same pod size.
        Target(name="go-peer", kind="peer", command=[tools["go_peer"]], limits_from="converter-vertx",
               request=convert, check=_celsius_is(37.0, 1e-9)),
        # The JVM without a framework, under the converter's JVM flags: what Vert.x, Netty and Micrometer add.
        Target(name="jdk-peer", kind="peer", command=[java_path(), *image_flags("converter-vertx"), "-cp", tools["jdk_peer"], "JdkPeer"],
               limits_from="converter-vertx", request=convert, check=_celsius_is(37.0, 1e-9)),
        # The anchors: the Go peer's contract (bench/peers/go-anchors) on the fastest common Go HTTP
        # stack, and on Gin, the stack of the Go service this project replaces.
        Target(name="fasthttp-peer", kind="anchor", command=[tools.get("fasthttp_peer", "fasthttp-peer")],
               limits_from="converter-vertx", request=convert, check=_celsius_is(37.0, 1e-9)),
        Target(name="gin-peer", kind="anchor", command=[tools.get("gin_peer", "gin-peer")],
               limits_from="converter-vertx", request=convert, check=_celsius_is(37.0, 1e-9)),
        # The ceiling: nginx answering the converter's body with no application code at all, what one
        # core answers over loopback.
        Target(name="nginx-ceiling", kind="anchor",
               command=[tools.get("nginx", "/usr/sbin/nginx"), "-e", "{dir}/nginx-error.log", "-p", "{dir}", "-c", "{dir}/nginx.conf"],
               prepare=nginx_config, limits_from="converter-vertx", request=convert, check=_celsius_is(37.0, 1e-9)),
        Target(name="fastapi-peer", kind="peer",
               command=[tools["python"], "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "{port}",
                        "--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log"],
               cwd=os.path.join(ROOT, "bench/peers/python"), limits_from="converter-vertx",
               request=convert, check=_celsius_is(37.0, 1e-9)),
    ]
    return {t.name: t for t in targets}
