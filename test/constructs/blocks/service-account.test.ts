// ServiceAccount: a namespaced account on its own (claude-breakglass).
import { describe, expect, it } from 'vitest';
import { ServiceAccount } from '../../../constructs/blocks/service-account';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('ServiceAccount', () => {
  it('creates the account in the namespace (by reference) under its addressName', () => {
    const s = testStack('sa');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const sa = new ServiceAccount(s, 'app_sa', { namespace: ns, name: 'app', addressName: 'app' });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service_account', 'app').metadata).toEqual({
      name: 'app',
      namespace: '${kubernetes_namespace.app.metadata[0].name}',
    });
    expect(sa.name).toMatch(/TfToken/); // a reference, so pods using it come after it
  });

  it('renders the token switch only when set, and refuses a bad name or unknown prop', () => {
    const s = testStack('sa');
    new ServiceAccount(s, 'x', {
      namespace: { name: 'ns', tier: Tier.AUX },
      name: 'x',
      automountToken: false,
    });
    expect(resource(synth(s), 'kubernetes_service_account', 'x').automount_service_account_token).toBe(false);
    expect(
      expectConfigError(
        () =>
          new ServiceAccount(testStack('sa'), 'y', {
            namespace: { name: 'ns', tier: Tier.AUX },
            name: 'Bad_Name',
          }),
      ).prop,
    ).toBe('name');
  });
});
