// Every construct refuses an unknown prop key (a misspelling is otherwise dropped silently by the
// type-stripping esbuild synth) and a missing props object, naming the key and the allowed ones, before
// it does anything else.
import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { AppDeployment } from '../../constructs/blocks/app-deployment';
import { ConfigMap } from '../../constructs/blocks/config-map';
import { CloudflarePagesSites } from '../../constructs/blocks/cloudflare-pages';
import { DnsRecord } from '../../constructs/blocks/dns-record';
import { CopiedConfigMap, CopiedSecret } from '../../constructs/blocks/namespace-copy';
import { EncryptedPvc } from '../../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../../constructs/blocks/external-secret';
import { IngressFactory } from '../../constructs/blocks/ingress-factory';
import { NamespaceIngressPolicy } from '../../constructs/blocks/network-policy';
import { NfsVolume } from '../../constructs/blocks/nfs-volume';
import { PathIngress } from '../../constructs/blocks/path-ingress';
import { PlanTimeSecret } from '../../constructs/blocks/plan-time-secret';
import { PostgresCredentials } from '../../constructs/blocks/postgres-credentials';
import { ProxmoxPvc } from '../../constructs/blocks/proxmox-pvc';
import { RegistryPullSecret } from '../../constructs/blocks/registry-pull-secret';
import { ServiceAccount } from '../../constructs/blocks/service-account';
import { StorageClass } from '../../constructs/blocks/storage-class';
import { TieredNamespace } from '../../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../../constructs/blocks/tls-secret';
import { IngressRoute, IngressRouteTcp, TraefikMiddleware } from '../../constructs/blocks/traefik';
import { VaultAppRole } from '../../constructs/blocks/vault-app-role';
import * as BLOCK_KEYS from '../../constructs/blocks/prop-keys';
import { AnubisSite } from '../../constructs/patterns/anubis-site';
import { CompanyVm } from '../../constructs/patterns/company-vm';
import { ForgejoRegistry } from '../../constructs/patterns/forgejo-registry';
import { GpuGatedTts } from '../../constructs/patterns/gpu-gated-tts';
import { NfsStaticSite } from '../../constructs/patterns/nfs-static-site';
import { T3Workstation } from '../../constructs/patterns/t3-workstation';
import { WebApp } from '../../constructs/patterns/web-app';
import * as PATTERN_KEYS from '../../constructs/patterns/prop-keys';
import { expectConfigError, namespaceNamed, testStack } from '../support/synth';

type Ctor = new (scope: Construct, id: string, props: never) => Construct;

