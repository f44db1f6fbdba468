// Port blocks on the shared load-balancer IP for company VMs (pure; no cdktf).
//
// Block `i` starts at 8100 + 10*i. Inside a block each role has a fixed offset (http 0, https 1, ssh 2,
// test 3, postgres 4, redis 5), so a block uses at most 6 of its 10 ports and two different blocks never
// share a port: for i < j, every port of block i is below 8100 + 10*i + 10 <= 8100 + 10*j, the first
// port of block j. (RAVE's laptop layout put VM 1's HTTPS on VM 2's HTTP port; this one cannot.)
// `checkPortPlan` still checks everything, because per-VM overrides and the tree's own services on the
// shared IP can collide where the arithmetic alone cannot.

export const PORT_BLOCK_BASE = 8100;
export const PORT_BLOCK_SIZE = 10;
/** Lowest port a company VM may publish (no privileged ports on the shared IP). */
export const MIN_PORT = 1024;
export const MAX_PORT = 65535;
/** Largest block index whose whole block (10 ports) stays at or below 65535. */
export const MAX_BLOCK_INDEX = Math.floor(
  (MAX_PORT - PORT_BLOCK_BASE - (PORT_BLOCK_SIZE - 1)) / PORT_BLOCK_SIZE,
);

export type PortRole = 'http' | 'https' | 'ssh' | 'test' | 'postgres' | 'redis';
export type Protocol = 'TCP' | 'UDP';

export interface PortRoleSpec {
  /** Offset inside the block. */
  readonly offset: number;
  /** Port inside the VM the service forwards to. */
  readonly targetPort: number;
}

export const PORT_ROLES: Readonly<Record<PortRole, PortRoleSpec>> = Object.freeze({
  http: { offset: 0, targetPort: 80 },
  https: { offset: 1, targetPort: 443 },
  ssh: { offset: 2, targetPort: 22 },
  test: { offset: 3, targetPort: 8080 },
  postgres: { offset: 4, targetPort: 5432 },
  redis: { offset: 5, targetPort: 6379 },
});

export const ALL_PORT_ROLES: readonly PortRole[] = ['http', 'https', 'ssh', 'test', 'postgres', 'redis'];

/** First port of block `index`. */
export function blockBase(index: number): number {
  return PORT_BLOCK_BASE + PORT_BLOCK_SIZE * index;
}

/** The published port of `role` in block `index`. */
export function rolePort(index: number, role: PortRole): number {
  return blockBase(index) + PORT_ROLES[role].offset;
}

/** A port already taken on the shared IP by something that is not a company VM. */
export interface ReservedPort {
  readonly port: number;
  readonly protocol: Protocol;
  /** Who holds it, for messages (e.g. "dbaas/postgresql-lb"). */
  readonly owner: string;
}

/** One VM asking for ports. */
export interface PortRequest {
  /** Who asks, for messages and to group errors: "acme-corp" or "globex/data". */
  readonly owner: string;
  readonly blockIndex: number;
  /** Roles the VM publishes (its profile's). */
  readonly roles: readonly PortRole[];
  /** Explicit ports replacing the block's (any role of `roles`). */
  readonly overrides?: Readonly<Partial<Record<PortRole, number>>>;
}

/** A problem with one request, in the shape of a ConfigError (prop, value, allowed). */
export interface PortIssue {
  readonly owner: string;
  readonly prop: string;
  readonly value: unknown;
  readonly allowed: string;
}

export interface PortPlan {
  /** Published ports per owner and role (TCP). Only requests without issues of their own are complete. */
  readonly ports: ReadonlyMap<string, Readonly<Partial<Record<PortRole, number>>>>;
  readonly issues: readonly PortIssue[];
}

function isBlockIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_BLOCK_INDEX;
}

/** The ports of one request, ignoring other requests. Throws nothing: bad input becomes issues. */
export function requestPorts(req: PortRequest): {
  ports: Partial<Record<PortRole, number>>;
  issues: PortIssue[];
} {
  const issues: PortIssue[] = [];
  const ports: Partial<Record<PortRole, number>> = {};
  const validIndex = isBlockIndex(req.blockIndex);
  if (!validIndex) {
    issues.push({
      owner: req.owner,
      prop: 'blockIndex',
      value: req.blockIndex,
      allowed: `an integer from 0 to ${MAX_BLOCK_INDEX} (block i publishes ports ${PORT_BLOCK_BASE} + ${PORT_BLOCK_SIZE}*i onwards, up to ${MAX_PORT})`,
    });
  }
  const overrides = req.overrides ?? {};
  for (const role of Object.keys(overrides) as PortRole[]) {
    if (!req.roles.includes(role)) {
      issues.push({
        owner: req.owner,
        prop: `ports.${role}`,
        value: overrides[role],
        allowed: `an override for a role this VM publishes: ${req.roles.join(', ')}`,
      });
    }
  }
  for (const role of req.roles) {
    const override = overrides[role];
    if (override !== undefined) {
      if (
        typeof override !== 'number' ||
        !Number.isInteger(override) ||
        override < MIN_PORT ||
        override > MAX_PORT
      ) {
        issues.push({
          owner: req.owner,
          prop: `ports.${role}`,
          value: override,
          allowed: `an integer port from ${MIN_PORT} to ${MAX_PORT}`,
        });
        continue;
      }
      ports[role] = override;
    } else if (validIndex) {
      ports[role] = rolePort(req.blockIndex, role);
    }
  }
  return { ports, issues };
}

/**
 * Allocates every request and checks the whole set: block indexes in range and unique, every port in
 * 1024-65535, and no two ports equal on the shared IP (between VMs, inside one VM, or with a reserved
 * port of the same protocol). Issues name the owner, the prop and what is allowed.
 */
export function checkPortPlan(
  requests: readonly PortRequest[],
  reserved: readonly ReservedPort[] = [],
  ipLabel = 'the shared IP',
): PortPlan {
  const issues: PortIssue[] = [];
  const ports = new Map<string, Partial<Record<PortRole, number>>>();
  const blockOwner = new Map<number, string>();
  const taken = new Map<string, string>(); // "port/TCP" -> holder description
  for (const r of reserved) taken.set(`${r.port}/${r.protocol}`, `${r.owner} (${r.port}/${r.protocol})`);

  for (const req of requests) {
    if (ports.has(req.owner)) {
      issues.push({
        owner: req.owner,
        prop: 'name',
        value: req.owner,
        allowed: 'each company (and plane) once',
      });
      continue;
    }
    const own = requestPorts(req);
    issues.push(...own.issues);
    ports.set(req.owner, own.ports);
    if (isBlockIndex(req.blockIndex)) {
      const other = blockOwner.get(req.blockIndex);
      if (other !== undefined) {
        issues.push({
          owner: req.owner,
          prop: 'blockIndex',
          value: req.blockIndex,
          allowed: `a block index no other VM uses (${req.blockIndex} is ${other}'s)`,
        });
        // One clear error: the block's ports would all collide with the other VM's.
        continue;
      } else {
        blockOwner.set(req.blockIndex, req.owner);
      }
    }
    for (const role of req.roles) {
      const port = own.ports[role];
      if (port === undefined) continue;
      const key = `${port}/TCP`;
      const holder = taken.get(key);
      if (holder !== undefined) {
        issues.push({
          owner: req.owner,
          prop: `ports.${role}`,
          value: port,
          allowed: `a port free on ${ipLabel}: ${key} is already ${holder}`,
        });
      } else {
        taken.set(key, `${req.owner} ${role} (${key})`);
      }
    }
  }
  return { ports, issues };
}
