"""The gRPC run's own protobuf encoding and decoding, without a server."""
import base64
import struct
import unittest

from bench.harness import grpcvsrest

# model-serving's answer to predict_request([98.6]) over gRPC, as grpc-load captured it (2026-12-02).
ANSWER = base64.b64decode("ChkKB2NlbHNpdXMSDggBEgQSAggBIgQAABRCEhwKBW1vZGVsEgIIARoPc2VydmluZ19kZWZhdWx0")


class GrpcWireTest(unittest.TestCase):
    def test_the_request_holds_the_model_and_the_values_packed_as_tensorflow_packs_them(self):
        request = grpcvsrest.predict_request([98.6, -40.0])
        fields = list(grpcvsrest._fields(request))
        self.assertEqual([n for n, _, _ in fields], [1, 2])
        self.assertEqual(dict((n, v) for n, _, v in grpcvsrest._fields(fields[0][2])), {1: b"model"})
        entry = {n: v for n, _, v in grpcvsrest._fields(fields[1][2])}
        self.assertEqual(entry[1], b"fahrenheit")
        tensor = {n: v for n, _, v in grpcvsrest._fields(entry[2])}
        self.assertEqual(tensor[1], 1)  # DT_FLOAT
        self.assertEqual(tensor[4], struct.pack("<2f", 98.6, -40.0))
        dim = dict((n, v) for n, _, v in grpcvsrest._fields(dict((n, v) for n, _, v in grpcvsrest._fields(tensor[2]))[2]))
        self.assertEqual(dim[1], 2)

    def test_the_answer_is_read_from_tensor_content(self):
        self.assertEqual(grpcvsrest.predicted(ANSWER), [37.0])
        self.assertAlmostEqual(grpcvsrest.expected_celsius(), 37.0, places=4)

    def test_an_answer_without_the_output_reads_as_none(self):
        self.assertIsNone(grpcvsrest.predicted(b""))


# h2load 1.52's summary of a run (the lines the harness reads), and the server's metrics beside it.
H2LOAD_OUT = """finished in 10.00s, 97673.30 req/s, 9.60MB/s
requests: 976733 total, 976797 started, 976733 done, 976733 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 976733 2xx, 0 3xx, 0 4xx, 0 5xx
"""
METRICS = """# TYPE footprint_grpc_server_calls_seconds histogram
footprint_grpc_server_calls_seconds_count{grpc_code="OK",grpc_method="Predict",grpc_service="tensorflow.serving.PredictionService",service="model-serving"} 3399179
footprint_grpc_server_calls_seconds_count{grpc_code="UNAVAILABLE",grpc_method="Predict",grpc_service="tensorflow.serving.PredictionService",service="model-serving"} 2
footprint_grpc_server_calls_seconds_count{grpc_code="OK",grpc_method="GetModelStatus",grpc_service="tensorflow.serving.ModelService",service="model-serving"} 7
"""


class H2loadFiguresTest(unittest.TestCase):
    def test_the_message_is_framed_as_grpc_frames_it(self):
        self.assertEqual(grpcvsrest.framed(b"abc"), b"\0\0\0\0\x03abc")

    def test_h2load_s_summary_is_read(self):
        counts = grpcvsrest.h2load_counts(H2LOAD_OUT)
        self.assertEqual((counts["done"], counts["succeeded"], counts["failed"], counts["rps"]), (976733, 976733, 0, 97673.30))

    def test_predict_s_codes_come_from_the_metrics_of_predict_only(self):
        self.assertEqual(grpcvsrest.predict_codes(METRICS), {"OK": 3399179, "UNAVAILABLE": 2})

    def test_a_run_is_clean_only_when_every_answer_h2load_counted_was_an_ok_call(self):
        counts = grpcvsrest.h2load_counts(H2LOAD_OUT)
        self.assertEqual(grpcvsrest.h2load_errors(counts, {"OK": 976733}), 0)
        self.assertEqual(grpcvsrest.h2load_errors(counts, {"OK": 976740}), 0)  # answered as the run was cut off
        # A gRPC error is an HTTP 200 with grpc-status in its trailers: h2load counts it as succeeded.
        self.assertEqual(grpcvsrest.h2load_errors(counts, {"OK": 976730, "UNAVAILABLE": 3}), 3)
        self.assertEqual(grpcvsrest.h2load_errors(counts, {"OK": 976000}), 733)
        # h2load resets the 64 calls it had in flight when its time was up: the server counts them CANCELLED.
        self.assertEqual(grpcvsrest.h2load_errors(counts, {"OK": 976733, "CANCELLED": 64}), 0)
        self.assertEqual(grpcvsrest.h2load_errors(counts, {"OK": 976733, "CANCELLED": 65}), 1)


if __name__ == "__main__":
    unittest.main()
