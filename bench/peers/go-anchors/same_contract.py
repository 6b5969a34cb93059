"""The anchors answer as the Go peer does: every request below sent to each binary, status, Content-Type,
Allow and body compared (app_id and the timestamp masked).

  python3 bench/peers/go-anchors/same_contract.py GO_PEER OTHER...
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import time

BIG = '{"fahrenheit": 1, "pad": "' + "x" * (300 * 1024) + '"}'
CASES = [("POST", "/convert", '{"fahrenheit": 98.6}'), ("POST", "/convert", '{"FAHRENHEIT": 212}'),
         ("POST", "/convert", '{"fahrenheit": -40} trailing'), ("POST", "/convert", '{"fahrenheit": "98.6"}'),
         ("POST", "/convert", '{"celsius": 1}'), ("POST", "/convert", "null"), ("POST", "/convert", ""),
         ("POST", "/convert", '{"fahrenheit": 1e308}'), ("POST", "/convert", '{"fahrenheit": 1e999}'),
         ("POST", "/convert", "{"), ("POST", "/convert", BIG), ("GET", "/convert", None), ("PUT", "/convert", "{}"),
         ("GET", "/health/ready", None), ("POST", "/health/ready", "x"), ("GET", "/", None), ("GET", "/nope", None),
         ("GET", "/convert/", None)]
MASK = [(re.compile(r'"app_id":"[0-9a-f]{8}"'), '"app_id":"*"'), (re.compile(r'"timestamp":"[^"]+"'), '"timestamp":"*"')]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(binary):
    port = free_port()
    process = subprocess.Popen([binary], env={**os.environ, "HTTP_PORT": str(port)}, stderr=subprocess.DEVNULL)
    try:
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.01)
        seen = []
        for method, path, body in CASES:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            r = connection.getresponse()
            text = r.read().decode()
            for pattern, replacement in MASK:
                text = pattern.sub(replacement, text)
            seen.append((r.status, r.getheader("Content-Type"), r.getheader("Allow"), text))
            connection.close()
        return seen
    finally:
        process.terminate()
        process.wait(5)


def main(reference, *others):
    expected = answers(reference)
    failed = False
    for other in others:
        for case, want, got in zip(CASES, expected, answers(other)):
            if want != got:
                failed = True
                print(f"{os.path.basename(other)}: {case[0]} {case[1]} {case[2][:40] if case[2] else ''!r}: {got} != go-peer's {want}")
    print(f"{len(CASES)} requests: " + ("answers differ" if failed else f"{', '.join(map(os.path.basename, others))} answer as go-peer does"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
