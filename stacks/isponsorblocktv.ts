// iSponsorBlockTV: mutes and skips sponsor segments and ads on the "vermont" smart TV's YouTube app.
// Tree: stacks/isponsorblocktv.
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'isponsorblocktv',
  description: 'iSponsorBlockTV: skips sponsor segments and ads on the smart TV YouTube app',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'isponsorblocktv', { tier: Tier.EDGE });
    // config.json only (written once by the image's --setup), so NFS is safe
    const nfsData = new NfsVolume(stack, 'nfs_data', {
      name: 'isponsorblocktv-data',
      namespace: ns,
      nfsPath: '/srv/nfs/isponsorblocktv',
      storage: '1Gi',
      legacyAddress: 'module.nfs_data',
    });
    const data = Volume.fromPvc('data', nfsData.claimName);
    const vermont = new Deployment(stack, 'isponsorblocktv-vermont', {
      namespace: ns,
      name: 'isponsorblocktv-vermont',
      strategy: 'Recreate',
      containers: [
        {
          name: 'isponsorblocktv-vermont',
          image: 'ghcr.io/dmunozv04/isponsorblocktv',
          volumeMounts: [{ volume: data, mountPath: '/app/data' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(
      vermont,
      'images-pinned',
      'tree parity: the tree deploys the untagged ghcr.io/dmunozv04/isponsorblocktv; Keel tracks it',
    );
  },
});
