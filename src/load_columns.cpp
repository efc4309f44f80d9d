#include "load_columns.h"

namespace srs {

std::string load_columns_header(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) {
    out += '`';
    for (char ch : c) {
      if (ch == '`') out += '`';
      out += ch;
    }
    out += "`,";
  }
  return out + "__op";
}

}  // namespace srs
