import { describe, expect, it } from 'vitest';
import { DnsType, IngressAuth } from '../../../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { DEVELOPMENT_LABEL, WebApp, type WebAppProps } from '../../../constructs/patterns/web-app';
import { Ignore } from '../../../lib/conventions/lifecycle';
import { Tier } from '../../../lib/conventions/tiers';
import {
  addresses,
  expectConfigError,
  resource,
  resolveNames,
  synth,
  testStack,
  type Json,
  namespaceNamed,
} from '../../support/synth';

const BASE: WebAppProps = { tier: Tier.AUX, image: 'ghcr.io/x/notes:1.2.3', port: 3000 };
const build = (props: Partial<WebAppProps>) => () => new WebApp(testStack(), 'notes', { ...BASE, ...props });

describe('WebApp: a full app from one construct', () => {
  const s = testStack();
  const app = new WebApp(s, 'notes', {
    ...BASE,
    env: { NOTES_MODE: 'server' },
    secretEnv: [
      { name: 'NOTES_TOKEN', vault: { path: 'notes', property: 'token' } },
      { name: 'NOTES_KEY_MATERIAL', vault: { path: 'notes/keys', property: 'key' } },
    ],
    existingSecretEnv: [{ name: 'DATABASE_URL', secretName: 'notes-db', key: 'DATABASE_URL' }],
    dependsOnSecrets: ['NOTES_TOKEN', 'DATABASE_URL'],
    dataMountPath: '/var/lib/notes',
    dataStorage: '2Gi',
    dataStorageLimit: '20Gi',
    healthCheckPath: '/healthz',
    auth: IngressAuth.APP,
    dnsType: DnsType.NON_PROXIED,
  });
  const json = synth(s);
  const deployment = resolveNames(json, resource(json, 'kubernetes_deployment', 'notes_deployment'));
  const c: Json = deployment.spec.template.spec.container[0];

  it('addresses: namespace, secrets, data volume, deployment, service, ingress and its DNS records', () => {
    expect([...addresses(json)].filter((a) => !a.startsWith('data.')).sort()).toEqual([
      'cloudflare_record.notes_ingress_non_proxied_a',
      'cloudflare_record.notes_ingress_non_proxied_aaaa',
      'kubernetes_deployment.notes_deployment',
      'kubernetes_ingress_v1.notes_ingress',
      'kubernetes_manifest.notes_secrets',
      'kubernetes_namespace.notes_namespace',
      'kubernetes_persistent_volume_claim.notes_data',
      'kubernetes_service.notes',
    ]);
    expect(app.namespaceName).toBe('notes');
    expect(app.isDevelopmentNamespace).toBe(false);
  });

  it('a tiered namespace named after the app; the deployment carries the tier label', () => {
    expect(resource(json, 'kubernetes_namespace', 'notes_namespace').metadata).toEqual({
      name: 'notes',
      labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
    });
    expect(deployment.metadata.labels).toEqual({ app: 'notes', tier: '4-aux' });
    expect(deployment.lifecycle.ignore_changes).not.toContain(Ignore.tierLabel[0]);
  });

  it('one ExternalSecret <name>-secrets with a key per secret variable (Vault path + property)', () => {
    const es = resolveNames(json, resource(json, 'kubernetes_manifest', 'notes_secrets'));
    expect(es.manifest.metadata).toEqual({ name: 'notes-secrets', namespace: 'notes' });
    expect(es.manifest.spec.secretStoreRef).toEqual({ name: 'vault-kv', kind: 'ClusterSecretStore' });
    expect(es.manifest.spec.data).toEqual([
      { secretKey: 'NOTES_TOKEN', remoteRef: { key: 'notes', property: 'token' } },
      { secretKey: 'NOTES_KEY_MATERIAL', remoteRef: { key: 'notes/keys', property: 'key' } },
    ]);
    expect(deployment.depends_on).toEqual(['kubernetes_manifest.notes_secrets']);
  });

  it('env, then Vault secrets, then existing secrets, all secretKeyRef optional = false', () => {
    const ref = (name: string, key: string) => ({ secret_key_ref: { name, key, optional: false } });
    expect(c.env).toEqual([
      { name: 'NOTES_MODE', value: 'server' },
      { name: 'NOTES_TOKEN', value_from: ref('notes-secrets', 'NOTES_TOKEN') },
      { name: 'NOTES_KEY_MATERIAL', value_from: ref('notes-secrets', 'NOTES_KEY_MATERIAL') },
      { name: 'DATABASE_URL', value_from: ref('notes-db', 'DATABASE_URL') },
    ]);
    expect(app.secretKeyEnv.map((e) => `${e.name}=${e.secretName}/${e.key}`)).toEqual([
      'NOTES_TOKEN=notes-secrets/NOTES_TOKEN',
      'NOTES_KEY_MATERIAL=notes-secrets/NOTES_KEY_MATERIAL',
      'DATABASE_URL=notes-db/DATABASE_URL',
    ]);
    const init = deployment.spec.template.spec.init_container[0];
    expect(init.env[0]).toEqual({ name: 'REQUIRED_ENV', value: 'NOTES_TOKEN DATABASE_URL' });
  });

  it('the encrypted data volume is mounted and forces Recreate', () => {
    const pvc = resolveNames(json, resource(json, 'kubernetes_persistent_volume_claim', 'notes_data'));
    expect(pvc.metadata.name).toBe('notes-data-encrypted');
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
    expect(pvc.spec.resources.requests.storage).toBe('2Gi');
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('20Gi');
    expect(c.volume_mount).toEqual([{ name: 'data', mount_path: '/var/lib/notes', read_only: false }]);
    expect(deployment.spec.template.spec.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'notes-data-encrypted' } },
    ]);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('probes on the health path; Service port 80 -> container port', () => {
    expect(c.readiness_probe.http_get).toEqual({ path: '/healthz', port: '3000' });
    expect(resolveNames(json, resource(json, 'kubernetes_service', 'notes'))).toEqual({
      metadata: { name: 'notes', namespace: 'notes', labels: { app: 'notes' } },
      spec: {
        selector: { app: 'notes' },
        port: [{ name: 'http', port: 80, target_port: '3000', protocol: 'TCP' }],
      },
    });
  });

  it('ingress by IngressFactory: auth app means no forward-auth; non-proxied DNS records', () => {
    const ing = resolveNames(json, resource(json, 'kubernetes_ingress_v1', 'notes_ingress'));
    expect(ing.spec.rule[0].host).toBe('notes.viktorbarzin.me');
    expect(ing.spec.rule[0].http.path[0].backend.service).toEqual({ name: 'notes', port: { number: 80 } });
    const mw = ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'];
    expect(mw).not.toMatch(/authentik/);
    expect(ing.metadata.annotations['cloudflare.viktorbarzin.me/dns-type']).toBe('non-proxied');
    expect(resource(json, 'cloudflare_record', 'notes_ingress_non_proxied_a').proxied).toBe(false);
  });
});

