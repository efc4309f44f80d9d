// The `columns` header, parsed the way StarRocks' FE parses it: StreamLoadInfo.setColumnToColumnExpr
// wraps the header as "COLUMNS (" + header + ")" and hands it to the SQL parser (importColumns:
// `'(' (qualifiedName | assignment) (',' (qualifiedName | assignment))* ')'`). So names follow SQL
// identifier rules: a reserved word or a name with a space must be backquoted, and a doubled
// backquote inside backquotes is one backquote. Both the plain and the transaction Stream Load
// plan the load through this parser (the BE forwards the header to the FE's streamLoadPut).
//
// Errors use the parser's shape: "Getting syntax error at line 1, column <c>. Detail message:
// <detail>." where <c> is the 0-based offset of the offending token in the wrapped text.
#include <algorithm>
#include <cctype>
#include <set>

#include "data/internal.h"

namespace sremu {
namespace dl {
namespace {

constexpr size_t kPrefixLen = 9;  // "COLUMNS ("

// StarRocks' reserved keywords (docs: sql-reference/sql-statements/keywords.md): they are tokens
// of their own and never parse as an identifier unless backquoted.
const std::set<std::string>& reserved_words() {
  static const std::set<std::string> k = {
      "ADD", "ALL", "ALTER", "ANALYZE", "AND", "ANTI", "ARRAY", "AS", "ASC", "AUTHENTICATION", "BETWEEN",
      "BIGINT", "BITMAP", "BOTH", "BY", "CANCEL", "CASE", "CHAR", "CHARACTER", "CHECK", "COLLATE", "COLUMN",
      "CONVERT", "CREATE", "CROSS", "CUBE", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
      "CURRENT_USER", "DATABASE", "DATABASES", "DECIMAL", "DECIMALV2", "DECIMAL32", "DECIMAL64", "DECIMAL128",
      "DEFAULT", "DELETE", "DENSE_RANK", "DESC", "DESCRIBE", "DISTINCT", "DISTRIBUTED", "DOUBLE", "DROP",
      "DUAL", "ELSE", "EXCEPT", "EXISTS", "EXPLAIN", "EXPORT", "FALSE", "FIRST_VALUE", "FLOAT", "FOR",
      "FORCE", "FROM", "FULL", "FUNCTION", "GRANT", "GROUP", "GROUPS", "GROUPING", "GROUPING_ID", "HAVING",
      "HLL", "HOST", "IF", "IGNORE", "IN", "INDEX", "INFILE", "INNER", "INSERT", "INT", "INTEGER", "INTERSECT",
      "INTO", "IS", "JOIN", "JSON", "KEY", "KEYS", "KILL", "LAG", "LARGEINT", "LAST_VALUE", "LATERAL", "LEAD",
      "LEFT", "LIKE", "LIMIT", "LOAD", "LOCALTIME", "LOCALTIMESTAMP", "MAXVALUE", "MINUS", "MOD", "NTILE",
      "NODES", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "OUTFILE", "OVER", "PARTITION", "PERCENTILE",
      "PRIMARY", "PROCEDURE", "QUALIFY", "RANGE", "RANK", "READ", "REGEXP", "RELEASE", "RENAME", "REPLACE",
      "REVOKE", "RIGHT", "RLIKE", "ROW", "ROWS", "ROW_NUMBER", "SCHEMA", "SCHEMAS", "SELECT", "SEMI", "SET",
      "SET_VAR", "SHOW", "SMALLINT", "SYSTEM", "SWAP", "TABLE", "TERMINATED", "THEN", "TINYINT", "TO", "TRUE",
      "UNION", "UNIQUE", "UNSIGNED", "UPDATE", "USE", "USING", "VALUES", "VARCHAR", "WHEN", "WHERE", "WITH"};
  return k;
}

struct Token {
  enum Kind { kIdent, kReserved, kString, kNumber, kSymbol, kEnd, kLexError } kind = kEnd;
  std::string text;   // as written
  std::string value;  // identifier name (backquotes removed, `` → `) / string content / lexer error
  size_t pos = 0;     // offset in "COLUMNS (" + header + ")"
};

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::string syntax_error(size_t pos, const std::string& detail) {
  return "Getting syntax error at line 1, column " + std::to_string(pos) + ". Detail message: " + detail + ".";
}

std::string unexpected(const Token& t, const std::string& expected) {
  return syntax_error(t.pos, "Unexpected input '" + (t.kind == Token::kEnd ? std::string("<EOF>") : t.text) +
                                 "', the most similar input is " + expected);
}

// The StarRocksLex rules this header can meet. Text the lexer rejects ends the list with a
// kLexError token: the parser pulls tokens lazily, so a syntax error before it is reported first.
void lex(const std::string& sql, std::vector<Token>* out) {
  auto lex_error = [&](size_t at, const std::string& message) {
    Token t;
    t.kind = Token::kLexError;
    t.pos = at;
    t.value = message;
    out->push_back(std::move(t));
  };
  size_t i = 0;
  while (i < sql.size()) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    size_t start = i;
    if (c == '`' || c == '\'' || c == '"') {  // BACKQUOTED_IDENTIFIER, SINGLE/DOUBLE_QUOTED_TEXT
      const char q = static_cast<char>(c);
      ++i;
      bool closed = false;
      while (i < sql.size()) {
        if (q != '`' && sql[i] == '\\' && i + 1 < sql.size()) {
          t.value.push_back(sql[i + 1]);
          i += 2;
        } else if (sql[i] == q && i + 1 < sql.size() && sql[i + 1] == q) {  // doubled quote
          t.value.push_back(q);
          i += 2;
        } else if (sql[i] == q) {
          ++i;
          closed = true;
          break;
        } else {
          t.value.push_back(sql[i++]);
        }
      }
      if (!closed) {
        return lex_error(start, syntax_error(start, "token recognition error at: '" + sql.substr(start) + "'"));
      }
      t.kind = q == '`' ? Token::kIdent : Token::kString;
    } else if (word_char(c)) {  // LETTER_IDENTIFIER, DIGIT_IDENTIFIER, keywords, numbers
      while (i < sql.size() && word_char(static_cast<unsigned char>(sql[i]))) ++i;
      std::string word = sql.substr(start, i - start);
      bool digits = true;
      for (char ch : word) digits = digits && std::isdigit(static_cast<unsigned char>(ch));
      if (digits && i + 1 < sql.size() && sql[i] == '.' && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
        for (++i; i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i])); ++i) {
        }
        digits = true;
      }
      t.value = word;
      if (digits) {
        t.kind = Token::kNumber;
      } else if (reserved_words().count(upper(word))) {
        t.kind = Token::kReserved;
      } else {
        t.kind = Token::kIdent;
      }
    } else if (std::string("(),=.+-*/%<>!&|^~@[]:;{}?").find(static_cast<char>(c)) != std::string::npos) {
      ++i;
      // Two-character operators the lexer knows as one token.
      if (i < sql.size()) {
        std::string two = sql.substr(start, 2);
        if (two == "<=" || two == ">=" || two == "<>" || two == "!=" || two == "||" || two == "&&" || two == "->")
          ++i;
      }
      t.kind = Token::kSymbol;
    } else {
      return lex_error(start, syntax_error(start, "token recognition error at: '" + sql.substr(start, 1) + "'"));
    }
    t.text = sql.substr(start, i - start);
    out->push_back(std::move(t));
  }
  Token end;
  end.pos = sql.size();
  out->push_back(end);
}

