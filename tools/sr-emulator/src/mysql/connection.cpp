// One query-port connection: handshake v10 with mysql_native_password (auth switch for clients
// that offer another plugin), then COM_QUERY / COM_INIT_DB / COM_PING / COM_FIELD_LIST /
// COM_QUIT; statements go to the shared SQL engine and come back as text result sets, OK or ERR
// packets. A malformed or oversized packet ends the connection with an error, never the server.
#include <cjson/cJSON.h>

#include <cstring>
#include <random>

#include "core/json_util.h"
#include "mysql/packet.h"
#include "mysql/server.h"
#include "mysql/sha1.h"
#include "sql/engine.h"
#include "sql/lexer.h"

namespace sremu {
namespace {

constexpr uint32_t kServerCapabilities = kClientLongPassword | kClientLongFlag | kClientConnectWithDb |
                                         kClientProtocol41 | kClientTransactions | kClientSecureConnection |
                                         kClientPluginAuth | kClientPluginAuthLenencData | kClientConnectAttrs;
constexpr uint8_t kCharsetUtf8 = 33;     // utf8_general_ci
constexpr uint8_t kCharsetBinary = 63;
constexpr size_t kMaxPacket = 64u << 20;  // above StarRocks' max_allowed_packet (32 MiB)
constexpr int kHandshakeTimeoutMs = 10000;
constexpr int kIdleTimeoutMs = 8 * 3600 * 1000;  // wait_timeout 28800 s
const char* kNativePassword = "mysql_native_password";

std::string make_scramble() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> dist(33, 126);  // printable, never NUL (clients read it as a C string)
  std::string s(20, '\0');
  for (auto& c : s) c = static_cast<char>(dist(rng));
  return s;
}

// mysql_native_password: the client sends SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))).
bool native_password_ok(const std::string& password, const std::string& scramble, const std::string& response) {
  if (password.empty()) return response.empty();
  if (response.size() != 20) return false;
  Sha1Digest stage1 = sha1(password);
  Sha1Digest stage2 = sha1(std::string_view(reinterpret_cast<const char*>(stage1.data()), stage1.size()));
  Sha1Digest mix = sha1(scramble + std::string(reinterpret_cast<const char*>(stage2.data()), stage2.size()));
  for (size_t i = 0; i < 20; ++i) {
    if ((static_cast<uint8_t>(response[i]) ^ mix[i]) != stage1[i]) return false;
  }
  return true;
}

struct MysqlType {
  uint8_t code;
  uint32_t length;
  uint8_t decimals;
  bool numeric;
};

// The wire type of a StarRocks column type text (int(11), varchar(65533), decimal(10,2), ...).
MysqlType wire_type(const std::string& type) {
  std::string t = lower(type);
  auto starts = [&](const char* p) { return t.rfind(p, 0) == 0; };
  auto paren = [&](int def) {
    size_t o = t.find('(');
    return o == std::string::npos ? def : std::atoi(t.c_str() + o + 1);
  };
  if (starts("tinyint") || starts("boolean")) return {1, 4, 0, true};
  if (starts("smallint")) return {2, 6, 0, true};
  if (starts("bigint")) return {8, 20, 0, true};
  if (starts("int")) return {3, 11, 0, true};
  if (starts("largeint")) return {254, 40, 0, false};
  if (starts("float")) return {4, 12, 31, true};
  if (starts("double")) return {5, 22, 31, true};
  if (starts("decimal")) {
    size_t comma = t.find(',');
    int scale = comma == std::string::npos ? 0 : std::atoi(t.c_str() + comma + 1);
    return {246, static_cast<uint32_t>(paren(10) + 2), static_cast<uint8_t>(scale), true};
  }
  if (starts("datetime")) return {12, 19, 0, false};
  if (starts("date")) return {10, 10, 0, false};
  if (starts("varchar") || starts("char")) return {253, static_cast<uint32_t>(paren(65533)) * 3, 0, false};
  return {253, 65533 * 3, 0, false};  // string, json, array, map, struct
}

// A canonical JSON fragment as the text protocol's value; nullopt = NULL.
std::optional<std::string> text_value(const std::string& fragment, const std::string& type) {
  if (fragment == "null") return std::nullopt;
  if (lower(type).rfind("json", 0) == 0) return fragment;
  if (fragment == "true") return std::string("1");
  if (fragment == "false") return std::string("0");
  if (!fragment.empty() && fragment[0] == '"') {
    CJsonDoc doc(cJSON_Parse(fragment.c_str()));
    if (cJSON_IsString(doc.root)) return std::string(doc.root->valuestring);
  }
  return fragment;
}

class Connection {
 public:
  Connection(Emulator& emu, int fd, uint32_t id, std::string peer, const std::atomic<bool>& stopping)
      : emu_(emu), conn_(fd), stopping_(stopping) {
    session_.frontend = SqlFrontend::kMysql;
    session_.connection_id = id;
    session_.client_host = std::move(peer);
  }

