// Unit tests for the syslog-ng macros other than the date family: one
// behaviour per test, values as syslog-ng 3.38 prints them.
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libpydest/message/date_macros.h"
#include "libpydest/message/macros.h"
#include "macro_fixture.h"
#include "pydest/message.h"

namespace pydest::internal {
namespace {

TEST_F(MacrosTest, AllMacrosIsThe164NameTableOfSyslogNg338) {
  const std::vector<MacroId>& all = AllMacros();
  ASSERT_EQ(all.size(), 164u);
  EXPECT_EQ(MacroName(all.front()), "FACILITY");
  EXPECT_EQ(MacroName(all.back()), "LOGHOST");
  for (MacroId id : all) EXPECT_FALSE(IsPairOnlyName(id)) << MacroName(id);
}

TEST_F(MacrosTest, LookupRoundTripsEveryName) {
  for (MacroId id = 0; id < MacroCount(); ++id) {
    std::optional<MacroId> found = LookupMacro(MacroName(id));
    ASSERT_TRUE(found.has_value()) << MacroName(id);
    EXPECT_EQ(*found, id);
  }
}

TEST_F(MacrosTest, LookupIsCaseSensitiveAndRejectsUnknownNames) {
  EXPECT_FALSE(LookupMacro("isodate").has_value());
  EXPECT_FALSE(LookupMacro("NO_SUCH_MACRO").has_value());
  EXPECT_FALSE(LookupMacro("").has_value());
  EXPECT_TRUE(LookupMacro("_").has_value());
}

TEST_F(MacrosTest, PairOnlyNamesResolveButAreNotInAllMacros) {
  for (std::string_view name : {"PROGRAM", "PID", "MSGID", "HOST_FROM",
                                "FULLHOST", "FULLHOST_FROM", "MSGONLY",
                                "SOURCE", "LEGACY_MSGHDR", "FILE_NAME"}) {
    std::optional<MacroId> id = LookupMacro(name);
    ASSERT_TRUE(id.has_value()) << name;
    EXPECT_TRUE(IsPairOnlyName(*id)) << name;
  }
  Message m = MessageBuilder()
                  .SetHost("h1")
                  .Set("HOST_FROM", "relay")
                  .SetText("text")
                  .SetProgram("app")
                  .Build();
  EXPECT_EQ(Eval("FULLHOST", m), "h1");
  EXPECT_EQ(Eval("FULLHOST_FROM", m), "relay");
  EXPECT_EQ(Eval("MSGONLY", m), "text");
  EXPECT_EQ(Eval("MSG", m), "text");
  EXPECT_EQ(Eval("PROGRAM", m), "app");
}

TEST_F(MacrosTest, FacilityAndSeverityMacrosOfPri34) {
  Message m = MessageBuilder().SetPri(34).Build();
  EXPECT_EQ(Eval("FACILITY", m), "auth");
  EXPECT_EQ(Eval("FACILITY_NUM", m), "4");
  EXPECT_EQ(Eval("SEVERITY", m), "crit");
  EXPECT_EQ(Eval("PRIORITY", m), "crit");
  EXPECT_EQ(Eval("LEVEL", m), "crit");
  EXPECT_EQ(Eval("SEVERITY_NUM", m), "2");
  EXPECT_EQ(Eval("LEVEL_NUM", m), "2");
  EXPECT_EQ(Eval("PRI", m), "34");
  EXPECT_EQ(Eval("TAG", m), "22");
  EXPECT_EQ(Eval("BSDTAG", m), "2E");
}

TEST_F(MacrosTest, TagIsTwoDigitLowerCaseHexOfPri) {
  EXPECT_EQ(Eval("TAG", MessageBuilder().SetPri(13).Build()), "0d");
  EXPECT_EQ(Eval("TAG", MessageBuilder().SetPri(165).Build()), "a5");
  EXPECT_EQ(Eval("TAG", MessageBuilder().SetPri(0).Build()), "00");
}

TEST_F(MacrosTest, BsdTagIsSeverityDigitAndFacilityLetter) {
  EXPECT_EQ(Eval("BSDTAG", MessageBuilder().SetPri(165).Build()), "5U");
  EXPECT_EQ(Eval("BSDTAG", MessageBuilder().SetPri(0).Build()), "0A");
}

TEST_F(MacrosTest, FacilityNamesCoverTheWholeTable) {
  auto fac = [&](int f) {
    return Eval("FACILITY", MessageBuilder().SetFacility(f).Build());
  };
  EXPECT_EQ(fac(0), "kern");
  EXPECT_EQ(fac(10), "authpriv");
  EXPECT_EQ(fac(12), "ntp");
  EXPECT_EQ(fac(13), "security");
  EXPECT_EQ(fac(14), "console");
  EXPECT_EQ(fac(15), "solaris-cron");
  EXPECT_EQ(fac(16), "local0");
  EXPECT_EQ(fac(23), "local7");
  auto sev = [&](int s) {
    return Eval("SEVERITY", MessageBuilder().SetSeverity(s).Build());
  };
  EXPECT_EQ(sev(0), "emerg");
  EXPECT_EQ(sev(3), "err");
  EXPECT_EQ(sev(4), "warning");
  EXPECT_EQ(sev(7), "debug");
}

TEST_F(MacrosTest, MsgHdrPrefersTheLegacyHeader) {
  Message legacy = MessageBuilder()
                       .SetProgram("su")
                       .SetPid("1234")
                       .Set("LEGACY_MSGHDR", "su[1234]:")
                       .Build();
  EXPECT_EQ(Eval("MSGHDR", legacy), "su[1234]:");
}

TEST_F(MacrosTest, MsgHdrIsBuiltFromProgramAndPid) {
  EXPECT_EQ(Eval("MSGHDR",
                 MessageBuilder().SetProgram("app").SetPid("99").Build()),
            "app[99]: ");
  EXPECT_EQ(Eval("MSGHDR", MessageBuilder().SetProgram("app").Build()),
            "app: ");
  EXPECT_EQ(Eval("MSGHDR", MessageBuilder()
                               .SetProgram("app")
                               .SetPid("")
                               .Set("LEGACY_MSGHDR", "")
                               .Build()),
            "app: ");
  EXPECT_EQ(Eval("MSGHDR", MessageBuilder().SetPid("99").Build()), "");
}

TEST_F(MacrosTest, SdataIsEmptyWithoutElementsOrSeqnum) {
  EXPECT_EQ(Eval("SDATA", MessageBuilder().Build()), "");
}

TEST_F(MacrosTest, SdataRendersElementsInOrderWithEscapes) {
  Message m = MessageBuilder()
                  .AddSdParam("origin", "ip", "10.0.0.1")
                  .AddSdParam("origin", "software", "x")
                  .AddSdParam("x@1", "esc", "a\"b]c\\d")
                  .Build();
  EXPECT_EQ(Eval("SDATA", m),
            "[origin ip=\"10.0.0.1\" software=\"x\"][x@1 esc=\"a\\\"b\\]c\\\\d\"]");
}

TEST_F(MacrosTest, SdataAppendsSequenceIdWhenTheDestinationNumbers) {
  ctx_.seqnum = 7;
  EXPECT_EQ(Eval("SDATA", MessageBuilder().Build()), "[meta sequenceId=\"7\"]");
  Message m = MessageBuilder().AddSdParam("ex@1", "a", "1").Build();
  EXPECT_EQ(Eval("SDATA", m), "[ex@1 a=\"1\"][meta sequenceId=\"7\"]");
}

TEST_F(MacrosTest, SdataKeepsAnExistingSequenceId) {
  ctx_.seqnum = 3;
  Message m = MessageBuilder()
                  .AddSdParam("meta", "sequenceId", "5")
                  .AddSdParam("x@1", "k", "v")
                  .Build();
  EXPECT_EQ(Eval("SDATA", m), "[meta sequenceId=\"5\"][x@1 k=\"v\"]");
}

TEST_F(MacrosTest, SdataPutsTheSequenceIdIntoAnExistingMetaElement) {
  ctx_.seqnum = 3;
  Message m = MessageBuilder().AddSdParam("meta", "sysUpTime", "42").Build();
  EXPECT_EQ(Eval("SDATA", m), "[meta sequenceId=\"3\" sysUpTime=\"42\"]");
}

TEST_F(MacrosTest, TagsAreCommaJoined) {
  EXPECT_EQ(Eval("TAGS", MessageBuilder().Build()), "");
  EXPECT_EQ(Eval("TAGS", MessageBuilder()
                             .AddTag(".source.s_in")
                             .AddTag("seen")
                             .Build()),
            ".source.s_in,seen");
}

TEST_F(MacrosTest, SeqnumIsEmptyUnlessTheDestinationNumbers) {
  Message m;
  EXPECT_EQ(Eval("SEQNUM", m), "");
  ctx_.seqnum = 42;
  EXPECT_EQ(Eval("SEQNUM", m), "42");
}

TEST_F(MacrosTest, AddressesFallBackToLoopbackForLocalMessages) {
  Message local;
  EXPECT_EQ(Eval("SOURCEIP", local), "127.0.0.1");
  EXPECT_EQ(Eval("DESTIP", local), "127.0.0.1");
  EXPECT_EQ(Eval("DESTPORT", local), "0");
  EXPECT_EQ(Eval("PROTO", local), "0");
  Message net = MessageBuilder()
                    .SetSourceIp("192.0.2.7")
                    .SetDestIp("::1")
                    .SetDestPort(514)
                    .SetProto(17)
                    .Build();
  EXPECT_EQ(Eval("SOURCEIP", net), "192.0.2.7");
  EXPECT_EQ(Eval("DESTIP", net), "::1");
  EXPECT_EQ(Eval("DESTPORT", net), "514");
  EXPECT_EQ(Eval("PROTO", net), "17");
}

TEST_F(MacrosTest, HostAndProcessMacrosComeFromTheContext) {
  ctx_.loghost = "vm";
  ctx_.hostid = "8df08c02";
  ctx_.runid = 3;
  ctx_.sysuptime = 6512;
  Message m;
  EXPECT_EQ(Eval("LOGHOST", m), "vm");
  EXPECT_EQ(Eval("HOSTID", m), "8df08c02");
  EXPECT_EQ(Eval("RUNID", m), "3");
  EXPECT_EQ(Eval("SYSUPTIME", m), "6512");
}

TEST_F(MacrosTest, ReceiptIdsAreEmptyUntilAssigned) {
  Message m;
  ctx_.hostid = "8df08c02";
  EXPECT_EQ(Eval("RCPTID", m), "");
  EXPECT_EQ(Eval("UNIQID", m), "");
  EXPECT_EQ(Eval("CONTEXT_ID", m), "");
  EXPECT_EQ(Eval("_", m), "");
  ctx_.rcptid = 255;
  EXPECT_EQ(Eval("RCPTID", m), "255");
  EXPECT_EQ(Eval("UNIQID", m), "8df08c02@00000000000000ff");
}

TEST_F(MacrosTest, UnsetPairsAppendNothing) {
  Message m;
  EXPECT_EQ(Eval("HOST", m), "");
  EXPECT_EQ(Eval("MESSAGE", m), "");
  EXPECT_EQ(Eval("PROGRAM", m), "");
}

TEST_F(MacrosTest, AppendKeepsWhatIsAlreadyInTheBuffer) {
  std::string out = "x=";
  AppendMacro(*LookupMacro("PRI"), MessageBuilder().SetPri(13).Build(), ctx_,
              &out);
  EXPECT_EQ(out, "x=13");
  AppendMacro(static_cast<MacroId>(MacroCount() + 5), Message(), ctx_, &out);
  EXPECT_EQ(out, "x=13");
}

TEST_F(MacrosTest, MacroTypesOf4x) {
  auto type = [](std::string_view n) { return MacroType(*LookupMacro(n)); };
  EXPECT_EQ(type("FACILITY_NUM"), TypeHint::kInt32);
  EXPECT_EQ(type("SEVERITY_NUM"), TypeHint::kInt32);
  EXPECT_EQ(type("LEVEL_NUM"), TypeHint::kInt32);
  EXPECT_EQ(type("DESTPORT"), TypeHint::kInt32);
  EXPECT_EQ(type("PROTO"), TypeHint::kInt32);
  EXPECT_EQ(type("TAGS"), TypeHint::kList);
  for (std::string_view n :
       {"UNIXTIME", "R_UNIXTIME", "S_UNIXTIME", "C_UNIXTIME", "P_UNIXTIME"}) {
    EXPECT_EQ(type(n), TypeHint::kDateTime) << n;
  }
  EXPECT_EQ(type("ISODATE"), TypeHint::kNone);
  EXPECT_EQ(type("PRI"), TypeHint::kNone);
  EXPECT_EQ(type("HOST"), TypeHint::kNone);
}

}  // namespace
}  // namespace pydest::internal
