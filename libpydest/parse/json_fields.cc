// Flattening a JSON object into fields; see json_fields.h.
#include "libpydest/parse/json_fields.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"

namespace pydest::parse_internal {
namespace {

using Kind = JsonField::Kind;

std::string FormatDouble(double d) {
  if (!std::isfinite(d)) return std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");
  // syslog-ng's json-parser prints doubles with "%f" (golden: 1.5 ->
  // "1.500000").
  char buf[400];
  int n = std::snprintf(buf, sizeof(buf), "%f", d);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

// Appends `s` with the backslash escapes of syslog-ng's list encoding:
// \b \f \n \r \t, \\, other control characters as \xNN, and a backslash
// before `quote` (0: none).
void AppendListEscaped(std::string_view s, char quote, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '\b': out->append("\\b"); continue;
      case '\f': out->append("\\f"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      case '\\': out->append("\\\\"); continue;
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
      out->append(buf);
    } else {
      if (c == quote && quote != 0) out->push_back('\\');
      out->push_back(c);
    }
  }
}

// One list element, quoted as syslog-ng's list encoding quotes it: empty is
// '', a value with a double quote (and no apostrophe) goes in apostrophes,
// one with an apostrophe (and no double quote) in double quotes, one with
// both or with blanks, control characters or backslashes in double quotes
// with \" escaped; anything else (commas included) is written as is.
void AppendListElement(std::string_view s, std::string* out) {
  if (s.empty()) {
    out->append("''");
    return;
  }
  bool apostrophe = s.find('\'') != std::string_view::npos;
  bool quote = s.find('"') != std::string_view::npos;
  if (!apostrophe && !quote &&
      s.find_first_of(std::string_view(" \\\b\f\n\r\t", 7)) ==
          std::string_view::npos) {
    out->append(s);
    return;
  }
  if (quote && !apostrophe) {
    out->push_back('\'');
    AppendListEscaped(s, 0, out);
    out->push_back('\'');
  } else if (apostrophe && !quote) {
    out->push_back('"');
    AppendListEscaped(s, 0, out);
    out->push_back('"');
  } else {
    out->push_back('"');
    AppendListEscaped(s, '"', out);
    out->push_back('"');
  }
}

// `s` as a JSON string literal (UTF-8 kept, controls escaped).
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); continue;
      case '\\': out->append("\\\\"); continue;
      case '\b': out->append("\\b"); continue;
      case '\f': out->append("\\f"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[7];
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned char>(c));
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// Receives the parser's events and produces the fields. Outside arrays,
// every scalar is a field named by its dotted path. An array that is a
// member's value is collected whole: its scalar elements into a list, and
// everything into JSON text, used when it holds a container.
class FlattenHandler final : public nlohmann::json_sax<nlohmann::json> {
 public:
  FlattenHandler(std::string_view prefix, std::vector<JsonField>* out)
      : prefix_(prefix), out_(out) {}

  bool null() override { return Scalar(Kind::kNull, "", 0, "null"); }
  bool boolean(bool v) override {
    return Scalar(Kind::kBool, v ? "true" : "false", 0, v ? "true" : "false");
  }
  bool number_integer(number_integer_t v) override {
    std::string text = std::to_string(v);
    return Scalar(Kind::kInteger, text, static_cast<double>(v), text);
  }
  bool number_unsigned(number_unsigned_t v) override {
    std::string text = std::to_string(v);
    return Scalar(Kind::kInteger, text, static_cast<double>(v), text);
  }
  bool number_float(number_float_t v, const string_t& raw) override {
    return Scalar(Kind::kFloat, FormatDouble(v), v, raw);
  }
  bool string(string_t& v) override {
    if (array_depth_ > 0) {
      scratch_.clear();
      AppendJsonString(v, &scratch_);
      return Scalar(Kind::kString, v, 0, scratch_);
    }
    return Scalar(Kind::kString, v, 0, "");
  }
  bool binary(binary_t&) override { return false; }  // not in JSON text

