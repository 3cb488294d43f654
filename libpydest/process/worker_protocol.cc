#include "libpydest/process/worker_protocol.h"

#include "absl/strings/str_cat.h"
#include "libpydest/message/message_codec.h"
#include "libpydest/process/wire.h"

namespace pydest::internal {
namespace {

absl::Status Malformed(const char* what) {
  return absl::DataLossError(
      absl::StrCat("worker protocol: malformed ", what));
}

void PutStrings(WireWriter& w, const std::vector<std::string>& v) {
  w.U(v.size());
  for (const std::string& s : v) w.Bytes(s);
}

bool GetStrings(WireReader& r, std::vector<std::string>* v) {
  uint64_t n = 0;
  if (!r.U(&n)) return false;
  v->clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string s;
    if (!r.String(&s)) return false;
    v->push_back(std::move(s));
  }
  return true;
}

template <typename Enum>
bool GetEnum(WireReader& r, Enum* e, uint64_t max) {
  uint64_t v = 0;
  if (!r.U(&v) || v > max) return false;
  *e = static_cast<Enum>(v);
  return true;
}

bool GetInt(WireReader& r, int* out) {
  int64_t v = 0;
  if (!r.I(&v) || v < INT32_MIN || v > INT32_MAX) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace

std::string EncodeSetup(const WorkerSetup& setup) {
  std::string out;
  WireWriter w(&out);
  const DestinationOptions& o = setup.options;
  w.U(setup.value_pairs ? 1 : 0);
  w.I(setup.index);
  w.Bytes(o.name);
  w.Bytes(o.class_name);
  w.U(o.options.size());
  for (const auto& [key, value] : o.options) {
    w.Bytes(key);
    w.U(static_cast<uint64_t>(value.kind));
    w.Bytes(value.text);
    PutStrings(w, value.items);
  }
  w.U(static_cast<uint64_t>(o.on_error));
  w.I(o.template_options.frac_digits);
  w.Bytes(o.template_options.ts_format);
  w.Bytes(o.template_options.local_time_zone);
  w.Bytes(o.template_options.send_time_zone);
  w.I(o.version.major);
  w.I(o.version.minor);
  w.U(static_cast<uint64_t>(o.target));
  w.Bytes(o.global_code);
  w.Bytes(o.global_code_filename);
  PutStrings(w, o.python_path);
  w.Bytes(o.virtualenv);
  w.Bytes(o.state_dir);
  w.Bytes(o.persist_name);
  PutStrings(w, o.loaders);
  w.U(o.strings_as_str ? 1 : 0);
  w.U(o.memory_limit_mib.value_or(0));
  return out;
}

absl::StatusOr<WorkerSetup> DecodeSetup(std::string_view bytes) {
  WorkerSetup setup;
  DestinationOptions& o = setup.options;
  WireReader r(bytes);
  uint64_t flag = 0, count = 0, limit = 0, strings = 0;
  r.U(&flag);
  setup.value_pairs = flag != 0;
  GetInt(r, &setup.index);
  r.String(&o.name);
  r.String(&o.class_name);
  r.U(&count);
  for (uint64_t i = 0; r.ok() && i < count; ++i) {
    std::string key;
    OptionValue value;
    r.String(&key);
    GetEnum(r, &value.kind, static_cast<uint64_t>(OptionValue::Kind::kTemplate));
    r.String(&value.text);
    GetStrings(r, &value.items);
    o.options.emplace_back(std::move(key), std::move(value));
  }
  GetEnum(r, &o.on_error, 16);
  GetInt(r, &o.template_options.frac_digits);
  r.String(&o.template_options.ts_format);
  r.String(&o.template_options.local_time_zone);
  r.String(&o.template_options.send_time_zone);
  GetInt(r, &o.version.major);
  GetInt(r, &o.version.minor);
  GetEnum(r, &o.target, 16);
  r.String(&o.global_code);
  r.String(&o.global_code_filename);
  GetStrings(r, &o.python_path);
  r.String(&o.virtualenv);
  r.String(&o.state_dir);
  r.String(&o.persist_name);
  GetStrings(r, &o.loaders);
  r.U(&strings);
  o.strings_as_str = strings != 0;
  r.U(&limit);
  if (limit > 0) o.memory_limit_mib = limit;
  if (!r.done()) return Malformed("setup");
  o.workers = 1;
  o.isolation = Isolation::kThread;  // inside the worker, the class runs in-process
  return setup;
}

std::string EncodeReady(const WorkerReady& ready) {
  std::string out;
  WireWriter w(&out);
  w.Bytes(ready.persist_name);
  w.U(ready.has_is_opened ? 1 : 0);
  return out;
}

absl::StatusOr<WorkerReady> DecodeReady(std::string_view bytes) {
  WorkerReady ready;
  WireReader r(bytes);
  uint64_t flag = 0;
  r.String(&ready.persist_name);
  r.U(&flag);
  ready.has_is_opened = flag != 0;
  if (!r.done()) return Malformed("ready");
  return ready;
}

std::string EncodeStatus(const absl::Status& status) {
  std::string out;
  WireWriter w(&out);
  w.U(static_cast<uint64_t>(status.code()));
  w.Bytes(std::string_view(status.message().data(), status.message().size()));
  return out;
}

absl::Status DecodeStatus(std::string_view bytes) {
  WireReader r(bytes);
  uint64_t code = 0;
  std::string_view message;
  r.U(&code);
  r.Bytes(&message);
  if (!r.done() || code == 0 || code > 16) return Malformed("status");
  return absl::Status(static_cast<absl::StatusCode>(code),
                      absl::string_view(message.data(), message.size()));
}

std::string EncodeLogRecord(const LogRecord& record) {
  std::string out;
  WireWriter w(&out);
  w.U(static_cast<uint64_t>(record.level));
  w.Bytes(record.text);
  w.U(record.tags.size());
  for (const auto& [key, value] : record.tags) {
    w.Bytes(key);
    w.Bytes(value);
  }
  w.Bytes(record.traceback);
  return out;
}

absl::StatusOr<LogRecord> DecodeLogRecord(std::string_view bytes) {
  LogRecord record;
  WireReader r(bytes);
  uint64_t tags = 0;
  GetEnum(r, &record.level, static_cast<uint64_t>(LogRecord::Level::kError));
  r.String(&record.text);
  r.U(&tags);
  for (uint64_t i = 0; r.ok() && i < tags; ++i) {
    std::string key, value;
    r.String(&key);
    r.String(&value);
    record.tags.emplace_back(std::move(key), std::move(value));
  }
  r.String(&record.traceback);
  if (!r.done()) return Malformed("log record");
  return record;
}

void EncodeCounters(const WorkerCounters& c, std::string* out) {
  WireWriter w(out);
  w.U(c.python_exceptions);
  w.U(c.casting_errors);
  w.U(c.written_bytes);
}

std::string EncodeReply(uint64_t value, const WorkerCounters& counters) {
  std::string out;
  WireWriter(&out).U(value);
  EncodeCounters(counters, &out);
  return out;
}

std::string EncodeRunDone(uint64_t steps, const WorkerCounters& counters) {
  return EncodeReply(steps, counters);
}

bool DecodeAnswer(std::string_view bytes, uint64_t* value,
                  WorkerCounters* counters) {
  WireReader r(bytes);
  r.U(value);
  r.U(&counters->python_exceptions);
  r.U(&counters->casting_errors);
  r.U(&counters->written_bytes);
  return r.done();
}

void RunEncoder::Begin(std::string* out, const RunLimits& limits,
                       uint32_t first_new_key,
                       const std::vector<std::string_view>& new_keys,
                       size_t count) {
  out_ = out;
  out_->clear();
  WireWriter w(out_);
  w.U(limits.batching ? 1 : 0);
  w.I(limits.batch_lines);
  w.U(limits.pending);
  w.U(first_new_key);
  w.U(new_keys.size());
  for (std::string_view key : new_keys) w.Bytes(key);
  w.U(count);
}

void RunEncoder::AddRecord(uint64_t seqnum, const Record& record) {
  WireWriter w(out_);
  w.U(seqnum);
  w.Bytes(record.buffer);
  w.U(record.list_items.size());
  for (const auto& [offset, size] : record.list_items) {
    w.U(offset);
    w.U(size);
  }
  w.U(record.entries.size());
  for (const RecordEntry& e : record.entries) {
    w.U(e.key);
    w.U(static_cast<uint64_t>(e.kind));
    switch (e.kind) {
      case ValueKind::kBytes:
      case ValueKind::kList:
        w.U(e.value_offset);
        w.U(e.value_size);
        break;
      case ValueKind::kInt:
      case ValueKind::kBool:
      case ValueKind::kDateTime:
        w.I(e.integer);
        break;
      case ValueKind::kDouble:
        w.Double(e.real);
        break;
      case ValueKind::kNull:
        break;
    }
  }
}

void RunEncoder::AddMessage(uint64_t seqnum, const Message& message) {
  WireWriter w(out_);
  w.U(seqnum);
  std::string encoded;
  EncodeMessage(message, &encoded);
  w.Bytes(encoded);
}

namespace {

bool DecodeRecord(WireReader& r, Record* record) {
  record->Clear();
  std::string_view buffer;
  uint64_t items = 0, entries = 0;
  if (!r.Bytes(&buffer) || !r.U(&items)) return false;
  record->buffer.assign(buffer.data(), buffer.size());
  for (uint64_t i = 0; i < items; ++i) {
    uint32_t offset = 0, size = 0;
    if (!r.U32(&offset) || !r.U32(&size) ||
        uint64_t{offset} + size > buffer.size()) {
      return false;
    }
    record->list_items.emplace_back(offset, size);
  }
  if (!r.U(&entries)) return false;
  for (uint64_t i = 0; i < entries; ++i) {
    RecordEntry e;
    if (!r.U32(&e.key) ||
        !GetEnum(r, &e.kind, static_cast<uint64_t>(ValueKind::kNull))) {
      return false;
    }
    switch (e.kind) {
      case ValueKind::kBytes:
      case ValueKind::kList: {
        if (!r.U32(&e.value_offset) || !r.U32(&e.value_size)) return false;
        const uint64_t limit = e.kind == ValueKind::kBytes
                                   ? buffer.size()
                                   : record->list_items.size();
        if (uint64_t{e.value_offset} + e.value_size > limit) return false;
        break;
      }
      case ValueKind::kInt:
      case ValueKind::kBool:
      case ValueKind::kDateTime:
        if (!r.I(&e.integer)) return false;
        break;
      case ValueKind::kDouble:
        if (!r.Double(&e.real)) return false;
        break;
      case ValueKind::kNull:
        break;
    }
    record->entries.push_back(e);
  }
  return true;
}

}  // namespace

absl::Status DecodeRun(std::string_view bytes, bool value_pairs,
                       RunRequest* run) {
  WireReader r(bytes);
  uint64_t new_keys = 0, count = 0, batching = 0, pending = 0;
  r.U(&batching);
  r.I(&run->limits.batch_lines);
  r.U(&pending);
  run->limits.batching = batching != 0;
  run->limits.pending = static_cast<size_t>(pending);
  if (!r.U32(&run->first_new_key) || !r.U(&new_keys)) return Malformed("run");
  run->new_keys.clear();
  for (uint64_t i = 0; i < new_keys; ++i) {
    std::string key;
    if (!r.String(&key)) return Malformed("run keys");
    run->new_keys.push_back(std::move(key));
  }
  if (!r.U(&count) || count > bytes.size()) return Malformed("run");
  if (run->entries.size() < count) run->entries.resize(count);
  run->count = count;
  for (uint64_t i = 0; i < count; ++i) {
    RunRequest::Entry& entry = run->entries[i];
    if (!r.U(&entry.seqnum)) return Malformed("run entry");
    if (value_pairs) {
      if (!DecodeRecord(r, &entry.record)) return Malformed("record");
    } else {
      std::string_view encoded;
      if (!r.Bytes(&encoded)) return Malformed("run entry");
      absl::StatusOr<Message> message = DecodeMessage(encoded);
      if (!message.ok()) return message.status();
      entry.message = std::move(*message);
    }
  }
  if (!r.done()) return Malformed("run (trailing bytes)");
  return absl::OkStatus();
}

absl::Status CheckRecordKeys(const RunRequest& run, uint32_t key_count) {
  for (size_t i = 0; i < run.count; ++i) {
    for (const RecordEntry& e : run.entries[i].record.entries) {
      if (e.key >= key_count) return Malformed("record key");
    }
  }
  return absl::OkStatus();
}

}  // namespace pydest::internal
