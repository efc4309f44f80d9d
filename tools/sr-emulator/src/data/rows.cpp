// The load plan (which source field feeds which column, where __op comes from) and the per-row
// rules of spec §6: strict vs non-strict conversion, NOT NULL, DEFAULT, partial update, deletes.
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "data/internal.h"

namespace sremu::dl {
namespace {

bool is_pk(const TableSchema& t) { return t.keys_type == "PRIMARY_KEYS"; }

// What a rejected line shows for a value (StarRocks prints the source text).
std::string_view src_text(const SrcVal& v) {
  if (v.kind == SrcVal::kText) return v.text;
  if (v.kind == SrcVal::kJson) return v.doc->at(v.node).text;
  return "null";
}

}  // namespace

std::optional<std::string> zero_value(const Type& type) {
  switch (type.kind) {
    case TypeKind::kTinyInt: case TypeKind::kSmallInt: case TypeKind::kInt: case TypeKind::kBigInt:
    case TypeKind::kLargeInt: case TypeKind::kFloat: case TypeKind::kDouble:
      return std::string("0");
    case TypeKind::kDecimal:
      return type.scale > 0 ? "0." + std::string(static_cast<size_t>(type.scale), '0') : std::string("0");
    case TypeKind::kBoolean: return std::string("false");
    case TypeKind::kChar: case TypeKind::kVarchar: case TypeKind::kString: case TypeKind::kVarbinary:
      return std::string("\"\"");
    case TypeKind::kArray: return std::string("[]");
    case TypeKind::kMap: return std::string("{}");
    // UNCONFIRMED: StarRocks appends the type's default-constructed value (DateValue /
    // TimestampValue 0, an empty JsonValue); the emulator writes the smallest valid date and a JSON
    // null, so a NOT NULL column never holds NULL (StarRocks never refuses such a row, PR #43490).
    case TypeKind::kDate: return std::string("\"0000-01-01\"");
    case TypeKind::kDateTime: return std::string("\"0000-01-01 00:00:00\"");
    case TypeKind::kJson: return std::string("null");
    case TypeKind::kStruct: {
      std::string out = "{";
      for (size_t f = 0; f < type.field_names.size(); ++f) {
        if (f) out.push_back(',');
        out += "\"" + type.field_names[f] + "\":" + zero_value(type.children[f]).value_or("null");
      }
      return out + "}";
    }
    default: return std::nullopt;
  }
}

LoadPlan build_plan(const TableSchema& table, const LoadParams& params, bool json) {
  LoadPlan plan;
  const bool pk = is_pk(table);
  plan.explicit_list = !params.columns.empty();
  if (plan.explicit_list) {
    plan.fields = params.columns;
  } else {
    for (const Column& c : table.columns) plan.fields.push_back(c.name);
  }
  bool op_named = params.column_exprs.count("__op") > 0;
  for (const auto& f : plan.fields) op_named = op_named || f == "__op";
  // JSON reads a top-level "__op" key automatically unless `columns` maps it (spec §3.3).
  if (json && pk && !op_named && params.jsonpaths.empty()) plan.fields.push_back("__op");

  if (json && !params.jsonpaths.empty()) {
    for (size_t i = 0; i < plan.fields.size(); ++i) {
      std::vector<PathStep> steps;
      if (i < params.jsonpaths.size()) parse_json_path(params.jsonpaths[i], &steps);
      else steps.push_back(PathStep{false, "\x01missing", 0});  // more fields than paths: never found
      plan.paths.push_back(std::move(steps));
    }
  }

  // Source fields map to table columns case-insensitively (Load.initColumns' columnExprMap).
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < plan.fields.size(); ++i) index.emplace(to_lower(plan.fields[i]), static_cast<int>(i));
  auto find_expr = [&](const std::string& name) {
    for (auto it = params.column_exprs.begin(); it != params.column_exprs.end(); ++it)
      if (iequals(it->first, name)) return it;
    return params.column_exprs.end();
  };

