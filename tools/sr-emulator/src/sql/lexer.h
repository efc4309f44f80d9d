// The SQL tokenizer and token cursor shared by every SQL front end (HTTP SQL API, MySQL protocol
// query port). The emulator parses only the statement shapes clients send (see engine.h), so a
// flat token list with a cursor is enough; there is no grammar.
#pragma once
#include <string>
#include <vector>

namespace sremu {

struct Tok {
  enum Kind { kIdent, kString, kNumber, kPunct, kVariable } kind;
  std::string text;     // unquoted text; kVariable: the name after @@ (or @ for user variables)
  bool quoted = false;  // `ident`
  bool system = false;  // kVariable: @@name (true) or @name (false)
  size_t pos = 0;       // byte offset in the statement (for error messages)
};

std::string upper(std::string s);
std::string lower(std::string s);

// Splits `q` into tokens; comments (/* */, -- , #) are skipped. On failure sets *err.
bool tokenize(const std::string& q, std::vector<Tok>* out, std::string* err);

struct Cursor {
  const std::vector<Tok>& t;
  size_t p = 0;
  bool done() const { return p >= t.size(); }
  const Tok* peek(size_t ahead = 0) const { return p + ahead < t.size() ? &t[p + ahead] : nullptr; }
  bool kw(const char* word);     // an unquoted identifier equal (case-insensitive) to `word`
  bool is_kw(const char* word, size_t ahead = 0) const;
  bool punct(const char* s);
  bool ident(std::string* out);  // any identifier, quoted or not
  bool literal(std::string* out);  // a string or number (with an optional leading '-')
  bool qualified(std::string* table, std::string* db);  // [db .] name
  // The text of the token at the cursor, for "near ..." errors ("" at the end).
  std::string near() const;
};

}  // namespace sremu