  void run() {
    if (!handshake()) return;
    std::string payload;
    while (!stopping_.load()) {
      conn_.reset_seq();
      if (!conn_.read(&payload, kMaxPacket, kIdleTimeoutMs) || payload.empty()) return;
      if (!command(payload)) return;
    }
  }

 private:
  bool handshake() {
    scramble_ = make_scramble();
    std::string p(1, '\x0a');
    p += emu_.cfg.mysql_server_version;
    p.push_back('\0');
    put_int(&p, session_.connection_id, 4);
    p += scramble_.substr(0, 8);
    p.push_back('\0');
    put_int(&p, kServerCapabilities & 0xffff, 2);
    p.push_back(static_cast<char>(kCharsetUtf8));
    put_int(&p, kServerStatusAutocommit, 2);
    put_int(&p, kServerCapabilities >> 16, 2);
    p.push_back(static_cast<char>(21));
    p.append(10, '\0');
    p += scramble_.substr(8);
    p.push_back('\0');
    p += kNativePassword;
    p.push_back('\0');
    if (!conn_.write(p)) return false;

    std::string resp;
    if (!conn_.read(&resp, 1 << 20, kHandshakeTimeoutMs)) return false;
    PayloadReader r{resp};
    uint64_t caps = 0, max_packet = 0, charset = 0;
    std::string filler, user, auth, db, plugin;
    if (!r.int_n(4, &caps)) return conn_.err(1043, "08S01", "Bad handshake") && false;
    if ((caps & kClientProtocol41) == 0) return conn_.err(1043, "08S01", "Bad handshake: protocol 4.1 required") && false;
    if ((caps & kClientSsl) != 0 && resp.size() <= 32) {
      return conn_.err(1043, "08S01", "SSL is not supported by the emulator's query port") && false;
    }
    bool ok = r.int_n(4, &max_packet) && r.int_n(1, &charset) && r.fixed(23, &filler) && r.nul_str(&user);
    if (ok) {
      if (caps & kClientPluginAuthLenencData) {
        ok = r.lenenc_str(&auth);
      } else if (caps & kClientSecureConnection) {
        uint64_t n = 0;
        ok = r.int_n(1, &n) && r.fixed(static_cast<size_t>(n), &auth);
      } else {
        ok = r.nul_str(&auth);
      }
    }
    if (ok && (caps & kClientConnectWithDb) && r.left()) ok = r.nul_str(&db);
    if (ok && (caps & kClientPluginAuth) && r.left()) ok = r.nul_str(&plugin);
    if (!ok) return conn_.err(1043, "08S01", "Bad handshake") && false;

    // A client that answered for another plugin (caching_sha2_password, ...) is asked to switch.
    if (!plugin.empty() && plugin != kNativePassword && !auth.empty()) {
      std::string sw(1, static_cast<char>(0xfe));
      sw += kNativePassword;
      sw.push_back('\0');
      sw += scramble_;
      sw.push_back('\0');
      if (!conn_.write(sw) || !conn_.read(&auth, 1 << 16, kHandshakeTimeoutMs)) return false;
    }
    std::optional<std::string> password;
    {
      std::lock_guard<std::mutex> lock(emu_.mu);
      auto it = emu_.users.find(user);
      if (it != emu_.users.end()) password = it->second;
    }
    if (!password || !native_password_ok(*password, scramble_, auth)) {
      // The same answer for an unknown user and a wrong password; the password never appears.
      return conn_.err(1045, "28000", "Access denied for user '" + user + "' (using password: " +
                                          (auth.empty() ? "NO" : "YES") + ")") && false;
    }
    session_.user = user;
    if (!db.empty()) {
      if (!use_db(db)) return false;
    }
    return conn_.ok(0, kServerStatusAutocommit);
  }

