// The t3 identity engine: who gets which Linux account, tier, t3-serve port and dispatch entry on the
// DevVM. Pure functions, no I/O: tools/cli/t3-roster.ts is the CLI around it.
//
// Input is the Authentik `T3 Users` membership (email + optional `os_user` attribute + optional
// namespaces), the admin emails and the port assignments already in use. Output is the desired state the
// DevVM provisioner applies: accounts, sticky ports, the dispatch table (t3-dispatch keys on the
// Authentik username = email local part) and /etc/ttyd-user-map.
//
// Rules decided here (see docs/t3-roster.md):
// - authentik_user is the email local part exactly as given (case kept): the dispatcher strips `@domain`
//   from the X-authentik-username header and looks the rest up verbatim.
// - A derived os_user that starts with a digit gets a `u_` prefix; leading `-` are stripped.
// - The ttyd user map is one `<authentik_user>=<os_user>` line per user, sorted by authentik_user, each
//   line newline-terminated (the format t3-mint and the dispatcher read: `=`-separated, `#` = comment).
// - Because that map is `=`-separated and `#` starts a comment, an email local part may not contain `=`
//   or `#` (nor whitespace); such a member is rejected.

export type Tier = 'admin' | 'namespace-owner' | 'power-user';

/** One member of the Authentik `T3 Users` group. */
export interface Member {
  readonly email: string;
  /** Authentik `os_user` attribute; null, absent or blank = derive from the email. */
  readonly os_user?: string | null;
  /** Kubernetes namespaces the member owns (non-empty = namespace-owner, unless admin). */
  readonly namespaces?: readonly string[];
}

export interface RosterUser {
  readonly os_user: string;
  /** Email local part, case kept: the t3-dispatch / ttyd-user-map key. */
  readonly authentik_user: string;
  /** The full email: the Kubernetes OIDC identity. */
  readonly k8s_user: string;
  readonly tier: Tier;
  /** Sorted, de-duplicated. */
  readonly namespaces: readonly string[];
}

export interface Account {
  readonly groups: readonly string[];
  readonly os_user: string;
  readonly shell: string;
  readonly tier: Tier;
}

export interface DispatchEntry {
  readonly os_user: string;
  readonly port: number;
}

export interface DesiredState {
  /** os_user -> account (keys sorted). */
  readonly accounts: Record<string, Account>;
  /** authentik_user -> instance (keys sorted). */
  readonly dispatch: Record<string, DispatchEntry>;
  /** os_user -> t3-serve port (keys sorted). */
  readonly ports: Record<string, number>;
  /** Contents of /etc/ttyd-user-map. */
  readonly ttyd_user_map: string;
  /** os_user -> identity (keys sorted); not part of the CLI output. */
  readonly users: Record<string, RosterUser>;
}

/** Any violation of the roster rules or of the input shape. The message names the offending input. */
export class RosterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterError';
  }
}

/** First t3-serve port; new users get the lowest free port from here up. */
export const BASE_PORT = 3773;
export const MAX_PORT = 65535;
export const DEFAULT_SHELL = '/bin/bash';
/** Supplementary groups per tier (sorted). */
export const TIER_GROUPS: Readonly<Record<Tier, readonly string[]>> = {
  admin: ['code-shared', 'docker', 'sudo'],
  'namespace-owner': [],
  'power-user': [],
};

const MAX_OS_USER = 32;
/** A Linux user name as the DevVM tooling accepts it (useradd + t3-mint). */
export const OS_USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
// RFC 5322 atext plus `.`, minus `=` and `#` (separator and comment marker of the ttyd user map).
const LOCAL_PART_RE = /^[A-Za-z0-9.!$%&'*+/?^_`{|}~-]+$/;
const DOMAIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
// A Kubernetes namespace name (RFC 1123 label).
const NAMESPACE_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const q = (s: string): string => JSON.stringify(s);

/** Code-unit order: independent of the locale the CLI runs under. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits and validates an email; returns [local part, domain]. */
export function splitEmail(email: string): [string, string] {
  const at = email.indexOf('@');
  if (at < 0 || at !== email.lastIndexOf('@')) {
    throw new RosterError(`invalid email ${q(email)}: expected exactly one "@"`);
  }
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART_RE.test(local)) {
    throw new RosterError(
      `invalid email ${q(email)}: the local part must be non-empty and use only letters, digits and .!$%&'*+/?^_\`{|}~- (no whitespace, "=" or "#")`,
    );
  }
  if (!DOMAIN_RE.test(domain)) {
    throw new RosterError(`invalid email ${q(email)}: bad domain ${q(domain)}`);
  }
  return [local, domain];
}

/**
 * Linux user name for a member: the `os_user` attribute when it is non-blank (trimmed, and it must be a
 * valid name), else derived from the email local part:
 * lowercase; every run of characters outside [a-z0-9_-] becomes one `_`; leading `_`/`-` and trailing `_`
 * are stripped; a name starting with a digit gets the prefix `u_`; cut to 32 characters and trailing `_`
 * stripped again. An empty result is an error.
 */
