// The text of JSON string tokens: escapes decoded to UTF-8. One decoder for the row checks (keys)
// and the CSV encoder (values); both see tokens the validator has already accepted.
#pragma once
#include <string>
#include <string_view>

namespace srs {

// Appends the decoded text of a validated JSON string's content (between its quotes) to out.
void json_unescape_content(std::string_view content, std::string* out);
// Decodes the validated JSON string token `token` (with its quotes) into out (replacing it).
void json_unescape(std::string_view token, std::string* out);

}  // namespace srs
