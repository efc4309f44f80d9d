// HTTPS for the emulated FE and BE ports (--tls-cert, --tls-key, optional --tls-client-ca for
// mutual TLS), served by libmicrohttpd over GnuTLS.
#pragma once
#include <string>

struct MHD_Connection;

namespace sremu {

struct TlsConfig {
  std::string cert_pem, key_pem;
  std::string client_ca_pem;  // non-empty: clients must present a certificate signed by it
  bool enabled() const { return !cert_pem.empty(); }
};

// Reads the PEM files; returns an error naming the option and file, or "".
std::string load_tls(const std::string& cert_file, const std::string& key_file,
                     const std::string& client_ca_file, TlsConfig* out);

// mTLS: whether the connection's client presented a certificate that verifies against the
// trusted client CA; *why says what is wrong otherwise.
bool client_certificate_ok(MHD_Connection* connection, std::string* why);

}  // namespace sremu
