// The host's credentials callback, shared by the sinks of one registration, and a string type
// for secrets that is wiped (OPENSSL_cleanse) when it goes away.
#pragma once
#include <string>
#include <string_view>

#include "sr_sink.h"
#include "status.h"

namespace srs {

// Holds a secret. Reserves its capacity up front so appending never leaves unwiped copies.
class SecretString {
 public:
  explicit SecretString(size_t capacity = 2048) { s_.reserve(capacity); }
  ~SecretString() { wipe(); }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  std::string& str() { return s_; }
  const std::string& str() const { return s_; }
  void wipe();

 private:
  std::string s_;
};

class CredentialsProvider {
 public:
  // Copies the struct (fields beyond struct_size read as zero). Takes over `release`.
  explicit CredentialsProvider(const sr_sink_credentials& c);
  ~CredentialsProvider();  // calls release(user_data) once
  CredentialsProvider(const CredentialsProvider&) = delete;
  CredentialsProvider& operator=(const CredentialsProvider&) = delete;

  // Asks the host for credentials for `table` and returns the value of the Authorization header
  // ("Basic base64(user:password)") in *out. The password buffer is wiped before returning.
  // SR_SINK_E_AUTH if the callback fails or returns unterminated strings.
  Status authorization(const std::string& table, bool after_auth_failure, SecretString* out) const;

 private:
  sr_sink_host_credentials_fn get_ = nullptr;
  void* user_data_ = nullptr;
  void (*release_)(void*) = nullptr;
};

}  // namespace srs
