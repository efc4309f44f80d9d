// Commit token codec (see token.h for the format).
#include "token.h"

#include <cjson/cJSON.h>

#include <cmath>
#include <memory>

#include "label.h"

namespace srs {
namespace {

constexpr int kVersion = 2;        // written
constexpr int kOldestVersion = 1;  // still read (library 1.0 tokens)
constexpr const char* kMode = "on_checkpoint";

using JsonPtr = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

Status bad(const std::string& why) {
  return Status::Error(SR_SINK_E_RECOVERY, "invalid restore token: " + why,
                       SR_SINK_ERROR_F_FATAL);
}

// JSON numbers are doubles: only integers in 0 .. 2^53-1 are exact.
bool get_id(const cJSON* item, int64_t* out) {
  if (!cJSON_IsNumber(item)) return false;
  double d = item->valuedouble;
  if (!(d >= 0) || d > static_cast<double>(kMaxTokenCheckpointId) || std::floor(d) != d) {
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool get_string(const cJSON* obj, const char* key, std::string* out) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsString(item) || item->valuestring == nullptr || item->valuestring[0] == '\0') {
    return false;
  }
  *out = item->valuestring;
  return true;
}

Status only_keys(const cJSON* obj, std::initializer_list<const char*> keys, const char* where) {
  for (const cJSON* it = obj->child; it != nullptr; it = it->next) {
    bool known = false;
    for (const char* k : keys) known = known || (it->string && std::string(it->string) == k);
    if (!known) {
      return bad(std::string("unknown key `") + (it->string ? it->string : "") + "` in " + where);
    }
  }
  return Status::OK();
}

Status decode_txn(const cJSON* item, size_t index, PreparedTxn* out) {
  std::string where = "txns[" + std::to_string(index) + "]";
  if (!cJSON_IsObject(item)) return bad(where + " is not an object");
  SRS_RETURN_IF_ERROR(only_keys(item, {"checkpoint_id", "label"}, where.c_str()));
  if (!get_id(cJSON_GetObjectItemCaseSensitive(item, "checkpoint_id"), &out->checkpoint_id)) {
    return bad(where + ".checkpoint_id must be an integer in 0..2^53-1");
  }
  if (!get_string(item, "label", &out->label) || !is_valid_label(out->label)) {
    return bad(where + ".label must be a StarRocks label (^[-\\w]{1,128}$)");
  }
  return Status::OK();
}

}  // namespace

// Ids are written as raw integer text: cJSON prints doubles with 15 significant digits when that
// round-trips within DBL_EPSILON, which loses ids above ~10^15.
std::string encode_token(const CommitToken& token) {
  JsonPtr root(cJSON_CreateObject(), &cJSON_Delete);
  cJSON_AddNumberToObject(root.get(), "v", kVersion);
  cJSON_AddStringToObject(root.get(), "mode", kMode);
  cJSON_AddStringToObject(root.get(), "db", token.db.c_str());
  cJSON_AddStringToObject(root.get(), "table", token.table.c_str());
  cJSON_AddStringToObject(root.get(), "instance_id", token.instance_id.c_str());
  cJSON_AddStringToObject(root.get(), "prefix", token.prefix.c_str());
  cJSON_AddRawToObject(root.get(), "checkpoint_id", std::to_string(token.checkpoint_id).c_str());
  cJSON_AddRawToObject(root.get(), "label_id", std::to_string(token.label_id).c_str());
  cJSON* txns = cJSON_AddArrayToObject(root.get(), "txns");
  for (const PreparedTxn& t : token.txns) {
    cJSON* o = cJSON_CreateObject();
    cJSON_AddRawToObject(o, "checkpoint_id", std::to_string(t.checkpoint_id).c_str());
    cJSON_AddStringToObject(o, "label", t.label.c_str());
    cJSON_AddItemToArray(txns, o);
  }
  char* text = cJSON_PrintUnformatted(root.get());
  std::string out = text ? text : "";
  cJSON_free(text);
  return out;
}

Result<CommitToken> decode_token(std::string_view bytes) {
  JsonPtr root(cJSON_ParseWithLength(bytes.data(), bytes.size()), &cJSON_Delete);
  if (!root || !cJSON_IsObject(root.get())) return bad("not a JSON object");
  const cJSON* r = root.get();
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(r, "v");
  if (!cJSON_IsNumber(v) || (v->valuedouble != kVersion && v->valuedouble != kOldestVersion)) {
    return bad("unsupported version (this library reads v=1 and v=2 tokens)");
  }
  const int version = v->valuedouble == kVersion ? kVersion : kOldestVersion;
  if (version == kVersion) {
    SRS_RETURN_IF_ERROR(only_keys(r, {"v", "mode", "db", "table", "instance_id", "prefix",
                                      "checkpoint_id", "label_id", "txns"},
                                  "token"));
  } else {
    SRS_RETURN_IF_ERROR(only_keys(
        r, {"v", "mode", "db", "table", "instance_id", "prefix", "checkpoint_id", "txns"}, "token"));
  }
  std::string mode;
  if (!get_string(r, "mode", &mode) || mode != kMode) {
    return bad("mode is not \"on_checkpoint\" (a token of an on_watermark sink cannot restore an "
               "on_checkpoint sink)");
  }
  CommitToken t;
  if (!get_string(r, "db", &t.db)) return bad("`db` must be a non-empty string");
  if (!get_string(r, "table", &t.table)) return bad("`table` must be a non-empty string");
  if (!get_string(r, "instance_id", &t.instance_id)) {
    return bad("`instance_id` must be a non-empty string");
  }
  if (!get_string(r, "prefix", &t.prefix)) return bad("`prefix` must be a non-empty string");
  if (!get_id(cJSON_GetObjectItemCaseSensitive(r, "checkpoint_id"), &t.checkpoint_id)) {
    return bad("`checkpoint_id` must be an integer in 0..2^53-1");
  }
  t.version = version;
  if (version == kVersion) {
    // -1: the instance had begun no transaction yet.
    const cJSON* l = cJSON_GetObjectItemCaseSensitive(r, "label_id");
    if (cJSON_IsNumber(l) && l->valuedouble == -1) {
      t.label_id = -1;
    } else if (!get_id(l, &t.label_id)) {
      return bad("`label_id` must be an integer in -1..2^53-1");
    }
  } else {
    t.label_id = t.checkpoint_id;  // v1 label ids were at most the checkpoint id
  }
  const cJSON* txns = cJSON_GetObjectItemCaseSensitive(r, "txns");
  if (!cJSON_IsArray(txns)) return bad("`txns` must be an array");
  size_t i = 0;
  for (const cJSON* it = txns->child; it != nullptr; it = it->next, ++i) {
    PreparedTxn p;
    SRS_RETURN_IF_ERROR(decode_txn(it, i, &p));
    if (p.checkpoint_id > t.checkpoint_id) {
      return bad("txns[" + std::to_string(i) + "] belongs to checkpoint " +
                 std::to_string(p.checkpoint_id) + ", after the token's checkpoint " +
                 std::to_string(t.checkpoint_id));
    }
    if (!t.txns.empty() && p.checkpoint_id <= t.txns.back().checkpoint_id) {
      return bad("txns are not in increasing checkpoint order");
    }
    t.txns.push_back(std::move(p));
  }
  return t;
}

Result<TokenInfo> inspect_token(std::string_view bytes) {
  JsonPtr root(cJSON_ParseWithLength(bytes.data(), bytes.size()), &cJSON_Delete);
  if (!root || !cJSON_IsObject(root.get())) return bad("not a JSON object");
  const cJSON* mode = cJSON_GetObjectItemCaseSensitive(root.get(), "mode");
  if (cJSON_IsString(mode) && mode->valuestring && std::string(mode->valuestring) == "on_watermark") {
    // Written by the on_watermark driver (stream_load.cpp); names no transaction.
    const cJSON* r = root.get();
    SRS_RETURN_IF_ERROR(only_keys(r, {"v", "mode", "checkpoint_id", "txns"}, "token"));
    const cJSON* v = cJSON_GetObjectItemCaseSensitive(r, "v");
    if (!cJSON_IsNumber(v) || v->valuedouble != 1) {
      return bad("unsupported version of an on_watermark token (this library reads v=1)");
    }
    const cJSON* id = cJSON_GetObjectItemCaseSensitive(r, "checkpoint_id");
    double d = cJSON_IsNumber(id) ? id->valuedouble : 0.5;
    if (std::floor(d) != d || std::fabs(d) > static_cast<double>(kMaxTokenCheckpointId)) {
      return bad("`checkpoint_id` must be an integer");
    }
    const cJSON* txns = cJSON_GetObjectItemCaseSensitive(r, "txns");
    if (!cJSON_IsArray(txns) || cJSON_GetArraySize(txns) != 0) {
      return bad("`txns` of an on_watermark token must be an empty array");
    }
    TokenInfo info;
    info.on_watermark = true;
    info.checkpoint_id = static_cast<int64_t>(d);
    return info;
  }
  Result<CommitToken> t = decode_token(bytes);
  if (!t.ok()) return t.status();
  TokenInfo info;
  info.checkpoint_id = t->checkpoint_id;
  info.n_transactions = static_cast<uint32_t>(t->txns.size());
  return info;
}

Status check_token_owner(const CommitToken& token, std::string_view db, std::string_view table,
                         std::string_view instance_id) {
  auto mismatch = [](const std::string& what, const std::string& theirs, std::string_view ours) {
    return Status::Error(SR_SINK_E_RECOVERY,
                         "restore token belongs to " + what + " `" + theirs + "`, not `" +
                             std::string(ours) + "`: pass the token this sink produced",
                         SR_SINK_ERROR_F_FATAL);
  };
  if (token.db != db || token.table != table) {
    return mismatch("table", token.db + "." + token.table,
                    std::string(db) + "." + std::string(table));
  }
  if (token.instance_id != instance_id) {
    return mismatch("instance_id", token.instance_id, instance_id);
  }
  return Status::OK();
}

}  // namespace srs
