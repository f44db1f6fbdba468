// One error type for bad input. It names the construct (its path), the prop, the bad value and what
// is allowed, so the message is actionable without a stack trace. A credential never reaches the
// message: values are redacted by shape and by the prop's name (lib/validation/credentials.ts), and so is
// any credential-shaped text in the rest of the message.
import type { IConstruct } from 'constructs';
import { redactText, redactValue } from './credentials';

export class ConfigError extends Error {
  /** The bad value as given, for callers that handle the error (never printed). */
  readonly value: unknown;

  constructor(
    readonly constructPath: string,
    readonly prop: string,
    value: unknown,
    readonly allowed: string,
  ) {
    super(
      redactText(
        `${constructPath}: invalid ${prop} = ${formatValue(redactValue(value, prop))}; allowed: ${allowed}`,
      ),
    );
    this.name = 'ConfigError';
    // Not enumerable: a test runner or logger that prints the error's fields does not print the value.
    Object.defineProperty(this, 'value', { value, enumerable: false });
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
