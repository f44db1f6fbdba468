// Parity of stacks/plotting-book with the tree's stacks/plotting-book (HEAD 0cd4afb6): every tree address
// is synthesized or moved, the literal values and ignore_changes are the tree's; the backup script is the
// tree's inline heredoc (read at plan time) and the sealed-secret manifests iterate the tree's own file set.
import { describe, expect, it } from 'vitest';
import plottingBook from '../../stacks/plotting-book';
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

const json = synthDefinition(plottingBook);
const TREE_ADDRESSES = [
  'kubernetes_namespace.plotting-book',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.plotting-book-data',
  'kubernetes_deployment.plotting-book',
  'kubernetes_service.plotting-book',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubernetes_manifest.custom_csp[0]',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'module.nfs_plotting_book_backup_host.kubernetes_persistent_volume.this',
  'module.nfs_plotting_book_backup_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_cron_job_v1.plotting_book_backup',
  'kubernetes_manifest.sealed_secrets', // for_each over the tree's sealed-*.yaml (none at HEAD)
  'data.vault_kv_secret_v2.cf_platform', // Terragrunt's generated cloudflare_provider.tf
];
const at = (a: string): Json => atTreeAddress(json, a);
const HEREDOC = '"${path.root}/../../../tree-payloads/plotting-book/_heredoc/main.tf/command/0"';

describe('stack plotting-book', () => {
  it('is in the registry, after platform and vault, with pg state under schema "plotting-book"', () => {
    expect(STACKS).toContain(plottingBook);
    expect(plottingBook.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'plotting-book' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs the CI-deployed private image with the tree ignore list (image and Keel keys)', () => {
    const d = comparable(at('kubernetes_deployment.plotting-book'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    const c = pod.container[0];
    expect(c.image).toBe('ghcr.io/passionprojectsanca/book-plotter:latest');
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'SESSION_SECRET',
      'GOOGLE_CLIENT_ID',
      'GOOGLE_CLIENT_SECRET',
      'GOOGLE_CALLBACK_URL',
      'DB_PATH',
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    const pvc = comparable(at('kubernetes_persistent_volume_claim.plotting-book-data'));
    expect(pvc.wait_until_bound).toBeUndefined();
  });

  it('the ingress replaces the shared CSP with the app one (Google sign-in allowed)', () => {
    const csp = at('module.ingress.kubernetes_manifest.custom_csp[0]');
    expect(JSON.stringify(csp.manifest)).toContain("form-action 'self' https://accounts.google.com");
    const chain = at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
      'traefik.ingress.kubernetes.io/router.middlewares'
    ] as string;
    expect(chain).toContain('authentik');
    expect(chain).not.toContain('traefik-csp-headers');
  });

  it('backs SQLite up weekly on the app node with the tree heredoc, restart policy left to the provider', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'plotting-book', file: '_heredoc/main.tf/command/0' },
    ]);
    const raw = at('kubernetes_cron_job_v1.plotting_book_backup');
    expect(raw.lifecycle.precondition[0].condition).toBe(`\${fileexists(${HEREDOC})}`);
    const cj = comparable(raw);
    expect(cj.spec).toMatchObject({
      concurrency_policy: 'Replace',
      failed_jobs_history_limit: 3,
      schedule: '0 3 * * 0',
      starting_deadline_seconds: 10,
      successful_jobs_history_limit: 3,
    });
    expect(cj.spec.job_template.metadata).toEqual({});
    const spec = cj.spec.job_template.spec;
    expect(spec.backoff_limit).toBe(3);
    expect(spec.ttl_seconds_after_finished).toBe('10');
    expect(spec.template.metadata).toEqual({});
    const pod = spec.template.spec;
    expect(pod.restart_policy).toBeUndefined();
    expect(pod.affinity).toEqual({
      pod_affinity: {
        required_during_scheduling_ignored_during_execution: [
          {
            label_selector: [{ match_labels: { app: 'plotting-book' } }],
            topology_key: 'kubernetes.io/hostname',
          },
        ],
      },
    });
    expect(pod.dns_config).toEqual({ option: [{ name: 'ndots', value: '2' }] });
    const c = pod.container[0];
    expect(c.image).toBe('docker.io/library/alpine');
    expect(c.command).toEqual([
      '/bin/sh',
      '-c',
      `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, {}) : null}`,
    ]);
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('one sealed-secret manifest per tree sealed-*.yaml, keyed by file name', () => {
    expect(at('kubernetes_manifest.sealed_secrets').for_each).toBe(
      '${fileset("${path.root}/../../../tree-payloads/plotting-book", "sealed-*.yaml")}',
    );
  });
});
