// Container requests/limits: one shape and one check for every construct that takes them.
import type { IConstruct } from 'constructs';
import { quantity, requestWithinLimit } from '../validation/validate';

/** Requests and limits of a container, as Kubernetes quantities (e.g. `{ cpu: '10m', memory: '64Mi' }`). */
export interface ContainerResources {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

/**
 * Validates every quantity and that cpu/memory requests do not exceed their limits; returns the
 * resources as the Kubernetes bindings take them (absent sections stay absent).
 */
export function containerResources(
  scope: IConstruct,
  prop: string,
  r: ContainerResources,
): { requests?: Record<string, string>; limits?: Record<string, string> } {
  for (const [section, values] of Object.entries(r)) {
    for (const [k, v] of Object.entries((values ?? {}) as Record<string, string>)) {
      quantity(scope, `${prop}.${section}.${k}`, v);
    }
  }
  for (const k of ['cpu', 'memory'])
    requestWithinLimit(scope, `${prop}.${k}`, r.requests?.[k], r.limits?.[k]);
  return {
    ...(r.requests ? { requests: { ...r.requests } } : {}),
    ...(r.limits ? { limits: { ...r.limits } } : {}),
  };
}
