// What an ingress (or Anubis) routes to: a Service object rather than a name string, so the port and
// the Sablier group travel with it.
import type { SablierProps } from './ingress-factory';
import { port as portNumber, nonEmptyString } from '../../lib/validation/validate';

/** A Service that ingresses and proxies can target. */
export interface IService {
  /** Service name (a reference when the Service is in the same stack, for creation order). */
  readonly name: string;
  /** The port an ingress targets (the Service's first port). */
  readonly port: number;
  /**
   * Sablier settings of the workload behind it (ADR-0022): an ingress to this service adds the Sablier
   * middleware that wakes the group. @default not enrolled
   */
  readonly sablier?: SablierProps;
}

/**
 * A Service created elsewhere (another stack, a Helm chart): name and port as literals. Only for external
 * references; services of this stack come from `exposeViaService()`.
 * @param port @default 80
 */
export function serviceFromName(name: string, port = 80): IService {
  return {
    name: nonEmptyString('serviceFromName', 'name', name),
    port: portNumber('serviceFromName', 'port', port),
  };
}
