// DiskBuffer: records written, committed, read back in order and released;
// what a reopen recovers after a clean stop, a torn write, bit flips,
// zeroed pages, random damage, a full disk and a full buffer; the lock
// that keeps a second process out.
#include "libpydest/durable/disk_buffer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/durable/segment_format.h"

namespace pydest::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DiskBufferTest : public testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    dir_ = fs::path(tmp != nullptr ? tmp : "/tmp") /
           absl::StrCat("disk_buffer_test.", ::getpid(), ".",
                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    options_.dir = dir_.string();
    options_.name = "d_python#0";
    options_.segment_bytes = 4096;  // many segments from few records
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove_all(dir_.string() + ".crash");
  }

  std::unique_ptr<DiskBuffer> OpenOk(DiskBufferRecovery* found = nullptr) {
    DiskBufferRecovery scratch;
    auto b = DiskBuffer::Open(options_, found != nullptr ? found : &scratch);
    EXPECT_TRUE(b.ok()) << b.status();
    return b.ok() ? std::move(*b) : nullptr;
  }

  static std::string Payload(uint64_t id) {
    return absl::StrCat("payload of record ", id, std::string(id % 97, 'x'));
  }
  // Appends records first..last, one Append per `per_batch`.
  static void AppendRange(DiskBuffer& b, uint64_t first, uint64_t last,
                          uint64_t per_batch = 1) {
    for (uint64_t id = first; id <= last;) {
      std::string framed;
      const uint64_t batch_first = id;
      for (uint64_t k = 0; k < per_batch && id <= last; ++k, ++id) {
        AppendRecord(id, Payload(id), &framed);
      }
      ASSERT_TRUE(b.Append(framed, batch_first, id - 1).ok());
    }
    ASSERT_TRUE(b.Commit().ok());
  }
  static std::vector<StoredRecord> ReadAll(DiskBuffer& b, uint64_t from = 0) {
    std::vector<StoredRecord> out;
    for (;;) {
      const uint64_t next = out.empty() ? from : out.back().id + 1;
      absl::StatusOr<size_t> n = b.Read(next, 7, &out);
      EXPECT_TRUE(n.ok()) << n.status();
      if (!n.ok() || *n == 0) break;
    }
    return out;
  }
  // Where a segment's records end: the data, not the file's size (a buffer
  // that was not closed keeps fill-ahead's zeros after its records).
  static uint64_t DataEnd(const fs::path& segment) {
    std::ifstream in(segment, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    uint64_t end = std::min<uint64_t>(bytes.size(), kSegmentHeaderSize);
    RecordView record;
    while (end < bytes.size() &&
           CheckRecord(std::string_view(bytes).substr(end), &record) ==
               RecordCheck::kGood) {
      end += record.size;
    }
    return end;
  }
  // A copy of the buffer's files as the disk holds them now, while `b` is
  // open: what a crash (kill -9) at this moment leaves, fill-ahead's zeros
  // included (the destructor of `b` gives those back).
  fs::path Snapshot() {
    const fs::path to = dir_.string() + ".crash";
    fs::remove_all(to);
    fs::copy(dir_, to);
    fs::remove(to / (FileBase() + ".lock"));
    return to;
  }
  std::string FileBase() {
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".ack") return e.path().stem().string();
    }
    return "";
  }
  std::vector<fs::path> Segments() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".pdq") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
  DiskBufferOptions options_;
};

TEST_F(DiskBufferTest, RecordsComeBackInOrderAcrossSegments) {
  auto b = OpenOk();
  AppendRange(*b, 1, 300, /*per_batch=*/4);
  EXPECT_GT(b->segment_count(), 5u);
  const std::vector<StoredRecord> all = ReadAll(*b, 1);
  ASSERT_EQ(all.size(), 300u);
  for (uint64_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id, i + 1);
    EXPECT_EQ(all[i].payload, Payload(i + 1));
  }
  // From the middle, and past the end.
  std::vector<StoredRecord> some;
  ASSERT_EQ(*b->Read(150, 3, &some), 3u);
  EXPECT_EQ(some[0].id, 150u);
  some.clear();
  EXPECT_EQ(*b->Read(301, 10, &some), 0u);
}

// Segments larger than the scanner's 1 MiB read chunks, with records
// across the chunk boundaries, recover and read back whole.
TEST_F(DiskBufferTest, SegmentsLargerThanOneReadChunkRecoverWhole) {
  options_.segment_bytes = 8 << 20;
  const std::string big(3000, 'b');
  {
    auto b = OpenOk();
    for (uint64_t id = 1; id <= 1200; ++id) {
      std::string framed;
      AppendRecord(id, absl::StrCat(id, big), &framed);
      ASSERT_TRUE(b->Append(framed, id, id).ok());
    }
  }
  ASSERT_EQ(Segments().size(), 1u);
  ASSERT_GT(fs::file_size(Segments()[0]), 3u << 20);
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 1200u);
  EXPECT_EQ(found.last_id, 1200u);
  EXPECT_EQ(found.damaged_regions + found.torn_tail_bytes, 0u);
  std::vector<StoredRecord> all;
  while (true) {
    const uint64_t next = all.empty() ? 1 : all.back().id + 1;
    absl::StatusOr<size_t> n = b->Read(next, 500, &all);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
  }
  ASSERT_EQ(all.size(), 1200u);
  EXPECT_EQ(all.back().payload, absl::StrCat(1200, big));
  // Appending goes on after the last record, not over it.
  std::string framed;
  AppendRecord(1201, "after", &framed);
  ASSERT_TRUE(b->Append(framed, 1201, 1201).ok());
  b.reset();
  b = OpenOk(&found);
  EXPECT_EQ(found.records, 1201u);
}