  plan.cols.resize(table.columns.size());
  plan.defaults.assign(table.columns.size(), "null");
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const Column& col = table.columns[i];
    LoadPlan::ColSrc& src = plan.cols[i];
    if (col.default_value) {
      std::string canon, why;
      SrcVal v;
      v.kind = SrcVal::kText;
      v.text = *col.default_value;
      // Defaults StarRocks evaluates (CURRENT_TIMESTAMP, ...) are not emulated: they load as NULL.
      if (convert(col.type, v, &canon, &why) == Conv::kOk) plan.defaults[i] = canon;
    }
    auto expr = find_expr(col.name);
    if (expr != params.column_exprs.end()) {
      Expr e;
      classify_expr(expr->second, &e);
      src.listed = true;
      switch (e.kind) {
        case Expr::kField: {
          auto it = index.find(to_lower(e.value));
          src.kind = it == index.end() ? LoadPlan::ColSrc::kNull : LoadPlan::ColSrc::kField;
          src.field = it == index.end() ? -1 : it->second;
          break;
        }
        case Expr::kConst:
        case Expr::kNumberConst:
          src.kind = LoadPlan::ColSrc::kConst;
          src.text = e.value;
          break;
        case Expr::kNullConst:
          src.kind = LoadPlan::ColSrc::kNull;
          break;
      }
      continue;
    }
    auto it = index.find(to_lower(col.name));
    if (it != index.end()) {
      src.kind = LoadPlan::ColSrc::kField;
      src.field = it->second;
      src.listed = true;
    } else {
      src.kind = LoadPlan::ColSrc::kDefault;
    }
  }

  if (pk) {
    auto expr = params.column_exprs.find("__op");
    if (expr != params.column_exprs.end()) {
      Expr e;
      classify_expr(expr->second, &e);
      if (e.kind == Expr::kField) {
        auto it = index.find(to_lower(e.value));
        if (it != index.end()) {
          plan.op_kind = LoadPlan::kOpField;
          plan.op_field = it->second;
        }
      } else if (e.kind == Expr::kConst) {
        plan.op_kind = LoadPlan::kOpConst;
        plan.op_const = iequals(e.value, "delete") ? 1 : 0;
      } else if (e.kind == Expr::kNumberConst) {
        // Any integer literal passes the planner; values other than 0/1 are refused per row.
        int64_t v = 0;
        plan.op_kind = LoadPlan::kOpConst;
        plan.op_const = parse_int64(e.value, &v) && v >= -1000 && v <= 1000 ? static_cast<int>(v) : 2;
      }
    } else if (auto it = index.find("__op"); it != index.end()) {
      plan.op_kind = LoadPlan::kOpField;
      plan.op_field = it->second;
    }
  }
  return plan;
}

void RowBuilder::reject(const std::string& reason, std::string_view row_text) {
  ++out_->total;
  filter(reason, row_text);
}

void RowBuilder::filter(const std::string& reason, std::string_view row_text) {
  ++out_->filtered;
  std::string line;
  line.reserve(reason.size() + row_text.size() + 16);
  line.append("Error: ").append(reason).append(". Row: ").append(row_text);
  out_->rejected.push_back(std::move(line));
}

bool RowBuilder::read_op(const std::vector<SrcVal>& fields, std::string_view row_text, int* op) {
  *op = 0;
  if (plan_.op_kind == LoadPlan::kOpConst) {
    *op = plan_.op_const;
  } else if (plan_.op_kind == LoadPlan::kOpField) {
    const SrcVal& v = fields[static_cast<size_t>(plan_.op_field)];
    if (v.kind != SrcVal::kText && v.kind != SrcVal::kJson) return true;  // missing / NULL: upsert
    // __op is a TINYINT slot: 0 upsert, 1 delete.
    static const Type kTiny = [] {
      Type t;
      t.kind = TypeKind::kTinyInt;
      t.text = "TINYINT";
      return t;
    }();
    std::string canon;
    Conv c = convert(kTiny, v, &canon, &why_);
    if (c == Conv::kNull) return true;
    *op = c == Conv::kOk && (canon == "0" || canon == "1") ? (canon == "1" ? 1 : 0) : -1;
    if (*op < 0) {
      filter("Invalid __op value '" + std::string(src_text(v)) + "', must be 0 (upsert) or 1 (delete)", row_text);
      return false;
    }
  }
  // Values other than 0/1 are refused (what StarRocks does with them is UNCONFIRMED).
  if (*op != 0 && *op != 1) {
    filter("Invalid __op value '" + std::to_string(*op) + "', must be 0 (upsert) or 1 (delete)", row_text);
    return false;
  }
  return true;
}

