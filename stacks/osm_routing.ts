// OSM routing: OSRM walking and cycling route servers over Greater London graphs on NFS, rebuilt monthly
// by a CronJob (build into a staging directory, then swap); OpenTripPlanner is kept at zero replicas
// (transit comes from the TfL API now). OSRM builder and servers must run one version, so Terraform owns
// their image (Keel opt-out). The namespace has its own quota without a CPU limit (cluster policy strips
// CPU limits, so a limits.cpu quota would refuse every pod). The build script is the tree owner's
// heredoc, read at plan time. Tree: stacks/osm_routing.
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** One OSRM version for the graph build and the servers (a graph only loads in its own version). */
export const OSRM_IMAGE = 'ghcr.io/project-osrm/osrm-backend:v6.0.0';
/** The NFS host the tree names for these volumes. */
const NFS_SERVER = '192.168.1.127';

export default defineStack({
  name: 'osm_routing',
  description: 'OSRM foot/bicycle routing over Greater London graphs on NFS, monthly rebuild; OTP parked',
  after: ['platform'],
  build(stack) {
    // Its own quota, under the tier quota's name (no limits.cpu: see above).
    const ns = new TieredNamespace(stack, 'osm-routing', {
      tier: Tier.AUX,
      quotaHard: { 'requests.cpu': '4', 'requests.memory': '6Gi', 'limits.memory': '16Gi', pods: '20' },
      quotaName: 'tier-quota',
      quotaV1: true,
      quotaAddressName: 'osm_routing',
    });
    const osrmNfs = new NfsVolume(stack, 'nfs_osrm_data_host', {
      name: 'osm-routing-osrm-data-host',
      namespace: ns,
      nfsServer: NFS_SERVER,
      nfsPath: '/srv/nfs/osm-routing/osrm',
      legacyAddress: 'module.nfs_osrm_data_host',
    });
    const otpNfs = new NfsVolume(stack, 'nfs_otp_data_host', {
      name: 'osm-routing-otp-data-host',
      namespace: ns,
      nfsServer: NFS_SERVER,
      nfsPath: '/srv/nfs/osm-routing/otp',
      legacyAddress: 'module.nfs_otp_data_host',
    });
    const osrmData = Volume.fromPvc('osrm-data', osrmNfs.claimName);
    for (const profile of ['foot', 'bicycle']) {
      const name = `osrm-${profile}`;
      const server = new Deployment(stack, name, {
        namespace: ns,
        name,
        // Terraform owns policy and image; Kyverno's poll keys and Keel's rollout keys stay ignored
        keel: Keel.never(),
        ignoreChanges: [Ignore.keelRollout],
        strategy: 'Recreate',
        containers: [
          {
            name,
            image: OSRM_IMAGE,
            command: ['osrm-routed', '--algorithm', 'MLD', `/data/${profile}/greater-london-latest.osrm`],
            ports: [{ name: 'http', containerPort: 5000, protocol: 'TCP' }],
            volumeMounts: [{ volume: osrmData, mountPath: '/data' }],
            resources: {
              cpuRequest: '50m',
              memoryRequest: Size.gibibytes(1),
              memoryLimit: Size.gibibytes(1),
            },
          },
        ],
        volumes: [osrmData],
      });
      server.exposeViaService({ ports: [{ port: 5000, targetPort: 5000 }] });
    }
    const otpData = Volume.fromPvc('otp-data', otpNfs.claimName);
    const otp = new Deployment(stack, 'otp', {
      namespace: ns,
      name: 'otp',
      replicas: 0, // deliberately not revived: transit comes from the TfL API
      strategy: 'Recreate',
      containers: [
        {
          name: 'otp',
          image: 'opentripplanner/opentripplanner:2.6.0',
          args: ['--build', '--save'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          volumeMounts: [{ volume: otpData, mountPath: '/var/opentripplanner' }],
          env: { JAVA_TOOL_OPTIONS: '-Xmx3g' },
          resources: { cpuRequest: '300m', memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(2) },
        },
      ],
      volumes: [otpData],
    });
    otp.exposeViaService({ ports: [{ port: 8080, targetPort: 8080 }] });

    // Monthly rebuild (also the on-demand build: create a Job from this CronJob). The servers pick up
    // a new graph on their next restart.
    const build = treeHeredoc(stack, 'osrm_build_script');
    const refresh = new CronJob(stack, 'osrm_refresh', {
      namespace: ns,
      name: 'osrm-refresh',
      labels: { app: 'osrm-refresh' },
      labelJobs: true,
      schedule: '0 4 1 * *',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 2,
      backoffLimit: 2,
      restartPolicy: 'Never',
      containers: [
        {
          name: 'build',
          image: OSRM_IMAGE,
          command: ['/bin/sh', '-c'],
          args: [build.content],
          volumeMounts: [{ volume: osrmData, mountPath: '/data' }],
          // the extract is the memory-hungry phase; 4Gi is the tier's per-container ceiling
          resources: { cpuRequest: '500m', memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(4) },
        },
      ],
      volumes: [osrmData],
    });
    build.guard(refresh);
  },
});
