// Pure helpers for the synth runner: what a synthesized stack contains, and error messages that name
// the stack and construct path without a stack trace from inside cdktf.
import { ConfigError } from '../validation/errors';

export interface StackCounts {
  resources: number;
  dataSources: number;
  moved: number;
}

type TfJson = {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  moved?: unknown[];
};

const countNested = (block: Record<string, Record<string, unknown>> | undefined) =>
  Object.values(block ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);

export function stackCounts(json: TfJson): StackCounts {
  return {
    resources: countNested(json.resource),
    dataSources: countNested(json.data),
    moved: json.moved?.length ?? 0,
  };
}

/** One message for a synth failure: the stack, the construct path (in the message) and what is wrong. */
export function describeSynthError(e: unknown, stackName: string): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ConfigError) return message;
  return stackName ? `stack ${stackName}: ${message}` : message;
}

/** What the report needs of a suppression (lib/synth/rules.ts AppliedSuppression). */
export interface ReportedSuppression {
  readonly rule: string;
  readonly address: string;
  readonly reason: string;
}

/** One line per accepted rule finding: `suppressed <stack> <rule> <address>: <reason>`. */
export function suppressionLines(stackName: string, suppressions: readonly ReportedSuppression[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const s of suppressions) {
    const line = `suppressed ${stackName}  ${s.rule}  ${s.address}: ${s.reason}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return lines;
}
