import { describe, expect, it } from 'vitest';
import { ExternalSecret } from '../../../constructs/blocks/external-secret';
import { NfsVolume } from '../../../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../../../constructs/blocks/tls-secret';
import { Tier } from '../../../lib/conventions/tiers';
import { tlsSecretNameNotSensitive } from '../../../lib/conventions/site';
import {
  expectConfigError,
  moves,
  resource,
  resolveNames,
  synth,
  testStack,
  SENSITIVE_TLS_SECRET_NAME,
  namespaceNamed,
} from '../../support/synth';

describe('TieredNamespace', () => {
  it('tree defaults: tier label, istio off, Keel enrolled, Goldilocks ignore', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'tts', { tier: Tier.GPU });
    const json = synth(s);
    expect(resource(json, 'kubernetes_namespace', 'tts')).toEqual({
      metadata: {
        name: 'tts',
        labels: { tier: '2-gpu', 'istio-injection': 'disabled', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    // The reference orders resources after the namespace; resolved, it is the literal name.
    expect(ns.name).toMatch(/TfToken/);
    expect(ns.literalName).toBe('tts');
  });

  it('namespaceV1: a kubernetes_namespace_v1 with the same metadata', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'chesscom_streak', {
      name: 'chesscom-streak',
      tier: Tier.AUX,
      namespaceV1: true,
    });
    const json = synth(s);
    expect(json.resource?.kubernetes_namespace).toBeUndefined();
    expect(resource(json, 'kubernetes_namespace_v1', 'chesscom_streak').metadata.name).toBe(
      'chesscom-streak',
    );
    expect(ns.literalName).toBe('chesscom-streak');
  });

  it('tierLabel: false leaves the tier label out (the tree namespace ac)', () => {
    const s = testStack();
    new TieredNamespace(s, 'ac', { tier: Tier.AUX, tierLabel: false });
    expect(resource(synth(s), 'kubernetes_namespace', 'ac').metadata.labels).toEqual({
      'istio-injection': 'disabled',
      'keel.sh/enrolled': 'true',
    });
  });

  it('custom quota: label plus a ResourceQuota named <ns>-quota in the namespace', () => {
    const s = testStack();
    new TieredNamespace(s, 'forgejo', {
      tier: Tier.EDGE,
      quotaHard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '32Gi', pods: '30' },
    });
    const json = synth(s);
    expect(
      resource(json, 'kubernetes_namespace', 'forgejo').metadata.labels['resource-governance/custom-quota'],
    ).toBe('true');
    expect(resolveNames(json, resource(json, 'kubernetes_resource_quota', 'forgejo'))).toEqual({
      metadata: { name: 'forgejo-quota', namespace: 'forgejo' },
      spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '32Gi', pods: '30' } },
    });
  });

  it('quotaName names the custom quota where the tree overrides the tier quota under its own name', () => {
    const s = testStack();
    new TieredNamespace(s, 'immich', { tier: Tier.GPU, quotaName: 'tier-quota', quotaHard: { pods: '40' } });
    const json = synth(s);
    expect(resolveNames(json, resource(json, 'kubernetes_resource_quota', 'immich')).metadata).toEqual({
      name: 'tier-quota',
      namespace: 'immich',
    });
  });

  it('custom quota: quotaName and quotaAddressName keep a tree quota of its own name and address', () => {
    const s = testStack();
    new TieredNamespace(s, 'chrome_service', {
      name: 'chrome-service',
      tier: Tier.AUX,
      quotaHard: { 'count/pods': '14' },
      quotaName: 'chrome-pool',
      quotaAddressName: 'pool',
    });
    const json = synth(s);
    expect(resolveNames(json, resource(json, 'kubernetes_resource_quota', 'pool')).metadata).toEqual({
      name: 'chrome-pool',
      namespace: 'chrome-service',
    });
    expect(
      expectConfigError(() => new TieredNamespace(testStack('g'), 'ns', { tier: Tier.AUX, quotaName: 'q' }))
        .prop,
    ).toBe('quotaName');
  });

  it('quotaV1 and quotaAddressName: a kubernetes_resource_quota_v1 under its own Terraform name (osm_routing)', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'osm-routing', {
      tier: Tier.AUX,
      quotaHard: { 'requests.cpu': '4', pods: '20' },
      quotaName: 'tier-quota',
      quotaV1: true,
      quotaAddressName: 'osm_routing',
    });
    const json = synth(s);
    expect(json.resource?.kubernetes_resource_quota).toBeUndefined();
    expect(resource(json, 'kubernetes_resource_quota_v1', 'osm_routing')).toEqual({
      metadata: { name: 'tier-quota', namespace: '${kubernetes_namespace.osm-routing.metadata[0].name}' },
      spec: { hard: { 'requests.cpu': '4', pods: '20' } },
    });
    expect(ns.quota).toBeDefined();
    for (const prop of ['quotaV1', 'quotaAddressName'] as const) {
      const value = prop === 'quotaV1' ? true : 'q';
      expect(
        expectConfigError(() => new TieredNamespace(testStack('q'), 'ns', { tier: Tier.AUX, [prop]: value }))
          .prop,
      ).toBe(prop);
    }
    const badName = () =>
      new TieredNamespace(testStack('b'), 'ns', {
        tier: Tier.AUX,
        quotaHard: { pods: '1' },
        quotaAddressName: 'not a name',
      });
    expect(expectConfigError(badName).message).toContain('terraform name');
  });

  it('opting out of Keel and the istio label, extra labels', () => {
    const s = testStack();
    new TieredNamespace(s, 'stem95su', {
      tier: Tier.AUX,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      labels: { team: 'x' },
    });
    expect(resource(synth(s), 'kubernetes_namespace', 'stem95su').metadata.labels).toEqual({
      tier: '4-aux',
      team: 'x',
    });
  });

  it('guards: name, tier, quota', () => {
    expect(
      expectConfigError(() => new TieredNamespace(testStack('g'), 'Bad_NS', { tier: Tier.AUX })).message,
    ).toContain('g/Bad_NS: invalid name = "Bad_NS"; allowed: a DNS-1123 label');
    expect(
      expectConfigError(() => new TieredNamespace(testStack('g'), 'ns', { tier: '5-extra' as Tier })).message,
    ).toBe('g/ns: invalid tier = "5-extra"; allowed: one of 0-core, 1-cluster, 2-gpu, 3-edge, 4-aux');
    expect(
      expectConfigError(
        () =>
          new TieredNamespace(testStack('g'), 'ns', {
            tier: Tier.AUX,
            customQuota: false,
            quotaHard: { pods: '1' },
          }),
      ).prop,
    ).toBe('customQuota');
  });
});