// What a host's recovery does (DurableStore): read every record, append
// copies under new ids (here into a new segment), release the originals,
// then read on from the first copy. The reader's place was in a segment the
// release deleted; the next Read must find the copies, not stop there (it
// did: the host lost the first front-cache-size() recovered messages,
// reported as dropped on-error).
TEST_F(DiskBufferTest, AReadAfterItsSegmentWasReleasedFindsTheNextRecords) {
  auto b = OpenOk();
  AppendRange(*b, 1, 100, 4);
  std::vector<StoredRecord> first;
  ASSERT_EQ(*b->Read(1, 1000, &first), 100u);
  const uint64_t segments = b->segment_count();
  AppendRange(*b, 101, 200, /*per_batch=*/100);  // a new segment
  ASSERT_EQ(b->segment_count(), segments + 1);
  ASSERT_TRUE(b->Release(100).ok());
  ASSERT_EQ(b->segment_count(), 1u);
  std::vector<StoredRecord> copies;
  absl::StatusOr<size_t> n = b->Read(101, 1000, &copies);
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_EQ(*n, 100u);
  EXPECT_EQ(copies.front().id, 101u);
  EXPECT_EQ(copies.back().id, 200u);
}

// The same when the reader's segment is the one appended to, all of it
// released, and the next Append drops it as it rolls over.
TEST_F(DiskBufferTest, AReadAfterTheSegmentAppendedToWasDroppedFindsTheNewOne) {
  auto b = OpenOk();
  AppendRange(*b, 1, 10);
  std::vector<StoredRecord> first;
  ASSERT_EQ(*b->Read(1, 1000, &first), 10u);
  ASSERT_TRUE(b->Release(10).ok());
  AppendRange(*b, 11, 100, /*per_batch=*/90);  // rolls over
  ASSERT_EQ(b->segment_count(), 1u);
  std::vector<StoredRecord> next;
  ASSERT_EQ(*b->Read(11, 1000, &next), 90u);
  EXPECT_EQ(next.front().id, 11u);
}

// A batch handed to a worker is in the ack file before any send(): a crash
// right after it (no Release since) still counts it as possible duplicates.
TEST_F(DiskBufferTest, DispatchedIdsSurviveACrashBeforeTheNextRelease) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child dies right after the dispatch: no Release, no destructor
    // (which would write the ack file); what it wrote stays in the page
    // cache, as after kill -9.
    DiskBufferRecovery scratch;
    auto b = DiskBuffer::Open(options_, &scratch);
    if (!b.ok()) _exit(1);
    for (uint64_t id = 1; id <= 50; ++id) {
      std::string framed;
      AppendRecord(id, "payload", &framed);
      if (!(*b)->Append(framed, id, id).ok()) _exit(2);
    }
    if (!(*b)->Release(10).ok()) _exit(3);
    (*b)->NoteDispatched(30);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 40u);
  EXPECT_EQ(found.possible_duplicates, 20u);  // 11 ... 30
}

TEST_F(DiskBufferTest, ReopenRecoversWhatWasNotReleased) {
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 200, 10);
    b->NoteDispatched(120);
    ASSERT_TRUE(b->Release(100).ok());
  }
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 100u);
  EXPECT_EQ(found.first_id, 101u);
  EXPECT_EQ(found.last_id, 200u);
  EXPECT_EQ(found.possible_duplicates, 20u);  // 101 ... 120
  EXPECT_EQ(found.damaged_regions, 0u);
  EXPECT_TRUE(found.set_aside.empty());
  const std::vector<StoredRecord> rest = ReadAll(*b, found.first_id);
  ASSERT_EQ(rest.size(), 100u);
  EXPECT_EQ(rest.front().id, 101u);
  // Appending continues after the last id.
  AppendRange(*b, 201, 210);
  EXPECT_EQ(ReadAll(*b, 201).size(), 10u);
}