describe('WebApp: defaults and options', () => {
  it('defaults: probes on "/", auth required (forward-auth), proxied DNS (no record off the apex), no secrets/volume', () => {
    const s = testStack();
    new WebApp(s, 'notes', BASE);
    const json = synth(s);
    const d = resource(json, 'kubernetes_deployment', 'notes_deployment');
    expect(d.spec.template.spec.container[0].liveness_probe.http_get.path).toBe('/');
    expect(d.spec.template.spec.container[0].env).toBeUndefined();
    expect(d.depends_on).toBeUndefined();
    expect(json.resource?.kubernetes_manifest).toBeUndefined();
    expect(json.resource?.kubernetes_persistent_volume_claim).toBeUndefined();
    expect(json.resource?.cloudflare_record).toBeUndefined();
    const ann = resource(json, 'kubernetes_ingress_v1', 'notes_ingress').metadata.annotations;
    expect(ann['traefik.ingress.kubernetes.io/router.middlewares']).toMatch(
      /traefik-authentik-forward-auth@kubernetescrd$/,
    );
    expect(ann['authentik.viktorbarzin.me/allowed-groups']).toBe('Home Server Admins');
    expect(ann['cloudflare.viktorbarzin.me/dns-type']).toBe('proxied');
  });

  it('an existing namespace: nothing created, literal namespace, tier label left to Kyverno', () => {
    const s = testStack();
    const app = new WebApp(s, 'notes', {
      image: 'ghcr.io/x/notes:1',
      port: 3000,
      existingNamespace: TieredNamespace.fromName(s, 'shared', 'shared', Tier.AUX),
      ingress: false,
      probes: false,
      servicePort: 3000,
    });
    const json = synth(s);
    expect(json.resource?.kubernetes_namespace).toBeUndefined();
    expect(json.resource?.kubernetes_ingress_v1).toBeUndefined();
    expect(app.namespace).toBe('shared');
    const d = resource(json, 'kubernetes_deployment', 'notes_deployment');
    expect(d.metadata.namespace).toBe('shared');
    expect(d.metadata.labels).toEqual({ app: 'notes' });
    expect(d.lifecycle.ignore_changes).toContain(Ignore.tierLabel[0]);
    expect(d.spec.template.spec.container[0].readiness_probe).toBeUndefined();
    expect(resource(json, 'kubernetes_service', 'notes').spec.port[0].port).toBe(3000);
  });

  it('an existing namespace by reference (created next to the app) keeps creation order', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'shared', { tier: Tier.AUX });
    new WebApp(s, 'notes', { image: 'x/notes:1', port: 3000, existingNamespace: ns });
    const d = resource(synth(s), 'kubernetes_deployment', 'notes_deployment');
    expect(d.metadata.namespace).toBe('${kubernetes_namespace.shared.metadata[0].name}');
  });

  it('developmentNamespace labels the namespace and is reported by isDevelopmentNamespace', () => {
    const s = testStack();
    const app = new WebApp(s, 'notes', { ...BASE, developmentNamespace: true });
    expect(app.isDevelopmentNamespace).toBe(true);
    expect(resource(synth(s), 'kubernetes_namespace', 'notes_namespace').metadata.labels).toMatchObject({
      [DEVELOPMENT_LABEL.key]: DEVELOPMENT_LABEL.value,
    });
    expect(DEVELOPMENT_LABEL).toEqual({ key: 'environment', value: 'development' });
  });

  it('the name overrides the construct id for every Kubernetes name; host overrides the host label', () => {
    const s = testStack();
    new WebApp(s, 'api', { ...BASE, name: 'notes-api', host: 'notes' });
    const json = synth(s);
    expect(resource(json, 'kubernetes_namespace', 'api_namespace').metadata.name).toBe('notes-api');
    expect(resource(json, 'kubernetes_deployment', 'api_deployment').metadata.name).toBe('notes-api');
    expect(resource(json, 'kubernetes_ingress_v1', 'api_ingress').spec.rule[0].host).toBe(
      'notes.viktorbarzin.me',
    );
  });
});

