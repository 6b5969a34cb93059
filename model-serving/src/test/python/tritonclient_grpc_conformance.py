"""model-serving's Open Inference Protocol over gRPC (inference.GRPCInferenceService) driven by Triton's own
client, tritonclient.grpc.

Health, server and model metadata, readiness, and inference with the Fahrenheit to Celsius model: the
client sends its inputs as raw_input_contents, the answers are checked against the closed form rounded
to float32, non-finite values included; errors by their gRPC status and message. Every client call is
counted; the last line says how many were made and passed, and the exit status is 1 if any failed.

    python tritonclient_grpc_conformance.py --url 127.0.0.1:8500 [--model model]
"""
import argparse
import sys
from importlib.metadata import version

import numpy as np
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException

import conformance_calls
from conformance_calls import VALUES, celsius, same


class Calls(conformance_calls.Calls):
    def error(self, name, call, status, fragment):
        """Makes one call that must fail with this gRPC status (StatusCode.NOT_FOUND, ...) and message."""
        def matches(e):
            return isinstance(e, InferenceServerException) and str(e.status()) == status and fragment in e.message()
        super().error(name, call, matches)


def fp32_input(values, name="fahrenheit"):
    data = grpcclient.InferInput(name, list(values.shape), "FP32")
    data.set_data_from_numpy(values)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="host:port of model-serving's gRPC listener")
    parser.add_argument("--model", default="model")
    args = parser.parse_args()
    model = args.model
    calls = Calls()
    client = grpcclient.InferenceServerClient(url=args.url)

    calls.check("is_server_live", lambda: client.is_server_live(client_timeout=10), lambda live: live is True)
    calls.check("is_server_ready", lambda: client.is_server_ready(client_timeout=10), lambda ready: ready is True)
    calls.check("get_server_metadata", lambda: client.get_server_metadata(as_json=True),
                lambda m: m["name"] == "model-serving" and "binary_tensor_data" in m["extensions"])
    calls.check("is_model_ready", lambda: client.is_model_ready(model), lambda ready: ready is True)
    calls.check("is_model_ready version 1", lambda: client.is_model_ready(model, "1"), lambda ready: ready is True)
    calls.check("is_model_ready version 9", lambda: client.is_model_ready(model, "9"), lambda ready: ready is False)
    calls.check("is_model_ready unknown model", lambda: client.is_model_ready("no-such-model"), lambda ready: ready is False)
    expected_io = [{"name": "fahrenheit", "datatype": "FP32", "shape": ["-1"]}]
    calls.check("get_model_metadata", lambda: client.get_model_metadata(model, as_json=True),
                lambda m: m["name"] == model and m["versions"] == ["1"] and m["platform"] == "tensorflow_savedmodel"
                and m["inputs"] == expected_io
                and m["outputs"] == [{"name": "celsius", "datatype": "FP32", "shape": ["-1"]}])
    calls.error("get_model_metadata version 9", lambda: client.get_model_metadata(model, "9"), "StatusCode.NOT_FOUND",
                "Servable not found for request: Specific(model, 9)")

    expected = celsius(VALUES)

    def answered(result, expected=expected, version="1"):
        response = result.get_response()
        if response.id != "conformance" or response.model_version != version or response.model_name != model:
            raise AssertionError(response)
        return same(result.as_numpy("celsius"), expected)
    calls.check("infer", lambda: client.infer(model, [fp32_input(VALUES)], request_id="conformance"), answered)
    calls.check("infer version 1, output by name",
                lambda: client.infer(model, [fp32_input(VALUES[:3])], model_version="1", request_id="conformance",
                                     outputs=[grpcclient.InferRequestedOutput("celsius")]),
                lambda result: answered(result, expected[:3]))
    batch = np.linspace(-500, 500, 4096, dtype=np.float32)
    calls.check("infer a batch of 4096", lambda: client.infer(model, [fp32_input(batch)], request_id="conformance"),
                lambda result: answered(result, celsius(batch)))
    calls.check("infer with a deadline", lambda: client.infer(model, [fp32_input(VALUES)], request_id="conformance",
                                                              client_timeout=10), answered)
    asynchronous = []
    client.async_infer(model, [fp32_input(VALUES)], lambda result, error: asynchronous.append((result, error)),
                       request_id="conformance")
    calls.check("async_infer", lambda: wait_for(asynchronous), lambda pair: pair[1] is None and answered(pair[0]))

    calls.error("infer an unknown model", lambda: client.infer("no-such-model", [fp32_input(VALUES)]),
                "StatusCode.NOT_FOUND", "Servable not found for request: Latest(no-such-model)")
    calls.error("infer with version v1", lambda: client.infer(model, [fp32_input(VALUES)], model_version="v1"),
                "StatusCode.NOT_FOUND", "Servable not found for request: Specific(model, v1)")
    fp64 = grpcclient.InferInput("fahrenheit", [2], "FP64")
    fp64.set_data_from_numpy(np.array([1.0, 2.0], dtype=np.float64))
    calls.error("infer FP64 input", lambda: client.infer(model, [fp64]), "StatusCode.INVALID_ARGUMENT",
                "has datatype \"FP64\"; the model expects FP32")
    calls.error("infer unknown input", lambda: client.infer(model, [fp32_input(VALUES, "kelvin")]),
                "StatusCode.INVALID_ARGUMENT", "unexpected inference input 'kelvin'")
    calls.error("infer unknown output", lambda: client.infer(model, [fp32_input(VALUES)],
                                                             outputs=[grpcclient.InferRequestedOutput("kelvin")]),
                "StatusCode.INVALID_ARGUMENT", "unexpected inference output 'kelvin'")
    client.close()
    return calls.summary(f"tritonclient.grpc {version('tritonclient')}", args.url)


def wait_for(results, seconds=10):
    import time
    deadline = time.monotonic() + seconds
    while not results and time.monotonic() < deadline:
        time.sleep(0.01)
    if not results:
        raise TimeoutError("async_infer did not call back")
    return results[0]


if __name__ == "__main__":
    sys.exit(main())
