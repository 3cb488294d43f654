// Every header that configures a destination, for code written when they
// were one header: DestinationOptions and the types of its fields
// (ConfigVersion, OptionValue, ReopenBackoff, OverflowPolicy, Outcome,
// LogRecord, TemplateOptions, Target, OnError, value-pairs). New code
// includes the header of each concept it uses instead.
#ifndef PYDEST_OPTIONS_H_
#define PYDEST_OPTIONS_H_

#include "pydest/config_version.h"       // IWYU pragma: export
#include "pydest/destination_options.h"  // IWYU pragma: export
#include "pydest/disk_buffer_spec.h"     // IWYU pragma: export
#include "pydest/log_record.h"           // IWYU pragma: export
#include "pydest/on_error.h"             // IWYU pragma: export
#include "pydest/option_value.h"         // IWYU pragma: export
#include "pydest/outcome.h"              // IWYU pragma: export
#include "pydest/outcome_report.h"       // IWYU pragma: export
#include "pydest/overflow_policy.h"      // IWYU pragma: export
#include "pydest/reopen_backoff.h"       // IWYU pragma: export
#include "pydest/target.h"               // IWYU pragma: export
#include "pydest/template_options.h"     // IWYU pragma: export
#include "pydest/type_hint.h"            // IWYU pragma: export
#include "pydest/value_pairs.h"          // IWYU pragma: export

#endif  // PYDEST_OPTIONS_H_
