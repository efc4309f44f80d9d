#include "sql/lexer.h"

#include <cctype>

namespace sremu {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

}  // namespace

bool tokenize(const std::string& q, std::vector<Tok>* out, std::string* err) {
  size_t i = 0;
  while (i < q.size()) {
    unsigned char c = static_cast<unsigned char>(q[i]);
    if (std::isspace(c)) { ++i; continue; }
    // Comments: Connector/J prefixes its statements with /* mysql-connector-java-... */.
    if (c == '/' && i + 1 < q.size() && q[i + 1] == '*') {
      size_t end = q.find("*/", i + 2);
      if (end == std::string::npos) { *err = "unterminated comment"; return false; }
      i = end + 2;
      continue;
    }
    if (c == '#' || (c == '-' && q.compare(i, 3, "-- ") == 0)) {
      size_t end = q.find('\n', i);
      i = end == std::string::npos ? q.size() : end + 1;
      continue;
    }
    size_t start = i;
    if (c == '\'' || c == '"' || c == '`') {
      char quote = static_cast<char>(c);
      std::string s;
      ++i;
      bool closed = false;
      while (i < q.size()) {
        if (q[i] == quote) {
          if (i + 1 < q.size() && q[i + 1] == quote) { s.push_back(quote); i += 2; continue; }
          closed = true;
          ++i;
          break;
        }
        if (q[i] == '\\' && quote != '`' && i + 1 < q.size()) {
          char e = q[i + 1];
          s.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == '0' ? '\0' : e);
          i += 2;
          continue;
        }
        s.push_back(q[i++]);
      }
      if (!closed) { *err = "unterminated quoted text"; return false; }
      Tok t{quote == '`' ? Tok::kIdent : Tok::kString, s, quote == '`'};
      t.pos = start;
      out->push_back(t);
      continue;
    }
    if (c == '@') {
      bool system = i + 1 < q.size() && q[i + 1] == '@';
      i += system ? 2 : 1;
      size_t b = i;
      // @@session.x / @@global.x keep their scope prefix in the name; the engine strips it.
      while (i < q.size() && (ident_char(q[i]) || q[i] == '.')) ++i;
      Tok t{Tok::kVariable, q.substr(b, i - b)};
      t.system = system;
      t.pos = start;
      out->push_back(t);
      continue;
    }
    if (std::isalpha(c) || c == '_') {
      while (i < q.size() && ident_char(q[i])) ++i;
      Tok t{Tok::kIdent, q.substr(start, i - start)};
      t.pos = start;
      out->push_back(t);
      continue;
    }
    if (std::isdigit(c)) {
      while (i < q.size() && std::isdigit(static_cast<unsigned char>(q[i]))) ++i;
      if (i + 1 < q.size() && q[i] == '.' && std::isdigit(static_cast<unsigned char>(q[i + 1]))) {
        ++i;
        while (i < q.size() && std::isdigit(static_cast<unsigned char>(q[i]))) ++i;
      }
      Tok t{Tok::kNumber, q.substr(start, i - start)};
      t.pos = start;
      out->push_back(t);
      continue;
    }
    std::string p(1, static_cast<char>(c));
    ++i;
    // Two-character operators.
    if (i < q.size() && ((c == '<' && (q[i] == '=' || q[i] == '>')) || (c == '>' && q[i] == '=') ||
                         (c == '!' && q[i] == '='))) {
      p.push_back(q[i++]);
    }
    Tok t{Tok::kPunct, p};
    t.pos = start;
    out->push_back(t);
  }
  return true;
}

bool Cursor::kw(const char* word) {
  if (is_kw(word)) { ++p; return true; }
  return false;
}

bool Cursor::is_kw(const char* word, size_t ahead) const {
  const Tok* k = peek(ahead);
  return k != nullptr && k->kind == Tok::kIdent && !k->quoted && upper(k->text) == word;
}

bool Cursor::punct(const char* s) {
  if (!done() && t[p].kind == Tok::kPunct && t[p].text == s) { ++p; return true; }
  return false;
}

bool Cursor::ident(std::string* out) {
  if (!done() && t[p].kind == Tok::kIdent) { *out = t[p++].text; return true; }
  return false;
}

bool Cursor::literal(std::string* out) {
  size_t save = p;
  bool neg = punct("-");
  if (!done() && (t[p].kind == Tok::kString || t[p].kind == Tok::kNumber)) {
    if (neg && t[p].kind != Tok::kNumber) { p = save; return false; }
    *out = (neg ? "-" : "") + t[p++].text;
    return true;
  }
  p = save;
  return false;
}

bool Cursor::qualified(std::string* table, std::string* db) {
  std::string first;
  if (!ident(&first)) return false;
  db->clear();
  if (punct(".")) {
    *db = first;
    return ident(table);
  }
  *table = first;
  return true;
}

std::string Cursor::near() const { return done() ? "" : t[p].text; }

}  // namespace sremu
