package srsink

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"
)

// ABIVersion is the ABI version this binding was compiled for (major<<16 | minor).
const ABIVersion = uint32(C.SR_SINK_ABI_VERSION_MAJOR)<<16 | uint32(C.SR_SINK_ABI_VERSION_MINOR)

// LibraryABIVersion is the ABI version of the loaded library (major<<16 | minor).
func LibraryABIVersion() uint32 { return uint32(C.sr_sink_abi_version()) }

// Version is the loaded library's version ("1.0.0").
func Version() string { return C.GoString(C.sr_sink_version_string()) }

// BuildInfo describes the loaded library's build (compiler, build type, libcurl version).
func BuildInfo() string { return C.GoString(C.sr_sink_build_info()) }

// StatusName is the library's name of a status code ("SR_SINK_E_CONFIG").
func StatusName(status int32) string { return C.GoString(C.sr_sink_status_name(C.int32_t(status))) }

var (
	abiOnce   sync.Once
	abiResult error
	// abiOverride, when non-zero, is the version the check pretends the library reports
	// (a test hook: the ABI refusal cannot otherwise be shown without a second library).
	abiOverride atomic.Uint32
)

// CheckABI reports whether the loaded libsr_sink speaks the ABI major version this binding was
// built for; another major version is refused with ErrVersion. NewConnector calls it; hosts may
// call it at start-up to fail early.
func CheckABI() error {
	if v := abiOverride.Load(); v != 0 {
		return compatible(ABIVersion, v)
	}
	abiOnce.Do(func() { abiResult = probeABI() })
	return abiResult
}

func probeABI() error {
	if err := compatible(ABIVersion, LibraryABIVersion()); err != nil {
		return err
	}
	// The vtable entry point performs the library's own half of the handshake; the table it
	// fills is kept (in the shim) for the functions added in ABI 1.1.
	var libVersion, filled C.uint32_t
	status := C.srsink_load_vtable(C.uint32_t(ABIVersion), &libVersion, &filled)
	if status != C.SR_SINK_OK {
		return newError(ErrVersion, "libsr_sink refused this binding's ABI major version %d (%s): %s",
			ABIVersion>>16, StatusName(int32(status)), installHint())
	}
	if err := compatible(ABIVersion, uint32(libVersion)); err != nil {
		return err
	}
	libraryABI.Store(uint32(libVersion))
	if uintptr(filled) < unsafe.Offsetof(C.sr_sink_vtable{}.connector_register) {
		return newError(ErrVersion, "libsr_sink filled only %d bytes of the ABI 1.0 function table: %s",
			uint32(filled), installHint())
	}
	return nil
}

// libraryABI is the version the loaded library reported in the handshake.
var libraryABI atomic.Uint32

// as10 (a test hook) makes the function table look like a 1.0 library's.
var as10 atomic.Bool

// since11 checks the library has the ABI 1.1 function in table slot index (0 register,
// 1 commit_token, 2 token_inspect): a 1.0 library has not, and that call alone fails with
// ErrNotSupported.
func since11(index int, name string) error {
	if err := CheckABI(); err != nil {
		return err
	}
	if as10.Load() || C.srsink_has_1_1_slot(C.int(index)) == 0 {
		return newError(ErrNotSupported, "the loaded libsr_sink (ABI %s) does not provide %s, which needs ABI 1.1 or newer",
			formatVersion(libraryABI.Load()), name)
	}
	return nil
}

// compatible: nil when a library reporting `library` can serve a binding built for `binding`
// (same major; a newer minor only appends).
func compatible(binding, library uint32) error {
	if binding>>16 == library>>16 {
		return nil
	}
	return newError(ErrVersion, "libsr_sink has ABI major version %d (%s) but this binding needs major version %d (built for %s): %s",
		library>>16, formatVersion(library), binding>>16, formatVersion(binding), installHint())
}

func formatVersion(v uint32) string { return fmt.Sprintf("%d.%d", v>>16, v&0xffff) }

func installHint() string {
	return fmt.Sprintf("install libsr_sink.so.%d or use the Go binding version matching the installed library", ABIVersion>>16)
}
