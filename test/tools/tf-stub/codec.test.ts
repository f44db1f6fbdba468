// DynamicValue msgpack codec, plan/apply/data behaviour, data-key scanning and the TLS certificate.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import { decodeValue, Dynamic, encodeValue, UNKNOWN, type Value } from '../../../tools/tf-stub/codec';
import { fillUnknown, markComputedUnknown, pruneState, readData } from '../../../tools/tf-stub/behaviour';
import { selfSignedCert } from '../../../tools/tf-stub/cert';
import { scanDataKeys } from '../../../tools/tf-stub/data-keys';
import { blockType, type StubBlock } from '../../../tools/tf-stub/schema';

const block: StubBlock = {
  attributes: {
    id: { type: 'string', optional: true, computed: true },
    count: { type: 'number', optional: true },
    manifest: { type: 'dynamic', optional: true },
    tags: { type: ['set', 'string'], optional: true },
  },
  block_types: {
    metadata: {
      nesting_mode: 'list',
      min_items: 1,
      max_items: 1,
      block: {
        attributes: {
          name: { type: 'string', optional: true, computed: true },
          uid: { type: 'string', computed: true },
          labels: { type: ['map', 'string'], optional: true },
        },
      },
    },
  },
};
const type = blockType(block);

describe('msgpack codec', () => {
  it('round trips null, unknown, dynamic and nested values', () => {
    const v: Value = {
      id: UNKNOWN,
      count: 3,
      manifest: new Dynamic(['object', { kind: 'string', n: 'number' }], { kind: 'ConfigMap', n: 1.5 }),
      tags: ['a', 'b'],
      metadata: [{ name: null, uid: UNKNOWN, labels: { app: 'x' } }],
    };
    const back = decodeValue(encodeValue(v, type), type);
    expect(back).toEqual(v);
    expect(decodeValue(encodeValue(null, type), type)).toBeNull();
  });

  it('reads refined unknowns (extension 12), string numbers and absent attributes', () => {
    const raw = encode({ id: 'x', count: '12345678901234567890', metadata: [] });
    const back = decodeValue(raw, type) as Record<string, Value>;
    expect(back).toMatchObject({ id: 'x', count: '12345678901234567890', manifest: null, tags: null });
    // fixext1 type 12 (refined unknown) at top level
    expect(decodeValue(new Uint8Array([0xd4, 12, 0]), 'string')).toBe(UNKNOWN);
    expect(decodeValue(new Uint8Array([0xd4, 0, 0]), 'string')).toBe(UNKNOWN);
  });

  it('encodes unknown as cty does (fixext1, type 0) and dynamic as [type JSON, value]', () => {
    expect([...encodeValue(UNKNOWN, 'string')]).toEqual([0xd4, 0, 0]);
    const bytes = encodeValue(new Dynamic('string', 'hi'), 'dynamic');
    expect(bytes[0]).toBe(0x92); // fixarray of 2
    expect(Buffer.from(bytes).includes(Buffer.from('"string"'))).toBe(true);
  });
});