TEST_F(DiskBufferTest, ReleaseDeletesFinishedSegments) {
  auto b = OpenOk();
  AppendRange(*b, 1, 300, 4);
  const uint64_t segments = b->segment_count();
  const uint64_t bytes = b->bytes();
  ASSERT_TRUE(b->Release(250).ok());
  EXPECT_LT(b->segment_count(), segments);
  // What is left counts whole segments (fill-ahead wrote the one appended
  // to up to its size): the released ones gave theirs back.
  EXPECT_LE(b->bytes(), b->segment_count() * options_.segment_bytes);
  EXPECT_LT(b->bytes(), bytes / 2);
  EXPECT_EQ(Segments().size(), b->segment_count());
  ASSERT_TRUE(b->Release(300).ok());
  // All released: the one appended to stays (no new file per batch for a
  // consumer that keeps up) and takes the next records.
  EXPECT_EQ(b->segment_count(), 1u);
  EXPECT_EQ(Segments().size(), 1u);
  AppendRange(*b, 301, 302);
  EXPECT_EQ(b->segment_count(), 1u);
  EXPECT_EQ(ReadAll(*b, 301).size(), 2u);
}

// A small buffer whose records are released as they come never fills:
// released segments give their space back (the one appended to as soon as
// it stands in the way), and ids go on above the released ones after a
// reopen of a buffer with nothing left to deliver.
TEST_F(DiskBufferTest, ASmallBufferCyclesAndIdsGoOnAfterEverythingWasReleased) {
  options_.segment_bytes = 0;  // the default for the size
  options_.max_bytes = 1 << 20;
  const std::string payload(1000, 'c');
  {
    auto b = OpenOk();
    for (uint64_t id = 1; id <= 10000; ++id) {  // 10 MB through 1 MiB
      std::string framed;
      AppendRecord(id, payload, &framed);
      ASSERT_TRUE(b->Append(framed, id, id).ok()) << id;
      if (id % 50 == 0) {
        ASSERT_TRUE(b->Release(id).ok());
      }
    }
    // At most the segment appended to, which holds released records only.
    EXPECT_LE(b->segment_count(), 1u);
    EXPECT_LE(b->bytes(), (uint64_t{1} << 20) / 8 + 2000);
  }
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 0u);
  EXPECT_EQ(found.last_id, 10000u);
}

TEST_F(DiskBufferTest, ASecondOpenerIsRefusedWithTheOwnersPid) {
  auto first = OpenOk();
  DiskBufferRecovery found;
  auto second = DiskBuffer::Open(options_, &found);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(),
              HasSubstr(absl::StrCat("in use by process ", ::getpid())));
  // Another destination's buffer in the same folder is its own.
  options_.name = "other";
  EXPECT_TRUE(DiskBuffer::Open(options_, &found).ok());
  // Released when the owner closes it.
  first.reset();
  options_.name = "d_python#0";
  EXPECT_TRUE(DiskBuffer::Open(options_, &found).ok());
}

// A run stopped between creating a segment file and writing its header
// (kill -9 in CreateSegment) leaves an empty or part-written file named
// like the next segment. It holds no record: recovery drops it, and what is
// appended next lands in a whole segment and reads back (appending went
// into it at offset 0, where the header belongs, and the reader, which
// starts after the header, lost the first record: found by the
// disk_recovery fuzzer on an empty input).
TEST_F(DiskBufferTest, ASegmentTornBeforeItsHeaderHoldsNoRecordAndIsDropped) {
  std::string base;
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 10);
    base = b->base_path();
  }
  uint64_t last = 10;
  for (const uint64_t torn : {uint64_t{0}, uint64_t{17}}) {
    const std::string path = absl::StrFormat("%s.%020u.pdq", base, last + 1);
    std::ofstream(path, std::ios::binary) << std::string(torn, 'P');
    DiskBufferRecovery found;
    auto b = OpenOk(&found);
    EXPECT_EQ(found.records, last);
    EXPECT_EQ(found.torn_tail_bytes, torn);
    EXPECT_EQ(found.damaged_regions, 0u);
    EXPECT_FALSE(fs::exists(path));
    AppendRange(*b, last + 1, last + 2);
    last += 2;
    const std::vector<StoredRecord> all = ReadAll(*b, 1);
    ASSERT_EQ(all.size(), last) << "torn header of " << torn << " bytes";
    EXPECT_EQ(all.back().id, last);
  }
  {
    auto b = OpenOk();
    ASSERT_TRUE(b->Release(last).ok());
  }
  // Alone in the folder (every earlier segment released).
  const std::string path = absl::StrFormat("%s.%020u.pdq", base, last + 1);
  std::ofstream(path, std::ios::binary).flush();
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 0u);
  EXPECT_EQ(found.last_id, last);
  AppendRange(*b, last + 1, last + 1);
  EXPECT_EQ(ReadAll(*b, last + 1).size(), 1u);
}

TEST_F(DiskBufferTest, ATornLastRecordIsCutOff) {
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 10);
  }
  const fs::path last = Segments().back();
  fs::resize_file(last, DataEnd(last) - 5);
  DiskBufferRecovery found;
  {
    auto b = OpenOk(&found);
    EXPECT_EQ(found.records, 9u);
    EXPECT_GT(found.torn_tail_bytes, 0u);
    EXPECT_EQ(found.damaged_regions, 0u);
    AppendRange(*b, 11, 12);
  }
  auto b = OpenOk(&found);
  EXPECT_EQ(found.torn_tail_bytes, 0u);
  std::vector<uint64_t> ids;
  for (const StoredRecord& r : ReadAll(*b, 1)) ids.push_back(r.id);
  EXPECT_THAT(ids, testing::ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12));
}