  bool start_object(std::size_t) override {
    if (++depth_ > kMaxJsonDepth) return false;
    if (depth_ == 1) {
      objects_.push_back({prefix_.size(), false});
      name_.assign(prefix_.data(), prefix_.size());
      return true;
    }
    if (array_depth_ > 0) return OpenInArray('{', false);
    objects_.push_back({name_.size(), true});
    return true;
  }
  bool key(string_t& k) override {
    if (++members_ > kMaxJsonFields) return false;
    if (array_depth_ > 0) {
      JsonLevel& level = json_levels_.back();
      if (!level.first) json_.push_back(',');
      level.first = false;
      AppendJsonString(k, &json_);
      json_.push_back(':');
      return true;
    }
    const ObjectFrame& frame = objects_.back();
    name_.resize(frame.base);
    if (frame.dotted) name_.push_back('.');
    key_offset_ = name_.size();
    name_.append(k);
    return true;
  }
  bool end_object() override {
    --depth_;
    if (array_depth_ > 0) return CloseInArray('}');
    objects_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (++depth_ > kMaxJsonDepth || depth_ == 1) return false;  // not an object
    if (array_depth_ > 0) return OpenInArray('[', true);
    array_depth_ = 1;
    list_.clear();
    list_first_ = true;
    holds_container_ = false;
    json_.assign("[");
    json_levels_.assign(1, JsonLevel{true, true});
    array_field_.name = name_;
    array_field_.top_level = objects_.size() == 1;
    array_field_.key_offset = key_offset_;
    return true;
  }
  bool end_array() override {
    --depth_;
    if (!CloseInArray(']')) return false;
    if (array_depth_ == 0) {
      array_field_.kind = Kind::kArray;
      array_field_.text = holds_container_ ? std::move(json_) : std::move(list_);
      out_->push_back(std::move(array_field_));
      array_field_ = JsonField();
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct ObjectFrame {
    size_t base;  // name_ length before this object's keys
    bool dotted;  // keys are joined to the base with '.'
  };
  struct JsonLevel {
    bool is_array;
    bool first;  // nothing written into this level yet
  };

  // A comma before an array element; an object member's comma came with
  // its key.
  void BeforeJsonValue() {
    JsonLevel& level = json_levels_.back();
    if (!level.is_array) return;
    if (!level.first) json_.push_back(',');
    level.first = false;
  }

  bool OpenInArray(char bracket, bool is_array) {
    BeforeJsonValue();
    json_.push_back(bracket);
    json_levels_.push_back({is_array, true});
    ++array_depth_;
    holds_container_ = true;
    return true;
  }

  bool CloseInArray(char bracket) {
    json_.push_back(bracket);
    json_levels_.pop_back();
    --array_depth_;
    return true;
  }

  bool Scalar(Kind kind, std::string_view rendered, double number,
              std::string_view json_text) {
    if (depth_ == 0) return false;  // a scalar line: not an object
    if (array_depth_ > 0) {
      BeforeJsonValue();
      json_.append(json_text);
      if (array_depth_ == 1) {
        if (!list_first_) list_.push_back(',');
        list_first_ = false;
        AppendListElement(rendered, &list_);
      }
      return true;
    }
    JsonField& f = out_->emplace_back();
    f.name = name_;
    f.text.assign(rendered.data(), rendered.size());
    f.kind = kind;
    f.number = number;
    f.top_level = objects_.size() == 1;
    f.key_offset = key_offset_;
    return true;
  }

  std::string_view prefix_;
  std::vector<JsonField>* out_;
  int depth_ = 0;
  size_t members_ = 0;  // keys seen, nested ones included
  std::vector<ObjectFrame> objects_;
  std::string name_;
  size_t key_offset_ = 0;
  // The array being collected (array_depth_ > 0).
  int array_depth_ = 0;
  JsonField array_field_;
  std::string list_;
  bool list_first_ = true;
  bool holds_container_ = false;
  std::string json_;
  std::vector<JsonLevel> json_levels_;
  std::string scratch_;
};

}  // namespace

bool FlattenJsonObject(std::string_view text, std::string_view prefix,
                       std::vector<JsonField>* fields) {
  FlattenHandler handler(prefix, fields);
  return nlohmann::json::sax_parse(text.begin(), text.end(), &handler);
}

}  // namespace pydest::parse_internal
