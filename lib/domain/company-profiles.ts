// Company VM (RAVE) profiles and the checks shared by the CompanyVm construct and the company registry
// (stacks/companies.ts). Pure: a scope is only used to name where an error is.
import type { IConstruct } from 'constructs';
import { ConfigError, invalid } from '../validation/errors';
import {
  checkPortPlan,
  MAX_BLOCK_INDEX,
  requestPorts,
  type PortRequest,
  type PortRole,
  type ReservedPort,
} from './port-allocation';
import { dnsLabel, httpUrl, integerInRange, oneOf, parseQuantity } from '../validation/validate';

type Scope = IConstruct | string;

export type ProfileName = 'production' | 'development' | 'demo' | 'dataPlane' | 'appsPlane';

export interface ProfileSpec {
  /** Guest memory. */
  readonly memory: string;
  /** Root disk (PVC) size. */
  readonly disk: string;
  /** vCPUs (cores of one socket). */
  readonly cores: number;
  /** CPU the VM's pod requests from the scheduler (vCPUs are not reserved one to one). */
  readonly cpuRequest: string;
  /** qcow2 file name under the artifacts URL. */
  readonly image: string;
  /** Services the image runs (documentation, labels). */
  readonly services: readonly string[];
  /** Ports the VM publishes on the shared IP. */
  readonly ports: readonly PortRole[];
}

const CORE = ['gitlab', 'nats', 'postgresql', 'redis', 'traefik', 'mattermost', 'authentik'] as const;
const WEB: readonly PortRole[] = ['http', 'https', 'ssh', 'test'];

/**
 * The profile table. Memory/disk for production, development and demo are RAVE's; vCPUs are ours:
 * GitLab alone wants 4 cores to stay responsive, production adds Penpot, Outline and n8n (6), demo boots
 * the minimum and accepts a slower GitLab (2), the data plane runs two databases (2).
 */
export const PROFILES: Readonly<Record<ProfileName, ProfileSpec>> = Object.freeze({
  production: {
    memory: '12Gi',
    disk: '40Gi',
    cores: 6,
    cpuRequest: '2',
    image: 'rave-production.qcow2',
    services: [...CORE, 'penpot', 'outline', 'n8n'],
    ports: WEB,
  },
  development: {
    memory: '8Gi',
    disk: '30Gi',
    cores: 4,
    cpuRequest: '1',
    image: 'rave-development.qcow2',
    services: CORE,
    ports: WEB,
  },
  demo: {
    memory: '6Gi',
    disk: '24Gi',
    cores: 2,
    cpuRequest: '500m',
    image: 'rave-demo.qcow2',
    services: ['gitlab', 'postgresql', 'redis', 'traefik', 'authentik'],
    ports: WEB,
  },
  dataPlane: {
    memory: '4Gi',
    disk: '40Gi',
    cores: 2,
    cpuRequest: '500m',
    image: 'rave-dataPlane.qcow2',
    services: ['postgresql', 'redis'],
    ports: ['ssh', 'postgres', 'redis'],
  },
  appsPlane: {
    memory: '8Gi',
    disk: '30Gi',
    cores: 4,
    cpuRequest: '1',
    image: 'rave-appsPlane.qcow2',
    services: ['gitlab', 'nats', 'traefik', 'mattermost', 'authentik'],
    ports: WEB,
  },
});

/** Profiles of a company with one VM. */
export const SINGLE_PROFILES = ['production', 'development', 'demo'] as const;
export type SingleProfile = (typeof SINGLE_PROFILES)[number];
export const DEFAULT_PROFILE: SingleProfile = 'development';

export type Plane = 'data' | 'apps';
export const PLANES: readonly Plane[] = ['data', 'apps'];
export const PLANE_PROFILE: Readonly<Record<Plane, ProfileName>> = { data: 'dataPlane', apps: 'appsPlane' };

/** Settings of one VM (the company's in single mode, each plane's in split mode). */
export interface VmSettings {
  /** Port block on the shared IP: ports 8100 + 10*blockIndex onwards. Explicit and stable. */
  readonly blockIndex?: number;
  /** Guest memory. @default the profile's */
  readonly memory?: string;
  /** Root disk size. @default the profile's */
  readonly disk?: string;
  /** vCPUs. @default the profile's */
  readonly cores?: number;
  /** CPU request of the VM's pod. @default the profile's */
  readonly cpuRequest?: string;
  /** qcow2 image URL. @default `<artifactsUrl>/<profile image>` */
  readonly imageUrl?: string;
  /** Explicit published ports replacing the block's (still checked for collisions). @default the block's */
  readonly ports?: Readonly<Partial<Record<PortRole, number>>>;
  /** `runStrategy` Always (true) or Halted (false). @default true */
  readonly running?: boolean;
}