void FlipByte(const fs::path& file, uint64_t at, char mask) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char c;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(c ^ mask));
}

TEST_F(DiskBufferTest, ABitFlipLosesOneRecordAndSetsTheFileAside) {
  options_.segment_bytes = 1 << 20;  // one segment
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 20);
  }
  const fs::path seg = Segments().front();
  // Inside the payload of a record in the middle.
  FlipByte(seg, DataEnd(seg) / 2, 0x10);
  DiskBufferRecovery found;
  {
    auto b = OpenOk(&found);
    EXPECT_EQ(found.records, 19u);
    EXPECT_EQ(found.damaged_regions, 1u);
    ASSERT_EQ(found.set_aside.size(), 1u);
    EXPECT_TRUE(fs::exists(found.set_aside[0]));
    for (const StoredRecord& r : ReadAll(*b, 1)) {
      EXPECT_EQ(r.payload, Payload(r.id));
    }
  }
  // The rewritten segment is clean.
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 19u);
  EXPECT_EQ(found.damaged_regions, 0u);
}

TEST_F(DiskBufferTest, AZeroedPageIsSkipped) {
  options_.segment_bytes = 1 << 20;
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 200);
  }
  const fs::path seg = Segments().front();
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    const std::string zeros(4096, '\0');
    f.write(zeros.data(), zeros.size());
  }
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.damaged_regions, 1u);
  EXPECT_GT(found.damaged_bytes, 4000u);
  EXPECT_LT(found.records, 200u);
  EXPECT_GT(found.records, 150u);
  const std::vector<StoredRecord> all = ReadAll(*b, 1);
  EXPECT_EQ(all.back().id, 200u);  // the records after the page survive
}

// reliable(yes) fills the segment appended to ahead of its records with
// zeros, written and synced once, so that a Commit overwrites blocks the
// file has (no size to commit). A buffer that is not closed keeps them.
TEST_F(DiskBufferTest, FillAheadZerosFollowTheRecordsAndAreGivenBackAtClose) {
  options_.segment_bytes = 1 << 20;
  options_.fill_ahead_bytes = 64 * 1024;
  auto b = OpenOk();
  AppendRange(*b, 1, 20);
  const fs::path seg = Segments().back();
  const uint64_t data_end = DataEnd(seg);
  // A step ahead of the append that filled (the first), zeros all of it.
  EXPECT_GT(fs::file_size(seg), data_end);
  EXPECT_LE(fs::file_size(seg), data_end + 64 * 1024);
  // The zeros are disk space the buffer holds: they count in bytes().
  EXPECT_EQ(b->bytes(), fs::file_size(seg));
  const fs::path crash = Snapshot();
  b.reset();
  EXPECT_EQ(fs::file_size(seg), data_end);
  // The crash's copy: the zeros are free space, neither torn nor damage.
  options_.dir = crash.string();
  DiskBufferRecovery found;
  b = OpenOk(&found);
  EXPECT_EQ(found.records, 20u);
  EXPECT_EQ(found.torn_tail_bytes, 0u);
  EXPECT_EQ(found.damaged_regions, 0u);
  AppendRange(*b, 21, 22);
  EXPECT_EQ(ReadAll(*b, 1).size(), 22u);
}

// A large append (a recovery's copy) is not filled ahead: its sync is
// mostly data, and the zeros would double what it writes.
TEST_F(DiskBufferTest, ALargeAppendIsNotFilledAhead) {
  options_.segment_bytes = 4 << 20;
  options_.fill_ahead_bytes = 64 * 1024;
  auto b = OpenOk();
  AppendRange(*b, 1, 2000, /*per_batch=*/2000);
  const fs::path seg = Segments().back();
  ASSERT_GT(DataEnd(seg), 128u * 1024);
  EXPECT_EQ(fs::file_size(seg), DataEnd(seg));
  AppendRange(*b, 2001, 2001);  // a small one is again
  EXPECT_GT(fs::file_size(seg), DataEnd(seg));
}

// Without sync there is no size commit to save: no zeros are written.
TEST_F(DiskBufferTest, WithoutSyncSegmentsHoldOnlyTheirRecords) {
  options_.sync = false;
  options_.segment_bytes = 1 << 20;
  auto b = OpenOk();
  AppendRange(*b, 1, 20);
  const fs::path seg = Segments().back();
  EXPECT_EQ(fs::file_size(seg), DataEnd(seg));
}

