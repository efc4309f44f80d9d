package srsink

// Hooks for this package's tests (cgo cannot be used from _test.go files). Not exported.

/*
#include <string.h>
#include "shim.h"
static int srsink_test_releases;
static const uint8_t srsink_test_bytes[] = "{\"v\":1,\"txns\":[]}";
static void srsink_test_release(sr_sink_token *t) { srsink_test_releases++; t->release = NULL; }
static void srsink_test_fake_token(sr_sink_token *t) {
  t->struct_size = sizeof *t;
  t->data = srsink_test_bytes;
  t->len = sizeof srsink_test_bytes - 1;
  t->release = srsink_test_release;
}
static int srsink_test_release_count(void) { return srsink_test_releases; }
static int srsink_test_arrow_releases;
static void srsink_test_schema_release(struct ArrowSchema *s) { srsink_test_arrow_releases++; s->release = NULL; }
static void srsink_test_array_release(struct ArrowArray *a) { srsink_test_arrow_releases++; a->release = NULL; }
static struct ArrowSchema srsink_test_schema;
static struct ArrowArray srsink_test_array;
static const void *srsink_test_buffers[1];
// An empty struct batch of `length` rows (no fields) whose release callbacks count their calls.
static void srsink_test_fake_arrow(int64_t length) {
  memset(&srsink_test_schema, 0, sizeof srsink_test_schema);
  memset(&srsink_test_array, 0, sizeof srsink_test_array);
  srsink_test_schema.format = "+s";
  srsink_test_schema.release = srsink_test_schema_release;
  srsink_test_array.length = length;
  srsink_test_array.n_buffers = 1;
  srsink_test_array.buffers = srsink_test_buffers;
  srsink_test_array.release = srsink_test_array_release;
}
static int srsink_test_arrow_release_count(void) { return srsink_test_arrow_releases; }
static void *srsink_test_schema_ptr(void) { return &srsink_test_schema; }
static void *srsink_test_array_ptr(void) { return &srsink_test_array; }
static int srsink_test_arrow_cleared(void) {
  return srsink_test_schema.release == NULL && srsink_test_array.release == NULL;
}
static int32_t srsink_test_get_vtable(uint32_t v) {
  sr_sink_vtable vt;
  return sr_sink_get_vtable(v, &vt, sizeof vt);
}
*/
import "C"

// takeFakeToken runs takeToken on a library-style token whose release counts its calls.
// Returns the copied bytes, the release count afterwards, and whether release is NULL.
func takeFakeToken() (bytes []byte, releases int, releaseCleared bool) {
	var tok C.sr_sink_token
	C.srsink_test_fake_token(&tok)
	before := int(C.srsink_test_release_count())
	bytes = takeToken(&tok)
	return bytes, int(C.srsink_test_release_count()) - before, tok.release == nil
}

// rawGetVtable calls sr_sink_get_vtable with a host ABI version of the test's choosing.
func rawGetVtable(hostABI uint32) int32 { return int32(C.srsink_test_get_vtable(C.uint32_t(hostABI))) }

// withLibraryABIVersion makes CheckABI see a library reporting version while f runs.
func withLibraryABIVersion(version uint32, f func()) {
	abiOverride.Store(version)
	defer abiOverride.Store(0)
	f()
}

// withABI10Library makes the library's function table look like a 1.0 library's (no ABI 1.1
// functions) while f runs. Not for parallel tests: the flag is process-wide.
func withABI10Library(f func()) {
	as10.Store(true)
	defer as10.Store(false)
	f()
}

// writeFakeArrow calls WriteArrowC with a library-style empty batch of n rows whose release
// callbacks count their calls; returns the error and how many of the two structs were released
// (and whether both release pointers are NULL afterwards).
func writeFakeArrow(s *Sink, n int64, ops []Op) (err error, releases int, cleared bool) {
	C.srsink_test_fake_arrow(C.int64_t(n))
	before := int(C.srsink_test_arrow_release_count())
	err = s.WriteArrowC(C.srsink_test_schema_ptr(), C.srsink_test_array_ptr(), ops)
	releases = int(C.srsink_test_arrow_release_count()) - before
	return err, releases, C.srsink_test_arrow_cleared() != 0
}