export function deriveOsUser(email: string, osUserAttr?: string | null): string {
  const [local] = splitEmail(email);
  const attr = osUserAttr?.trim() ?? '';
  if (attr !== '') {
    if (!OS_USER_RE.test(attr)) {
      throw new RosterError(
        `member ${q(email)}: os_user attribute ${q(attr)} is not a valid Linux user name (${OS_USER_RE.source})`,
      );
    }
    return attr;
  }
  let name = local
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+/, '')
    .replace(/_+$/, '');
  if (/^[0-9]/.test(name)) name = `u_${name}`;
  name = name.slice(0, MAX_OS_USER).replace(/_+$/, '');
  if (name === '') {
    throw new RosterError(
      `member ${q(email)}: cannot derive a Linux user name from the email (set the os_user attribute)`,
    );
  }
  // Guaranteed by the steps above; kept as a guard so a future edit cannot emit an invalid name.
  if (!OS_USER_RE.test(name)) {
    throw new RosterError(`member ${q(email)}: derived os_user ${q(name)} is not a valid Linux user name`);
  }
  return name;
}

/** Lower-cased, validated admin emails. */
function adminSet(adminEmails: Iterable<string>): Set<string> {
  const set = new Set<string>();
  for (const raw of adminEmails) {
    const e = raw.trim();
    if (e === '') continue;
    splitEmail(e);
    set.add(e.toLowerCase());
  }
  return set;
}

/**
 * The roster: os_user -> identity, keys sorted. Throws on duplicate emails (case-insensitive), on two
 * members resolving to one os_user, and on two members sharing a dispatch key (email local part,
 * case-insensitive), naming both emails.
 */
export function rosterFromMembers(
  members: readonly Member[],
  adminEmails: Iterable<string>,
): Record<string, RosterUser> {
  const admins = adminSet(adminEmails);
  const byEmail = new Map<string, string>();
  const byOsUser = new Map<string, RosterUser>();
  const byAuthentik = new Map<string, RosterUser>();
  for (const m of members) {
    const email = m.email;
    const [local] = splitEmail(email);
    const key = email.toLowerCase();
    const dup = byEmail.get(key);
    if (dup !== undefined) throw new RosterError(`duplicate member email: ${q(dup)} and ${q(email)}`);
    byEmail.set(key, email);

    const os_user = deriveOsUser(email, m.os_user);
    const taken = byOsUser.get(os_user);
    if (taken) {
      throw new RosterError(
        `os_user collision: ${q(taken.k8s_user)} and ${q(email)} both resolve to ${q(os_user)} (set an os_user attribute on one of them)`,
      );
    }

    const namespaces = [...new Set(m.namespaces ?? [])].sort(byCodeUnit);
    for (const ns of namespaces) {
      if (!NAMESPACE_RE.test(ns)) {
        throw new RosterError(`member ${q(email)}: invalid namespace ${q(ns)} (must be an RFC 1123 label)`);
      }
    }
    const tier: Tier = admins.has(key) ? 'admin' : namespaces.length > 0 ? 'namespace-owner' : 'power-user';
    const user: RosterUser = { os_user, authentik_user: local, k8s_user: email, tier, namespaces };

    const sameKey = byAuthentik.get(local.toLowerCase());
    if (sameKey) {
      throw new RosterError(
        `dispatch key collision: ${q(sameKey.k8s_user)} and ${q(email)} have the same email local part (Authentik username)`,
      );
    }
    byAuthentik.set(local.toLowerCase(), user);
    byOsUser.set(os_user, user);
  }
  return Object.fromEntries([...byOsUser.entries()].sort(([a], [b]) => byCodeUnit(a, b)));
}

/**
 * Sticky port allocation. Users present in `existing` keep their port; every other user (in os_user
 * order) gets the lowest port >= BASE_PORT not held by anyone. Entries for users no longer present are
 * dropped, so their ports are free again. A port held by two entries of `existing` is an error.
 */
export function allocatePorts(
  osUsers: readonly string[],
  existing: Readonly<Record<string, number>>,
): Record<string, number> {
  const holder = new Map<number, string>();
  for (const [user, port] of Object.entries(existing)) {
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
      throw new RosterError(
        `existing port for ${q(user)} is not a port number (1-${MAX_PORT}): ${String(port)}`,
      );
    }
    const other = holder.get(port);
    if (other !== undefined) {
      throw new RosterError(`existing ports are corrupt: ${q(other)} and ${q(user)} both have port ${port}`);
    }
    holder.set(port, user);
  }
  const users = [...new Set(osUsers)].sort(byCodeUnit);
  const current = new Map(Object.entries(existing));
  const result = new Map<string, number>();
  const used = new Set<number>();
  for (const u of users) {
    const port = current.get(u);
    if (port !== undefined) {
      result.set(u, port);
      used.add(port);
    }
  }
  let next = BASE_PORT;
  for (const u of users) {
    if (result.has(u)) continue;
    while (used.has(next)) next++;
    if (next > MAX_PORT)
      throw new RosterError(`no free port left for ${q(u)} (${BASE_PORT}-${MAX_PORT} all taken)`);
    result.set(u, next);
    used.add(next);
  }
  return Object.fromEntries([...result.entries()].sort(([a], [b]) => byCodeUnit(a, b)));
}