// A crash while a record was written over fill-ahead's zeros leaves the
// start of the record and then zeros: a torn tail, cut off, the records
// before it kept and the file not set aside (it read as damage when
// fill-ahead was first tried, and the file was set aside).
TEST_F(DiskBufferTest, ATornRecordFollowedByZerosIsATornTail) {
  options_.segment_bytes = 1 << 20;
  options_.fill_ahead_bytes = 64 * 1024;
  // Cut inside the magic, inside the header, inside the payload.
  for (const uint64_t kept_of_last : {uint64_t{2}, uint64_t{10}, uint64_t{40}}) {
    fs::remove_all(dir_);
    options_.dir = dir_.string();
    fs::path crash;
    uint64_t record_start = 0;
    {
      auto b = OpenOk();
      AppendRange(*b, 1, 19);
      record_start = DataEnd(Segments().back());
      AppendRange(*b, 20, 20);
      crash = Snapshot();
    }
    const fs::path seg = crash / Segments().back().filename();
    const uint64_t size = fs::file_size(seg);
    ASSERT_GT(size, DataEnd(seg)) << "fill-ahead's zeros follow the records";
    {
      std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(record_start + kept_of_last));
      const std::string zeros(DataEnd(seg) - record_start - kept_of_last, '\0');
      f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    }
    options_.dir = crash.string();
    DiskBufferRecovery found;
    {
      auto b = OpenOk(&found);
      EXPECT_EQ(found.records, 19u) << kept_of_last;
      EXPECT_EQ(found.damaged_regions, 0u) << kept_of_last;
      EXPECT_TRUE(found.set_aside.empty()) << kept_of_last;
      // Its non-zero bytes (the id's high bytes and such are zeros too).
      EXPECT_GT(found.torn_tail_bytes, 0u) << kept_of_last;
      EXPECT_LE(found.torn_tail_bytes, kept_of_last) << kept_of_last;
      // Cut back to the last whole record.
      EXPECT_EQ(fs::file_size(seg), record_start) << kept_of_last;
      AppendRange(*b, 21, 22);
    }
    auto b = OpenOk(&found);
    EXPECT_EQ(found.torn_tail_bytes + found.damaged_regions, 0u);
    std::vector<uint64_t> ids;
    for (const StoredRecord& r : ReadAll(*b, 1)) {
      EXPECT_EQ(r.payload, Payload(r.id));
      ids.push_back(r.id);
    }
    ASSERT_EQ(ids.size(), 21u) << kept_of_last;
    EXPECT_EQ(ids[18], 19u);
    EXPECT_EQ(ids[19], 21u);
    fs::remove_all(crash);
  }
}

// A page of the last segment lost (zeros) with good records after it is
// damage, not a torn tail: counted, the file set aside after its good
// records were rewritten, and the records after the page delivered.
TEST_F(DiskBufferTest, AZeroedPageBeforeGoodRecordsInTheLastSegmentIsDamage) {
  options_.segment_bytes = 1 << 20;
  options_.fill_ahead_bytes = 64 * 1024;
  fs::path crash;
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 200);
    crash = Snapshot();
  }
  ASSERT_EQ(Segments().size(), 1u);
  const fs::path seg = crash / Segments().back().filename();
  ASSERT_GT(DataEnd(seg), 3 * 4096u);
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    const std::string zeros(4096, '\0');
    f.write(zeros.data(), zeros.size());
  }
  options_.dir = crash.string();
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.damaged_regions, 1u);
  EXPECT_EQ(found.torn_tail_bytes, 0u);
  EXPECT_EQ(found.set_aside.size(), 1u);
  EXPECT_GT(found.records, 150u);
  EXPECT_LT(found.records, 200u);
  const std::vector<StoredRecord> all = ReadAll(*b, 1);
  EXPECT_EQ(all.size(), found.records);
  EXPECT_EQ(all.back().id, 200u);  // the records after the page survive
}

// A power cut can keep the size fill-ahead gave a new segment and lose the
// page its header was in: a start of that header (or none), then zeros.
// It held no record: dropped as torn, like a header cut short. Garbage
// under a segment's name stays damage (GarbageNamedLikeASegmentIsSetAside).
TEST_F(DiskBufferTest, ANewSegmentWhoseHeaderWasLostBeforeItsZerosIsTorn) {
  options_.segment_bytes = 4096;
  options_.fill_ahead_bytes = 4096;
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 10);
  }
  const fs::path last = Segments().back();
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  const uint64_t records = found.records;
  b.reset();
  for (const uint64_t kept : {uint64_t{0}, uint64_t{12}}) {
    // The next segment's name; the header kept up to `kept`, then zeros.
    std::string name = last.filename().string();
    const std::string next_id = absl::StrFormat("%020u", 11);
    name.replace(name.size() - 24, 20, next_id);
    std::string bytes = EncodeSegmentHeader(11).substr(0, kept);
    bytes.resize(4096, '\0');
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    b = OpenOk(&found);
    EXPECT_EQ(found.records, records) << kept;
    EXPECT_EQ(found.damaged_regions, 0u) << kept;
    EXPECT_TRUE(found.set_aside.empty()) << kept;
    EXPECT_FALSE(fs::exists(dir_ / name)) << kept;
    b.reset();
  }
}

