// The bad-input corpus of issue #16, one row per example: each gives a ConfigError that names the
// construct path, the prop and what is allowed, and never contains the secret it was given.
import { describe, expect, it } from 'vitest';
import { App } from 'cdktf';
import { AnubisSite } from '../../../constructs/patterns/anubis-site';
import { CompanyVm } from '../../../constructs/patterns/company-vm';
import { ExternalSecret } from '../../../constructs/blocks/external-secret';
import { ForgejoRegistry, type ForgejoRegistryProps } from '../../../constructs/patterns/forgejo-registry';
import { GpuGatedTts, type GpuGatedTtsProps } from '../../../constructs/patterns/gpu-gated-tts';
import { IngressAuth, IngressFactory } from '../../../constructs/blocks/ingress-factory';
import { NfsVolume } from '../../../constructs/blocks/nfs-volume';
import { PostgresCredentials } from '../../../constructs/blocks/postgres-credentials';
import { serviceFromName } from '../../../constructs/blocks/service';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { WebApp, type WebAppProps } from '../../../constructs/patterns/web-app';
import { Tier } from '../../../lib/conventions/tiers';
import { buildApp } from '../../../lib/synth/app';
import { defineStack, type StackDefinition } from '../../../lib/synth/stack';
import { ConfigError } from '../../../lib/validation/errors';
import { synth, testStack, namespaceNamed } from '../../support/synth';

// Credential-shaped test values (not real credentials).
const GHP = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const SK_ANT = `sk-ant-api03-${'x9Y8z7W6v5'.repeat(3)}`;
const HF = `hf_${'QwErTyUiOp'.repeat(3)}`;
const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

interface Expect {
  /** Construct path (or registry scope) the error names. */
  readonly path: string;
  readonly prop: string;
  /** Part of the "allowed" text. */
  readonly allowed: string;
  /** A value that must not appear in the message. */
  readonly secret?: string;
}

const WEB: WebAppProps = { tier: Tier.AUX, image: 'ghcr.io/x/web:1.2.3', port: 3000 };
const web = (props: Partial<WebAppProps>) => () => new WebApp(testStack('s'), 'web', { ...WEB, ...props });

function tts(props: Partial<GpuGatedTtsProps>) {
  return () => {
    const stack = testStack('s');
    const ns = new TieredNamespace(stack, 'voice', { tier: Tier.GPU });
    new GpuGatedTts(stack, 'tts', {
      namespace: ns,
      name: 'speaker',
      image: 'ghcr.io/example/speaker',
      imageTag: 'abc123',
      config: { server: { port: 9000 } },
      configMountPath: '/etc/speaker/config.yaml',
      containerPort: 9000,
      servicePort: 80,
      clientModel: 'speaker-1',
      modelVolume: { claimName: 'speaker-models', mountPath: '/models' },
      resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '4Gi' } },
      ...props,
      gate: { floorBytes: 4 * 2 ** 30, ...props.gate },
    });
  };
}

const FORGEJO: ForgejoRegistryProps = {
  image: 'codeberg.org/forgejo/forgejo:11.0.14',
  retention: { owner: 'viktor', token: { path: 'viktor', property: 'forgejo_cleanup_token' } },
};
const forgejo = (props: Partial<ForgejoRegistryProps>) => () =>
  new ForgejoRegistry(testStack('s'), 'git', { ...FORGEJO, ...props });

const secret = (props: Record<string, unknown>) => () =>
  new ExternalSecret(testStack('s'), 'es', {
    namespace: namespaceNamed('web'),
    data: [{ secretKey: 'password', vault: { path: 'web', property: 'password' } }],
    ...props,
  } as never);
const ingress = (props: Record<string, unknown>) => () =>
  new IngressFactory(testStack('s'), 'ing', {
    name: 'web',
    namespace: namespaceNamed('web'),
    ...props,
  } as never);
