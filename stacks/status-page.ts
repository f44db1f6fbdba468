// status-page: what remains of the public status page's in-cluster side. The pusher CronJob that built
// status.json for GitHub Pages is disabled in the tree (its per-run package installs wore the Proxmox
// disk); its page template (the tree owner's index.html, read at plan time), identity and ingress-reading
// rights stay for when it returns with a prebuilt image. Tree: stacks/status-page.
import { ConfigMap } from '../constructs/blocks/config-map';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Tier } from '../lib/conventions/tiers';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** The tree's page template (path in the tree's stack directory). */
export const INDEX_HTML = 'index.html';
/** The GitHub Pages custom domain the template carries. */
export const PAGES_DOMAIN = 'status.viktorbarzin.me';

export default defineStack({
  name: 'status-page',
  description: 'Status page (pusher disabled): page template, pusher identity, ingress-reader role',
  after: ['infra'],
  build(stack) {
    // the tree still reads the pusher's credentials secret (no resource uses it while the pusher is off)
    vaultKvSecret(stack, 'viktor', 'viktor');
    const ns = new TieredNamespace(stack, 'status_page', {
      name: 'status-page',
      tier: Tier.AUX,
      namespaceV1: true,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      ignoreGoldilocksLabel: false,
    });
    const index = treePayload(stack, INDEX_HTML);
    new ConfigMap(stack, 'status_page_template', {
      namespace: ns,
      name: 'status-page-template',
      data: { [INDEX_HTML]: index.content, CNAME: PAGES_DOMAIN },
      payloads: [index],
      v1: true,
    });
    const pusher = new ServiceAccount(stack, 'pusher', {
      namespace: ns,
      name: 'status-page-pusher',
      v1: true,
      addressName: 'status_page', // the tree names it after the stack, as the namespace
    });
    // the pusher maps namespaces to their public hosts from the ingresses
    new AccessRole(stack, 'ingress_reader', {
      name: 'status-page-ingress-reader',
      rules: [{ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['list'] }],
      v1: true,
    }).grant('ingress_reader', {
      name: 'status-page-ingress-reader',
      subjects: [Subject.serviceAccount(pusher.name, ns.name)],
    });
  },
});