// The disk fills while fill-ahead writes its zeros: the zeros go again, the
// segment grows by its appends alone, and when the records themselves no
// longer fit the append fails as on any full disk (ResourceExhausted, the
// overflow policy decides), every accepted record kept, none torn.
TEST_F(DiskBufferTest, AFullDiskDuringFillAheadLosesNothing) {
  options_.segment_bytes = 1 << 20;
  options_.fill_ahead_bytes = 16 * 1024;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The file size limit plays the full disk: two fills fit, the third
    // stops part way.
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{40000, 40000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    DiskBufferRecovery found;
    auto b = DiskBuffer::Open(options_, &found);
    if (!b.ok()) ::_exit(10);
    uint64_t id = 1;
    absl::Status s;
    uint64_t largest = 0;
    for (; id < 100000; ++id) {
      std::string framed;
      AppendRecord(id, Payload(id), &framed);
      s = (*b)->Append(framed, id, id);
      if (!s.ok()) break;
      if (!(*b)->Commit().ok()) ::_exit(11);
      largest = std::max(largest, (*b)->bytes());
    }
    const bool full = s.code() == absl::StatusCode::kResourceExhausted &&
                      s.message().find("disk full") != std::string_view::npos;
    if (!full) ::_exit(12);
    // Filled ahead before the limit, then appended up to it.
    if (largest < 32 * 1024 || largest > 40000) ::_exit(13);
    std::ofstream(options_.dir + "/accepted") << (id - 1);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  uint64_t accepted = 0;
  std::ifstream(options_.dir + "/accepted") >> accepted;
  ASSERT_GT(accepted, 100u);
  // No zeros left past the records: the refused fill went again.
  EXPECT_EQ(fs::file_size(Segments().back()), DataEnd(Segments().back()));
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, accepted);
  EXPECT_EQ(found.torn_tail_bytes, 0u);
  EXPECT_EQ(found.damaged_regions, 0u);
  EXPECT_EQ(ReadAll(*b, 1).size(), accepted);
}

// A power cut at a random moment of a reliable(yes) buffer written with
// fill-ahead: what was committed (synced) is on the disk; of the last
// uncommitted append any part may be lost. Cut short: a torn tail, never
// damage, nothing set aside. Pages of it lost at random: damage may be
// found, but every committed record comes back, byte for byte, in order,
// and nothing is invented.
TEST_F(DiskBufferTest, APowerCutAtRandomPointsLosesNoCommittedRecord) {
  std::mt19937 rng(20261214);
  options_.segment_bytes = 64 * 1024;
  options_.fill_ahead_bytes = 8 * 1024;
  const fs::path home = dir_;
  int filled_ahead = 0;  // rounds whose last segment had zeros after it
  for (int round = 0; round < 60; ++round) {
    options_.dir = home.string();
    fs::remove_all(home);
    fs::path crash;
    uint64_t committed = 0;
    uint64_t last = 0;
    uint64_t lost_from = 0;  // the uncommitted bytes of the last segment
    uint64_t lost_to = 0;
    {
      auto b = OpenOk();
      const int batches = 1 + static_cast<int>(rng() % 80);
      for (int i = 0; i < batches; ++i) {
        const uint64_t n = 1 + rng() % 20;
        AppendRange(*b, last + 1, last + n, 1 + rng() % 8);  // committed
        last += n;
      }
      committed = last;
      const fs::path before = Segments().back();
      const uint64_t before_end = DataEnd(before);
      const uint64_t n = 1 + rng() % 30;
      std::string framed;
      for (uint64_t id = last + 1; id <= last + n; ++id) {
        AppendRecord(id, Payload(id), &framed);
      }
      ASSERT_TRUE(b->Append(framed, last + 1, last + n).ok());
      last += n;
      const fs::path after = Segments().back();
      lost_from = after == before ? before_end : kSegmentHeaderSize;
      lost_to = DataEnd(after);
      crash = Snapshot();
    }
    const fs::path seg = crash / Segments().back().filename();
    if (fs::file_size(seg) > lost_to) ++filled_ahead;
    const bool cut = rng() % 2 == 0;
    {
      std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
      if (cut) {
        const uint64_t at = lost_from + rng() % (lost_to - lost_from + 1);
        f.seekp(static_cast<std::streamoff>(at));
        const std::string zeros(lost_to - at, '\0');
        f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
      } else {
        for (uint64_t page = lost_from / 4096 * 4096; page < lost_to;
             page += 4096) {
          if (rng() % 2 != 0) continue;
          const uint64_t from = std::max(page, lost_from);
          const uint64_t to = std::min(page + 4096, lost_to);
          f.seekp(static_cast<std::streamoff>(from));
          const std::string zeros(to - from, '\0');
          f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
        }
      }
    }
    options_.dir = crash.string();
    DiskBufferRecovery found;
    {
      auto b = OpenOk(&found);
      ASSERT_NE(b, nullptr);
      if (cut) {
        EXPECT_EQ(found.damaged_regions, 0u) << "round " << round;
        EXPECT_TRUE(found.set_aside.empty()) << "round " << round;
      }
      const std::vector<StoredRecord> all = ReadAll(*b, 1);
      EXPECT_EQ(all.size(), found.records) << "round " << round;
      ASSERT_GE(all.size(), committed) << "round " << round;
      for (uint64_t i = 0; i < committed; ++i) {
        ASSERT_EQ(all[i].id, i + 1) << "round " << round;
      }
      uint64_t prev = 0;
      for (const StoredRecord& r : all) {
        ASSERT_GT(r.id, prev) << "round " << round;
        ASSERT_LE(r.id, last) << "round " << round;
        ASSERT_EQ(r.payload, Payload(r.id)) << "round " << round;
        prev = r.id;
      }
      // It goes on after whatever survived, and reopens clean.
      AppendRange(*b, last + 1, last + 2);
    }
    auto b = OpenOk(&found);
    EXPECT_EQ(found.damaged_regions + found.torn_tail_bytes, 0u)
        << "round " << round;
    b.reset();
    fs::remove_all(crash);
  }
  options_.dir = home.string();
  EXPECT_GT(filled_ahead, 40);
}