/** `<authentik_user>=<os_user>` lines sorted by authentik_user, newline-terminated ("" when empty). */
export function renderTtydUserMap(users: readonly RosterUser[]): string {
  return [...users]
    .sort((a, b) => byCodeUnit(a.authentik_user, b.authentik_user))
    .map((u) => `${u.authentik_user}=${u.os_user}\n`)
    .join('');
}

/** The whole desired state for a membership, admin emails and the ports currently assigned. */
export function deriveDesiredState(
  members: readonly Member[],
  adminEmails: Iterable<string>,
  existingPorts: Readonly<Record<string, number>> = {},
): DesiredState {
  const users = rosterFromMembers(members, adminEmails);
  const list = Object.values(users);
  const ports = allocatePorts(
    list.map((u) => u.os_user),
    existingPorts,
  );
  const portOf = new Map(Object.entries(ports));
  const accounts = Object.fromEntries(
    list.map((u): [string, Account] => [
      u.os_user,
      { groups: [...TIER_GROUPS[u.tier]], os_user: u.os_user, shell: DEFAULT_SHELL, tier: u.tier },
    ]),
  );
  const dispatch = Object.fromEntries(
    [...list]
      .sort((a, b) => byCodeUnit(a.authentik_user, b.authentik_user))
      .map((u): [string, DispatchEntry] => [
        u.authentik_user,
        { os_user: u.os_user, port: portOf.get(u.os_user)! },
      ]),
  );
  return { accounts, dispatch, ports, ttyd_user_map: renderTtydUserMap(list), users };
}

// ---- Shape checks for untyped input (parsed JSON) ----

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

const MEMBER_KEYS = new Set(['email', 'os_user', 'namespaces']);

/**
 * Members from parsed JSON: an array of members, or `{"members": [...]}`. Each member is an object with
 * a string `email`, an optional string-or-null `os_user` and an optional array of strings `namespaces`;
 * any other key is rejected (a typo such as `os-user` would otherwise silently change the user name).
 */
export function parseMembers(value: unknown): Member[] {
  let list: unknown = value;
  if (isPlainObject(value)) {
    const extra = Object.keys(value).filter((k) => k !== 'members');
    if (!('members' in value) || extra.length > 0) {
      throw new RosterError(`members must be a JSON array or an object with only a "members" array`);
    }
    list = value.members;
  }
  if (!Array.isArray(list)) {
    throw new RosterError(
      `members must be a JSON array or an object with only a "members" array, got ${describe(list)}`,
    );
  }
  return list.map((m: unknown, i): Member => {
    const where = `members[${i}]`;
    if (!isPlainObject(m)) throw new RosterError(`${where} must be an object, got ${describe(m)}`);
    for (const k of Object.keys(m)) {
      if (!MEMBER_KEYS.has(k))
        throw new RosterError(`${where} has an unknown key ${q(k)} (allowed: email, os_user, namespaces)`);
    }
    if (!('email' in m)) throw new RosterError(`${where} is missing "email"`);
    if (typeof m.email !== 'string')
      throw new RosterError(`${where}.email must be a string, got ${describe(m.email)}`);
    const os = m.os_user;
    if (os !== undefined && os !== null && typeof os !== 'string') {
      throw new RosterError(
        `${where} (${q(m.email)}): os_user must be a string or null, got ${describe(os)}`,
      );
    }
    const ns = m.namespaces;
    if (ns !== undefined && ns !== null && (!Array.isArray(ns) || ns.some((n) => typeof n !== 'string'))) {
      throw new RosterError(`${where} (${q(m.email)}): namespaces must be an array of strings`);
    }
    return {
      email: m.email,
      ...(typeof os === 'string' ? { os_user: os } : {}),
      ...(Array.isArray(ns) ? { namespaces: ns as string[] } : {}),
    };
  });
}

/** Existing port assignments from parsed JSON: an object os_user -> port number. */
export function parsePorts(value: unknown): Record<string, number> {
  if (!isPlainObject(value))
    throw new RosterError(`ports must be a JSON object (os_user -> port), got ${describe(value)}`);
  for (const [user, port] of Object.entries(value)) {
    if (typeof port !== 'number')
      throw new RosterError(`ports[${q(user)}] must be a number, got ${describe(port)}`);
  }
  return value as Record<string, number>;
}

/** Comma-separated admin emails; blank entries are ignored, the rest must be valid emails. */
export function parseAdminEmails(csv: string): string[] {
  const list = csv
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const e of list) splitEmail(e);
  return list;
}
