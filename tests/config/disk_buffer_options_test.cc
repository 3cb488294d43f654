// disk-buffer(...) inside python() and "disk-buffer" in the JSON form:
// syslog-ng's option names, AxoSyslog's names for the same options, the
// defaults, and the errors (with their place) for what is not an option.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pydest/config.h"

namespace pydest {
namespace {

using ::testing::HasSubstr;

DiskBufferSpec SpecOf(const std::string& text) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(text);
  EXPECT_TRUE(o.ok()) << o.status();
  if (!o.ok() || !o->disk_buffer.has_value()) {
    ADD_FAILURE() << "no disk_buffer";
    return {};
  }
  return *o->disk_buffer;
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions(text, "app.conf");
  EXPECT_FALSE(o.ok());
  return std::string(o.status().message());
}

TEST(DiskBufferOptionsTest, AbsentMeansNoDiskBuffer) {
  absl::StatusOr<DestinationOptions> o = ParsePythonOptions("class(c)");
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->disk_buffer.has_value());
}

TEST(DiskBufferOptionsTest, EmptyBlockGivesTheDefaults) {
  const DiskBufferSpec d = SpecOf("class(c) disk-buffer()");
  EXPECT_FALSE(d.reliable);
  EXPECT_EQ(d.dir, "");
  EXPECT_EQ(d.disk_buf_size, uint64_t{1} << 30);
  EXPECT_FALSE(d.mem_buf_length.has_value());
  EXPECT_FALSE(d.mem_buf_size.has_value());
  EXPECT_EQ(d.front_cache_size, 1000u);
  EXPECT_FALSE(d.truncate_size_ratio.has_value());
  EXPECT_FALSE(d.prealloc);
}

TEST(DiskBufferOptionsTest, SyslogNgNames) {
  const DiskBufferSpec d = SpecOf(
      "class(c) disk-buffer(reliable(yes) dir(\"/var/lib/q\") "
      "disk-buf-size(2GiB) mem-buf-size(10MiB) mem-buf-length(5000) "
      "front-cache-size(200) truncate-size-ratio(0.25) prealloc(yes))");
  EXPECT_TRUE(d.reliable);
  EXPECT_EQ(d.dir, "/var/lib/q");
  EXPECT_EQ(d.disk_buf_size, uint64_t{2} << 30);
  EXPECT_EQ(d.mem_buf_size, uint64_t{10} << 20);
  EXPECT_EQ(d.mem_buf_length, 5000u);
  EXPECT_EQ(d.front_cache_size, 200u);
  EXPECT_EQ(d.truncate_size_ratio, 0.25);
  EXPECT_TRUE(d.prealloc);
}

TEST(DiskBufferOptionsTest, AxoSyslogNamesAndUnderscores) {
  const DiskBufferSpec d = SpecOf(
      "class(c) disk_buffer(capacity-bytes(3000000) "
      "flow-control-window-bytes(4096) flow_control_window_size(77) "
      "qout-size(64) compaction(yes))");
  EXPECT_EQ(d.disk_buf_size, 3000000u);
  EXPECT_EQ(d.mem_buf_size, 4096u);
  EXPECT_EQ(d.mem_buf_length, 77u);
  EXPECT_EQ(d.front_cache_size, 64u);
  EXPECT_TRUE(d.compaction);
}

TEST(DiskBufferOptionsTest, ASizeBelowOneMibIsRaisedAsSyslogNgDoes) {
  EXPECT_EQ(SpecOf("class(c) disk-buffer(disk-buf-size(1000))").disk_buf_size,
            uint64_t{1} << 20);
}

TEST(DiskBufferOptionsTest, ErrorsNameTheirPlace) {
  EXPECT_EQ(ErrorOf("class(c) disk-buffer(reliabel(yes))"),
            "app.conf:1:22: unknown option 'reliabel' in disk-buffer(); did "
            "you mean 'reliable'?");
  EXPECT_THAT(ErrorOf("class(c) disk-buffer(truncate-size-ratio(1.5))"),
              HasSubstr("app.conf:1:42: truncate-size-ratio() expects a number "
                        "from 0 to 1, got"));
  EXPECT_THAT(ErrorOf("class(c) disk-buffer(dir(\"\"))"),
              HasSubstr("app.conf:1:26: dir() must name a folder"));
  EXPECT_THAT(ErrorOf("class(c) disk-buffer(disk-buf-size(-1))"),
              HasSubstr("app.conf:1:36: disk-buf-size() expects a non-negative "
                        "integer"));
  EXPECT_THAT(ErrorOf("class(c) disk-buffer(reliable(maybe))"),
              HasSubstr("app.conf:1:31:"));
  EXPECT_THAT(ErrorOf("class(c) disk-buffer(\"x\")"),
              HasSubstr("app.conf:1:22: expected a disk-buffer() option or ')'"));
}

TEST(DiskBufferOptionsTest, JsonFormTakesTheSameNames) {
  absl::StatusOr<DestinationOptions> o = DestinationOptionsFromJson(R"({
    "class": "m.C",
    "disk-buffer": {"reliable": true, "dir": "/q", "capacity_bytes": 5000000,
                    "mem-buf-length": 10, "front-cache-size": 20,
                    "truncate-size-ratio": 0.5, "prealloc": true}})");
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_TRUE(o->disk_buffer.has_value());
  EXPECT_TRUE(o->disk_buffer->reliable);
  EXPECT_EQ(o->disk_buffer->dir, "/q");
  EXPECT_EQ(o->disk_buffer->disk_buf_size, 5000000u);
  EXPECT_EQ(o->disk_buffer->mem_buf_length, 10u);
  EXPECT_EQ(o->disk_buffer->front_cache_size, 20u);
  EXPECT_EQ(o->disk_buffer->truncate_size_ratio, 0.5);
  EXPECT_TRUE(o->disk_buffer->prealloc);

  absl::StatusOr<DestinationOptions> bad = DestinationOptionsFromJson(
      R"({"class": "m.C", "disk-buffer": {"relaible": true}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("did you mean 'reliable'?"));
}

}  // namespace
}  // namespace pydest
