module example.com/srsink-quickstart

go 1.19

require github.com/srsink/starrocks-sink/bindings/go v1.2.0

// In a checkout of this repository only; a program elsewhere drops this line and gets the module
// from its proxy (see docs/install.md).
replace github.com/srsink/starrocks-sink/bindings/go => ../../bindings/go
