module footprint/peers/go-converter

go 1.22