/** What the registry and the port allocator need to know about a company. */
export interface CompanySpec extends VmSettings {
  /** Company name: DNS-1123 label, at most 40 characters. Namespace `company-<name>`. */
  readonly name: string;
  /** Single mode profile. @default "development" (not allowed with `planes`) */
  readonly profile?: SingleProfile;
  /** Split mode: a dataPlane VM and an appsPlane VM, each with its own block. @default single mode */
  readonly planes?: { readonly data: VmSettings; readonly apps: VmSettings };
}

export const MAX_COMPANY_NAME = 40;

/** One VM of a company, settings resolved. */
export interface PlannedVm {
  readonly company: string;
  /** Split mode plane; undefined in single mode. */
  readonly plane?: Plane;
  /** VM (and Service) name: `<company>` or `<company>-<plane>`. */
  readonly vmName: string;
  /** "acme-corp" or "globex/data": how messages name the VM. */
  readonly owner: string;
  /** Prop path prefix for messages: "" or "planes.data.". */
  readonly propPrefix: string;
  readonly profile: ProfileName;
  readonly memory: string;
  readonly disk: string;
  readonly cores: number;
  readonly cpuRequest: string;
  readonly imageUrl?: string;
  readonly blockIndex: number;
  readonly portOverrides: Readonly<Partial<Record<PortRole, number>>>;
  readonly roles: readonly PortRole[];
  readonly running: boolean;
}

const SIZE = /^([0-9]+(\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)$/;

/** A positive size with a unit ("8Gi", "500M"); a bare number is refused (bytes are never meant). */
export function sizeWithUnit(scope: Scope, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !SIZE.test(value) || !(parseQuantity(value)! > 0)) {
    invalid(scope, prop, value, 'a positive size with a unit: Ki, Mi, Gi, Ti (or k, M, G, T), e.g. "8Gi"');
  }
  return value;
}

function checkSettings(scope: Scope, prefix: string, s: VmSettings): void {
  if (s.memory !== undefined) sizeWithUnit(scope, `${prefix}memory`, s.memory);
  if (s.disk !== undefined) sizeWithUnit(scope, `${prefix}disk`, s.disk);
  if (s.cores !== undefined) integerInRange(scope, `${prefix}cores`, s.cores, 1, 64);
  if (s.cpuRequest !== undefined) {
    const q = typeof s.cpuRequest === 'string' ? parseQuantity(s.cpuRequest) : undefined;
    if (q === undefined || !(q > 0) || !/^[0-9.]+m?$/.test(s.cpuRequest)) {
      invalid(scope, `${prefix}cpuRequest`, s.cpuRequest, 'a positive CPU quantity such as "500m" or "2"');
    }
  }
  if (s.imageUrl !== undefined) httpUrl(scope, `${prefix}imageUrl`, s.imageUrl);
  if (s.running !== undefined && typeof s.running !== 'boolean') {
    invalid(scope, `${prefix}running`, s.running, 'true (runStrategy Always) or false (Halted)');
  }
  if (s.blockIndex === undefined) {
    invalid(
      scope,
      `${prefix}blockIndex`,
      undefined,
      `an explicit, stable integer from 0 to ${MAX_BLOCK_INDEX}`,
    );
  }
  integerInRange(scope, `${prefix}blockIndex`, s.blockIndex, 0, MAX_BLOCK_INDEX);
}

function planVm(company: string, plane: Plane | undefined, profile: ProfileName, s: VmSettings): PlannedVm {
  const p = PROFILES[profile];
  return {
    company,
    plane,
    vmName: plane ? `${company}-${plane}` : company,
    owner: plane ? `${company}/${plane}` : company,
    propPrefix: plane ? `planes.${plane}.` : '',
    profile,
    memory: s.memory ?? p.memory,
    disk: s.disk ?? p.disk,
    cores: s.cores ?? p.cores,
    cpuRequest: s.cpuRequest ?? p.cpuRequest,
    imageUrl: s.imageUrl,
    blockIndex: s.blockIndex!,
    portOverrides: { ...s.ports },
    roles: p.ports,
    running: s.running ?? true,
  };
}

