/* The smallest host of an installed libsr_sink: built once through find_package(sr_sink) and
 * once through pkg-config, then run. Prints "sr_sink <version> abi <major>.<minor>". */
#include <sr_sink.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  uint32_t abi = sr_sink_abi_version();
  if ((abi >> 16) != SR_SINK_ABI_VERSION_MAJOR) {
    fprintf(stderr, "ABI major %u, expected %d\n", (unsigned)(abi >> 16), SR_SINK_ABI_VERSION_MAJOR);
    return 1;
  }
  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  sr_sink_connector *c = NULL;
  if (sr_sink_connector_new(NULL, &c, &err) != SR_SINK_OK) {
    fprintf(stderr, "sr_sink_connector_new: %s\n", err.message);
    return 2;
  }
  sr_sink_connector_free(c);
  printf("sr_sink %s abi %u.%u\n", sr_sink_version_string(), (unsigned)(abi >> 16), (unsigned)(abi & 0xFFFF));
  return 0;
}
