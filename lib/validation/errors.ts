// One error type for bad input. It names the construct (its path), the prop, the bad value and what
// is allowed, so the message is actionable without a stack trace.
import type { IConstruct } from 'constructs';

export class ConfigError extends Error {
  constructor(
    readonly constructPath: string,
    readonly prop: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${constructPath}: invalid ${prop} = ${formatValue(value)}; allowed: ${allowed}`);
    this.name = 'ConfigError';
  }
}

/** Renders a value for an error message: JSON for data, `undefined` spelled out, long values cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Path of a construct for messages: the construct path, or `<app>` for the root. */
export function pathOf(scope: IConstruct | string): string {
  if (typeof scope === 'string') return scope;
  return scope.node.path || '<app>';
}

/** Throws a ConfigError for `scope`. */
export function invalid(scope: IConstruct | string, prop: string, value: unknown, allowed: string): never {
  throw new ConfigError(pathOf(scope), prop, value, allowed);
}
