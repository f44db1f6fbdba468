import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import nixfleet, { nixfleetStack } from '../../stacks/nixfleet';
import { STACKS } from '../../stacks';
import { REPO_ROOT } from '../../lib/core/paths';
import { Ignore } from '../../lib/conventions/lifecycle';
import {
  addresses,
  expectConfigError,
  resource,
  resolveNames,
  synthDefinition,
  type Json,
} from '../support/synth';
import { expectNoSecretMaterial } from '../support/secrets';

const json = synthDefinition(nixfleet);
const deployment = resolveNames(json, resource(json, 'kubernetes_deployment', 'nixfleet_deployment'));
const container: Json = deployment.spec.template.spec.container[0];
const envNames = (c: Json): string[] => c.env.map((e: Json) => e.name);

describe('stack nixfleet', () => {
  it('snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('is registered, after platform/vault/external-secrets, and its file stays under 80 lines', () => {
    expect(STACKS).toContain(nixfleet);
    expect(nixfleet.after).toEqual(['platform', 'vault', 'external-secrets']);
    const lines = fs.readFileSync(path.join(REPO_ROOT, 'stacks', 'nixfleet.ts'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(80);
  });

  it('addresses', () => {
    expect([...addresses(json)].sort()).toEqual([
      'cloudflare_record.nixfleet_ingress_non_proxied_a',
      'cloudflare_record.nixfleet_ingress_non_proxied_aaaa',
      'data.vault_kv_secret_v2.cf_platform',
      'kubernetes_deployment.nixfleet_deployment',
      'kubernetes_ingress_v1.nixfleet_ingress',
      'kubernetes_manifest.nixfleet_secrets',
      'kubernetes_namespace.nixfleet_namespace',
      'kubernetes_persistent_volume_claim.nixfleet_data',
      'kubernetes_service.nixfleet',
    ]);
  });

  it('no secret value in the synthesized JSON', () => {
    expectNoSecretMaterial(json);
  });

  it('v1 dashboard: port 8000, /health probes, data dir on the encrypted volume, non-root fs group', () => {
    expect(container.image).toBe('ghcr.io/markus-barta/nixfleet:dbbf206');
    expect(container.port).toEqual([{ name: 'http', container_port: 8000, protocol: 'TCP' }]);
    expect(container.liveness_probe.http_get).toEqual({ path: '/health', port: '8000' });
    expect(container.volume_mount).toEqual([{ name: 'data', mount_path: '/data', read_only: false }]);
    expect(deployment.spec.template.spec.security_context).toEqual({ fs_group: '1000' });
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const pvc = resolveNames(json, resource(json, 'kubernetes_persistent_volume_claim', 'nixfleet_data'));
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
    expect(pvc.metadata).toMatchObject({ name: 'nixfleet-data-encrypted', namespace: 'nixfleet' });
  });

  it('env: data dir, TOTP required by default, then the three secrets from Vault (fail closed)', () => {
    expect(envNames(container)).toEqual([
      'NIXFLEET_DATA_DIR',
      'NIXFLEET_REQUIRE_TOTP',
      'NIXFLEET_PASSWORD_HASH',
      'NIXFLEET_API_TOKEN',
      'NIXFLEET_TOTP_SECRET',
    ]);
    expect(container.env.slice(0, 2)).toEqual([
      { name: 'NIXFLEET_DATA_DIR', value: '/data' },
      { name: 'NIXFLEET_REQUIRE_TOTP', value: 'true' },
    ]);
    for (const e of container.env.slice(2))
      expect(e.value_from.secret_key_ref).toEqual({ name: 'nixfleet-secrets', key: e.name, optional: false });
    const es = resource(json, 'kubernetes_manifest', 'nixfleet_secrets').manifest.spec.data;
    expect(es).toEqual([
      { secretKey: 'NIXFLEET_PASSWORD_HASH', remoteRef: { key: 'nixfleet', property: 'password_hash' } },
      { secretKey: 'NIXFLEET_API_TOKEN', remoteRef: { key: 'nixfleet', property: 'api_token' } },
      { secretKey: 'NIXFLEET_TOTP_SECRET', remoteRef: { key: 'nixfleet', property: 'totp_secret' } },
    ]);
    const init = deployment.spec.template.spec.init_container[0];
    expect(init.env[0]).toEqual({
      name: 'REQUIRED_ENV',
      value: 'NIXFLEET_PASSWORD_HASH NIXFLEET_API_TOKEN NIXFLEET_TOTP_SECRET',
    });
    expect(envNames(container)).not.toContain('NIXFLEET_DEV_MODE');
  });

  it('requireTotp: false passes "false" and no longer requires the TOTP secret', () => {
    const j = synthDefinition(nixfleetStack({ requireTotp: false }));
    const d = resource(j, 'kubernetes_deployment', 'nixfleet_deployment').spec.template.spec;
    expect(d.container[0].env[1]).toEqual({ name: 'NIXFLEET_REQUIRE_TOTP', value: 'false' });
    expect(d.init_container[0].env[0].value).toBe('NIXFLEET_PASSWORD_HASH NIXFLEET_API_TOKEN');
  });

  it('Terraform owns the image tag: keel.sh/policy=never, image not ignored', () => {
    expect(deployment.metadata.annotations['keel.sh/policy']).toBe('never');
    expect(deployment.lifecycle.ignore_changes).toEqual([
      ...Ignore.kyvernoPodDnsConfig,
      ...Ignore.keelPollAnnotations,
    ]);
  });

  it('ingress: own login (no forward-auth, no Anubis) so agents reach the API with their bearer token; non-proxied DNS', () => {
    const ing = resolveNames(json, resource(json, 'kubernetes_ingress_v1', 'nixfleet_ingress'));
    const mw: string = ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'];
    expect(mw).not.toMatch(/authentik|anubis/);
    expect(ing.spec.rule[0].http.path[0].backend.service.name).not.toMatch(/^anubis/);
    expect(ing.spec.rule[0].host).toBe('nixfleet.viktorbarzin.me');
    expect(ing.metadata.annotations['cloudflare.viktorbarzin.me/dns-type']).toBe('non-proxied');
    expect(resource(json, 'cloudflare_record', 'nixfleet_ingress_non_proxied_a')).toMatchObject({
      name: 'nixfleet',
      type: 'A',
      proxied: false,
    });
  });

  it('guard: NIXFLEET_DEV_MODE=true is refused outside a namespace marked for development', () => {
    const e = expectConfigError(() => synthDefinition(nixfleetStack({ devMode: true })));
    expect(e.message).toBe(
      'nixfleet/nixfleet: invalid NIXFLEET_DEV_MODE = "true"; allowed: only in a namespace marked for development',
    );
    const dev = synthDefinition(nixfleetStack({ devMode: true, developmentNamespace: true }));
    expect(resource(dev, 'kubernetes_namespace', 'nixfleet_namespace').metadata.labels.environment).toBe(
      'development',
    );
    const env = resource(dev, 'kubernetes_deployment', 'nixfleet_deployment').spec.template.spec.container[0]
      .env;
    expect(env).toContainEqual({ name: 'NIXFLEET_DEV_MODE', value: 'true' });
  });

  it('guard: an unpinned image is refused (Keel does not manage this workload)', () => {
    for (const image of ['ghcr.io/markus-barta/nixfleet:latest', 'ghcr.io/markus-barta/nixfleet']) {
      const e = expectConfigError(() => synthDefinition(nixfleetStack({ image })));
      expect(e.constructPath).toBe('nixfleet/nixfleet/deployment');
      expect(e.prop).toBe('image');
    }
  });
});