describe('behaviour', () => {
  it('create plan: computed nulls become unknown, recursively into blocks; set values stay', () => {
    const proposed = decodeValue(
      encodeValue(
        {
          id: null,
          count: 1,
          manifest: null,
          tags: null,
          metadata: [{ name: 'a', uid: null, labels: null }],
        },
        type,
      ),
      type,
    );
    expect(markComputedUnknown(proposed, block)).toEqual({
      id: UNKNOWN,
      count: 1,
      manifest: null,
      tags: null,
      metadata: [{ name: 'a', uid: UNKNOWN, labels: null }],
    });
  });

  it('apply fills unknowns deterministically', () => {
    const planned: Value = { id: UNKNOWN, count: UNKNOWN, manifest: null, tags: UNKNOWN, metadata: [] };
    const a = fillUnknown(planned, type, 'r') as Record<string, Value>;
    expect(a).toEqual(fillUnknown(planned, type, 'r'));
    expect(a['id']).toMatch(/^stub-[0-9a-f]{12}$/);
    expect(a).toMatchObject({ count: 0, tags: [] });
  });

  it('data sources: computed maps hold the configured keys, lists the indexed length', () => {
    const ds: StubBlock = {
      attributes: {
        name: { type: 'string', required: true },
        data: { type: ['map', 'string'], computed: true, sensitive: true },
        accounts: {
          nested_type: { nesting_mode: 'list', attributes: { id: { type: 'string', computed: true } } },
          computed: true,
        },
      },
    };
    const keys = { 'x_secret.data': ['k1', 'k2'], 'x_secret.accounts': ['0'] };
    const out = readData('x_secret', { name: 'n', data: null, accounts: null }, ds, keys) as Record<
      string,
      Value
    >;
    expect(Object.keys(out['data'] as object)).toEqual(['k1', 'k2']);
    expect(out['accounts']).toHaveLength(1);
    expect(readData('x_secret', { name: 'n', data: null, accounts: null }, ds, keys)).toEqual(out);
  });

  it('scanDataKeys finds index, lookup() and list-index references in JSON and HCL', () => {
    const json = JSON.stringify({
      provider: {
        cloudflare: [{ api_key: '${data.vault_kv_secret_v2.cf_platform.data["cloudflare_api_key"]}' }],
      },
      x: '${lookup(data.vault_kv_secret_v2.other.data, "token", "")} ${data.cloudflare_accounts.main.accounts[0].id}',
    });
    expect(scanDataKeys(json)).toEqual({
      'cloudflare_accounts.accounts': ['0'],
      'vault_kv_secret_v2.data': ['cloudflare_api_key', 'token'],
    });
    expect(scanDataKeys('x = data.vault_kv_secret_v2.a.data["pw"]')).toEqual({
      'vault_kv_secret_v2.data': ['pw'],
    });
  });

  it('a jsondecode()d key is listed under <attr>.json and read back as a JSON string', () => {
    const hcl = 'tokens = jsondecode(data.vault_kv_secret_v2.secrets.data["bearer_tokens"])';
    const json = JSON.stringify({ x: '${jsondecode(lookup(data.vault_kv_secret_v2.s.data, "t"))}' });
    expect(scanDataKeys(hcl)).toEqual({
      'vault_kv_secret_v2.data': ['bearer_tokens'],
      'vault_kv_secret_v2.data.json': ['bearer_tokens'],
      'vault_kv_secret_v2.data.json["bearer_tokens"]': ['[]'], // no access path: the value itself
    });
    expect(scanDataKeys(json)['vault_kv_secret_v2.data.json']).toEqual(['t']);
    const ds: StubBlock = {
      attributes: {
        name: { type: 'string', required: true },
        data: { type: ['map', 'string'], computed: true },
      },
    };
    const keys = { 'x_secret.data': ['j', 'plain'], 'x_secret.data.json': ['j'] };
    const out = readData('x_secret', { name: 'n', data: null }, ds, keys) as { data: Record<string, string> };
    expect(typeof JSON.parse(out.data['j']!)).toBe('string');
    expect(out.data['plain']).toMatch(/^stub-/);
  });
});

describe('AutoMTLS certificate', () => {
  it('is a self-signed ECDSA P-256 CA for localhost, as go-plugin generates', () => {
    const c = selfSignedCert();
    const x = new X509Certificate(c.der);
    expect(x.ca).toBe(true);
    expect(x.subjectAltName).toBe('DNS:localhost');
    expect(x.subject).toContain('CN=localhost');
    expect(x.checkIssued(x)).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(new X509Certificate(c.certPem).fingerprint256).toBe(x.fingerprint256);
  });
});

describe('state upgrade', () => {
  it('drops attributes the schema lacks (state from a newer provider), keeps dynamic values whole', () => {
    const stored = {
      id: 'x',
      added_in_v3: true,
      manifest: { value: { a: 1 }, type: ['object', { a: 'number' }] },
      metadata: [{ name: 'n', uid: 'u', labels: null, new_field: 'y' }],
    };
    expect(pruneState(stored, block)).toEqual({
      id: 'x',
      manifest: { value: { a: 1 }, type: ['object', { a: 'number' }] },
      metadata: [{ name: 'n', uid: 'u', labels: null }],
    });
  });
});