bool is_symbol(const Token& t, const char* s) { return t.kind == Token::kSymbol && t.text == s; }

std::string quote_backticks(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

// The right side of `col = <expr>`, tokens [b, e). The emulator evaluates a source field, a string,
// a number (optionally signed) or NULL; other expressions parse but are refused by the caller.
bool simple_expr(const std::vector<Token>& toks, size_t b, size_t e, Expr* out) {
  if (e - b == 1) {
    const Token& t = toks[b];
    if (t.kind == Token::kIdent) {
      out->kind = Expr::kField;
      out->value = t.value;
      out->text = quote_backticks(t.value);
      return true;
    }
    if (t.kind == Token::kString) {
      out->kind = Expr::kConst;
      out->value = t.value;
      out->text = "'" + t.value + "'";
      return true;
    }
    if (t.kind == Token::kNumber) {
      out->kind = Expr::kNumberConst;
      out->value = out->text = t.text;
      return true;
    }
    if (t.kind == Token::kReserved && iequals(t.text, "NULL")) {
      out->kind = Expr::kNullConst;
      out->text = "NULL";
      return true;
    }
    return false;
  }
  if (e - b == 2 && (is_symbol(toks[b], "-") || is_symbol(toks[b], "+")) && toks[b + 1].kind == Token::kNumber) {
    out->kind = Expr::kNumberConst;
    out->value = out->text = toks[b].text + toks[b + 1].text;
    return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> parse_columns_header(std::string_view header, std::vector<ColumnItem>* items) {
  const std::string sql = "COLUMNS (" + std::string(header) + ")";
  std::vector<Token> toks;
  lex(sql, &toks);
  // Past the last token the parser would only see the lexer's error again.
  auto at = [&](size_t k) -> const Token& { return toks[std::min(k, toks.size() - 1)]; };
  // toks[0] = COLUMNS (an identifier here), toks[1] = '('.
  size_t i = 2;
  for (;;) {
    const Token& first = at(i);
    if (first.kind == Token::kLexError) return first.value;
    if (first.kind != Token::kIdent) return unexpected(first, "{a legal identifier}");
    const Token& next = at(i + 1);
    if (next.kind == Token::kLexError) return next.value;
    ColumnItem item;
    item.name = first.value;
    if (is_symbol(next, "=")) {
      size_t b = i + 2, e = b;
      int depth = 0;
      for (; at(e).kind != Token::kEnd; ++e) {
        if (at(e).kind == Token::kLexError) return at(e).value;
        if (is_symbol(toks[e], "(")) ++depth;
        if (is_symbol(toks[e], ")") && depth-- == 0) break;
        if (is_symbol(toks[e], ",") && depth == 0) break;
      }
      if (e == b) return unexpected(toks[e], "{a legal identifier}");
      // Reserved words can only be operands when they are literals (NULL, TRUE, FALSE) or functions.
      if (e - b == 1 && toks[b].kind == Token::kReserved && !iequals(toks[b].text, "NULL") &&
          !iequals(toks[b].text, "TRUE") && !iequals(toks[b].text, "FALSE")) {
        return unexpected(toks[b], "{a legal identifier}");
      }
      item.mapped = true;
      item.source = sql.substr(first.pos, toks[e].pos - first.pos);
      while (!item.source.empty() && std::isspace(static_cast<unsigned char>(item.source.back()))) {
        item.source.pop_back();
      }
      item.expr_supported = simple_expr(toks, b, e, &item.expr);
      if (!item.expr_supported) item.expr.text = sql.substr(toks[b].pos, toks[e].pos - toks[b].pos);
      if (toks[e].kind == Token::kEnd) return unexpected(toks[e], "{')'}");  // an unclosed '('
      i = e;
    } else if (is_symbol(next, ",") || is_symbol(next, ")")) {
      item.source = first.text;
      i = i + 1;
    } else if (is_symbol(next, ".")) {
      return "sr-emulator: qualified names in the columns header are not supported: " + std::string(header);
    } else {
      // Neither `name`, `name = expr` nor `a.b`: ANTLR finds no viable alternative for the item.
      size_t end = next.kind == Token::kEnd ? sql.size() : next.pos + next.text.size();
      return syntax_error(next.pos, "No viable statement for input '" + sql.substr(first.pos, end - first.pos) + "'");
    }
    items->push_back(std::move(item));
    if (is_symbol(at(i), ",")) {
      ++i;
      continue;
    }
    // toks[i] is the ')' that closes the list: nothing may follow it.
    if (at(i + 1).kind == Token::kLexError) return at(i + 1).value;
    if (at(i + 1).kind != Token::kEnd) return unexpected(at(i + 1), "{<EOF>}");
    return std::nullopt;
  }
}

}  // namespace dl
}  // namespace sremu