describe('WebApp: guards', () => {
  it('exactly one of tier and existingNamespace', () => {
    const both = expectConfigError(build({ existingNamespace: namespaceNamed('shared') }));
    expect(both.message).toBe(
      'test-stack/notes: invalid tier = "4-aux"; allowed: exactly one of tier (create a namespace) or existingNamespace (use one); existingNamespace.name = "shared"',
    );
    const neither = expectConfigError(build({ tier: undefined }));
    expect(neither.message).toBe(
      'test-stack/notes: invalid tier = undefined; allowed: exactly one of tier (create a namespace) or existingNamespace (use one)',
    );
  });

  it('developmentNamespace only for a namespace created here', () => {
    const e = expectConfigError(
      build({ tier: undefined, existingNamespace: namespaceNamed('shared'), developmentNamespace: true }),
    );
    expect(e.message).toBe(
      'test-stack/notes: invalid developmentNamespace = true; allowed: false with existingNamespace: only a namespace created here can be marked for development',
    );
  });

  it('request > limit and an unpinned image are refused (checked by the app deployment)', () => {
    const r = expectConfigError(build({ memoryRequest: '512Mi', memoryLimit: '256Mi' }));
    expect(r.constructPath).toBe('test-stack/notes/deployment');
    expect(r.message).toMatch(
      /invalid memoryRequest = .*allowed: a request no larger than the limit \(512Mi > 256Mi\)$/,
    );
    const i = expectConfigError(build({ image: 'ghcr.io/x/notes:latest' }));
    expect(i.message).toMatch(
      /invalid image = "ghcr.io\/x\/notes:latest"; allowed: an image pinned by tag or digest/,
    );
  });

  it('data volume props need a mount path; names, ports, secret names are checked', () => {
    expect(expectConfigError(build({ dataStorage: '5Gi' })).message).toBe(
      'test-stack/notes: invalid dataStorage = "5Gi"; allowed: only with dataMountPath',
    );
    expect(expectConfigError(build({ dataMountPath: 'data' })).prop).toBe('dataMountPath');
    expect(expectConfigError(build({ port: 0 })).prop).toBe('port');
    expect(expectConfigError(build({ name: 'Notes' })).prop).toBe('name');
    expect(
      expectConfigError(build({ secretEnv: [{ name: 'bad-name', vault: { path: 'x', property: 'y' } }] }))
        .prop,
    ).toBe('secretEnv[0].name');
    expect(
      expectConfigError(build({ secretEnv: [{ name: 'OK', vault: { path: '/abs', property: 'y' } }] })).prop,
    ).toBe('data[0].vault.path');
  });
});
