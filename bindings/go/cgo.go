package srsink

// Where the header and the library come from:
//   - in this repository, the header is ../../abi/sr_sink.h (the -I below);
//   - an installed library in a default prefix (/usr/local, /usr) needs nothing more;
//   - any other place: CGO_CFLAGS=-I<includedir> CGO_LDFLAGS=-L<libdir>, or build with
//     -tags srsink_pkgconfig to ask pkg-config for sr_sink.

/*
#cgo CFLAGS: -I${SRCDIR}/../../abi
#cgo !srsink_pkgconfig LDFLAGS: -lsr_sink
#cgo srsink_pkgconfig pkg-config: sr_sink
#include "shim.h"
*/
import "C"
