module footprint/bench/load/http-curve

go 1.22
