// Parity of stacks/llama-cpp with the tree's stacks/llama-cpp (HEAD 0cd4afb6): every tree address is
// synthesized or moved, the literal values, GPU placement and ignore_changes are the tree's; the download
// script is the tree's inline heredoc (read at plan time) and the llama-swap config is derived from the
// model table as the tree derives it (the rehearsal compares the rendered config byte for byte).
import { describe, expect, it } from 'vitest';
import llamaCpp, { MODELS, serverCommand } from '../../stacks/llama-cpp';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(llamaCpp);
const TREE_ADDRESSES = [
  'kubernetes_namespace.llama_cpp',
  'module.nfs_models.kubernetes_persistent_volume.this',
  'module.nfs_models.kubernetes_persistent_volume_claim.this',
  'kubernetes_job_v1.download_models',
  'kubernetes_config_map.llama_swap_config',
  'kubernetes_deployment.llama_swap',
  'kubernetes_service.llama_swap',
];
const at = (a: string): Json => atTreeAddress(json, a);
const HEREDOC = '"${path.root}/../../../tree-payloads/llama-cpp/_heredoc/main.tf/command/0"';

describe('stack llama-cpp', () => {
  it('is in the registry, after platform and vault, with pg state under schema "llama-cpp"', () => {
    expect(STACKS).toContain(llamaCpp);
    expect(llamaCpp.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'llama-cpp' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('llama-server gets the projector only for vision models and reasoning off only for text ones', () => {
    expect(serverCommand('qwen3vl-8b', MODELS['qwen3vl-8b'])).toBe(
      '/app/llama-server --host 0.0.0.0 --port ${PORT} -m /models/qwen3vl-8b/model.gguf ' +
        '--mmproj /models/qwen3vl-8b/mmproj.gguf -ngl 99 -c 3072 -np 1 --jinja -fa on',
    );
    expect(serverCommand('qwen3-8b', MODELS['qwen3-8b'])).toBe(
      '/app/llama-server --host 0.0.0.0 --port ${PORT} -m /models/qwen3-8b/model.gguf ' +
        '-ngl 99 -c 16384 -np 1 --jinja -fa on --reasoning off',
    );
  });

  it('downloads the models onto NFS-SSD once, with the tree heredoc (guarded) and the model table', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'llama-cpp', file: '_heredoc/main.tf/command/0' },
    ]);
    const raw = at('kubernetes_job_v1.download_models');
    expect(raw.lifecycle.precondition[0].condition).toBe(`\${fileexists(${HEREDOC})}`);
    const j = comparable(raw);
    expect(j.metadata.labels).toEqual({ app: 'llama-cpp' });
    expect(j.wait_for_completion).toBe(false);
    expect(j.spec.backoff_limit).toBe(2);
    expect(j.spec.template.metadata.labels).toEqual({ app: 'llama-cpp' });
    const pod = j.spec.template.spec;
    expect(pod.restart_policy).toBe('OnFailure');
    const c = pod.container[0];
    expect(c.command).toEqual([
      '/bin/bash',
      '-c',
      `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, {}) : null}`,
    ]);
    expect(c.env[0].value).toMatch(/^\$\{jsonencode\(\{"qwen3vl-8b" = \{/);
    expect(c.env[2]).toEqual({
      name: 'HF_TOKEN',
      value_from: { secret_key_ref: { name: 'hf-token', key: 'token', optional: true } },
    });
    expect([...j.lifecycle.ignore_changes].sort()).toEqual(
      ['spec[0].template[0].spec[0].dns_config', 'metadata[0].annotations'].sort(),
    );
    const pvc = at('module.nfs_models.kubernetes_persistent_volume_claim.this');
    expect(pvc.spec.resources.requests.storage).toBe('30Gi');
  });

  it('runs llama-swap on the GPU node, its config hashed on the pod, the digest-pinned image owned', () => {
    const cm = at('kubernetes_config_map.llama_swap_config');
    expect(cm.data['config.yaml']).toMatch(/^\$\{yamlencode\(\{"healthCheckTimeout" = 180, /);
    const raw = at('kubernetes_deployment.llama_swap');
    expect(raw.spec.template.metadata.annotations['checksum/config']).toBe(
      cm.data['config.yaml'].replace(/^\$\{yamlencode\(/, '${sha256(yamlencode(').replace(/\}$/, ')}'),
    );
    expect(raw.depends_on).toEqual(['kubernetes_job_v1.download_models']);
    const d = comparable(raw);
    expect(d.wait_for_rollout).toBe(false);
    expect(d.metadata.labels).toEqual({ app: 'llama-cpp', tier: '2-gpu' });
    expect(d.spec.selector.match_labels).toEqual({ app: 'llama-cpp', component: 'llama-swap' });
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toEqual({ gpu: 'true' });
    expect(pod.toleration).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(pod.container[0].resources).toEqual({
      requests: { cpu: '200m', memory: '2Gi', 'ephemeral-storage': '1Gi' },
      limits: {
        memory: '12Gi',
        'ephemeral-storage': '10Gi',
        'nvidia.com/gpu': '1',
        'viktorbarzin.me/gpumem': '5000',
      },
    });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    expect(at('kubernetes_service.llama_swap').spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'llama-cpp', component: 'llama-swap' },
      port: [{ name: 'http', port: 8080, target_port: '8080' }],
    });
  });
});
