"""What the real-client conformance scripts share: the closed form, float32 comparison, counted calls."""
import sys
import traceback

import numpy as np

# Ordinary values, float32's edges and the non-finite values.
VALUES = np.array([212.0, 32.0, -40.0, 98.6, 0.0, -0.0, -459.67, 1.4e-45, 1e-30, 3.4028235e38, -3.4028235e38,
                   1.0 / 3, 123456.789, np.nan, np.inf, -np.inf], dtype=np.float32)


def celsius(fahrenheit):
    """The model's closed form: computed in float64, rounded once to float32."""
    with np.errstate(invalid="ignore"):
        return ((np.asarray(fahrenheit).astype(np.float64) - 32.0) * 5.0 / 9.0).astype(np.float32)


def same(actual, expected):
    """Equal as float32 bit patterns, any NaN equal to any NaN, -0.0 not 0.0."""
    actual = np.asarray(actual, dtype=np.float32)
    if actual.shape != expected.shape:
        return False
    both_nan = np.isnan(actual) & np.isnan(expected)
    return bool(np.all(both_nan | (actual.view(np.int32) == expected.view(np.int32))))


class Calls:
    def __init__(self):
        self.made = 0
        self.passed = 0
        self.failures = []

    def check(self, name, call, expect):
        """Makes one client call and checks its result with expect(result), which returns True or raises."""
        self.made += 1
        try:
            result = call()
            if expect(result) is not True:
                raise AssertionError(f"unexpected result: {result!r}")
            self.passed += 1
        except Exception as e:  # noqa: BLE001 - each failure is reported and counted, not fatal
            self.failures.append(name)
            print(f"FAIL {name}: {type(e).__name__}: {e}", file=sys.stderr)
            traceback.print_exc(limit=2, file=sys.stderr)

    def error(self, name, call, matches):
        """Makes one call that must raise an exception for which matches(exception) is true."""
        def expect_error():
            try:
                result = call()
            except Exception as e:  # noqa: BLE001 - the exception is the result under test
                if not matches(e):
                    raise AssertionError(f"unexpected error {type(e).__name__}: {e}") from None
                return True
            raise AssertionError(f"no error but {result!r}")
        self.check(name, expect_error, lambda ok: ok)

    def summary(self, client, target):
        """The last line of a run; the exit status: 0 if every call passed."""
        print(f"{client} against {target}: {self.made} client calls made, {self.passed} passed"
              + ("" if not self.failures else f"; failed: {', '.join(self.failures)}"))
        return 0 if self.made == self.passed else 1