const nfs = (props: Record<string, unknown>) => () =>
  new NfsVolume(testStack('s'), 'vol', {
    name: 'vol',
    namespace: namespaceNamed('web'),
    nfsPath: '/srv/nfs/x',
    ...props,
  } as never);
const ok = (over: Partial<StackDefinition>) => ({
  name: 'web',
  description: 'x',
  build: () => undefined,
  ...over,
});
const registry = (over: Record<string, unknown>) => () => defineStack(ok(over as Partial<StackDefinition>));

const ROWS: Array<[string, () => unknown, Expect]> = [
  // Secrets
  [
    'WebApp env GITHUB_PAT',
    web({ env: { GITHUB_PAT: GHP } }),
    { path: 's/web/deployment', prop: 'env.GITHUB_PAT', allowed: 'no credential in plain text', secret: GHP },
  ],
  [
    'WebApp env ANTHROPIC_KEY',
    web({ env: { ANTHROPIC_KEY: SK_ANT } }),
    { path: 's/web/deployment', prop: 'env.ANTHROPIC_KEY', allowed: 'read it from a Secret', secret: SK_ANT },
  ],
  [
    'WebApp env: a token under an innocent name',
    web({ env: { UPSTREAM: GHP } }),
    { path: 's/web/deployment', prop: 'env.UPSTREAM', allowed: 'looks like a GitHub token', secret: GHP },
  ],
  [
    'GpuGatedTts env HF_TOKEN',
    tts({ env: { HF_TOKEN: HF } }),
    { path: 's/tts', prop: 'env.HF_TOKEN', allowed: 'no credential in plain text', secret: HF },
  ],
  [
    'ExternalSecret template.data literal password',
    secret({ template: { data: { password: 'hunter2hunter2' } } }),
    {
      path: 's/es',
      prop: 'template.data.password',
      allowed: 'not a literal credential',
      secret: 'hunter2hunter2',
    },
  ],
  [
    'Forgejo settings: a password in a cache URL',
    forgejo({ settings: { FORGEJO__cache__HOST: 'redis://:s3cretpass@redis:6379/0' } }),
    {
      path: 's/git',
      prop: 'settings.FORGEJO__cache__HOST',
      allowed: 'URL with a password',
      secret: 's3cretpass',
    },
  ],
  [
    'Forgejo retention.token given a token',
    forgejo({ retention: { owner: 'viktor', token: GHP as never } }),
    {
      path: 's/git',
      prop: 'retention.token',
      allowed: '{ path, property } of a Vault KV v2 secret',
      secret: GHP,
    },
  ],
  [
    'Forgejo signup.mailer.password given a password',
    forgejo({
      signup: { mailer: { from: 'git@example.org', user: 'git', password: 'hunter2hunter2' as never } },
    }),
    {
      path: 's/git',
      prop: 'signup.mailer.password',
      allowed: '{ path, property }',
      secret: 'hunter2hunter2',
    },
  ],
  [
    'CompanyVm sshAuthorizedKeys holding a private key',
    () =>
      new CompanyVm(testStack('s'), 'acme', {
        blockIndex: 0,
        artifactsUrl: 'https://a.example/r/',
        sshAuthorizedKeys: [PRIVATE_KEY],
      }),
    {
      path: 's/acme',
      prop: 'sshAuthorizedKeys[0]',
      allowed: 'an OpenSSH public key line',
      secret: 'b3BlbnNzaC1rZXktdjEAAAAA',
    },
  ],
  // Names, hosts and URLs
  [
    'namespace Web_Apps',
    ingress({ namespace: namespaceNamed('Web_Apps') }),
    { path: 's/ing', prop: 'namespace.name', allowed: 'a DNS-1123 label' },
  ],
  [
    'namespace "Web NS" (ExternalSecret)',
    secret({ namespace: namespaceNamed('Web NS') }),
    { path: 's/es', prop: 'namespace.name', allowed: 'a DNS-1123 label' },
  ],
  [
    'namespace "Web NS" (NfsVolume)',
    nfs({ namespace: namespaceNamed('Web NS') }),
    { path: 's/vol', prop: 'namespace.name', allowed: 'a DNS-1123 label' },
  ],
  [
    'IngressFactory host https://web',
    ingress({ host: 'https://web' }),
    { path: 's/ing', prop: 'host', allowed: '(no scheme, path or port)' },
  ],
  [
    'IngressFactory fullHost with a path',
    ingress({ fullHost: 'web.example.org/app' }),
    { path: 's/ing', prop: 'fullHost', allowed: 'a DNS host name' },
  ],
  [
    'IngressFactory rootDomain with a scheme',
    ingress({ rootDomain: 'https://example.org' }),
    { path: 's/ing', prop: 'rootDomain', allowed: 'a domain such as "example.org"' },
  ],
  [
    'AnubisSite namespace "Blog Site" names namespace, not targetUrl',
    () =>
      new AnubisSite(testStack('s'), 'anubis', {
        name: 'blog',
        namespace: { name: 'Blog Site', tier: Tier.AUX },
        backend: serviceFromName('blog'),
      }),
    { path: 's/anubis', prop: 'namespace.name', allowed: 'a DNS-1123 label' },
  ],
  // Output the cluster would reject or misread
  [
    'WebApp labels app=other',
    web({ labels: { app: 'other' } }),
    { path: 's/web/deployment', prop: 'labels.app', allowed: 'the selector is app=web' },
  ],
  [
    'TieredNamespace tier label against its tier',
    () => new TieredNamespace(testStack('s'), 'edge', { tier: Tier.EDGE, labels: { tier: '0-core' } }),
    { path: 's/edge', prop: 'labels.tier', allowed: `"${Tier.EDGE}" (the namespace's tier)` },
  ],
  [
    'IngressFactory auth required with allowedGroups []',
    ingress({ auth: IngressAuth.REQUIRED, allowedGroups: [] }),
    { path: 's/ing', prop: 'allowedGroups', allowed: 'a non-empty list of Authentik group names' },
  ],
  [
    'two IngressFactory with one Ingress web/web',
    () => {
      const stack = testStack('s');
      new IngressFactory(stack, 'a', { name: 'web', namespace: namespaceNamed('web') });
      new IngressFactory(stack, 'b', { name: 'web', namespace: namespaceNamed('web') });
      synth(stack);
    },
    {
      path: 's/b/b',
      prop: 'metadata.name',
      allowed: 'a name no other Ingress in namespace web has (kubernetes_ingress_v1.a has it)',
    },
  ],
  // Unpinned images
  [
    'GpuGatedTts imageTag latest',
    tts({ imageTag: 'latest' }),
    { path: 's/tts', prop: 'imageTag', allowed: 'not "latest"' },
  ],
  [
    'GpuGatedTts gate.image untagged',
    tts({ gate: { image: 'bitnami/kubectl' } as never }),
    { path: 's/tts', prop: 'gate.image', allowed: 'an image pinned by tag or digest' },
  ],
  [
    'Forgejo retention.image alpine',
    forgejo({ retention: { ...FORGEJO.retention!, image: 'alpine' } }),
    { path: 's/git', prop: 'retention.image', allowed: 'an image pinned by tag or digest' },
  ],
  // Values the construct should refuse
  [
    'ExternalSecret creationPolicy owner',
    secret({ creationPolicy: 'owner' }),
    { path: 's/es', prop: 'creationPolicy', allowed: 'one of "Owner", "Orphan", "Merge", "None"' },
  ],
  [
    'ExternalSecret secretKey with a space',
    secret({ data: [{ secretKey: 'db password', vault: { path: 'web', property: 'p' } }] }),
    { path: 's/es', prop: 'data[0].secretKey', allowed: 'a Secret key' },
  ],
  [
    'ExternalSecret extractPaths /viktor',
    secret({ data: undefined, extractPaths: ['/viktor'] }),
    { path: 's/es', prop: 'extractPaths[0]', allowed: 'without a leading "/"' },
  ],
  [
    'NfsVolume accessModes ReadWriteAll',
    nfs({ accessModes: ['ReadWriteAll'] }),
    { path: 's/vol', prop: 'accessModes[0]', allowed: '"ReadWriteMany"' },
  ],
  [
    'NfsVolume accessModes []',
    nfs({ accessModes: [] }),
    { path: 's/vol', prop: 'accessModes', allowed: 'a non-empty list of distinct modes' },
  ],
  [
    'NfsVolume nfsServer nfs://',
    nfs({ nfsServer: 'nfs://10.0.10.15' }),
    { path: 's/vol', prop: 'nfsServer', allowed: 'an IPv4 address or a DNS host name' },
  ],
  [
    'PostgresCredentials host postgres://',
    () =>
      new PostgresCredentials(testStack('s'), 'db', {
        name: 'db',
        namespace: namespaceNamed('web'),
        staticRole: 'pg-web',
        database: 'web',
        host: 'postgres://pg:5432',
      } as never),
    { path: 's/db', prop: 'host', allowed: 'an IPv4 address or a DNS host name' },
  ],
  [
    'a 70-character stack name',
    registry({ name: 'a'.repeat(70) }),
    { path: `stack ${'a'.repeat(70)}`, prop: 'name', allowed: 'at most 63 characters' },
  ],
  // The registry
  [
    "after: 'platform' (a string)",
    registry({ after: 'platform' }),
    { path: 'stack web', prop: 'after', allowed: "a list of stack names, e.g. ['platform', 'vault']" },
  ],
  [
    "build: 'x'",
    registry({ build: 'x' }),
    { path: 'stack web', prop: 'build', allowed: 'a function (stack) => void' },
  ],
  [
    'a misspelled definition key',
    registry({ afer: ['platform'] }),
    { path: 'stack web', prop: 'definition.afer', allowed: 'did you mean "after"?' },
  ],
  [
    'new WebApp(stack, "web", undefined)',
    () => new WebApp(testStack('s'), 'web', undefined as never),
    { path: 's/web', prop: 'props', allowed: 'an object with keys among:' },
  ],
  [
    'a duplicate construct id',
    () =>
      buildApp(
        [
          defineStack(
            ok({
              build: (s) => {
                new WebApp(s, 'web', WEB);
                new WebApp(s, 'web', WEB);
              },
            }),
          ),
        ],
        { outdir: new App().outdir },
      ),
    { path: 'web', prop: 'construct id', allowed: 'an id no sibling uses' },
  ],
  // Unknown prop keys (issue #14 item 5)
  [
    'WebApp dnstype (misspelled)',
    web({ dnstype: 'proxied' } as never),
    { path: 's/web', prop: 'dnstype', allowed: 'did you mean "dnsType"?' },
  ],
  [
    'IngressFactory allowLocalAcessOnly (misspelled)',
    ingress({ allowLocalAcessOnly: true }),
    { path: 's/ing', prop: 'allowLocalAcessOnly', allowed: 'did you mean "allowLocalAccessOnly"?' },
  ],
];

describe('bad inputs of issue #16: a clear ConfigError, no secret in it', () => {
  it.each(ROWS)('%s', (_label, fn, want) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err, 'expected an error').toBeInstanceOf(Error);
    expect((err as Error).name, (err as Error).message).toBe('ConfigError');
    const e = err as ConfigError;
    expect(e.constructPath).toBe(want.path);
    expect(e.prop).toBe(want.prop);
    expect(e.message.startsWith(`${want.path}: invalid ${want.prop} = `), e.message).toBe(true);
    expect(e.message).toContain(want.allowed);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
    if (want.secret !== undefined) {
      expect(e.message).not.toContain(want.secret);
      expect(JSON.stringify(e)).not.toContain(want.secret);
    }
  });
});
