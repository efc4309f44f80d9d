// Session variables: the defaults StarRocks reports (the ones drivers read at connect time:
// Connector/J's SELECT @@..., PyMySQL, the mysql client) and SET.
#include "sql/statements.h"

namespace sremu {

std::map<std::string, std::string> default_variables(const Emulator& emu) {
  return {
      {"auto_increment_increment", "1"},
      {"autocommit", "1"},
      {"character_set_client", "utf8"},
      {"character_set_connection", "utf8"},
      {"character_set_database", "utf8"},
      {"character_set_results", "utf8"},
      {"character_set_server", "utf8"},
      {"collation_connection", "utf8_general_ci"},
      {"collation_database", "utf8_general_ci"},
      {"collation_server", "utf8_general_ci"},
      {"init_connect", ""},
      {"interactive_timeout", "3600"},
      {"language", "/starrocks/share/english/"},
      {"license", "Apache License 2.0"},
      {"lower_case_table_names", "0"},
      {"max_allowed_packet", "33554432"},
      {"net_buffer_length", "16384"},
      {"net_read_timeout", "60"},
      {"net_write_timeout", "60"},
      {"performance_schema", "0"},
      {"query_cache_size", "1048576"},
      {"query_cache_type", "0"},
      {"query_timeout", "300"},
      {"sql_mode", "ONLY_FULL_GROUP_BY"},
      {"sql_select_limit", "9223372036854775807"},
      {"sql_safe_updates", "0"},
      {"system_time_zone", "UTC"},
      {"time_zone", "Asia/Shanghai"},
      {"transaction_isolation", "REPEATABLE-READ"},
      {"transaction_read_only", "0"},
      {"tx_isolation", "REPEATABLE-READ"},
      {"tx_read_only", "0"},
      {"version", emu.cfg.mysql_server_version},
      {"version_comment", "StarRocks version " + emu.cfg.sr_version},
      {"wait_timeout", "28800"},
  };
}

std::optional<std::string> variable_value(const Emulator& emu, const SqlSession& s, const std::string& name) {
  auto it = s.vars.find(name);
  if (it != s.vars.end()) return it->second;
  auto defaults = default_variables(emu);
  auto d = defaults.find(name);
  if (d == defaults.end()) return std::nullopt;
  return d->second;
}

// SET [GLOBAL|SESSION|LOCAL] var = v, @@[scope.]var = v, @user = v, NAMES cs [COLLATE c],
// CHARACTER SET cs, [SESSION] TRANSACTION ...: all stored per session (StarRocks needs admin
// rights for GLOBAL; the emulator has one session scope). Variables StarRocks has but the emulator
// does not list are stored too, so a client setting a real StarRocks variable is not refused.
SqlOutcome run_set(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out) {
  (void)emu;
  out->shape = SqlResult::kOk;
  do {
    std::string scope;
    if (c.kw("GLOBAL")) scope = "global";
    else if (c.kw("SESSION") || c.kw("LOCAL")) scope = "session";
    if (c.kw("TRANSACTION")) {  // SET [SESSION] TRANSACTION ISOLATION LEVEL ... | READ ONLY/WRITE
      while (!c.done() && !(c.peek()->kind == Tok::kPunct && c.peek()->text == ",")) ++c.p;
      continue;
    }
    if (c.kw("NAMES") || (c.kw("CHARACTER") && c.kw("SET")) || c.kw("CHARSET")) {
      std::string cs;
      if (!c.ident(&cs) && !c.literal(&cs) && !c.kw("DEFAULT")) return syntax_error("expected a character set");
      if (c.kw("COLLATE")) {
        std::string coll;
        if (!c.ident(&coll) && !c.literal(&coll)) return syntax_error("expected a collation");
      }
      continue;  // StarRocks speaks utf8 whatever is asked
    }
    std::string name;
    bool user_var = false;
    const Tok* t = c.peek();
    if (t != nullptr && t->kind == Tok::kVariable) {
      user_var = !t->system;
      name = lower(t->text);
      ++c.p;
      for (const char* sc : {"session.", "global.", "local."}) {
        if (name.rfind(sc, 0) == 0) name = name.substr(std::string(sc).size());
      }
    } else if (!c.ident(&name)) {
      return syntax_error("expected a variable name after SET, near '" + c.near() + "'");
    } else {
      name = lower(name);
    }
    if (!c.punct("=") && !(c.punct(":") && c.punct("="))) return syntax_error("expected '=' after " + name);
    std::string value;
    const Tok* v = c.peek();
    if (v == nullptr) return syntax_error("expected a value for " + name);
    if (!c.literal(&value)) {
      if (v->kind != Tok::kIdent) return syntax_error("expected a value for " + name + ", near '" + c.near() + "'");
      value = v->text;
      ++c.p;
      std::string u = upper(value);
      if (u == "ON" || u == "TRUE") value = "1";
      else if (u == "OFF" || u == "FALSE") value = "0";
      else if (u == "DEFAULT") {
        (user_var ? s.user_vars : s.vars).erase(name);
        continue;
      }
    }
    (user_var ? s.user_vars : s.vars)[name] = value;
  } while (c.punct(","));
  if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
  return std::nullopt;
}

}  // namespace sremu