describe('TlsSecret', () => {
  it('reads the certificate at plan time from the repo secrets dir; no key material in JSON; moved from the module', () => {
    const s = testStack();
    new TlsSecret(s, 'tls_secret', {
      namespace: namespaceNamed('website'),
      legacyAddress: 'module.tls_secret',
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_secret', 'tls_secret')).toEqual({
      metadata: { name: SENSITIVE_TLS_SECRET_NAME, namespace: 'website' },
      data: {
        'tls.crt': '${file("${path.root}/../../../secrets/fullchain.pem")}',
        'tls.key': '${file("${path.root}/../../../secrets/privkey.pem")}',
      },
      type: 'kubernetes.io/tls',
      lifecycle: { ignore_changes: ['metadata[0].labels'] },
    });
    expect(moves(json).get('module.tls_secret.kubernetes_secret.tls_secret')).toBe(
      'kubernetes_secret.tls_secret',
    );
    expect(JSON.stringify(json)).not.toContain('BEGIN');
  });

  it('tlsSecretNameNotSensitive(stack): the name is plain in that stack only (tree stacks like hackmd)', () => {
    const plain = testStack();
    tlsSecretNameNotSensitive(plain);
    new TlsSecret(plain, 'tls_secret', { namespace: namespaceNamed('hackmd') });
    expect(resource(synth(plain), 'kubernetes_secret', 'tls_secret').metadata.name).toBe('tls-secret');
    const other = testStack();
    new TlsSecret(other, 'tls_secret', { namespace: namespaceNamed('x') });
    expect(resource(synth(other), 'kubernetes_secret', 'tls_secret').metadata.name).toBe(
      SENSITIVE_TLS_SECRET_NAME,
    );
  });

  it('copyFrom: the same secret of another namespace through a data source, no files', () => {
    const s = testStack();
    new TlsSecret(s, 'tls', {
      namespace: namespaceNamed('ac'),
      copyFrom: { namespace: 'traefik', dataSourceName: 'wildcard' },
    });
    const json = synth(s);
    expect(json.data?.kubernetes_secret.wildcard).toEqual({
      metadata: { name: SENSITIVE_TLS_SECRET_NAME, namespace: 'traefik' },
    });
    expect(resource(json, 'kubernetes_secret', 'tls').data).toEqual({
      'tls.crt': '${data.kubernetes_secret.wildcard.data["tls.crt"]}',
      'tls.key': '${data.kubernetes_secret.wildcard.data["tls.key"]}',
    });
  });
});

