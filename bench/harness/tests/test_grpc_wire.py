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


if __name__ == "__main__":
    unittest.main()
