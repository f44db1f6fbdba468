// k8s-version-upgrade: the automated kubeadm/kubelet/kubectl upgrader. A weekly CronJob detects a newer
// patch or minor and spawns the first of a chain of phase Jobs (each drains a node it does not run on); a
// weekly report posts the outcome to Slack. The scripts, the Job template and the detection script are the
// tree owner's payloads, read at plan time. Tree: stacks/k8s-version-upgrade.
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { type ContainerProps, CronJob, type CronJobProps, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc, treePayload, treeRepoPayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The claude-agent-service image: kubectl, ssh, curl, jq and envsubst, all the Jobs need. */
export const UPGRADE_IMAGE = 'ghcr.io/viktorbarzin/claude-agent-service:latest';
/** Weekly, Sunday 23:00 UTC: clear of the kured reboot window. */
export const CHECK_SCHEDULE = '0 23 * * 0';
/** Monday 06:07 UTC, the morning after the check. */
export const REPORT_SCHEDULE = '7 6 * * 1';
const LABELS = { app: 'k8s-version-upgrade' };
/** The chain's scripts, by ConfigMap key, from the tree's stack directory. */
export const SCRIPT_FILES = {
  'upgrade-step.sh': 'scripts/upgrade-step.sh',
  'compat-gate.py': 'scripts/compat-gate.py',
  'addon-compat.json': 'scripts/addon-compat.json',
  'nightly-report.py': 'scripts/nightly-report.py',
} as const;

export default defineStack({
  name: 'k8s-version-upgrade',
  description:
    'Automated Kubernetes upgrades: weekly detection, a chain of per-node phase Jobs, a weekly report',
  after: ['external-secrets', 'monitoring'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'k8s_upgrade', {
      name: 'k8s-upgrade',
      tier: Tier.CLUSTER,
      istioInjectionDisabled: false,
    });
    const creds = new ExternalSecret(stack, 'external_secret', {
      name: 'k8s-upgrade-creds',
      namespace: ns,
      refreshInterval: '15m',
      data: ['ssh_key', 'slack_webhook'].map((k) => ({
        secretKey: k,
        vault: { path: 'k8s-upgrade', property: k },
      })),
    });

    // One account for the detection CronJob and every phase Job; cluster-wide, the chain drains any node.
    const account = new ServiceAccount(stack, 'job_account', {
      namespace: ns,
      name: 'k8s-upgrade-job',
      addressName: 'k8s_upgrade_job',
    });
    const subject = Subject.serviceAccount(account.name, ns.name);
    new AccessRole(stack, 'cluster_role', {
      name: 'k8s-upgrade-job',
      addressName: 'k8s_upgrade_job',
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'patch', 'update'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list'] },
        {
          apiGroups: ['apps'],
          resources: ['daemonsets', 'statefulsets', 'replicasets', 'deployments'],
          verbs: ['get', 'list'],
        },
        { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['patch', 'update'] },
        {
          apiGroups: ['batch'],
          resources: ['jobs'],
          verbs: ['create', 'get', 'list', 'delete', 'patch', 'watch'],
        },
        { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list'] },
        {
          apiGroups: [''],
          resources: ['namespaces'],
          resourceNames: [ns.literalName],
          verbs: ['get', 'patch', 'update'],
        },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['apiserver-oidc-restore'],
          verbs: ['get'],
        },
      ],
    }).grant('k8s_upgrade_job', { name: 'k8s-upgrade-job', subjects: [subject] });
    // In its namespace: the credentials and the kill-switch ConfigMap only.
    new AccessRole(stack, 'ns_role', {
      name: 'k8s-upgrade-job-ns',
      namespace: ns,
      addressName: 'k8s_upgrade_job_ns',
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [creds.secretName], verbs: ['get'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['k8s-upgrade-killswitch'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    }).grant('k8s_upgrade_job_ns', { name: 'k8s-upgrade-job-ns', subjects: [subject] });

    const scriptPayloads = Object.entries(SCRIPT_FILES).map(([k, f]) => [k, treePayload(stack, f)] as const);
    // the per-node upgrade body lives at the tree root, outside the stack
    const updateK8s = treeRepoPayload(stack, 'scripts/update_k8s.sh');
    const byKey = Object.fromEntries(scriptPayloads);
    const scripts = new ConfigMap(stack, 'k8s_upgrade_scripts', {
      namespace: ns,
      name: 'k8s-upgrade-scripts',
      labels: LABELS,
      data: {
        'upgrade-step.sh': byKey['upgrade-step.sh'].content,
        'update_k8s.sh': updateK8s.content,
        'compat-gate.py': byKey['compat-gate.py'].content,
        'addon-compat.json': byKey['addon-compat.json'].content,
        'nightly-report.py': byKey['nightly-report.py'].content,
      },
      payloads: [...scriptPayloads.map(([, p]) => p), updateK8s],
    });
    const jobTemplateFile = treePayload(stack, 'job-template.yaml');
    const jobTemplate = new ConfigMap(stack, 'k8s_upgrade_job_template', {
      namespace: ns,
      name: 'k8s-upgrade-job-template',
      labels: LABELS,
      data: { 'job-template.yaml': jobTemplateFile.content },
      payloads: [jobTemplateFile],
    });

    // 0444: the non-root container reads the key and re-installs it 0400 before any ssh
    const credsVolume = Volume.fromSecret('creds', creds.secretName, { defaultMode: '0444' });
    const credsMount = { volume: credsVolume, mountPath: '/secrets/k8s-upgrade', readOnly: true };
    const resources = {
      cpuRequest: '50m',
      memoryRequest: Size.mebibytes(128),
      memoryLimit: Size.mebibytes(256),
    };
    const common = (schedule: string): Omit<CronJobProps, 'name' | 'containers' | 'volumes'> => ({
      namespace: ns,
      schedule,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      suspend: false, // the tree's `enabled` switch, on
      labels: LABELS,
      labelJobs: true,
      ttlAfterFinished: Duration.days(1),
      serviceAccountName: account.name,
      restartPolicy: 'Never',
      imagePullSecrets: ['registry-credentials'],
    });

    const templateVolume = Volume.fromConfigMap('template', jobTemplate.name);
    const detect = treeHeredoc(stack, 'command');
    const check: ContainerProps = {
      name: 'version-check',
      image: UPGRADE_IMAGE,
      command: ['/bin/bash', '-c', detect.content],
      env: { DRY_RUN: 'false', IMAGE: UPGRADE_IMAGE, HOME: '/tmp' },
      volumeMounts: [credsMount, { volume: templateVolume, mountPath: '/template', readOnly: true }],
      resources,
    };
    const versionCheck = new CronJob(stack, 'k8s_version_check', {
      ...common(CHECK_SCHEDULE),
      name: 'k8s-version-check',
      backoffLimit: 0,
      volumes: [credsVolume, templateVolume],
      containers: [check],
    });
    detect.guard(versionCheck);

    const scriptsVolume = Volume.fromConfigMap('scripts', scripts.name, { defaultMode: '0755' });
    const report = new CronJob(stack, 'k8s_upgrade_nightly_report', {
      ...common(REPORT_SCHEDULE),
      name: 'k8s-upgrade-nightly-report', // weekly now; the name stays
      backoffLimit: 1,
      volumes: [credsVolume, scriptsVolume],
      containers: [
        {
          name: 'report',
          image: UPGRADE_IMAGE,
          command: ['python3', '/scripts/nightly-report.py'],
          env: { HOME: '/tmp' },
          volumeMounts: [credsMount, { volume: scriptsVolume, mountPath: '/scripts', readOnly: true }],
          resources,
        },
      ],
    });
    for (const job of [versionCheck, report]) {
      suppressRule(job, 'images-pinned', `tree parity: the tree runs ${UPGRADE_IMAGE}`);
    }
  },
});
