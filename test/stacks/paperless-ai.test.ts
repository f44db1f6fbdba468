// Parity of stacks/paperless-ai with the tree's stacks/paperless-ai (HEAD 0cd4afb6): every address the tree
// has is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The refresh
// call is the tree's heredoc, read at plan time.
import { describe, expect, it } from 'vitest';
import paperlessAi from '../../stacks/paperless-ai';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(paperlessAi);
const TREE_ADDRESSES = [
  'kubernetes_namespace.paperless_ai',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_deployment.paperless_ai',
  'kubernetes_service.paperless_ai',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_cron_job_v1.rag_index_refresh',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack paperless-ai', () => {
  it('is in the registry, after platform, vault, paperless-ngx and llama-cpp, with pg state', () => {
    expect(STACKS).toContain(paperlessAi);
    expect(paperlessAi.after).toEqual(['platform', 'vault', 'paperless-ngx', 'llama-cpp']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'paperless-ai' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('an edge namespace with only the tier label', () => {
    expect(comparable(at('kubernetes_namespace.paperless_ai')).metadata).toEqual({
      name: 'paperless-ai',
      labels: { tier: '3-edge' },
    });
  });

  it('keeps its data on the encrypted volume the resizer grows to 10Gi', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.data_encrypted'));
    expect(pvc.metadata.namespace).toBe('paperless-ai');
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('10Gi');
    expect(pvc.spec).toMatchObject({
      storage_class_name: 'proxmox-lvm-encrypted',
      resources: { requests: { storage: '2Gi' } },
    });
  });

  it('runs the app without waiting for the rollout, with TCP probes and the tree lifecycle', () => {
    const raw = at('kubernetes_deployment.paperless_ai');
    const d = comparable(raw);
    expect(d.wait_for_rollout).toBe(false);
    expect(d.metadata.namespace).toBe('paperless-ai');
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({ fs_group: '1000' });
    const [c] = pod.container;
    expect(c.port).toEqual([
      { container_port: 3000, name: 'http' },
      { container_port: 8000, name: 'rag' },
    ]);
    expect(c.env).toHaveLength(10);
    expect(c.startup_probe).toEqual({
      tcp_socket: [{ port: '3000' }],
      failure_threshold: 60,
      period_seconds: 5,
    });
    expect(c.resources.limits).toEqual({ memory: '8Gi' });
    expect([...raw.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
  });

  it('refreshes the RAG index daily with the tree call, pods unlabelled', () => {
    const raw = at('kubernetes_cron_job_v1.rag_index_refresh');
    const cj = comparable(raw);
    expect(cj.metadata.labels).toEqual({ app: 'paperless-ai' });
    expect(cj.spec.schedule).toBe('30 4 * * *');
    expect(cj.spec.job_template.metadata).toEqual({});
    expect(cj.spec.job_template.spec.template.metadata).toEqual({});
    const pod = cj.spec.job_template.spec.template.spec;
    expect(pod.restart_policy).toBe('Never');
    expect(pod.container[0].command[2]).toContain('tree-payloads/paperless-ai/_heredoc/main.tf/command/0');
    expect(raw.lifecycle.precondition).toHaveLength(1);
  });
});
