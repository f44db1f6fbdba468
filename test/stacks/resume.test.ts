// Parity of stacks/resume with the tree's stacks/resume (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import resume from '../../stacks/resume';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(resume);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.resume',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_manifest.external_secret',
  'kubernetes_deployment.printer',
  'kubernetes_service.printer',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.resume',
  'kubernetes_service.resume',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const SABLIER = { 'sablier.enable': 'true', 'sablier.group': 'resume', 'sablier.ready-after': '5s' };

describe('stack resume', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(resume);
    expect(resume.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'resume' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('parks the app and the printer as one Sablier group, replicas left to Sablier', () => {
    for (const name of ['printer', 'resume']) {
      const raw = at(`kubernetes_deployment.${name}`);
      const d = comparable(raw);
      expect(d.metadata.labels).toEqual({ app: name, tier: '4-aux', ...SABLIER });
      expect(d.spec.replicas).toBe('0');
      expect(raw.lifecycle.ignore_changes).toContain('spec[0].replicas');
      expect(raw.lifecycle.ignore_changes).toHaveLength(10);
    }
    expect(at('module.ingress.kubectl_manifest.sablier[0]').yaml_body).toContain('resume');
  });

  it('both Services carry no labels, as the tree', () => {
    expect(comparable(at('kubernetes_service.printer')).metadata).toEqual({
      name: 'printer',
      namespace: 'resume',
    });
    expect(comparable(at('kubernetes_service.resume')).spec.port).toEqual([
      { port: 80, target_port: '3000' },
    ]);
    expect(comparable(at('kubernetes_service.resume')).metadata.labels).toBeUndefined();
  });

  it('runs Reactive Resume with the printer, SMTP from the Vault mail accounts and an empty DATABASE_URL', () => {
    const c = comparable(at('kubernetes_deployment.resume')).spec.template.spec.container[0];
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_from]));
    expect(env).toMatchObject({
      APP_URL: 'https://resume.viktorbarzin.me',
      DATABASE_URL: '',
      PRINTER_ENDPOINT: 'ws://printer.resume.svc.cluster.local:3000',
      PRINTER_APP_URL: 'http://resume.resume.svc.cluster.local',
      AUTH_SECRET: { secret_key_ref: { name: 'resume-secrets', key: 'auth_secret' } },
      SMTP_HOST: 'mail.viktorbarzin.me',
      SMTP_PASS:
        '${jsondecode(data.vault_kv_secret_v2.secrets.data["mailserver_accounts"])["info@viktorbarzin.me"]}',
      SMTP_FROM: 'Reactive Resume <info@viktorbarzin.me>',
      FLAG_DISABLE_SIGNUPS: 'false',
    });
    expect(c.env).toHaveLength(13);
    expect(c.liveness_probe).toMatchObject({
      initial_delay_seconds: 60,
      period_seconds: 30,
      timeout_seconds: 10,
    });
  });

  it('serves the public page to guests (no Authentik account needed)', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].http.path[0].backend.service.name).toBe('resume');
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('Resume');
  });
});
