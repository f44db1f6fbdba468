// ci-pipeline-health: a daily sweep of the CI pipelines (GitHub + Woodpecker) that reports to Slack. The
// sweep script is the tree owner's (stacks/ci-pipeline-health/files/sweep.sh), read at plan time as a tree
// payload, never copied. Tree: stacks/ci-pipeline-health.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's sweep script (path in the tree's stack directory). */
export const SWEEP_SCRIPT = 'files/sweep.sh';

export default defineStack({
  name: 'ci-pipeline-health',
  description: 'Daily CI pipeline health sweep (GitHub + Woodpecker) reporting to Slack',
  after: ['external-secrets'],
  build(stack) {
    // Tier label only: not Keel-enrolled, and the tree does not ignore the Goldilocks label here.
    const ns = new TieredNamespace(stack, 'ci_pipeline_health', {
      name: 'ci-pipeline-health',
      tier: Tier.AUX,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      ignoreGoldilocksLabel: false,
    });
    const creds = new ExternalSecret(stack, 'external_secret', {
      name: 'ci-pipeline-health-creds',
      namespace: ns,
      refreshInterval: '15m',
      data: [
        { secretKey: 'GITHUB_PAT', vault: { path: 'viktor', property: 'github_pat' } },
        { secretKey: 'WOODPECKER_API_TOKEN', vault: { path: 'ci/global', property: 'woodpecker_api_token' } },
        { secretKey: 'SLACK_WEBHOOK', vault: { path: 'ci/global', property: 'slack_webhook' } },
      ],
    });
    const sweep = treePayload(stack, SWEEP_SCRIPT);
    const script = new ConfigMap(stack, 'sweep_script', {
      namespace: ns,
      name: 'ci-pipeline-health-sweep',
      data: { 'sweep.sh': sweep.content },
      payloads: [sweep],
    });
    const scripts = Volume.fromConfigMap('sweep-script', script.name);
    const sweepWorkload = new CronJob(stack, 'sweep', {
      namespace: ns,
      name: 'ci-pipeline-health',
      labels: { app: 'ci-pipeline-health' },
      labelJobs: true,
      schedule: '30 7 * * *',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      backoffLimit: 1,
      activeDeadline: Duration.minutes(10),
      ttlAfterFinished: Duration.days(1),
      restartPolicy: 'Never',
      imagePullSecrets: ['registry-credentials'],
      containers: [
        {
          name: 'sweep',
          image: 'ghcr.io/viktorbarzin/claude-agent-service:latest',
          imagePullPolicy: 'Always',
          command: ['/bin/sh', '/scripts/sweep.sh'],
          envFrom: [{ secretName: creds.secretName }],
          volumeMounts: [{ volume: scripts, mountPath: '/scripts', readOnly: true }],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
      volumes: [scripts],
      dependsOn: [creds.resource],
    });
    suppressRule(
      sweepWorkload,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/claude-agent-service:latest; Keel tracks the tag',
    );
  },
});