/** The port request of a planned VM. */
export function portRequest(vm: PlannedVm): PortRequest {
  return { owner: vm.owner, blockIndex: vm.blockIndex, roles: vm.roles, overrides: vm.portOverrides };
}

/**
 * Checks one company's settings (every guard that needs only the company) and returns its VMs: one in
 * single mode, data then apps in split mode. Errors name `scope`, the prop and what is allowed.
 */
export function planCompany(scope: Scope, spec: CompanySpec): PlannedVm[] {
  const name = dnsLabel(scope, 'name', spec.name, MAX_COMPANY_NAME);
  let vms: PlannedVm[];
  if (spec.planes !== undefined) {
    if (spec.profile !== undefined) {
      invalid(
        scope,
        'profile',
        spec.profile,
        'unset when planes is set (the planes use dataPlane and appsPlane)',
      );
    }
    const single = [
      'blockIndex',
      'memory',
      'disk',
      'cores',
      'cpuRequest',
      'imageUrl',
      'ports',
      'running',
    ] as const;
    for (const key of single) {
      if (spec[key] !== undefined) {
        invalid(
          scope,
          key,
          spec[key],
          `unset when planes is set: give it per plane (planes.data.${key}, planes.apps.${key})`,
        );
      }
    }
    const planes = spec.planes as Record<string, VmSettings | undefined>;
    if (typeof planes !== 'object' || planes === null) {
      invalid(scope, 'planes', planes, '{ data: {...}, apps: {...} }');
    }
    for (const key of Object.keys(planes)) {
      if (!(PLANES as readonly string[]).includes(key))
        invalid(scope, `planes.${key}`, planes[key], 'only planes.data and planes.apps');
    }
    vms = PLANES.map((plane) => {
      const s = planes[plane];
      if (s === undefined || typeof s !== 'object')
        invalid(scope, `planes.${plane}`, s, 'the settings of that plane, at least { blockIndex }');
      checkSettings(scope, `planes.${plane}.`, s);
      return planVm(name, plane, PLANE_PROFILE[plane], s);
    });
  } else {
    const profile = oneOf(scope, 'profile', spec.profile ?? DEFAULT_PROFILE, SINGLE_PROFILES);
    checkSettings(scope, '', spec);
    vms = [planVm(name, undefined, profile, spec)];
  }
  for (const vm of vms) {
    const own = requestPorts(portRequest(vm));
    const issue = own.issues[0];
    if (issue) invalid(scope, `${vm.propPrefix}${issue.prop}`, issue.value, issue.allowed);
  }
  // The planes of one company must not collide with each other either.
  const inner = checkPortPlan(vms.map(portRequest)).issues[0];
  if (inner) {
    const vm = vms.find((v) => v.owner === inner.owner)!;
    invalid(scope, `${vm.propPrefix}${inner.prop}`, inner.value, inner.allowed);
  }
  return vms;
}

/** Where registry errors point. */
export const REGISTRY_SCOPE = 'company registry (stacks/companies.ts)';

/**
 * Checks a registry of companies as a whole: each entry's own guards, unique names, and one port plan for
 * all of them on the shared IP (unique block indexes, ports in range, no collision with each other or with
 * `reserved`). Returns the planned VMs by company; throws a ConfigError on the first problem.
 */
export function checkCompanyRegistry(
  specs: readonly CompanySpec[],
  reserved: readonly ReservedPort[] = [],
  ipLabel = 'the shared IP',
): Map<string, PlannedVm[]> {
  const planned = new Map<string, PlannedVm[]>();
  for (const [i, spec] of specs.entries()) {
    const where = `${REGISTRY_SCOPE} entry ${i}${typeof spec?.name === 'string' ? ` "${spec.name}"` : ''}`;
    if (typeof spec !== 'object' || spec === null)
      invalid(where, 'entry', spec, 'a company object { name, blockIndex, ... }');
    if (planned.has(spec.name)) invalid(where, 'name', spec.name, 'each company name once');
    planned.set(spec.name, planCompany(where, spec));
  }
  const all = [...planned.values()].flat();
  const issue = checkPortPlan(all.map(portRequest), reserved, ipLabel).issues[0];
  if (issue) {
    const vm = all.find((v) => v.owner === issue.owner)!;
    throw new ConfigError(
      `${REGISTRY_SCOPE} company "${vm.company}"`,
      `${vm.propPrefix}${issue.prop}`,
      issue.value,
      issue.allowed,
    );
  }
  return planned;
}