describe('NfsVolume', () => {
  it('PV + PVC as the nfs_volume module, moved from module.<name>.*.this', () => {
    const s = testStack();
    new NfsVolume(s, 'nfs_models', {
      name: 'chatterbox-models',
      namespace: namespaceNamed('tts'),
      nfsPath: '/srv/nfs-ssd/chatterbox',
      storage: '20Gi',
      legacyAddress: 'module.nfs_models',
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_persistent_volume', 'nfs_models')).toEqual({
      metadata: { name: 'chatterbox-models' },
      spec: [
        {
          capacity: { storage: '20Gi' },
          access_modes: ['ReadWriteMany'],
          persistent_volume_reclaim_policy: 'Retain',
          storage_class_name: 'nfs-truenas',
          volume_mode: 'Filesystem',
          mount_options: ['nfsvers=4', 'soft', 'timeo=30', 'retrans=3', 'actimeo=5'],
          persistent_volume_source: {
            csi: {
              driver: 'nfs.csi.k8s.io',
              volume_handle: 'chatterbox-models',
              volume_attributes: { server: '192.168.1.127', share: '/srv/nfs-ssd/chatterbox' },
            },
          },
        },
      ],
    });
    expect(resolveNames(json, resource(json, 'kubernetes_persistent_volume_claim', 'nfs_models'))).toEqual({
      metadata: { name: 'chatterbox-models', namespace: 'tts' },
      spec: {
        access_modes: ['ReadWriteMany'],
        storage_class_name: 'nfs-truenas',
        volume_name: 'chatterbox-models',
        resources: { requests: { storage: '20Gi' } },
      },
    });
    expect([...moves(json)]).toEqual([
      ['module.nfs_models.kubernetes_persistent_volume.this', 'kubernetes_persistent_volume.nfs_models'],
      [
        'module.nfs_models.kubernetes_persistent_volume_claim.this',
        'kubernetes_persistent_volume_claim.nfs_models',
      ],
    ]);
  });

  it('guards: export path and size', () => {
    expect(
      expectConfigError(
        () =>
          new NfsVolume(testStack('g'), 'v', { name: 'v', namespace: namespaceNamed('n'), nfsPath: 'srv' }),
      ).prop,
    ).toBe('nfsPath');
    expect(
      expectConfigError(
        () =>
          new NfsVolume(testStack('g'), 'v', {
            name: 'v',
            namespace: namespaceNamed('n'),
            nfsPath: '/srv',
            storage: '10GB',
          }),
      ).message,
    ).toContain('g/v: invalid storage = "10GB"');
  });
});