TEST_F(DiskBufferTest, RandomDamageNeverCrashesAndNeverInventsRecords) {
  std::mt19937 rng(20261202);
  for (int round = 0; round < 60; ++round) {
    fs::remove_all(dir_);
    {
      auto b = OpenOk();
      AppendRange(*b, 1, 150, 1 + round % 5);
    }
    std::vector<fs::path> segs = Segments();
    for (int hits = 0; hits < 1 + round % 4; ++hits) {
      const fs::path& seg = segs[rng() % segs.size()];
      const uint64_t size = DataEnd(seg);
      switch (rng() % 4) {
        case 0:
          FlipByte(seg, rng() % size, static_cast<char>(1 + rng() % 255));
          break;
        case 1: {
          std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
          f.seekp(static_cast<std::streamoff>(rng() % size));
          const std::string zeros(1 + rng() % 600, '\0');
          f.write(zeros.data(), zeros.size());
          break;
        }
        case 2:
          fs::resize_file(seg, rng() % size);
          break;
        default: {
          std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
          f.seekp(static_cast<std::streamoff>(rng() % size));
          for (int i = 0; i < 50; ++i) f.put(static_cast<char>(rng()));
        }
      }
    }
    DiskBufferRecovery found;
    auto b = DiskBuffer::Open(options_, &found);
    ASSERT_TRUE(b.ok()) << "round " << round << ": " << b.status();
    const std::vector<StoredRecord> all = ReadAll(**b, 1);
    EXPECT_EQ(all.size(), found.records) << "round " << round;
    uint64_t prev = 0;
    for (const StoredRecord& r : all) {
      ASSERT_GT(r.id, prev) << "round " << round;
      ASSERT_LE(r.id, 150u);
      ASSERT_EQ(r.payload, Payload(r.id)) << "round " << round;
      prev = r.id;
    }
    // And it takes new records after whatever survived.
    AppendRange(**b, 1000, 1001);
  }
}

TEST_F(DiskBufferTest, AFullBufferRefusesTheWholeBatch) {
  options_.max_bytes = 16384;
  auto b = OpenOk();
  uint64_t id = 1;
  absl::Status s;
  for (; id < 10000; ++id) {
    std::string framed;
    AppendRecord(id, Payload(id), &framed);
    s = b->Append(framed, id, id);
    if (!s.ok()) break;
  }
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("disk-buf-size(16384) reached"));
  EXPECT_LE(b->bytes(), 16384u);
  b.reset();
  DiskBufferRecovery found;
  b = OpenOk(&found);
  EXPECT_EQ(found.records, id - 1);
  EXPECT_EQ(found.damaged_regions + found.torn_tail_bytes, 0u);
}

TEST_F(DiskBufferTest, AFullDiskKeepsEveryAcceptedRecordAndNoTornOne) {
  options_.segment_bytes = 1 << 20;
  // A child process whose file size limit plays the full disk.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{50000, 50000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    DiskBufferRecovery found;
    auto b = DiskBuffer::Open(options_, &found);
    if (!b.ok()) ::_exit(10);
    uint64_t id = 1;
    for (; id < 100000; ++id) {
      std::string framed;
      AppendRecord(id, Payload(id), &framed);
      AppendRecord(id + 1, Payload(id + 1), &framed);
      const absl::Status s = (*b)->Append(framed, id, id + 1);
      if (!s.ok()) {
        const bool full = s.code() == absl::StatusCode::kResourceExhausted &&
                          s.message().find("disk full") != std::string_view::npos;
        // The accepted count, for the parent: all before this batch.
        std::ofstream(options_.dir + "/accepted") << (id - 1);
        ::_exit(full ? 0 : 11);
      }
      ++id;
    }
    ::_exit(12);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  uint64_t accepted = 0;
  std::ifstream(options_.dir + "/accepted") >> accepted;
  ASSERT_GT(accepted, 100u);
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, accepted);
  EXPECT_EQ(found.torn_tail_bytes, 0u);
  EXPECT_EQ(found.damaged_regions, 0u);
}