  // Sets the current database; on an unknown one sends ERR 1049 and returns false.
  bool use_db(const std::string& db) {
    bool exists;
    {
      std::lock_guard<std::mutex> lock(emu_.mu);
      exists = upper(db) == "INFORMATION_SCHEMA" || emu_.catalog.db(db) != nullptr;
    }
    if (!exists) {
      conn_.err(1049, "42000", "Unknown database '" + db + "'");
      return false;
    }
    session_.db = db;
    return true;
  }

  // Returns false when the connection must end.
  bool command(const std::string& payload) {
    const uint8_t cmd = static_cast<uint8_t>(payload[0]);
    const std::string arg = payload.substr(1);
    switch (cmd) {
      case 0x01:  // COM_QUIT
        return false;
      case 0x02:  // COM_INIT_DB
        if (!use_db(arg)) return true;
        return conn_.ok(0, kServerStatusAutocommit);
      case 0x03:  // COM_QUERY
        return query(arg);
      case 0x04:  // COM_FIELD_LIST (the mysql client's table-name completion)
        return field_list(arg);
      case 0x0e:  // COM_PING
      case 0x1f:  // COM_RESET_CONNECTION
        return conn_.ok(0, kServerStatusAutocommit);
      case 0x16:  // COM_STMT_PREPARE
        return conn_.err(1295, "HY000", "the emulator's query port does not support server-side prepared statements");
      default:
        return conn_.err(1047, "08S01", "Unknown command " + std::to_string(cmd));
    }
  }

  bool query(const std::string& sql) {
    SqlResult rs;
    if (auto e = run_sql(emu_, session_, sql, &rs)) return conn_.err(e->code, e->sqlstate, e->message);
    if (rs.shape == SqlResult::kOk) return conn_.ok(static_cast<uint64_t>(rs.affected_rows), kServerStatusAutocommit);
    return result_set(rs);
  }

  std::string column_def(const std::string& name, const std::string& type, const std::string& table) {
    MysqlType w = wire_type(type);
    std::string c;
    put_lenenc_str(&c, "def");
    put_lenenc_str(&c, session_.db);
    put_lenenc_str(&c, table);
    put_lenenc_str(&c, table);
    put_lenenc_str(&c, name);
    put_lenenc_str(&c, name);
    c.push_back('\x0c');
    put_int(&c, w.numeric ? kCharsetBinary : kCharsetUtf8, 2);
    put_int(&c, w.length, 4);
    c.push_back(static_cast<char>(w.code));
    put_int(&c, w.numeric ? 0x80 : 0, 2);  // BINARY_FLAG on numbers
    c.push_back(static_cast<char>(w.decimals));
    put_int(&c, 0, 2);
    return c;
  }

  bool result_set(const SqlResult& rs) {
    std::string count;
    put_lenenc_int(&count, rs.meta.size());
    if (!conn_.write(count)) return false;
    for (const auto& m : rs.meta) {
      if (!conn_.write(column_def(m.name, m.type, ""))) return false;
    }
    if (!conn_.eof(kServerStatusAutocommit)) return false;
    for (const auto& row : rs.rows) {
      std::string p;
      for (size_t i = 0; i < row.size() && i < rs.meta.size(); ++i) {
        auto v = text_value(row[i], rs.meta[i].type);
        if (v) put_lenenc_str(&p, *v);
        else p.push_back(static_cast<char>(0xfb));
      }
      if (!conn_.write(p)) return false;
    }
    return conn_.eof(kServerStatusAutocommit);
  }

  bool field_list(const std::string& arg) {
    std::string table = arg.substr(0, arg.find('\0'));
    SqlResult rs;
    std::string quoted = "`";
    for (char ch : table) quoted += ch == '`' ? std::string("``") : std::string(1, ch);
    if (auto e = run_sql(emu_, session_, "SELECT * FROM " + quoted + "` LIMIT 0", &rs)) {
      return conn_.err(e->code, e->sqlstate, e->message);
    }
    for (const auto& m : rs.meta) {
      std::string def = column_def(m.name, m.type, table);
      def.push_back('\xfb');  // default value: NULL
      if (!conn_.write(def)) return false;
    }
    return conn_.eof(kServerStatusAutocommit);
  }

  Emulator& emu_;
  PacketConn conn_;
  const std::atomic<bool>& stopping_;
  SqlSession session_;
  std::string scramble_;
};

}  // namespace

void serve_mysql_connection(Emulator& emu, int fd, uint32_t id, const std::string& peer,
                            const std::atomic<bool>& stopping) {
  Connection(emu, fd, id, peer, stopping).run();
}

}  // namespace sremu
