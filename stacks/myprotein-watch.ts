// myprotein-watch: a read-only price watcher for one protein powder. Two CronJobs run the tree owner's
// stdlib check.py (stacks/myprotein-watch/check.py, read at plan time) on a stock Python image: the check
// every six hours alerts Slack when a deal qualifies and records what it announced in a ConfigMap only it
// may patch; the morning digest posts a heartbeat and gets no state access. Tree: stacks/myprotein-watch.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { type ContainerProps, CronJob, type CronJobProps, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

const NAME = 'myprotein-watch';
/** The tree's checker (path in the tree's stack directory). */
export const CHECK_SCRIPT = 'check.py';
/** The buying price (GBP per kg of protein) both jobs measure against. */
export const THRESHOLD_PER_KG_PROTEIN = '28';

export default defineStack({
  name: NAME,
  description: 'MyProtein price watcher: 6-hourly deal alerts and a daily heartbeat to Slack',
  after: ['external-secrets'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'myprotein_watch', {
      name: NAME,
      tier: Tier.AUX,
      namespaceV1: true,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      labels: { name: NAME },
    });
    // the Alertmanager Slack webhook, reused
    const slack = new ExternalSecret(stack, 'external_secret', {
      name: NAME,
      namespace: ns,
      data: [
        {
          secretKey: 'SLACK_WEBHOOK_URL',
          vault: { path: 'platform', property: 'alertmanager_slack_api_url' },
        },
      ],
      dependsOn: [ns.resource],
    });
    const check = treePayload(stack, CHECK_SCRIPT);
    const script = new ConfigMap(stack, 'script', {
      namespace: ns,
      name: `${NAME}-script`,
      data: { [CHECK_SCRIPT]: check.content },
      payloads: [check],
      v1: true,
    });
    // created empty; the check job owns its content from then on
    const state = new ConfigMap(stack, 'state', {
      namespace: ns,
      name: `${NAME}-state`,
      data: { 'state.json': '{}' },
      ignoreData: true,
      v1: true,
    });
    const watcher = new ServiceAccount(stack, 'watcher', { namespace: ns, name: NAME, v1: true });
    new AccessRole(stack, 'state_writer', {
      name: `${NAME}-state-writer`,
      namespace: ns,
      rules: [
        { apiGroups: [''], resources: ['configmaps'], resourceNames: [state.name], verbs: ['get', 'patch'] },
      ],
      v1: true,
    }).grant('state_writer', {
      name: `${NAME}-state-writer`,
      subjects: [Subject.serviceAccount(watcher.name, ns.name)],
    });

    const scripts = Volume.fromConfigMap('script', script.name);
    const runCheck = (name: string, env: ContainerProps['env']): ContainerProps => ({
      name,
      image: 'docker.io/library/python:3.12-alpine',
      imagePullPolicy: 'IfNotPresent',
      command: ['python3', `/scripts/${CHECK_SCRIPT}`],
      env: { SLACK_WEBHOOK_URL: { secretName: slack.secretName, key: 'SLACK_WEBHOOK_URL' }, ...env },
      volumeMounts: [{ volume: scripts, mountPath: '/scripts', readOnly: true }],
      resources: { cpuRequest: '10m', memoryRequest: Size.mebibytes(48), memoryLimit: Size.mebibytes(128) },
    });
    // Both jobs: Forbid with bounded runs, so a hung fetch cannot block every later run.
    const schedule = {
      namespace: ns,
      timeZone: 'Europe/London',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      backoffLimit: 2,
      ttlAfterFinished: Duration.days(1),
      activeDeadline: Duration.minutes(5),
      labels: { app: NAME },
      labelJobs: true,
      volumes: [scripts],
      dnsOptions: { ndots: '2' },
    } satisfies Partial<CronJobProps>;
    new CronJob(stack, 'check', {
      ...schedule,
      name: NAME,
      schedule: '23 */6 * * *',
      serviceAccountName: watcher.name,
      containers: [
        runCheck('check', {
          STATE_BACKEND: 'configmap',
          STATE_TARGET: state.name,
          THRESHOLD_PER_KG_PROTEIN,
          DEEP_DISCOUNT_PCT: '40',
          NEW_LOW_MARGIN: '0.01',
          WATCH_FLAVOURS: '', // every flavour
        }),
      ],
    });
    new CronJob(stack, 'digest', {
      ...schedule,
      name: `${NAME}-digest`,
      schedule: '0 8 * * *',
      containers: [runCheck('digest', { DIGEST: 'true', THRESHOLD_PER_KG_PROTEIN, WATCH_FLAVOURS: '' })],
    });
  },
});
