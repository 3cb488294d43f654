// The pragmas of a syslog-ng configuration, wherever they stand: @version
// (the main file's is the configuration's), @define, @module and @requires
// (read over: loading modules is syslog-ng's business), and @include, which
// finds the files a name or pattern matches (next to the including file,
// then along the include path) and puts their text before the rest.
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/config/config_parser.h"
#include "libpydest/config/include_files.h"
#include "pydest/config.h"
#include "pydest/limits.h"

namespace pydest {
namespace config_internal {
namespace {

const std::vector<std::string_view>& PragmaNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "version", "include", "define", "module", "requires"};
  return *kNames;
}

absl::StatusOr<ConfigVersion> ParseVersion(TokenStream& in, const Token& at,
                                           std::string line) {
  std::string text(absl::StripAsciiWhitespace(line));
  size_t hash = text.find('#');
  if (hash != std::string::npos) {
    text = std::string(absl::StripAsciiWhitespace(text.substr(0, hash)));
  }
  if (text.empty() || text[0] != ':') {
    return in.ErrorAt(at.pos, "expected ':' after @version");
  }
  text = std::string(absl::StripAsciiWhitespace(text.substr(1)));
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    text = text.substr(1, text.size() - 2);
  }
  ConfigVersion version;
  if (text == "current") {
    version.major = 4;
    version.minor = 11;  // the newest release syslog-ng-behaviour.md covers
    return version;
  }
  size_t dot = text.find('.');
  std::string major = text.substr(0, dot);
  std::string minor = dot == std::string::npos ? "0" : text.substr(dot + 1);
  if (!absl::SimpleAtoi(major, &version.major) ||
      !absl::SimpleAtoi(minor, &version.minor) || version.major < 3 ||
      version.minor < 0) {
    return in.ErrorAt(at.pos, absl::StrCat("@version expects a version such "
                                           "as 3.38 or 4.2, got '",
                                           text, "'"));
  }
  return version;
}

}  // namespace

absl::Status ConfigParser::ParsePragma(TokenStream& in, const Token& at) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
  std::string pragma = name.kind == TokenKind::kWord ? name.text : "";
  if (pragma == "version") {
    PYDEST_CFG_ASSIGN_OR_RETURN(ConfigVersion version,
                                ParseVersion(in, at, in.ReadRestOfLine()));
    // The main file's @version is the configuration's; an included file's
    // is its own business (syslog-ng's SCL files carry none).
    if (at.pos.source == nullptr || at.pos.source->include_depth == 0) {
      config_.version = version;
    } else if (in.recording()) {
      // Preprocessed, it would stand in the main file: keep it as a note.
      in.RecordComment(
          absl::StrCat(in.TakeRecordedSince(at), " (of the included file)"));
    }
    return absl::OkStatus();
  }
  if (pragma == "define") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token key, in.Next());
    PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Next());
    if (key.kind != TokenKind::kWord || value.kind == TokenKind::kEnd) {
      return in.ErrorAt(at.pos, "@define expects a name and a value");
    }
    defines_[key.text] = value.text;
    return absl::OkStatus();
  }
  if (pragma == "module" || pragma == "requires") {
    in.ReadRestOfLine();  // module loading is syslog-ng's business
    return absl::OkStatus();
  }
  return in.ErrorAt(at.pos,
                    absl::StrCat("unknown pragma '@", name.text, "'",
                                 DidYouMean(name.text, PragmaNames())));
}

absl::Status ConfigParser::Include(TokenStream& in, const Token& at,
                                   const std::string& pattern) {
  const SourceInfo* here = at.pos.source.get();
  const int depth = here != nullptr ? here->include_depth : 0;
  if (depth >= kMaxIncludeDepth) {
    return in.ErrorAt(at.pos, absl::StrCat("@include nested more than ",
                                           kMaxIncludeDepth,
                                           " deep (an include loop?)"));
  }
  // A relative name is looked for next to the including file first, then
  // along the include path; the first place with a match is taken.
  std::vector<std::filesystem::path> candidates;
  std::filesystem::path target(pattern);
  if (target.is_absolute()) {
    candidates.push_back(target);
  } else {
    const std::string& including = in.filename();
    if (!including.empty() && including[0] != '<') {
      candidates.push_back(
          std::filesystem::path(including).parent_path() / target);
    } else {
      candidates.push_back(target);
    }
    for (const std::string& dir : include_path_) {
      candidates.push_back(std::filesystem::path(dir) / target);
    }
  }
  std::vector<std::string> files;
  for (const auto& candidate : candidates) {
    files = ExpandInclude(candidate.string());
    if (!files.empty()) break;
  }
  // In a recording the files' text stands in place of the @include.
  const std::string directive = in.TakeRecordedSince(at);
  if (files.empty()) {
    config_.notes.push_back(absl::StrCat(WhereText(in.filename(), at.pos),
                                         ": @include \"", pattern,
                                         "\" matched no file; ignored"));
    in.RecordComment(absl::StrCat(directive, " (matched no file)"));
    return absl::OkStatus();
  }
  // A file that includes itself twice doubles at every level: the depth
  // alone would allow 2^16 reads.
  included_files_ += files.size();
  if (included_files_ > kMaxIncludedFiles) {
    return in.ErrorAt(at.pos, absl::StrCat("@include reads more than ",
                                           kMaxIncludedFiles,
                                           " files in one configuration (a "
                                           "file included over and over?)"));
  }
  // All read before any is parsed, so a bad file is an error at the
  // @include; pushed last first, so they are read in order.
  std::vector<std::string> texts;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadWholeFile(file);
    if (!text.ok()) {
      return in.ErrorAt(at.pos, std::string(text.status().message()));
    }
    included_bytes_ += text->size();
    if (included_bytes_ > kMaxIncludedBytes) {
      return in.ErrorAt(at.pos,
                        absl::StrCat("@include reads more than ",
                                     kMaxIncludedBytes,
                                     " bytes in one configuration, all "
                                     "included files together"));
    }
    texts.push_back(std::move(*text));
  }
  for (size_t i = files.size(); i-- > 0;) {
    auto source = std::make_shared<SourceInfo>();
    source->filename = files[i];
    source->how = "included from";
    source->from = at.pos;
    source->include_depth = depth + 1;
    source->block_depth = here != nullptr ? here->block_depth : 0;
    in.Push(std::move(texts[i]), source, Position{1, 1, source},
            absl::StrCat("@include \"", pattern, "\": ", files[i]));
  }
  return absl::OkStatus();
}

}  // namespace config_internal
}  // namespace pydest
