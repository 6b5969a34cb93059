"""model-serving's gRPC API driven by TensorFlow Serving's own Python client: tensorflow-serving-api's
PredictionService and ModelService stubs, with tensors made and read by TensorFlow itself
(tf.make_tensor_proto, tf.make_ndarray), as a TensorFlow Serving user calls it.

Predict (tensor_content as TensorFlow packs it, and float_val), GetModelMetadata (the SignatureDefMap in
its Any), GetModelStatus, and errors by their gRPC status and TensorFlow Serving's message. Every client
call is counted; the last line says how many were made and passed, and the exit status is 1 if any failed.

    python tfserving_grpc_conformance.py --target 127.0.0.1:8500 [--model model]
"""
import argparse
import os
import sys
from importlib.metadata import version

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up chatter about CPU features

import grpc  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow_serving.apis import (get_model_metadata_pb2, get_model_status_pb2, model_service_pb2_grpc,  # noqa: E402
                                     predict_pb2, prediction_service_pb2_grpc)

import conformance_calls  # noqa: E402
from conformance_calls import VALUES, celsius, same  # noqa: E402


class Calls(conformance_calls.Calls):
    def error(self, name, call, code, message):
        """Makes one call that must fail with this grpc.StatusCode and exactly this message."""
        def matches(e):
            return isinstance(e, grpc.RpcError) and e.code() == code and e.details() == message
        super().error(name, call, matches)


def predict_request(model, tensor, version=None, label=None, signature=None):
    request = predict_pb2.PredictRequest()
    request.model_spec.name = model
    if version is not None:
        request.model_spec.version.value = version
    if label is not None:
        request.model_spec.version_label = label
    if signature is not None:
        request.model_spec.signature_name = signature
    request.inputs["fahrenheit"].CopyFrom(tensor)
    return request


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="host:port of model-serving's gRPC listener")
    parser.add_argument("--model", default="model")
    args = parser.parse_args()
    model = args.model
    calls = Calls()
    channel = grpc.insecure_channel(args.target)
    predictions = prediction_service_pb2_grpc.PredictionServiceStub(channel)
    models = model_service_pb2_grpc.ModelServiceStub(channel)
    expected = celsius(VALUES)

    def answered(response, expected=expected):
        spec = response.model_spec
        if spec.name != model or spec.version.value != 1 or spec.signature_name != "serving_default":
            raise AssertionError(spec)
        return same(tf.make_ndarray(response.outputs["celsius"]), expected)

    packed = tf.make_tensor_proto(VALUES, dtype=tf.float32)  # TensorFlow packs it in tensor_content
    calls.check("Predict with tf.make_tensor_proto", lambda: predictions.Predict(predict_request(model, packed), 10),
                answered)
    listed = tf.make_tensor_proto(VALUES, dtype=tf.float32)
    listed.ClearField("tensor_content")
    listed.float_val.extend(VALUES.tolist())
    calls.check("Predict with float_val", lambda: predictions.Predict(predict_request(model, listed), 10),
                lambda response: answered(response) and len(response.outputs["celsius"].float_val) == len(VALUES))
    calls.check("Predict version 1", lambda: predictions.Predict(predict_request(model, packed, version=1), 10), answered)
    calls.check("Predict signature serving_default",
                lambda: predictions.Predict(predict_request(model, packed, signature="serving_default"), 10), answered)
    batch = np.linspace(-500, 500, 4096, dtype=np.float32)
    calls.check("Predict a batch of 4096",
                lambda: predictions.Predict(predict_request(model, tf.make_tensor_proto(batch)), 10),
                lambda response: answered(response, celsius(batch)))
    future = predictions.Predict.future(predict_request(model, packed), 10)
    calls.check("Predict.future", future.result, answered)

    calls.error("Predict an unknown model", lambda: predictions.Predict(predict_request("no-such-model", packed), 10),
                grpc.StatusCode.NOT_FOUND, "Servable not found for request: Latest(no-such-model)")
    calls.error("Predict version 9", lambda: predictions.Predict(predict_request(model, packed, version=9), 10),
                grpc.StatusCode.NOT_FOUND, "Servable not found for request: Specific(model, 9)")
    calls.error("Predict an unknown signature",
                lambda: predictions.Predict(predict_request(model, packed, signature="nope"), 10),
                grpc.StatusCode.INVALID_ARGUMENT, "Serving signature name: \"nope\" not found in signature def")
    calls.error("Predict float64", lambda: predictions.Predict(
        predict_request(model, tf.make_tensor_proto(VALUES.astype(np.float64))), 10),
        grpc.StatusCode.INVALID_ARGUMENT, "Expects arg[0] to be float but double is provided")

    metadata = get_model_metadata_pb2.GetModelMetadataRequest()
    metadata.model_spec.name = model
    metadata.metadata_field.append("signature_def")

    def signatures(response):
        found = get_model_metadata_pb2.SignatureDefMap()
        if not response.metadata["signature_def"].Unpack(found):
            raise AssertionError(response.metadata["signature_def"].type_url)
        signature = found.signature_def["serving_default"]
        shape = tf.TensorShape(signature.inputs["fahrenheit"].tensor_shape)
        return (response.model_spec.version.value == 1 and signature.method_name == "tensorflow/serving/predict"
                and signature.inputs["fahrenheit"].dtype == tf.float32.as_datatype_enum and shape.as_list() == [None]
                and list(signature.outputs) == ["celsius"])
    calls.check("GetModelMetadata signature_def", lambda: predictions.GetModelMetadata(metadata, 10), signatures)

    status = get_model_status_pb2.GetModelStatusRequest()
    status.model_spec.name = model
    calls.check("GetModelStatus", lambda: models.GetModelStatus(status, 10),
                lambda response: [(v.version, v.state, v.status.error_code) for v in response.model_version_status]
                == [(1, get_model_status_pb2.ModelVersionStatus.AVAILABLE, 0)])
    unknown = get_model_status_pb2.GetModelStatusRequest()
    unknown.model_spec.name = "no-such-model"
    calls.error("GetModelStatus an unknown model", lambda: models.GetModelStatus(unknown, 10), grpc.StatusCode.NOT_FOUND,
                "Could not find any versions of model no-such-model")
    channel.close()
    return calls.summary(f"tensorflow-serving-api {version('tensorflow-serving-api')}", args.target)


if __name__ == "__main__":
    sys.exit(main())
