// Parity of stacks/chrome-service with the tree's stacks/chrome-service (main.tf, broker.tf, pool.tf,
// rbac.tf): every address the tree has is synthesized or moved, and the literal values and ignore_changes
// sets are the tree's. The programs, configs and heredoc scripts are the tree's, read at plan time.
import { describe, expect, it } from 'vitest';
import chromeService, {
  BROKER_FILES,
  MEDIA_LB_IP,
  NEKO_IMAGE,
  NEKO_UDPMUX,
  PYTHON_IMAGE,
  SCRIPT_FILES,
} from '../../stacks/chrome-service';
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

const json = synthDefinition(chromeService);
const TREE_ADDRESSES = [
  // main.tf
  'kubernetes_namespace.chrome_service',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.es_turn',
  'kubernetes_persistent_volume_claim.profile_encrypted',
  'module.nfs_chrome_service_backup_host.kubernetes_persistent_volume.this',
  'module.nfs_chrome_service_backup_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.chrome_service',
  'kubernetes_config_map_v1.snapshot_scripts',
  'kubernetes_config_map_v1.neko_conf',
  'kubernetes_service.chrome_service',
  'kubernetes_service.chrome_view',
  'kubernetes_service.chrome_media',
  'kubernetes_service.chrome_snapshot',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_snapshot.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_network_policy_v1.ws_ingress',
  'kubernetes_cron_job_v1.chrome_service_backup',
  'kubernetes_cron_job_v1.chrome_service_snapshot_harvester',
  // broker.tf
  'kubernetes_config_map_v1.broker_scripts',
  'kubernetes_deployment.broker',
  'kubernetes_service.broker',
  'module.ingress_fleet.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_resource_quota.pool',
  // pool.tf
  'kubernetes_deployment.worker_warm',
  // rbac.tf
  'kubernetes_service_account.emo_browser',
  'kubernetes_secret.emo_browser_token',
  'kubernetes_role.browser_portforward',
  'kubernetes_role_binding.emo_browser_portforward',
  'kubernetes_cluster_role_binding.emo_browser_readonly',
  'kubernetes_service_account.broker',
  'kubernetes_role.broker',
  'kubernetes_role_binding.broker',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const sorted = (xs: string[]) => [...xs].sort();

describe('stack chrome-service', () => {
  it('is in the registry, after platform, with pg state under schema "chrome-service"', () => {
    expect(STACKS).toContain(chromeService);
    expect(chromeService.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'chrome-service' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace opts out of the tier quota for the pool quota "chrome-pool"', () => {
    expect(comparable(at('kubernetes_namespace.chrome_service'))).toEqual({
      metadata: {
        name: 'chrome-service',
        labels: {
          'istio-injection': 'disabled',
          tier: '4-aux',
          'chrome-service.viktorbarzin.me/server': 'true',
          'keel.sh/enrolled': 'true',
          'resource-governance/custom-quota': 'true',
        },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    expect(comparable(at('kubernetes_resource_quota.pool'))).toEqual({
      metadata: { name: 'chrome-pool', namespace: 'chrome-service' },
      spec: {
        hard: { 'requests.cpu': '4', 'requests.memory': '16Gi', 'limits.memory': '40Gi', 'count/pods': '14' },
      },
    });
  });

  it("syncs the app secret (extract, 15m) and coturn's turn_secret (1h) from Vault", () => {
    const app = at('kubernetes_manifest.external_secret').manifest;
    expect(app.metadata).toEqual({ name: 'chrome-service-secrets', namespace: 'chrome-service' });
    expect(app.spec.refreshInterval).toBe('15m');
    expect(app.spec.dataFrom).toEqual([{ extract: { key: 'chrome-service' } }]);
    const turn = at('kubernetes_manifest.es_turn').manifest;
    expect(turn.spec.refreshInterval).toBe('1h');
    expect(turn.spec.target).toEqual({ name: 'chrome-service-turn' });
    expect(turn.spec.data).toEqual([
      { secretKey: 'turn_secret', remoteRef: { key: 'coturn', property: 'turn_secret' } },
    ]);
  });

  it('keeps the profile on an encrypted volume the resizer grows to 10Gi; backups go to NFS', () => {
    expect(comparable(at('kubernetes_persistent_volume_claim.profile_encrypted'))).toMatchObject({
      metadata: {
        name: 'chrome-service-profile-encrypted',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '100%',
          'resize.topolvm.io/storage_limit': '10Gi',
        },
      },
      spec: { storage_class_name: 'proxmox-lvm-encrypted', resources: { requests: { storage: '2Gi' } } },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
    const pv = at('module.nfs_chrome_service_backup_host.kubernetes_persistent_volume.this');
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes).toEqual({
      server: '192.168.1.127',
      share: '/srv/nfs/chrome-service-backup',
    });
  });

  it("runs neko pinned, opted out of Keel, with the tree's pod security and ignore set", () => {
    const d = comparable(at('kubernetes_deployment.chrome_service'));
    expect(d.metadata.labels).toEqual({ app: 'chrome-service', tier: '4-aux' });
    expect(d.metadata.annotations).toEqual({
      'reloader.stakater.com/auto': 'true',
      'keel.sh/policy': 'never',
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.selector.match_labels).toEqual({ app: 'chrome-service' });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }]);
    expect(pod.security_context).toEqual({
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(d.lifecycle.ignore_changes).toEqual(
      sorted([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].init_container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ]),
    );
    expect(pod.init_container.map((c: Json) => c.name)).toEqual(['fix-perms', 'turn-cred']);
    expect(pod.init_container[0]).toMatchObject({
      image: 'busybox:1.37',
      security_context: { run_as_user: '0' },
    });
    expect(pod.container.map((c: Json) => [c.name, c.image])).toEqual([
      ['neko', NEKO_IMAGE],
      ['cdp-bridge', PYTHON_IMAGE],
      ['snapshot-server', PYTHON_IMAGE],
    ]);
    const neko = pod.container[0];
    const env = Object.fromEntries(neko.env.map((e: Json) => [e.name, e.value ?? e.value_from]));
    expect(env.NEKO_WEBRTC_NAT1TO1).toBe(MEDIA_LB_IP);
    expect(env.NEKO_WEBRTC_UDPMUX).toBe(String(NEKO_UDPMUX));
    expect(env.NEKO_MEMBER_MULTIUSER_ADMIN_PASSWORD).toEqual({
      secret_key_ref: { name: 'chrome-service-secrets', key: 'neko_admin_password' },
    });
    expect(env.NEKO_CAPTURE_VIDEO_PIPELINE).toMatch(/^ximagesrc .* ! appsink name=appsink$/);
    expect(neko.resources).toEqual({ requests: { cpu: '1', memory: '3Gi' }, limits: { memory: '4Gi' } });
    expect(neko.startup_probe).toEqual({
      http_get: { path: '/health', port: '8080' },
      period_seconds: 5,
      failure_threshold: 36,
    });
    expect(pod.volume.find((v: Json) => v.name === 'dshm').empty_dir).toEqual({
      medium: 'Memory',
      size_limit: '1Gi',
    });
  });

  it('publishes CDP, the view, the media port on its own MetalLB address (ETP Local) and the snapshot', () => {
    const svc = (name: string) => comparable(at(`kubernetes_service.${name}`));
    expect(svc('chrome_service').metadata.name).toBe('chrome-service');
    expect(svc('chrome_view').spec.port).toEqual([
      { name: 'http', port: 80, target_port: '8080', protocol: 'TCP' },
    ]);
    const media = svc('chrome_media');
    expect(media.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': MEDIA_LB_IP });
    expect(media.spec).toMatchObject({ type: 'LoadBalancer', external_traffic_policy: 'Local' });
    expect(media.spec.port).toEqual([
      { name: 'media', port: NEKO_UDPMUX, target_port: String(NEKO_UDPMUX), protocol: 'UDP' },
    ]);
    expect(media.lifecycle.ignore_changes).toEqual([
      'metadata[0].annotations["metallb.io/ip-allocated-from-pool"]',
    ]);
    expect(svc('chrome_snapshot').spec.selector).toEqual({ app: 'chrome-service' });
  });

  it('admits CDP from client namespaces, the UI from Traefik and media from the routed networks', () => {
    const np = comparable(at('kubernetes_network_policy_v1.ws_ingress'));
    const byName = (n: string) => ({
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': n } },
    });
    expect(np.spec.ingress).toEqual([
      {
        from: [
          { namespace_selector: { match_labels: { 'chrome-service.viktorbarzin.me/client': 'true' } } },
          byName('f1-stream'),
          byName('chrome-service'),
        ],
        ports: [{ port: '9222', protocol: 'TCP' }],
      },
      {
        from: [byName('traefik')],
        ports: [
          { port: '8080', protocol: 'TCP' },
          { port: '8088', protocol: 'TCP' },
        ],
      },
      {
        from: [
          { ip_block: { cidr: '10.0.0.0/8' } },
          { ip_block: { cidr: '192.168.0.0/16' } },
          { ip_block: { cidr: '100.64.0.0/10' } },
        ],
        ports: [{ port: '59000', protocol: 'UDP' }],
      },
    ]);
  });

  it('backs up and harvests the profile beside the browser pod, with the tree heredocs', () => {
    for (const [name, schedule] of [
      ['chrome_service_backup', '47 */6 * * *'],
      ['chrome_service_snapshot_harvester', '23 * * * *'],
    ]) {
      const cj = comparable(at(`kubernetes_cron_job_v1.${name}`));
      expect(cj.spec).toMatchObject({
        schedule,
        concurrency_policy: 'Replace',
        failed_jobs_history_limit: 3,
        successful_jobs_history_limit: 1,
        starting_deadline_seconds: 60,
      });
      const pod = cj.spec.job_template.spec.template.spec;
      expect(pod.restart_policy).toBe('OnFailure');
      expect(pod.affinity.pod_affinity.required_during_scheduling_ignored_during_execution).toEqual([
        {
          label_selector: [{ match_labels: { app: 'chrome-service' } }],
          topology_key: 'kubernetes.io/hostname',
        },
      ]);
      expect(cj.lifecycle.ignore_changes).toEqual([
        'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
      ]);
    }
  });

  it('runs the broker with its pods-only role, its FleetView behind Authentik, and the warm worker', () => {
    const broker = comparable(at('kubernetes_deployment.broker'));
    expect(broker.metadata.labels).toEqual({ app: 'chrome-broker' });
    expect(broker.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_surge: '1', max_unavailable: '0' },
    });
    expect(broker.spec.template.spec.service_account_name).toBe('chrome-broker');
    expect(broker.lifecycle.ignore_changes).toEqual(
      sorted([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'metadata[0].labels["tier"]',
        'spec[0].template[0].spec[0].container[0].image',
      ]),
    );
    expect(comparable(at('kubernetes_role.broker')).rule).toEqual([
      { api_groups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch'] },
      { api_groups: [''], resources: ['pods/log'], verbs: ['get'] },
    ]);
    const fleet = at('module.ingress_fleet.kubernetes_ingress_v1.proxied-ingress');
    expect(fleet.spec.rule[0].host).toBe('chrome-fleet.viktorbarzin.me');
    expect(fleet.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'chrome-fleet',
      port: { number: 8080 },
    });
    const warm = comparable(at('kubernetes_deployment.worker_warm'));
    expect(warm.metadata.labels).toEqual({ app: 'chrome-worker', 'chrome-pool/role': 'warm' });
    expect(warm.spec.selector.match_labels).toEqual({ 'chrome-pool/role': 'warm' });
    expect(warm.spec.template.metadata.labels).toEqual({ app: 'chrome-worker', 'chrome-pool/role': 'warm' });
    expect(warm.lifecycle.ignore_changes).toEqual(
      sorted([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].labels["tier"]',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ]),
    );
  });

  it("gives emo's browser account a long-lived token, port-forward here and the rbac stack's read-only role", () => {
    expect(comparable(at('kubernetes_secret.emo_browser_token'))).toEqual({
      metadata: {
        name: 'emo-browser-token',
        namespace: 'chrome-service',
        annotations: { 'kubernetes.io/service-account.name': 'emo-browser' },
      },
      type: 'kubernetes.io/service-account-token',
      wait_for_service_account_token: true,
    });
    expect(comparable(at('kubernetes_cluster_role_binding.emo_browser_readonly'))).toEqual({
      metadata: { name: 'emo-browser-readonly' },
      role_ref: {
        api_group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'oidc-power-user-readonly',
      },
      subject: [{ kind: 'ServiceAccount', name: 'emo-browser', namespace: 'chrome-service' }],
    });
    expect(comparable(at('kubernetes_role_binding.emo_browser_portforward')).role_ref.name).toBe(
      'chrome-service-portforward',
    );
  });

  it("ships the tree's programs, configs and the four heredocs as payloads", () => {
    expect(declaredPayloads(JSON.stringify(json)).map((p) => p.file)).toEqual(
      sorted([
        ...SCRIPT_FILES.map((f) => `files/${f}`),
        ...BROKER_FILES.map((f) => `files/broker/${f}`),
        'files/neko/google-chrome.conf',
        'files/neko/policies.json',
        '_heredoc/main.tf/command/0',
        '_heredoc/main.tf/command/1',
        '_heredoc/main.tf/args/0',
        '_heredoc/broker.tf/args/0',
      ]),
    );
    expect(Object.keys(at('kubernetes_config_map_v1.snapshot_scripts').data).sort()).toEqual(
      sorted(SCRIPT_FILES),
    );
    expect(Object.keys(at('kubernetes_config_map_v1.broker_scripts').data).sort()).toEqual(
      sorted(BROKER_FILES),
    );
  });
});
