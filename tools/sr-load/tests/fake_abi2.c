/* A stand-in for a future libsr_sink.so.2: it refuses ABI 1 the way a real major bump would,
 * so sr-load's version check can be tested. */
#include <stddef.h>
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t sr_sink_abi_version(void) { return 2u << 16; }

__attribute__((visibility("default"))) int32_t sr_sink_get_vtable(uint32_t host_abi_version,
                                                                  void *out, size_t out_size) {
  (void)out;
  (void)out_size;
  return (host_abi_version >> 16) == 2 ? 0 : 16; /* SR_SINK_E_VERSION */
}
