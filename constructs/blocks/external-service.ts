// A Service for something that runs outside the cluster (a VM, the DevVM): a selector-less Service and
// the Endpoints that point it at a fixed address, so ingresses can route to it like to any Service.
import { Construct } from 'constructs';
import { Endpoints } from '@cdktf/provider-kubernetes/lib/endpoints';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import type { IService } from './service';
import { named } from '../../lib/terraform/addresses';
import { dnsLabel, matches, nonEmptyString, port as portNumber } from '../../lib/validation/validate';

export interface OffClusterServiceProps {
  /** Name of the Service and its Endpoints. */
  readonly name: string;
  readonly namespace: string;
  /** IPv4 address of the host. */
  readonly ip: string;
  /** Port on the host. */
  readonly port: number;
  /** Port the Service exposes. @default 80 */
  readonly servicePort?: number;
  /** Name of the port on both objects. @default "http" */
  readonly portName?: string;
  /** Service labels. @default { app: name } */
  readonly labels?: Record<string, string>;
  /** Terraform name of the Service and the Endpoints. @default the construct id */
  readonly addressName?: string;
}

/**
 * `kubernetes_service.<id>` (no selector; `<portName>` `servicePort` -> `port`) and `kubernetes_endpoints.<id>`
 * (`ip`:`port`). It is an `IService`: pass it to `IngressFactory({ service })`.
 */
export class OffClusterService extends Construct implements IService {
  readonly name: string;
  readonly port: number;
  readonly service: Service;
  readonly endpoints: Endpoints;

  constructor(scope: Construct, id: string, props: OffClusterServiceProps) {
    super(scope, id);
    const name = dnsLabel(this, 'name', props.name);
    nonEmptyString(this, 'namespace', props.namespace);
    const ip = matches(this, 'ip', props.ip, /^(\d{1,3})(\.\d{1,3}){3}$/, 'an IPv4 address');
    const target = portNumber(this, 'port', props.port);
    this.port = portNumber(this, 'servicePort', props.servicePort ?? 80);
    const portName = dnsLabel(this, 'portName', props.portName ?? 'http');
    const address = props.addressName ?? id;
    this.service = named(this, Service, address, {
      metadata: { name, namespace: props.namespace, labels: { ...(props.labels ?? { app: name }) } },
      spec: { port: [{ name: portName, port: this.port, targetPort: String(target) }] },
    });
    this.endpoints = named(this, Endpoints, address, {
      metadata: { name, namespace: props.namespace },
      subset: [{ address: [{ ip }], port: [{ name: portName, port: target }] }],
    });
    this.name = this.service.metadata.name;
  }
}
