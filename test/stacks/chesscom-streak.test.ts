// Parity of stacks/chesscom-streak with the tree's stacks/chesscom-streak (HEAD 0cd4afb6): every address
// the tree has is synthesized, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import chesscomStreak from '../../stacks/chesscom-streak';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(chesscomStreak);
const TREE_ADDRESSES = ['kubernetes_namespace_v1.chesscom_streak', 'kubernetes_cron_job_v1.solve'];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const labels = { app: 'chesscom-streak' };

describe('stack chesscom-streak', () => {
  it('is in the registry, after platform and kyverno, with pg state under schema "chesscom-streak"', () => {
    expect(STACKS).toContain(chesscomStreak);
    expect(chesscomStreak.after).toEqual(['platform', 'kyverno']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'chesscom-streak' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else; no Vault, Cloudflare or kubectl', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('a v1 namespace admitted to the shared Chrome, neither Keel-enrolled nor istio-labelled', () => {
    expect(comparable(at('kubernetes_namespace_v1.chesscom_streak'))).toEqual({
      metadata: {
        name: 'chesscom-streak',
        labels: { name: 'chesscom-streak', tier: '4-aux', 'chrome-service.viktorbarzin.me/client': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('solves hourly 12-16 Sofia time, one run at a time, as a non-root container', () => {
    expect(comparable(at('kubernetes_cron_job_v1.solve'))).toEqual({
      metadata: { name: 'chesscom-streak', namespace: 'chesscom-streak', labels },
      spec: {
        schedule: '0 12-16 * * *',
        timezone: 'Europe/Sofia',
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: 3,
        starting_deadline_seconds: 600,
        job_template: {
          metadata: { labels },
          spec: {
            backoff_limit: 2,
            active_deadline_seconds: 2700,
            ttl_seconds_after_finished: '86400',
            template: {
              metadata: { labels },
              spec: {
                restart_policy: 'Never',
                image_pull_secrets: [{ name: 'ghcr-credentials' }],
                container: [
                  {
                    name: 'solve',
                    image: 'ghcr.io/viktorbarzin/chesscom-streak:latest',
                    image_pull_policy: 'Always',
                    env: [
                      {
                        name: 'CDP_URL',
                        value: 'http://chrome-service.chrome-service.svc.cluster.local:9222',
                      },
                      { name: 'CHESSCOM_USERNAME', value: 'viktorbarzin' },
                      { name: 'ENABLED', value: 'true' },
                      { name: 'JITTER_SECONDS', value: '1500' },
                    ],
                    resources: { requests: { cpu: '25m', memory: '96Mi' }, limits: { memory: '256Mi' } },
                    security_context: {
                      allow_privilege_escalation: false,
                      run_as_non_root: true,
                      run_as_user: '10001',
                      capabilities: { drop: ['ALL'] },
                    },
                  },
                ],
              },
            },
          },
        },
      },
      lifecycle: {
        ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'],
      },
    });
  });
});
