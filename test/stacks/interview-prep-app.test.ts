// Parity of stacks/interview-prep-app with the tree's stacks/interview-prep-app (HEAD 0cd4afb6): every
// address the tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import interviewPrepApp from '../../stacks/interview-prep-app';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(interviewPrepApp);
const TREE_ADDRESSES = [
  'kubernetes_namespace.interview-prep-app',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.interview-prep-app',
  'kubernetes_service.interview-prep-app',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  // no cloudflare_record: interview-prep.viktorbarzin.me rides the `*` wildcard CNAME
];

const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack interview-prep-app', () => {
  it('is in the registry, with no dependencies, with pg state under schema "interview-prep-app"', () => {
    expect(STACKS).toContain(interviewPrepApp);
    expect(interviewPrepApp.after ?? []).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'interview-prep-app' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('runs the app with its own Keel force policy, as the tree', () => {
    const deployment = comparable(at('kubernetes_deployment.interview-prep-app'));
    expect(deployment.metadata).toEqual({
      name: 'interview-prep-app',
      namespace: 'interview-prep-app',
      labels: { app: 'interview-prep-app', tier: '4-aux' },
      annotations: {
        'keel.sh/policy': 'force',
        'keel.sh/trigger': 'poll',
        'keel.sh/match-tag': 'true',
        'keel.sh/pollSchedule': '@every 5m',
      },
    });
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.template.spec.container).toEqual([
      {
        image: 'ghcr.io/viktorbarzin/interview-prep-app:latest',
        image_pull_policy: 'Always',
        name: 'interview-prep-app',
        port: [{ container_port: 80 }],
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
      },
    ]);
    expect(deployment.spec.template.spec.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(deployment.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });

  it('routes interview-prep to the interview-prep-app service with a pod-selecting homepage tile', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('interview-prep');
    expect(ingress.metadata.annotations['gethomepage.dev/pod-selector']).toBe('app=interview-prep-app');
    expect(ingress.spec.rule[0]).toEqual({
      host: 'interview-prep.viktorbarzin.me',
      http: {
        path: [{ path: '/', backend: { service: { name: 'interview-prep-app', port: { number: 80 } } } }],
      },
    });
  });
});
