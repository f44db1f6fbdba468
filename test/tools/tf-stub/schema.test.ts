// Schema derivation from the cdktf bindings, pinned to facts of the real providers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveDirectory } from '../../../tools/tf-stub/derive';
import { ensureSchemaFile, stubProvider, STUB_PROVIDERS } from '../../../tools/tf-stub/providers';
import { lookupPath, type StubProviderSchema, type StubSchema } from '../../../tools/tf-stub/schema';

const k8sLib = path.resolve(__dirname, '../../../node_modules/@cdktf/provider-kubernetes/lib');

function one(dir: string, kind: 'resource' | 'data' | 'provider'): StubSchema {
  const found = deriveDirectory(dir).filter((r) => r.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!.schema;
}

describe('derived kubernetes schemas', () => {
  const deployment = one(path.join(k8sLib, 'deployment'), 'resource').block;

  it('kubernetes_deployment metadata and spec are required one-item list blocks', () => {
    for (const name of ['metadata', 'spec']) {
      expect(lookupPath(deployment, name)).toMatchObject({
        nesting_mode: 'list',
        min_items: 1,
        max_items: 1,
      });
    }
  });

  it('spec.template.spec.container is a list block without a maximum; metadata.name optional+computed', () => {
    const container = lookupPath(deployment, 'spec.template.spec.container');
    expect(container).toMatchObject({ nesting_mode: 'list' });
    expect(container).not.toHaveProperty('max_items');
    expect(lookupPath(deployment, 'spec.template.spec.container.image')).toEqual({
      type: 'string',
      optional: true,
    });
    expect(lookupPath(deployment, 'metadata.name')).toEqual({
      type: 'string',
      optional: true,
      computed: true,
    });
    expect(lookupPath(deployment, 'metadata.uid')).toEqual({ type: 'string', computed: true });
    expect(lookupPath(deployment, 'metadata.labels')).toEqual({ type: ['map', 'string'], optional: true });
    expect(lookupPath(deployment, 'timeouts')).toMatchObject({ nesting_mode: 'single' });
    expect(lookupPath(deployment, 'spec.selector.match_expressions.values')).toEqual({
      type: ['set', 'string'],
      optional: true,
    });
  });

  it('kubernetes_manifest.manifest is dynamic and required', () => {
    const manifest = one(path.join(k8sLib, 'manifest'), 'resource').block;
    expect(lookupPath(manifest, 'manifest')).toEqual({ type: 'dynamic', required: true });
    expect(lookupPath(manifest, 'object')).toMatchObject({ type: 'dynamic', computed: true });
  });

  it('set blocks: kubernetes_service_account image_pull_secret', () => {
    const sa = one(path.join(k8sLib, 'service-account'), 'resource').block;
    expect(lookupPath(sa, 'image_pull_secret')).toMatchObject({ nesting_mode: 'set' });
  });

  it('provider configuration: plain-struct blocks (exec) and attributes', () => {
    const provider = one(path.join(k8sLib, 'provider'), 'provider').block;
    expect(lookupPath(provider, 'config_path')).toEqual({ type: 'string', optional: true });
    // provider bindings type every block as an array: max_items 1 is not recoverable there
    expect(lookupPath(provider, 'exec')).toMatchObject({ nesting_mode: 'list' });
    expect(lookupPath(provider, 'exec.api_version')).toEqual({ type: 'string', required: true });
  });
});

describe('cached provider schemas with the sensitivity overlay', () => {
  const load = (name: string) =>
    JSON.parse(fs.readFileSync(ensureSchemaFile(stubProvider(name)), 'utf8')) as StubProviderSchema;

  it('vault data source vault_kv_secret_v2: data is a sensitive computed map', () => {
    const vault = load('vault');
    expect(vault.data_source_schemas['vault_kv_secret_v2']!.block.attributes!['data']).toEqual({
      type: ['map', 'string'],
      computed: true,
      sensitive: true,
    });
    expect(vault.resource_schemas['vault_kv_secret_v2']!.block.attributes!['data_json']).toMatchObject({
      required: true,
      sensitive: true,
    });
  });

  it('kubernetes_secret data and cloudflare api_key are sensitive; kubectl comes from lib/kubectl.ts', () => {
    expect(
      load('kubernetes').resource_schemas['kubernetes_secret']!.block.attributes!['data']!.sensitive,
    ).toBe(true);
    expect(load('cloudflare').provider.block.attributes!['api_key']!.sensitive).toBe(true);
    expect(
      load('kubectl').resource_schemas['kubectl_manifest']!.block.attributes!['yaml_body'],
    ).toMatchObject({
      required: true,
      sensitive: true,
    });
  });

  it('every provider in the table has a schema with resources', () => {
    expect(STUB_PROVIDERS.map((p) => p.name)).toEqual(['kubernetes', 'vault', 'cloudflare', 'kubectl']);
    for (const p of STUB_PROVIDERS)
      expect(Object.keys(load(p.name).resource_schemas).length).toBeGreaterThan(0);
  });
});
