"""Drill 4: a price list update through its ConfigMap, as a user makes it: prices.txt edited and the
overlay's rendering applied again. Every pod must serve the new list without a restart, no request may
fail, and every answer must come from the old list or the new one, never from a list that never was."""
import json
import time
import urllib.request

import yaml  # PyYAML: the rendering's labels and annotations are kept, only the data changes

from load import Load

PRODUCT = "P124"


def rendered_config_map(kube, overlay: str) -> dict:
    for doc in kube.run("kustomize", overlay, namespace=None).split("\n---\n"):
        if "kind: ConfigMap" in doc and "name: prices" in doc:
            return doc
    raise RuntimeError(f"no ConfigMap prices in {overlay}")


def with_price(text: str, product: str, price: str) -> str:
    lines = [f"{product},{price}" if line.split(",")[0] == product else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def pod_price(ip: str):
    try:
        with urllib.request.urlopen(f"http://{ip}:8081/prices/{PRODUCT}", timeout=2) as r:
            return str(json.loads(r.read())["price"])
    except Exception as e:  # a pod not answering is a finding, shown as such
        return f"error: {e}"


def apply_list(kube, overlay: str, prices_text: str) -> float:
    """Applies the overlay's ConfigMap with PRICES_TEXT as prices.txt; returns when the API server took it."""
    rendered = yaml.safe_load(rendered_config_map(kube, overlay))
    rendered["data"] = {"prices.txt": prices_text}
    kube.run("apply", "-f", "-", input=json.dumps(rendered))
    return time.time()


def run(kube, vegeta, out, overlay, original_text, new_price="51.25", rate=200, timeout_seconds=150):
    old_price = next(line.split(",")[1] for line in original_text.splitlines() if line.split(",")[0] == PRODUCT)
    allowed = {str(float(old_price)), str(float(new_price))}
    pods = [p for p in kube.pods("price-service") if p["ready"]]
    restarts = {p["name"]: p["restarts"] for p in pods}
    url = kube.service_url("price-service") + f"/prices/{PRODUCT}"

    def answer_check(_, body):
        try:
            price = str(float(json.loads(body)["price"]))
        except Exception:
            return "not a price answer"
        return None if price in allowed else f"price {price} is in neither list ({sorted(allowed)})"

    load = Load(vegeta, out, "prices-configmap", [{"method": "GET", "url": url}], rate).start()
    time.sleep(3)
    results = {"product": PRODUCT, "old_price": old_price, "new_price": new_price, "pods": {}}
    for step, (text, want) in enumerate([(with_price(original_text, PRODUCT, new_price), new_price),
                                         (original_text, old_price)]):
        applied = apply_list(kube, overlay, text)
        seen = {}
        while len(seen) < len(pods) and time.time() - applied < timeout_seconds:
            for p in pods:
                if p["name"] not in seen and pod_price(p["ip"]) == str(float(want)):
                    seen[p["name"]] = round(time.time() - applied, 1)
            time.sleep(0.5)
        results["pods"]["update" if step == 0 else "revert"] = seen
        print(f"prices: {PRODUCT} {'->' if step == 0 else 'back to'} {want}: served by "
              f"{len(seen)} of {len(pods)} pods after {sorted(seen.values())} s", flush=True)
        if len(seen) < len(pods):
            break
    time.sleep(2)
    load.stop()
    r = load.results(answer_check)
    after = {p["name"]: p["restarts"] for p in kube.pods("price-service")}
    r.update(results)
    r["restarts_before"], r["restarts_after"] = restarts, after
    r["all_pods_updated"] = all(len(v) == len(pods) for v in results["pods"].values()) and len(results["pods"]) == 2
    print(f"prices: {r['requests']} requests at {rate}/s, {r['failed']} failed {r['failures']}, "
          f"{len(r['wrong_answers'])} wrong answers; restarts {restarts} -> {after}", flush=True)
    return r
