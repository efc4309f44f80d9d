module github.com/starrocks-sink/sr-sink-go

go 1.19
