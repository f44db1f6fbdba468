// The table of stub providers: one entry per provider. Adding one (helm, random, null, authentik,
// proxmox, ...) is one entry: its registry source, a version inside the constraints the stacks emit,
// and where its schema comes from — an installed prebuilt binding package (`package`, derived by
// derive.ts) or a schema object exported next to a hand-written binding (`schema`, e.g. lib/kubectl.ts).
// Then add its sensitive attributes to SENSITIVE below.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { KUBECTL_SCHEMA } from '../../lib/terraform/kubectl';
import { derivePackage } from './derive';
import { lookupPath, type StubProviderSchema } from './schema';

export interface StubProviderSpec {
  /** Provider type name (`terraform-provider-<name>`). */
  readonly name: string;
  /** Registry source, `<namespace>/<type>` on registry.terraform.io. */
  readonly source: string;
  /** Version the mirror offers; must satisfy the constraints we emit. */
  readonly version: string;
  /** An installed @cdktf/provider-* package to derive the schema from, or the schema itself. */
  readonly schemaFrom: { readonly package: string } | { readonly schema: unknown };
}

export const STUB_PROVIDERS: readonly StubProviderSpec[] = [
  // the tree pins >= 3.2.1; the schema comes from the 2.38 bindings (docs/terraform-stubs.md)
  {
    name: 'kubernetes',
    source: 'hashicorp/kubernetes',
    version: '3.2.1',
    schemaFrom: { package: '@cdktf/provider-kubernetes' },
  },
  {
    name: 'vault',
    source: 'hashicorp/vault',
    version: '4.8.0',
    schemaFrom: { package: '@cdktf/provider-vault' },
  },
  {
    name: 'cloudflare',
    source: 'cloudflare/cloudflare',
    version: '4.52.0',
    schemaFrom: { package: '@cdktf/provider-cloudflare' },
  },
  {
    name: 'kubectl',
    source: 'gavinbunney/kubectl',
    version: '1.14.0',
    schemaFrom: { schema: KUBECTL_SCHEMA },
  },
];

/**
 * Sensitive attributes (not recorded in the bindings; sensitivity changes plans): per provider,
 * `provider.<attr>`, `resource.<type>.<path>` or `data.<type>.<path>` (dotted through nested blocks).
 */
export const SENSITIVE: Readonly<Record<string, readonly string[]>> = {
  kubernetes: [
    'provider.token',
    'provider.password',
    'provider.client_key',
    'resource.kubernetes_secret.data',
    'resource.kubernetes_secret.binary_data',
    'resource.kubernetes_secret_v1.data',
    'resource.kubernetes_secret_v1.binary_data',
    'data.kubernetes_secret.data',
    'data.kubernetes_secret.binary_data',
    'data.kubernetes_secret_v1.data',
    'data.kubernetes_secret_v1.binary_data',
  ],
  vault: [
    'provider.token',
    'resource.vault_kv_secret_v2.data',
    'resource.vault_kv_secret_v2.data_json',
    'data.vault_kv_secret_v2.data',
    'data.vault_kv_secret_v2.data_json',
    'resource.vault_approle_auth_backend_role_secret_id.secret_id',
    'resource.vault_approle_auth_backend_role_secret_id.wrapping_token',
  ],
  cloudflare: ['provider.api_key', 'provider.api_token', 'provider.api_user_service_key'],
  kubectl: [],
};

/** Bump when derive.ts or the overlay logic changes meaning: invalidates cached schemas. */
const DERIVATION_VERSION = 1;

export function applySensitive(name: string, schema: StubProviderSchema): StubProviderSchema {
  for (const entry of SENSITIVE[name] ?? []) {
    const [kind, ...rest] = entry.split('.');
    const block =
      kind === 'provider'
        ? schema.provider.block
        : (kind === 'resource' ? schema.resource_schemas : schema.data_source_schemas)[rest.shift()!]?.block;
    const target = block && lookupPath(block, rest.join('.'));
    if (!target || !('type' in target || 'nested_type' in target)) {
      throw new Error(`tf-stub: sensitive overlay entry ${name}:${entry} names no attribute of the schema`);
    }
    (target as { sensitive?: boolean }).sensitive = true;
  }
  return schema;
}

/** Repository root (holds package.json and node_modules), from source or from the dist/ bundle. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tools', 'tf-stub')))
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`tf-stub: repository root not found above ${__dirname}`);
    dir = up;
  }
}

function packageVersion(pkg: string): { dir: string; version: string } {
  const dir = path.join(repoRoot(), 'node_modules', pkg);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir, version };
}

/**
 * Path of the provider's schema JSON in the cache (node_modules/.cache/tf-stub/), deriving it first if
 * it is missing. Keyed by package version (or schema content) and the overlay.
 */
export function ensureSchemaFile(spec: StubProviderSpec): string {
  const cacheDir = path.join(repoRoot(), 'node_modules', '.cache', 'tf-stub');
  const overlay = createHash('sha256')
    .update(JSON.stringify([DERIVATION_VERSION, SENSITIVE[spec.name] ?? []]))
    .digest('hex')
    .slice(0, 10);
  let file: string;
  let derive: () => StubProviderSchema;
  if ('package' in spec.schemaFrom) {
    const { dir, version } = packageVersion(spec.schemaFrom.package);
    file = path.join(cacheDir, `${spec.schemaFrom.package.replace('/', '+')}@${version}-${overlay}.json`);
    derive = () => derivePackage(dir);
  } else {
    const json = JSON.stringify(spec.schemaFrom.schema);
    const h = createHash('sha256').update(json).digest('hex').slice(0, 10);
    file = path.join(cacheDir, `${spec.name}-${h}-${overlay}.json`);
    derive = () => JSON.parse(json) as StubProviderSchema;
  }
  if (!fs.existsSync(file)) {
    const schema = applySensitive(spec.name, derive());
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(schema));
    fs.renameSync(tmp, file);
  }
  return file;
}

export function stubProvider(name: string): StubProviderSpec {
  const spec = STUB_PROVIDERS.find((p) => p.name === name);
  if (!spec)
    throw new Error(
      `tf-stub: no stub provider "${name}" (known: ${STUB_PROVIDERS.map((p) => p.name).join(', ')})`,
    );
  return spec;
}
