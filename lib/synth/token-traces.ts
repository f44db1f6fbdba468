// cdktf records a complete stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER, formatted into strings)
// for every token and every computed-attribute reference it creates: each Intrinsic, Lazy and
// ComplexResolvable, i.e. every nested `...OutputReference` a provider binding builds in its constructor.
// That is a third of the time a synth takes (docs/performance.md). The trace is used for nothing but the
// "Object creation stack" / "created at" lines of a token resolution error, and App's `stackTraces: false`
// does not turn it off. `withoutTokenTraces` does, for the duration of a call.
import type { captureStackTrace } from 'cdktf/lib/tokens/private/stack-trace';

interface StackTraceModule {
  captureStackTrace: typeof captureStackTrace;
}

// The same module object cdktf's own files use: they call `(0, stack_trace_1.captureStackTrace)()`, a
// property lookup at call time, so replacing the export is seen everywhere. A plain require: an ES import
// would be a copy of the exports under esbuild.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const traces = require('cdktf/lib/tokens/private/stack-trace') as StackTraceModule;

const noTrace: typeof captureStackTrace = () => [];

/** True while cdktf records token creation stacks (the default). */
export function tokenTracesEnabled(): boolean {
  return traces.captureStackTrace !== noTrace;
}

/**
 * Runs `fn` with cdktf's token creation stacks off (unless `keep` is true, e.g. for debugging a token
 * resolution error), then restores the previous state, even when `fn` throws. Synthesized output is the same.
 */
export function withoutTokenTraces<T>(fn: () => T, keep = false): T {
  const previous = traces.captureStackTrace;
  if (!keep) traces.captureStackTrace = noTrace;
  try {
    return fn();
  } finally {
    traces.captureStackTrace = previous;
  }
}
