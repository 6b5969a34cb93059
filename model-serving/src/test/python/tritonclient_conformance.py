"""model-serving's Open Inference Protocol (KServe V2) driven by Triton's own client, tritonclient.http.

Health, server and model metadata, readiness, and inference with the Fahrenheit to Celsius model,
every input and output either JSON or binary (the binary tensor data extension), each answer
checked against the closed form rounded to float32, non-finite values included. Every client call
is counted; the last line says how many were made and passed, and the exit status is 1 if any failed.

    python tritonclient_conformance.py --url 127.0.0.1:8501 [--model model]
"""
import argparse
import sys
from importlib.metadata import version

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

import conformance_calls
from conformance_calls import VALUES, celsius, same


class Calls(conformance_calls.Calls):
    def error(self, name, call, status, fragment):
        """Makes one call that must fail with an InferenceServerException of this status and message."""
        def matches(e):
            return isinstance(e, InferenceServerException) and (status is None or str(e.status()) == str(status)) \
                and fragment in e.message()
        super().error(name, call, matches)


def infer(client, model, values, input_binary, output_binary, version=""):
    """One inference; output_binary None asks for no output by name (the client then wants every output in binary)."""
    data = httpclient.InferInput("fahrenheit", list(values.shape), "FP32")
    data.set_data_from_numpy(values, binary_data=input_binary)
    outputs = None if output_binary is None else [httpclient.InferRequestedOutput("celsius", binary_data=output_binary)]
    return client.infer(model, [data], model_version=version, outputs=outputs, request_id="conformance")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="host:port of model-serving")
    parser.add_argument("--model", default="model")
    args = parser.parse_args()
    model = args.model
    calls = Calls()
    client = httpclient.InferenceServerClient(url=args.url, connection_timeout=10, network_timeout=10)

    calls.check("is_server_live", client.is_server_live, lambda live: live is True)
    calls.check("is_server_ready", client.is_server_ready, lambda ready: ready is True)
    calls.check("get_server_metadata", client.get_server_metadata,
                lambda m: m["name"] == "model-serving" and "binary_tensor_data" in m["extensions"])
    calls.check("is_model_ready", lambda: client.is_model_ready(model), lambda ready: ready is True)
    calls.check("is_model_ready version 1", lambda: client.is_model_ready(model, "1"), lambda ready: ready is True)
    calls.check("is_model_ready version 9", lambda: client.is_model_ready(model, "9"), lambda ready: ready is False)
    calls.check("is_model_ready version v1", lambda: client.is_model_ready(model, "v1"), lambda ready: ready is False)
    calls.check("is_model_ready unknown model", lambda: client.is_model_ready("no-such-model"), lambda ready: ready is False)
    expected_io = [{"name": "fahrenheit", "datatype": "FP32", "shape": [-1]}]
    calls.check("get_model_metadata", lambda: client.get_model_metadata(model),
                lambda m: m["name"] == model and m["versions"] == ["1"] and m["inputs"] == expected_io
                and m["outputs"] == [{"name": "celsius", "datatype": "FP32", "shape": [-1]}])
    calls.check("get_model_metadata version 1", lambda: client.get_model_metadata(model, "1"),
                lambda m: m["name"] == model and m["inputs"] == expected_io)
    calls.error("get_model_metadata version 9", lambda: client.get_model_metadata(model, "9"), 404,
                "Servable not found for request: Specific(model, 9)")
    calls.error("get_model_metadata version v1", lambda: client.get_model_metadata(model, "v1"), 404,
                "Servable not found for request: Specific(model, v1)")

    expected = celsius(VALUES)
    for input_binary in (False, True):
        for output_binary in (None, False, True):
            name = f"infer input_binary={input_binary} output={'default' if output_binary is None else output_binary}"

            def answered(result, output_binary=output_binary):
                response = result.get_response()
                output = response["outputs"][0]
                in_binary = "parameters" in output and "binary_data_size" in output["parameters"]
                # The client asks for binary by default (binary_data_output) and per output as told.
                if in_binary != (output_binary is not False):
                    raise AssertionError(f"output in binary: {in_binary}, expected {output_binary is not False}")
                if response["id"] != "conformance" or response["model_version"] != "1":
                    raise AssertionError(response)
                return same(result.as_numpy("celsius"), expected)
            calls.check(name, lambda ib=input_binary, ob=output_binary: infer(client, model, VALUES, ib, ob), answered)
            calls.check(name + " version 1", lambda ib=input_binary, ob=output_binary: infer(client, model, VALUES[:3], ib, ob, "1"),
                        lambda result: same(result.as_numpy("celsius"), expected[:3]))

    batch = np.linspace(-500, 500, 4096, dtype=np.float32)
    for input_binary in (False, True):
        calls.check(f"infer a batch of 4096 input_binary={input_binary}",
                    lambda ib=input_binary: infer(client, model, batch, ib, ib),
                    lambda result: same(result.as_numpy("celsius"), celsius(batch)))
    calls.check("async_infer binary", lambda: client.async_infer(model, [binary_input(VALUES)]).get_result(),
                lambda result: same(result.as_numpy("celsius"), expected))
    calls.error("infer with version v1", lambda: infer(client, model, VALUES, True, True, "v1"), 404,
                "Servable not found for request: Specific(model, v1)")
    calls.error("infer FP64 input", lambda: client.infer(model, [fp64_input()]), 400,
                "has datatype \"FP64\"; the model expects FP32")
    calls.error("infer unknown output", lambda: client.infer(model, [binary_input(VALUES)],
                                                             outputs=[httpclient.InferRequestedOutput("kelvin")]), 400,
                "unexpected inference output 'kelvin'")
    client.close()

    return calls.summary(f"tritonclient.http {version('tritonclient')}", args.url)


def binary_input(values):
    data = httpclient.InferInput("fahrenheit", list(values.shape), "FP32")
    data.set_data_from_numpy(values, binary_data=True)
    return data


def fp64_input():
    data = httpclient.InferInput("fahrenheit", [2], "FP64")
    data.set_data_from_numpy(np.array([1.0, 2.0], dtype=np.float64), binary_data=True)
    return data


if __name__ == "__main__":
    sys.exit(main())
