// Parity of stacks/hackmd with the tree's stacks/hackmd (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import hackmd from '../../stacks/hackmd';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(hackmd);
const TREE_ADDRESSES = [
  'kubernetes_namespace.hackmd',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_hackmd.kubernetes_persistent_volume.this',
  'module.nfs_hackmd.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.hackmd',
  'kubernetes_service.hackmd',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_manifest.external_secret',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack hackmd', () => {
  it('is in the registry, after platform, with pg state under schema "hackmd"', () => {
    expect(STACKS).toContain(hackmd);
    expect(hackmd.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'hackmd' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('renders the TLS secret name plainly, as the tree (its variable is not sensitive)', () => {
    expect(at('module.tls_secret.kubernetes_secret.tls_secret').metadata.name).toBe('tls-secret');
    expect(at('module.ingress.kubernetes_ingress_v1.proxied-ingress').spec.tls[0].secret_name).toBe(
      'tls-secret',
    );
  });

  it('templates the database URL from the rotating MySQL credentials', () => {
    const es = at('kubernetes_manifest.external_secret').manifest;
    expect(es.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-database', kind: 'ClusterSecretStore' },
      target: {
        name: 'hackmd-secrets',
        template: {
          data: { CMD_DB_URL: 'mysql://codimd:{{ .db_password }}@mysql.dbaas.svc.cluster.local/codimd' },
        },
      },
      data: [
        { secretKey: 'db_password', remoteRef: { key: 'static-creds/mysql-codimd', property: 'password' } },
      ],
    });
  });

  it('keeps the deployment at zero replicas with the tree labels, annotations and pod settings', () => {
    const d = comparable(at('kubernetes_deployment.hackmd'));
    expect(d.metadata).toEqual({
      name: 'hackmd',
      namespace: 'hackmd',
      labels: { app: 'hackmd', 'kubernetes.io/cluster-service': 'true', tier: '3-edge' },
      annotations: { 'reloader.stakater.com/auto': 'true' },
    });
    expect(d.spec.replicas).toBe('0');
    expect(d.spec.template.metadata).toEqual({
      labels: { app: 'hackmd', 'kubernetes.io/cluster-service': 'true' },
      annotations: { 'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306' },
    });
    expect(d.spec.template.spec.security_context).toEqual({ fs_group: '1500' });
    expect(d.spec.template.spec.container).toEqual([
      {
        name: 'codimd',
        image: 'hackmdio/hackmd',
        env: [
          {
            name: 'CMD_DB_URL',
            value_from: { secret_key_ref: { name: 'hackmd-secrets', key: 'CMD_DB_URL' } },
          },
          { name: 'CMD_USECDN', value: 'false' },
        ],
        volume_mount: [{ name: 'data', mount_path: '/home/hackmd/app/public/uploads', sub_path: 'hackmd' }],
        port: [{ name: 'http', container_port: 3000, protocol: 'TCP' }],
        resources: { requests: { cpu: '15m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });
});
