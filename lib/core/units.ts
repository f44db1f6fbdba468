// Value helpers for quantities with units. Each renders exactly the string the tree writes ("128Mi",
// "5m", "3600"), so a stack states intent (`Size.mebibytes(128)`) and the plan stays a no-op.
import { invalid } from '../validation/errors';

/** A Kubernetes binary size (`Ki`, `Mi`, `Gi`, `Ti`), rendered in the unit it was given in. */
export class Size {
  static kibibytes(n: number): Size {
    return new Size(n, 'Ki', 1024);
  }
  static mebibytes(n: number): Size {
    return new Size(n, 'Mi', 1024 ** 2);
  }
  static gibibytes(n: number): Size {
    return new Size(n, 'Gi', 1024 ** 3);
  }
  static tebibytes(n: number): Size {
    return new Size(n, 'Ti', 1024 ** 4);
  }

  private constructor(
    readonly amount: number,
    readonly unit: 'Ki' | 'Mi' | 'Gi' | 'Ti',
    private readonly unitBytes: number,
  ) {
    if (!Number.isInteger(amount) || amount < 0) invalid('Size', 'amount', amount, 'a whole number >= 0');
  }

  /** Bytes, e.g. `Size.gibibytes(6).toBytes()` = 6442450944. */
  toBytes(): number {
    return this.amount * this.unitBytes;
  }

  /** The Kubernetes quantity, e.g. "128Mi". */
  toString(): string {
    return `${this.amount}${this.unit}`;
  }
}

/** A duration as the tree writes it: Go-style ("5s", "5m", "3h") or whole seconds ("3600"). */
export class Duration {
  static seconds(n: number): Duration {
    return new Duration(n, 1, 's');
  }
  static minutes(n: number): Duration {
    return new Duration(n, 60, 'm');
  }
  static hours(n: number): Duration {
    return new Duration(n, 3600, 'h');
  }
  static days(n: number): Duration {
    return new Duration(n * 24, 3600, 'h');
  }

  private constructor(
    private readonly amount: number,
    private readonly unitSeconds: number,
    private readonly unit: 's' | 'm' | 'h',
  ) {
    if (!Number.isInteger(amount) || amount < 0) invalid('Duration', 'amount', amount, 'a whole number >= 0');
  }

  toSeconds(): number {
    return this.amount * this.unitSeconds;
  }

  /** Go duration in the unit it was given in: "5m" (Traefik, Sablier, Keel `@every 5m`). */
  toString(): string {
    return `${this.amount}${this.unit}`;
  }

  /** Whole seconds as a string: "3600" (`ttl_seconds_after_finished`). */
  toSecondsString(): string {
    return String(this.toSeconds());
  }
}

/** A quantity the tree writes verbatim ("10m", "64Mi") or a `Size`. */
export type Quantity = string | Size;

/** The Kubernetes string of a quantity. */
export function quantityString(q: Quantity): string {
  return typeof q === 'string' ? q : q.toString();
}