const CONSTRUCTS: Array<[string, Ctor, readonly string[]]> = [
  ['AppDeployment', AppDeployment, BLOCK_KEYS.APP_DEPLOYMENT_KEYS],
  ['ConfigMap', ConfigMap, BLOCK_KEYS.CONFIG_MAP_KEYS],
  ['CloudflarePagesSites', CloudflarePagesSites, BLOCK_KEYS.CLOUDFLARE_PAGES_SITES_KEYS],
  ['CopiedConfigMap', CopiedConfigMap, BLOCK_KEYS.COPIED_OBJECT_KEYS],
  ['CopiedSecret', CopiedSecret, BLOCK_KEYS.COPIED_OBJECT_KEYS],
  ['DnsRecord', DnsRecord, BLOCK_KEYS.DNS_RECORD_KEYS],
  ['EncryptedPvc', EncryptedPvc, BLOCK_KEYS.ENCRYPTED_PVC_KEYS],
  ['ExternalSecret', ExternalSecret, BLOCK_KEYS.EXTERNAL_SECRET_KEYS],
  ['IngressFactory', IngressFactory, BLOCK_KEYS.INGRESS_FACTORY_KEYS],
  ['IngressRoute', IngressRoute, BLOCK_KEYS.INGRESS_ROUTE_KEYS],
  ['IngressRouteTcp', IngressRouteTcp, BLOCK_KEYS.INGRESS_ROUTE_TCP_KEYS],
  ['NamespaceIngressPolicy', NamespaceIngressPolicy, BLOCK_KEYS.NAMESPACE_INGRESS_POLICY_KEYS],
  ['NfsVolume', NfsVolume, BLOCK_KEYS.NFS_VOLUME_KEYS],
  ['PathIngress', PathIngress, BLOCK_KEYS.PATH_INGRESS_KEYS],
  ['PlanTimeSecret', PlanTimeSecret, BLOCK_KEYS.PLAN_TIME_SECRET_KEYS],
  ['PostgresCredentials', PostgresCredentials, BLOCK_KEYS.POSTGRES_CREDENTIALS_KEYS],
  ['ProxmoxPvc', ProxmoxPvc, BLOCK_KEYS.PROXMOX_PVC_KEYS],
  ['RegistryPullSecret', RegistryPullSecret, BLOCK_KEYS.REGISTRY_PULL_SECRET_KEYS],
  ['ServiceAccount', ServiceAccount, BLOCK_KEYS.SERVICE_ACCOUNT_KEYS],
  ['StorageClass', StorageClass, BLOCK_KEYS.STORAGE_CLASS_KEYS],
  ['TieredNamespace', TieredNamespace, BLOCK_KEYS.TIERED_NAMESPACE_KEYS],
  ['TlsSecret', TlsSecret, BLOCK_KEYS.TLS_SECRET_KEYS],
  ['TraefikMiddleware', TraefikMiddleware, BLOCK_KEYS.TRAEFIK_MIDDLEWARE_KEYS],
  ['VaultAppRole', VaultAppRole, BLOCK_KEYS.VAULT_APP_ROLE_KEYS],
  ['AnubisSite', AnubisSite, PATTERN_KEYS.ANUBIS_SITE_KEYS],
  ['CompanyVm', CompanyVm, PATTERN_KEYS.COMPANY_VM_KEYS],
  ['ForgejoRegistry', ForgejoRegistry, PATTERN_KEYS.FORGEJO_REGISTRY_KEYS],
  ['GpuGatedTts', GpuGatedTts, PATTERN_KEYS.GPU_GATED_TTS_KEYS],
  ['NfsStaticSite', NfsStaticSite, PATTERN_KEYS.NFS_STATIC_SITE_KEYS],
  ['T3Workstation', T3Workstation, PATTERN_KEYS.T3_WORKSTATION_KEYS],
  ['WebApp', WebApp, PATTERN_KEYS.WEB_APP_KEYS],
];

describe.each(CONSTRUCTS)('%s', (_name, Ctor, keys) => {
  it('refuses an unknown key, naming it, a close match and the known keys', () => {
    const misspelt = `${keys[0]}x`;
    const err = expectConfigError(() => new Ctor(testStack('k'), 'c', { [misspelt]: 1 } as never));
    expect(err.constructPath).toBe('k/c');
    expect(err.prop).toBe(misspelt);
    expect(err.message).toContain(`did you mean "${keys[0]}"?`);
    expect(err.message).toContain(`known: ${keys.join(', ')}`);
  });
  it('refuses a missing props object with a ConfigError, not a TypeError', () => {
    const err = expectConfigError(() => new Ctor(testStack('k'), 'c', undefined as never));
    expect(err.message).toBe(
      `k/c: invalid props = undefined; allowed: an object with keys among: ${keys.join(', ')}`,
    );
  });
});

describe('nested prop objects', () => {
  it('IngressFactory sablier, ForgejoRegistry signup.mailer, WebApp secretEnv[0]: the nested key is named', () => {
    const s = testStack('k');
    expect(
      expectConfigError(
        () =>
          new IngressFactory(s, 'i', {
            name: 'w',
            namespace: namespaceNamed('w'),
            sablier: { grup: 'x' },
          } as never),
      ).prop,
    ).toBe('sablier.grup');
    expect(
      expectConfigError(
        () =>
          new ForgejoRegistry(testStack('k'), 'g', {
            image: 'codeberg.org/forgejo/forgejo:11.0.14',
            signup: { mailer: { form: 'a@b.c' } },
          } as never),
      ).prop,
    ).toBe('signup.mailer.form');
    expect(
      expectConfigError(
        () =>
          new WebApp(testStack('k'), 'w', {
            image: 'a/b:1',
            port: 80,
            existingNamespace: namespaceNamed('w'),
            secretEnv: [{ name: 'A', vault: { path: 'p', property: 'x' }, vaul: 'x' }],
          } as never),
      ).prop,
    ).toBe('secretEnv[0].vaul');
  });
});
