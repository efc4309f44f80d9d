module github.com/srsink/starrocks-sink/bindings/go

go 1.19
