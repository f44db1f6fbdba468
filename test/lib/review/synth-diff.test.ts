import { describe, expect, it } from 'vitest';
import {
  SYNTH_DIFF_MARKER,
  type SynthApp,
  diffSynth,
  exitCodeFor,
  renderSynthDiffComments,
  renderSynthDiffMarkdown,
} from '../../../lib/review/synth-diff';
import { SynthJsonError } from '../../../lib/terraform/tf-json';
import { formatChange } from '../../../lib/review/value-diff';

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.split('/').pop() } } });
const backend = (key: string) => ({ backend: { pg: { conn_str: '${var.pg}', schema_name: key } } });

const deployment = (replicas: number, token: string) => ({
  metadata: { name: 'chatterbox', namespace: 'tts' },
  spec: {
    replicas,
    template: {
      spec: {
        container: [
          { name: 'chatterbox', image: 'ghcr.io/x/chatterbox:1', env: [{ name: 'API_TOKEN', value: token }] },
        ],
      },
    },
  },
});

const base: SynthApp = {
  tts: {
    '//': { metadata: { version: '0.21.0', stackName: 'tts' } },
    terraform: backend('tts'),
    provider: { kubernetes: [{ config_path: '~/.kube/config' }] },
    data: { vault_kv_secret_v2: { viktor: { mount: 'secret', name: 'viktor' } } },
    resource: {
      kubernetes_namespace: { tts: { metadata: { name: 'tts' }, ...meta('tts/ns') } },
      kubernetes_deployment: {
        chatterbox: { ...deployment(1, 'tok-literal-AAA'), ...meta('tts/chatterbox') },
      },
      kubernetes_persistent_volume_claim: {
        models: { metadata: { name: 'models', namespace: 'tts' }, ...meta('tts/models') },
      },
      kubernetes_config_map: { old_cfg: { metadata: { name: 'old' }, data: { a: '1' } } },
      kubernetes_secret: {
        ghcr: { metadata: { name: 'ghcr' }, data: { '.dockerconfigjson': 'DOCKERCFG-OLD' } },
      },
      kubernetes_ingress_v1: {
        old_name: { metadata: { name: 'tts' }, spec: { rule: [{ host: 'tts.example.org' }] } },
      },
    },
  },
  forgejo: {
    resource: {
      kubernetes_namespace: { forgejo: { metadata: { name: 'forgejo' } } },
      kubectl_manifest: {
        db: { yaml_body: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\n' },
        mw: { yaml_body: 'apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata:\n  name: mw\n' },
      },
    },
  },
  gone: { resource: { kubernetes_persistent_volume_claim: { data: { metadata: { name: 'data' } } } } },
  same: { resource: { kubernetes_namespace: { same: { metadata: { name: 'same' } } } } },
};

const head: SynthApp = {
  tts: {
    '//': { metadata: { version: '0.21.0', stackName: 'tts', other: 'metadata changes are ignored' } },
    terraform: backend('tts'),
    provider: { kubernetes: [{ config_path: '~/.kube/config' }] },
    data: { vault_kv_secret_v2: { platform: { mount: 'secret', name: 'platform' } } },
    resource: {
      kubernetes_namespace: {
        tts: { metadata: { name: 'tts' }, ...meta('tts/namespace-renamed-construct') },
      },
      kubernetes_deployment: {
        chatterbox: { ...deployment(2, 'tok-literal-BBB'), ...meta('tts/chatterbox') },
      },
      kubernetes_config_map: { new_cfg: { metadata: { name: 'new' }, data: { a: '1' } } },
      kubernetes_secret: {
        ghcr: { metadata: { name: 'ghcr' }, data: { '.dockerconfigjson': 'DOCKERCFG-NEW' } },
        tls: { metadata: { name: 'tls-secret' }, data: { 'tls.key': '${file("privkey.pem")}' } },
      },
      kubernetes_ingress_v1: {
        ingress: { metadata: { name: 'tts' }, spec: { rule: [{ host: 'tts.example.net' }] } },
      },
      cloudflare_record: { tts: { name: 'tts', content: '176.12.22.76', zone_id: 'z1' } },
    },
    moved: [
      { from: 'kubernetes_ingress_v1.old_name', to: 'kubernetes_ingress_v1.ingress' },
      { from: 'module.tls_secret.kubernetes_secret.tls_secret', to: 'kubernetes_secret.tls' },
    ],
    import: [{ to: 'cloudflare_record.tts', id: 'z1/rec123' }],
  },
  forgejo: {
    resource: { kubernetes_namespace: { forgejo: { metadata: { name: 'forgejo' } } } },
  },
  same: { resource: { kubernetes_namespace: { same: { metadata: { name: 'same' } } } } },
  newstack: { resource: { kubernetes_namespace: { newstack: { metadata: { name: 'newstack' } } } } },
};

const SECRETS = ['tok-literal-AAA', 'tok-literal-BBB', 'DOCKERCFG-OLD', 'DOCKERCFG-NEW'];

describe('diffSynth', () => {
  const result = diffSynth(base, head);
  const tts = result.stacks.find((s) => s.stack === 'tts')!;
  const lines = (changes: readonly Parameters<typeof formatChange>[0][]) =>
    changes.map((c) => formatChange(c).text);

  it('lists every stack with its status, and the added and removed stacks', () => {
    expect(result.stacks.map((s) => [s.stack, s.status])).toEqual([
      ['forgejo', 'changed'],
      ['gone', 'removed'],
      ['newstack', 'added'],
      ['same', 'unchanged'],
      ['tts', 'changed'],
    ]);
    expect(result.stacksAdded).toEqual(['newstack']);
    expect(result.stacksRemoved).toEqual(['gone']);
    expect(result.stacks.find((s) => s.stack === 'newstack')?.added.map((a) => a.address)).toEqual([
      'kubernetes_namespace.newstack',
    ]);
  });

  it('finds added resources and data sources, with moved-from and import notes', () => {
    expect(tts.added).toEqual([
      { address: 'kubernetes_config_map.new_cfg', mode: 'managed', type: 'kubernetes_config_map' },
      {
        address: 'kubernetes_secret.tls',
        mode: 'managed',
        type: 'kubernetes_secret',
        movedFrom: 'module.tls_secret.kubernetes_secret.tls_secret',
      },
      { address: 'cloudflare_record.tts', mode: 'managed', type: 'cloudflare_record', importId: 'z1/rec123' },
      { address: 'data.vault_kv_secret_v2.platform', mode: 'data', type: 'vault_kv_secret_v2' },
    ]);
  });

  it('finds removed resources and data sources, flagging stateful ones', () => {
    expect(tts.removed).toEqual([
      {
        address: 'kubernetes_persistent_volume_claim.models',
        mode: 'managed',
        type: 'kubernetes_persistent_volume_claim',
        stateful: 'persistent volume claim',
      },
      { address: 'kubernetes_config_map.old_cfg', mode: 'managed', type: 'kubernetes_config_map' },
      { address: 'data.vault_kv_secret_v2.viktor', mode: 'data', type: 'vault_kv_secret_v2' },
    ]);
  });

  it('treats a removed address that a head moved block names as a rename', () => {
    expect(tts.renamed).toHaveLength(1);
    expect(tts.renamed[0].from).toBe('kubernetes_ingress_v1.old_name');
    expect(tts.renamed[0].to).toBe('kubernetes_ingress_v1.ingress');
    expect(lines(tts.renamed[0].changes)).toEqual([
      'spec.rule[0].host: "tts.example.org" -> "tts.example.net"',
    ]);
    expect(tts.removed.map((r) => r.address)).not.toContain('kubernetes_ingress_v1.old_name');
    expect(tts.added.map((r) => r.address)).not.toContain('kubernetes_ingress_v1.ingress');
  });

  it('reports changed attributes, ignoring cdktf // metadata, with secrets masked', () => {
    expect(tts.changed.map((c) => c.address)).toEqual([
      'kubernetes_deployment.chatterbox',
      'kubernetes_secret.ghcr',
    ]);
    expect(lines(tts.changed[0].changes)).toEqual([
      'spec.replicas: 1 -> 2',
      'spec.template.spec.container[0].env[0].value: (sensitive) -> (sensitive)',
    ]);
    expect(lines(tts.changed[1].changes)).toEqual(['data[".dockerconfigjson"]: (sensitive) -> (sensitive)']);
    expect(tts.settings).toEqual([]);
    expect(result.stacks.find((s) => s.stack === 'same')?.changed).toEqual([]);
  });

  it('collects stateful destroys: removed resources, database manifests, and removed stacks', () => {
    expect(result.statefulDestroys).toEqual([
      { stack: 'forgejo', address: 'kubectl_manifest.db', reason: 'Cluster: database cluster (e.g. CNPG)' },
      {
        stack: 'gone',
        address: 'kubernetes_persistent_volume_claim.data',
        reason: 'persistent volume claim',
      },
      {
        stack: 'tts',
        address: 'kubernetes_persistent_volume_claim.models',
        reason: 'persistent volume claim',
      },
    ]);
    const forgejo = result.stacks.find((s) => s.stack === 'forgejo')!;
    expect(forgejo.removed.find((r) => r.address === 'kubectl_manifest.mw')?.stateful).toBeUndefined();
  });

  it('is JSON-able', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('treats a moved block to an address that is not in head as a destroy', () => {
    const b: SynthApp = { s: { resource: { kubernetes_namespace: { a: { metadata: { name: 'a' } } } } } };
    const h: SynthApp = {
      s: { resource: {}, moved: [{ from: 'kubernetes_namespace.a', to: 'kubernetes_namespace.b' }] },
    };
    const r = diffSynth(b, h);
    expect(r.stacks[0].renamed).toEqual([]);
    expect(r.statefulDestroys.map((d) => d.address)).toEqual(['kubernetes_namespace.a']);
    // ... and a correct moved block is a rename, not a destroy.
    const ok = diffSynth(b, {
      s: {
        resource: { kubernetes_namespace: { b: { metadata: { name: 'a' } } } },
        moved: [{ from: 'kubernetes_namespace.a', to: 'kubernetes_namespace.b' }],
      },
    });
    expect(ok.statefulDestroys).toEqual([]);
    expect(exitCodeFor(ok)).toBe(0);
  });

  it('reports settings changes and flags a backend change', () => {
    const b: SynthApp = {
      s: { terraform: backend('s'), provider: { cloudflare: [{ api_token: 'cf-literal-token' }] } },
    };
    const h: SynthApp = {
      s: { terraform: backend('s2'), provider: { cloudflare: [{ api_token: 'cf-literal-token-2' }] } },
    };
    const r = diffSynth(b, h);
    expect(r.stacks[0].backendChanged).toBe(true);
    expect(lines(r.stacks[0].settings)).toEqual([
      'terraform.backend.pg.schema_name: "s" -> "s2"',
      'provider.cloudflare[0].api_token: (sensitive) -> (sensitive)',
    ]);
    const md = renderSynthDiffMarkdown(r);
    expect(md).toContain('The backend changed in `s`');
    expect(md).not.toContain('cf-literal-token');
  });

  it('refuses a malformed cdk.tf.json with a clear error', () => {
    expect(() => diffSynth({ s: { resource: [] } }, {})).toThrow(SynthJsonError);
    expect(() => diffSynth({}, { s: { moved: [{ from: 'a.b' }] } })).toThrow(
      'head s: moved[0] needs string "from" and "to"',
    );
  });
});

describe('exitCodeFor', () => {
  const result = diffSynth(base, head);
  it('is 2 when a stateful resource is destroyed, 0 when destroys are allowed', () => {
    expect(exitCodeFor(result)).toBe(2);
    expect(exitCodeFor(result, { allowDestroy: false })).toBe(2);
    expect(exitCodeFor(result, { allowDestroy: true })).toBe(0);
  });
  it('is 0 without stateful destroys', () => {
    expect(exitCodeFor(diffSynth({ same: base.same }, { same: head.same }))).toBe(0);
    const onlyConfigMap = diffSynth({ s: { resource: { kubernetes_config_map: { a: {} } } } }, { s: {} });
    expect(onlyConfigMap.stacks[0].removed).toHaveLength(1);
    expect(exitCodeFor(onlyConfigMap)).toBe(0);
  });
});

describe('renderSynthDiffMarkdown', () => {
  const md = renderSynthDiffMarkdown(diffSynth(base, head));

  it('leads with the marker, a summary and the stateful-destroy warning', () => {
    expect(md.split('\n')[0]).toBe(SYNTH_DIFF_MARKER);
    expect(md).toContain('4 of 5 stacks differ; new: `newstack`; removed: `gone`.');
    const warning = md.slice(0, md.indexOf('#### '));
    expect(warning).toContain('**Stateful resources would be destroyed**');
    expect(warning).toContain(
      '- `kubernetes_persistent_volume_claim.models` in `tts` — persistent volume claim',
    );
    expect(warning).toContain('- `kubectl_manifest.db` in `forgejo` — Cluster: database cluster (e.g. CNPG)');
  });

  it('has a section per differing stack, none for unchanged ones', () => {
    expect(md).toContain('#### `tts` — 4 added, 3 removed, 2 changed, 1 renamed');
    expect(md).toContain('#### `gone` (stack removed)');
    expect(md).toContain('#### `newstack` (new stack) — 1 added');
    expect(md).not.toContain('#### `same`');
    expect(md).toContain(
      '> kubernetes_ingress_v1.ingress  # renamed from kubernetes_ingress_v1.old_name (moved block)',
    );
    expect(md).toContain(
      '+ kubernetes_secret.tls  # moved from module.tls_secret.kubernetes_secret.tls_secret',
    );
    expect(md).toContain('+ cloudflare_record.tts  # added; imported (id z1/rec123)');
    expect(md).toContain(
      '- kubernetes_persistent_volume_claim.models  # removed; STATEFUL: persistent volume claim — would be destroyed',
    );
    expect(md).toContain('~     spec.replicas: 1 -> 2');
  });

  it('never prints a secret', () => {
    for (const s of SECRETS) expect(md).not.toContain(s);
  });

  it('splits like the plan comment when asked', () => {
    const bodies = renderSynthDiffComments(diffSynth(base, head), 1500);
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) {
      expect(b.length).toBeLessThanOrEqual(1500);
      expect(b.startsWith(`${SYNTH_DIFF_MARKER}\n`)).toBe(true);
    }
  });
});
