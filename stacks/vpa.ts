// vpa: a tombstone. The tree removed VPA and Goldilocks (the module call is gone, so its apply destroyed
// the Helm releases, the ClusterPolicy, the dashboard ingress and the namespace); the stack directory stays
// with nothing declared. Ours keeps the state key and the ordering and declares nothing either.
import { defineStack } from '../lib/synth/stack';

export default defineStack({
  name: 'vpa',
  description: 'Tombstone: VPA and Goldilocks removed; the state key stays, nothing is declared',
  after: ['infra'],
  build() {
    // Nothing: the tree's stacks/vpa declares no resource.
  },
});
