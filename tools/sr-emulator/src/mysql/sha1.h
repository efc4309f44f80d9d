// SHA-1 (FIPS 180-4), for mysql_native_password only: the emulator needs no crypto library.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace sremu {

using Sha1Digest = std::array<uint8_t, 20>;
Sha1Digest sha1(std::string_view data);

}  // namespace sremu
