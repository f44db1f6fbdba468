// Parity of stacks/pages-publish with the tree's stacks/pages-publish (HEAD 0cd4afb6): every tree address
// is synthesized or moved, the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import pagesPublish from '../../stacks/pages-publish';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(pagesPublish);
const TREE_ADDRESSES = [
  'kubernetes_namespace.pages_publish',
  'kubernetes_manifest.external_secret',
  'kubernetes_deployment.pages_publish',
  'kubernetes_service.pages_publish',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack pages-publish', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(pagesPublish);
    expect(pagesPublish.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'pages-publish' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace has the tier and Keel labels only', () => {
    expect(comparable(at('kubernetes_namespace.pages_publish')).metadata.labels).toEqual({
      tier: '4-aux',
      'keel.sh/enrolled': 'true',
    });
  });

  it('syncs the API keys and the deploy key from Vault secret/pages-publish', () => {
    expect(at('kubernetes_manifest.external_secret').manifest.spec.data).toEqual([
      { secretKey: 'PAGES_API_KEYS', remoteRef: { key: 'pages-publish', property: 'api_keys' } },
      { secretKey: 'deploy_key', remoteRef: { key: 'pages-publish', property: 'deploy_key' } },
    ]);
  });

  it('Keel rolls the :latest digest (force + owned match-tag); the deploy key is a 0400 file only', () => {
    const d = comparable(at('kubernetes_deployment.pages_publish'));
    expect(d.metadata.labels).toEqual({ app: 'pages-publish' });
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'force',
      'keel.sh/trigger': 'poll',
      'keel.sh/match-tag': 'true',
      'keel.sh/pollSchedule': '@every 5m',
    });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'metadata[0].labels["tier"]',
      ].sort(),
    );
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({ run_as_user: '10001', run_as_group: '10001', fs_group: '10001' });
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(pod.volume).toEqual([
      { name: 'repo', empty_dir: {} },
      {
        name: 'deploy-key',
        secret: {
          secret_name: 'pages-publish-secrets',
          default_mode: '0400',
          items: [{ key: 'deploy_key', path: 'id_ed25519' }],
        },
      },
    ]);
    const c = pod.container[0];
    expect(c.env.map((e: Json) => e.name)).toEqual(['PAGES_API_KEYS', 'REPO_DIR', 'DEPLOY_KEY_PATH']);
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/health', port: '8080' },
      initial_delay_seconds: 10,
      period_seconds: 30,
    });
  });

  it('serves on 8080 without Authentik (bearer tokens)', () => {
    expect(at('kubernetes_service.pages_publish').spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'pages-publish' },
      port: [{ port: 8080, target_port: '8080' }],
    });
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].http.path[0].backend.service.port.number).toBe(8080);
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
  });
});
