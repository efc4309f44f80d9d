// The host credentials callback → an Authorization header value, with the secret wiped.
#include "credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <vector>

namespace srs {

void SecretString::wipe() {
  if (s_.capacity()) OPENSSL_cleanse(&s_[0], s_.capacity());
  s_.clear();
}

CredentialsProvider::CredentialsProvider(const sr_sink_credentials& c) {
  // Fields beyond the caller's struct_size read as zero (sr_sink.h, Versioning).
  auto fits = [&](size_t offset, size_t size) { return c.struct_size >= offset + size; };
  if (fits(offsetof(sr_sink_credentials, get), sizeof(c.get))) get_ = c.get;
  if (fits(offsetof(sr_sink_credentials, user_data), sizeof(c.user_data))) user_data_ = c.user_data;
  if (fits(offsetof(sr_sink_credentials, release), sizeof(c.release))) release_ = c.release;
}

CredentialsProvider::~CredentialsProvider() {
  if (release_) release_(user_data_);
}

Status CredentialsProvider::authorization(const std::string& table, bool after_auth_failure,
                                          SecretString* out) const {
  out->wipe();
  if (!get_) return Status::Error(SR_SINK_E_AUTH, "no credentials callback for " + table);
  // Library-owned buffers as the header promises; the password one is wiped on every path.
  std::vector<char> user(SR_SINK_CREDENTIAL_USER_MAX, '\0');
  std::vector<char> password(SR_SINK_CREDENTIAL_PASSWORD_MAX, '\0');
  struct Wipe {
    std::vector<char>& p;
    ~Wipe() { OPENSSL_cleanse(p.data(), p.size()); }
  } wipe{password};
  int32_t rc = get_(user_data_, table.c_str(), after_auth_failure ? 1 : 0, user.data(), password.data());
  if (rc != 0) {
    return Status::Error(SR_SINK_E_AUTH, "the credentials callback failed for " + table +
                                             " (returned " + std::to_string(rc) + ")");
  }
  size_t ulen = strnlen(user.data(), user.size());
  size_t plen = strnlen(password.data(), password.size());
  if (ulen == user.size() || plen == password.size()) {
    return Status::Error(SR_SINK_E_AUTH, "the credentials callback for " + table +
                                             " returned a user or password that is not NUL-terminated "
                                             "within its buffer");
  }
  SecretString plain(ulen + 1 + plen + 1);
  plain.str().append(user.data(), ulen);
  plain.str().push_back(':');
  plain.str().append(password.data(), plen);
  size_t b64_len = 4 * ((plain.str().size() + 2) / 3);
  SecretString encoded(b64_len + 1);
  encoded.str().resize(b64_len + 1);
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&encoded.str()[0]),
                          reinterpret_cast<const unsigned char*>(plain.str().data()),
                          (int)plain.str().size());
  encoded.str().resize(n > 0 ? (size_t)n : 0);
  out->str().reserve(6 + encoded.str().size() + 1);  // no reallocation of the secret below
  out->str().append("Basic ");
  out->str().append(encoded.str());
  return Status::OK();
}

}  // namespace srs