void RowBuilder::add(const std::vector<SrcVal>& fields, std::string_view row_text) {
  ++out_->total;
  int op = 0;
  if (!read_op(fields, row_text, &op)) return;

  Row row;
  const size_t n = table_.columns.size();
  row.values.resize(n);
  row.present.assign(n, true);
  row.op = op;
  for (size_t i = 0; i < n; ++i) {
    const Column& col = table_.columns[i];
    const LoadPlan::ColSrc& src = plan_.cols[i];
    SrcVal v;
    switch (src.kind) {
      case LoadPlan::ColSrc::kField: v = fields[static_cast<size_t>(src.field)]; break;
      case LoadPlan::ColSrc::kConst:
        v.kind = SrcVal::kText;
        v.text = src.text;
        break;
      case LoadPlan::ColSrc::kNull: v.kind = SrcVal::kNull; break;
      case LoadPlan::ColSrc::kDefault: break;
    }
    if (params_.partial_update) {
      // With an explicit `columns` list the listed columns are the updated ones; without one (JSON)
      // the keys present in the object are (emulator choice, UNCONFIRMED).
      bool given = plan_.explicit_list ? src.listed : v.kind != SrcVal::kMissing;
      if (!given) {
        if (col.key) {
          filter("Key column '" + col.name + "' is missing in a partial update", row_text);
          return;
        }
        row.present[i] = false;
        row.values[i] = plan_.defaults[i];
        // A new key gets what StarRocks' BE fills in (TabletUpdates::get_column_values with
        // defaults): the DEFAULT, else NULL if nullable, else the type's zero (append_default()).
        if (row.values[i] == "null" && !col.nullable) {
          if (auto zero = zero_value(col.type)) row.values[i] = *zero;
        }
        continue;
      }
    }
    if (src.kind == LoadPlan::ColSrc::kDefault) {
      row.values[i] = plan_.defaults[i];
    } else {
      std::string& out = row.values[i];
      Conv c = convert(col.type, v, &out, &why_);
      if (c == Conv::kFail) {
        out.clear();
        // Strict mode filters a row whose source value did not convert (constants and defaults are
        // not source values, as in FileScanner::materialize). A delete only needs its key.
        if (params_.strict_mode && src.kind == LoadPlan::ColSrc::kField && (op == 0 || col.key)) {
          std::string_view value = src_text(v);
          if (params_.format == "json") {
            filter("Value '" + std::string(value) + "' is out of range. The type of '" + col.name + "' is " +
                       col.type.text,
                   row_text);
          } else {  // CSVScanner's make_value_type_not_matched_error_message
            filter("The field (name = " + col.name + ", pos = " + std::to_string(src.field) +
                       ") is out of range. Type: " + col.type.text + ", Value length: " + std::to_string(value.size()) +
                       ", Value: " + std::string(value),
                   row_text);
          }
          return;
        }
      }
      if (c != Conv::kOk) out = "null";
    }
    if (row.values[i] == "null" && !col.nullable && (op == 0 || col.key)) {
      filter("NULL value in non-nullable column '" + col.name + "'", row_text);
      return;
    }
  }
  out_->rows.push_back(std::move(row));
}

}  // namespace sremu::dl

namespace sremu {

ParsedLoad parse_body(const TableSchema& table, const LoadParams& params, std::string_view body) {
  ParsedLoad out;
  // One row per line is the common shape; reserving avoids repeated moves of a large row vector.
  size_t lines = 0;
  for (const char* q = body.data(); (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<size_t>(body.data() + body.size() - q)))) != nullptr; ++q)
    ++lines;
  out.rows.reserve(std::min<size_t>(lines + 1, 64u << 20));
  if (params.format == "json") dl::parse_json_body(table, params, body, &out);
  else dl::parse_csv_body(table, params, body, &out);  // compressed CSV arrives decompressed
  return out;
}

}  // namespace sremu