describe('ExternalSecret', () => {
  it('writes field_manager force_conflicts unless forceConflicts is false', () => {
    const s = testStack();
    const make = (id: string, forceConflicts?: boolean) =>
      new ExternalSecret(s, id, { namespace: namespaceNamed('app'), extractPaths: ['app'], forceConflicts });
    make('forced');
    make('plain', false);
    const json = synth(s);
    expect(resource(json, 'kubernetes_manifest', 'forced').field_manager).toEqual({ force_conflicts: true });
    expect(resource(json, 'kubernetes_manifest', 'plain').field_manager).toBeUndefined();
  });

  it('syncedSecret: a data source on the ESO-maintained Secret, read after the ExternalSecret', () => {
    const s = testStack();
    const es = new ExternalSecret(s, 'external_secret', {
      name: 'app-secrets',
      namespace: namespaceNamed('app'),
      extractPaths: ['app'],
    });
    es.syncedSecret('eso_secrets');
    expect(synth(s).data?.kubernetes_secret.eso_secrets).toEqual({
      metadata: { name: 'app-secrets', namespace: 'app' },
      depends_on: ['kubernetes_manifest.external_secret'],
    });
  });

  it('syncedSecret namespace: the read refers to the namespace resource while the manifest writes the literal', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const es = new ExternalSecret(s, 'external_secret', {
      name: 'app-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['app'],
    });
    es.syncedSecret('eso_secrets', { namespace: ns });
    const json = synth(s);
    expect(json.data?.kubernetes_secret.eso_secrets).toEqual({
      metadata: { name: 'app-secrets', namespace: '${kubernetes_namespace.app.metadata[0].name}' },
      depends_on: ['kubernetes_manifest.external_secret'],
    });
    expect(resource(json, 'kubernetes_manifest', 'external_secret').manifest.metadata.namespace).toBe('app');
  });

  it('syncedSecret refuses another namespace and an unknown option', () => {
    const es = new ExternalSecret(testStack('g'), 'es', {
      name: 'app-secrets',
      namespace: namespaceNamed('app'),
      extractPaths: ['app'],
    });
    expect(
      expectConfigError(() => es.syncedSecret('a', { namespace: namespaceNamed('other') })).message,
    ).toContain(
      `g/es: invalid syncedSecret namespace.name = "other"; allowed: the ExternalSecret's namespace "app"`,
    );
    expect(
      expectConfigError(() => es.syncedSecret('b', { namesapce: namespaceNamed('app') } as never)).message,
    ).toContain('did you mean "namespace"?');
  });

  it('the tree shape: v1, vault-kv ClusterSecretStore, 1h, force_conflicts, template annotations', () => {
    const s = testStack();
    new ExternalSecret(s, 'forgejo_email_secret', {
      name: 'forgejo-email',
      namespace: namespaceNamed('forgejo'),
      template: { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
      data: [{ secretKey: 'PASSWD', vault: { path: 'authentik', property: 'smtp_password' } }],
    });
    expect(resource(synth(s), 'kubernetes_manifest', 'forgejo_email_secret')).toEqual({
      field_manager: { force_conflicts: true },
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'forgejo-email', namespace: 'forgejo' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
          target: {
            name: 'forgejo-email',
            template: { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
          },
          data: [{ secretKey: 'PASSWD', remoteRef: { key: 'authentik', property: 'smtp_password' } }],
        },
      },
    });
  });

  it('dataFrom extract and creation policy', () => {
    const s = testStack();
    new ExternalSecret(s, 'proxy', {
      namespace: namespaceNamed('proxy'),
      targetName: 'oauth2-proxy',
      creationPolicy: 'Owner',
      extractPaths: ['proxy'],
    });
    const spec = resource(synth(s), 'kubernetes_manifest', 'proxy').manifest.spec;
    expect(spec.target).toEqual({ name: 'oauth2-proxy', creationPolicy: 'Owner' });
    expect(spec.dataFrom).toEqual([{ extract: { key: 'proxy' } }]);
    expect(spec.data).toBeUndefined();
  });

  it('guards: at least one key, Vault path shape', () => {
    expect(
      expectConfigError(() => new ExternalSecret(testStack('g'), 'es', { namespace: namespaceNamed('n') }))
        .message,
    ).toBe('g/es: invalid data = undefined; allowed: at least one key (or set extractPaths)');
    expect(
      expectConfigError(
        () =>
          new ExternalSecret(testStack('g'), 'es', {
            namespace: namespaceNamed('n'),
            data: [{ secretKey: 'k', vault: { path: 'secret/data/x y', property: 'p' } }],
          }),
      ).prop,
    ).toBe('data[0].vault.path');
  });
});
