// Keeps the owner's Chess.com daily streak alive: a CronJob solves the unrated Daily Puzzle through the
// shared cluster Chrome (CDP, the owner's logged-in profile). Tree: stacks/chesscom-streak.
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

const NAME = 'chesscom-streak';

export default defineStack({
  name: 'chesscom-streak',
  description: 'Chess.com streak keeper: solves the Daily Puzzle once a day through the shared Chrome',
  after: ['platform', 'kyverno'], // kyverno clones the private ghcr pull secret in
  build(stack) {
    const ns = new TieredNamespace(stack, 'chesscom_streak', {
      name: NAME,
      tier: Tier.AUX,
      namespaceV1: true,
      istioInjectionDisabled: false,
      keelEnrolled: false,
      // admitted through chrome-service's CDP NetworkPolicy
      labels: { name: NAME, 'chrome-service.viktorbarzin.me/client': 'true' },
    });
    const solve = new CronJob(stack, 'solve', {
      namespace: ns,
      name: NAME,
      labels: { app: NAME },
      labelJobs: true,
      // hourly over a midday window: the first run solves, later ones find it solved and exit
      schedule: '0 12-16 * * *',
      timeZone: 'Europe/Sofia',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      backoffLimit: 2,
      activeDeadline: Duration.minutes(45),
      ttlAfterFinished: Duration.days(1),
      restartPolicy: 'Never',
      imagePullSecrets: ['ghcr-credentials'], // cloned in by Kyverno (private-ghcr namespaces only)
      containers: [
        {
          name: 'solve',
          image: 'ghcr.io/viktorbarzin/chesscom-streak:latest',
          imagePullPolicy: 'Always',
          env: {
            CDP_URL: 'http://chrome-service.chrome-service.svc.cluster.local:9222',
            CHESSCOM_USERNAME: 'viktorbarzin',
            ENABLED: 'true', // runtime off-switch: anything else makes every run a no-op
            JITTER_SECONDS: '1500', // up to 25 minutes off the hour
          },
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(96),
            memoryLimit: Size.mebibytes(256),
          },
          securityContext: {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            runAsUser: 10001, // numeric: the kubelet cannot verify a named user is non-root
            dropCapabilities: ['ALL'],
          },
        },
      ],
    });
    suppressRule(
      solve,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/chesscom-streak:latest; Keel tracks the tag',
    );
  },
});
