#include "http/tls.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include <fstream>
#include <sstream>

namespace sremu {
namespace {

std::string read_pem(const std::string& option, const std::string& file, std::string* out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return option + ": cannot read " + file;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  if (out->find("-----BEGIN") == std::string::npos) return option + ": " + file + " is not PEM";
  return {};
}

}  // namespace

std::string load_tls(const std::string& cert_file, const std::string& key_file,
                     const std::string& client_ca_file, TlsConfig* out) {
  *out = TlsConfig{};
  if (cert_file.empty() && key_file.empty() && client_ca_file.empty()) return {};
  if (cert_file.empty() || key_file.empty()) return "--tls-cert and --tls-key go together";
  std::string err = read_pem("--tls-cert", cert_file, &out->cert_pem);
  if (err.empty()) err = read_pem("--tls-key", key_file, &out->key_pem);
  if (err.empty() && !client_ca_file.empty()) err = read_pem("--tls-client-ca", client_ca_file, &out->client_ca_pem);
  if (!err.empty()) *out = TlsConfig{};
  return err;
}

bool client_certificate_ok(MHD_Connection* connection, std::string* why) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (info == nullptr || info->tls_session == nullptr) {
    *why = "no TLS session";
    return false;
  }
  auto session = static_cast<gnutls_session_t>(info->tls_session);
  unsigned int n = 0;
  if (gnutls_certificate_get_peers(session, &n) == nullptr || n == 0) {
    *why = "a client certificate is required";
    return false;
  }
  unsigned int status = 0;
  if (gnutls_certificate_verify_peers2(session, &status) != GNUTLS_E_SUCCESS || status != 0) {
    *why = "the client certificate is not signed by the trusted client CA";
    return false;
  }
  return true;
}

}  // namespace sremu