// The disk fills while the segment appended to is far from its size; once
// everything in it is delivered and released, its space is what the next
// append needs. It goes and a new segment takes the records (it stayed,
// and every later append was refused: pydest over a full disk with the
// default disk-buf-size() waited for ever).
TEST_F(DiskBufferTest, AFullDiskGivesBackTheReleasedSegmentAppendedTo) {
  options_.segment_bytes = 1 << 20;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The file size limit plays the full disk.
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{50000, 50000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    DiskBufferRecovery found;
    auto b = DiskBuffer::Open(options_, &found);
    if (!b.ok()) ::_exit(10);
    uint64_t id = 1;
    auto append = [&] {
      std::string framed;
      AppendRecord(id, Payload(id), &framed);
      return (*b)->Append(framed, id, id);
    };
    for (; append().ok(); ++id) {
    }
    if (id < 100 || (*b)->segment_count() != 1) ::_exit(11);
    // Full. Delivered and released: the same record goes in now.
    if (!(*b)->Release(id - 1).ok()) ::_exit(12);
    const absl::Status again = append();
    if (!again.ok()) {
      std::ofstream(options_.dir + "/refused") << again.message();
      ::_exit(13);
    }
    std::vector<StoredRecord> out;
    if (!(*b)->Read(id, 10, &out).ok() || out.size() != 1) ::_exit(14);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  std::string refused;
  std::getline(std::ifstream(options_.dir + "/refused"), refused);
  EXPECT_EQ(WEXITSTATUS(status), 0) << refused;
  DiskBufferRecovery found;
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 1u);
  EXPECT_EQ(found.damaged_regions, 0u);
}

TEST_F(DiskBufferTest, PreallocatedSegmentsReopenWithoutDamage) {
  options_.prealloc = true;
  options_.segment_bytes = 64 * 1024;
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 50);
    EXPECT_GE(b->bytes(), 64u * 1024);
  }
  DiskBufferRecovery found;
  {
    auto b = OpenOk(&found);
    EXPECT_EQ(found.records, 50u);
    EXPECT_EQ(found.damaged_regions, 0u);
    AppendRange(*b, 51, 60);
  }
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 60u);
  EXPECT_EQ(ReadAll(*b, 1).size(), 60u);
}

// prealloc(yes) keeps the file's size, so a torn tail is zeroed rather
// than cut off: a shorter record written over it must not be followed by
// the rest of the torn one (the next recovery would find it torn again).
// Without sync the preallocated zeros are the file's own: nothing else
// writes over them.
TEST_F(DiskBufferTest, APreallocatedSegmentsTornTailIsZeroed) {
  options_.prealloc = true;
  options_.sync = false;  // no fill-ahead, whose zeros would hide it
  options_.segment_bytes = 64 * 1024;
  fs::path crash;
  uint64_t record_start = 0;
  {
    auto b = OpenOk();
    AppendRange(*b, 1, 19);
    record_start = DataEnd(Segments().back());
    AppendRange(*b, 20, 20);
    crash = Snapshot();
  }
  const fs::path seg = crash / Segments().back().filename();
  const uint64_t data_end = DataEnd(seg);
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(record_start + 24));
    const std::string zeros(8, '\0');  // a hole in the payload
    f.write(zeros.data(), zeros.size());
  }
  options_.dir = crash.string();
  DiskBufferRecovery found;
  {
    auto b = OpenOk(&found);
    EXPECT_EQ(found.records, 19u);
    EXPECT_EQ(found.damaged_regions, 0u);
    EXPECT_GT(found.torn_tail_bytes, 0u);
    EXPECT_EQ(fs::file_size(seg), 64u * 1024);
    std::string framed;
    AppendRecord(21, "short", &framed);
    ASSERT_LT(framed.size(), data_end - record_start);
    ASSERT_TRUE(b->Append(framed, 21, 21).ok());
  }
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 20u);
  EXPECT_EQ(found.torn_tail_bytes + found.damaged_regions, 0u);
}

TEST_F(DiskBufferTest, ConcurrentCommitsShareSyncsAndLoseNothing) {
  auto b = OpenOk();
  absl::Mutex order;  // Append in id order, Commit outside it
  uint64_t next = 1;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        {
          absl::MutexLock lock(&order);
          std::string framed;
          AppendRecord(next, Payload(next), &framed);
          ASSERT_TRUE(b->Append(framed, next, next).ok());
          ++next;
        }
        ASSERT_TRUE(b->Commit().ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  b.reset();
  DiskBufferRecovery found;
  b = OpenOk(&found);
  EXPECT_EQ(found.records, 200u);
}

TEST_F(DiskBufferTest, GarbageNamedLikeASegmentIsSetAside) {
  fs::create_directories(dir_);
  {
    std::ofstream junk(dir_ / "d_python_0-00000000.00000000000000000001.pdq");
  }
  // The real base name has a checksum suffix ('#' is not kept); write
  // garbage under it.
  DiskBufferRecovery found;
  std::string base;
  {
    auto b = OpenOk(&found);
    base = b->base_path();
  }
  {
    std::ofstream junk(base + ".00000000000000000001.pdq");
    for (int i = 0; i < 5000; ++i) junk.put(static_cast<char>(i * 7));
  }
  auto b = OpenOk(&found);
  EXPECT_EQ(found.records, 0u);
  EXPECT_GE(found.damaged_regions, 1u);
  ASSERT_EQ(found.set_aside.size(), 1u);
}

}  // namespace
}  // namespace pydest::internal
