import { describe, expect, it } from 'vitest';
import { ServiceAccount, type ServiceAccountProps } from '../../../constructs/blocks/service-account';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

describe('ServiceAccount', () => {
  it('renders kubernetes_service_account.<id> in the namespace; name is a reference', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const sa = new ServiceAccount(s, 'runner', { namespace: ns, name: 'app-runner', automountToken: false });
    const r = resource(synth(s), 'kubernetes_service_account', 'runner');
    expect(r).toEqual({
      metadata: { name: 'app-runner', namespace: '${kubernetes_namespace.app.metadata[0].name}' },
      automount_service_account_token: false,
    });
    expect(sa.name).toMatch(/^\$\{TfToken/);
  });

  it('v1 keeps the tree type; addressName sets the Terraform name', () => {
    const s = testStack();
    new ServiceAccount(s, 'sa', {
      namespace: namespaceNamed('app'),
      name: 'app',
      v1: true,
      addressName: 'watcher',
    });
    expect(resource(synth(s), 'kubernetes_service_account_v1', 'watcher').metadata).toEqual({
      name: 'app',
      namespace: 'app',
    });
  });

  it('refuses a bad name and an unknown prop', () => {
    const build = (props: Partial<ServiceAccountProps>) => () =>
      new ServiceAccount(testStack(), 'sa', { namespace: namespaceNamed('app'), name: 'app', ...props });
    expect(expectConfigError(build({ name: 'Bad_Name' })).prop).toBe('name');
    expect(expectConfigError(build({ bogus: 1 } as never)).message).toContain('bogus');
  });

  it('tokenSecret: a service-account-token Secret for the account, waited for on create', () => {
    const s = testStack();
    new ServiceAccount(s, 'emo', {
      namespace: namespaceNamed('app'),
      name: 'emo',
      tokenSecret: { name: 'emo-token' },
    });
    new ServiceAccount(s, 'other', {
      namespace: namespaceNamed('app'),
      name: 'other',
      tokenSecret: { name: 'other-token', addressName: 'other_secret' },
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_secret', 'emo_token')).toEqual({
      metadata: {
        name: 'emo-token',
        namespace: 'app',
        annotations: {
          'kubernetes.io/service-account.name': '${kubernetes_service_account.emo.metadata[0].name}',
        },
      },
      type: 'kubernetes.io/service-account-token',
      wait_for_service_account_token: true,
    });
    expect(resource(json, 'kubernetes_secret', 'other_secret').metadata.name).toBe('other-token');
    const bad = { name: 'x', extra: 1 } as unknown as { name: string };
    expect(
      expectConfigError(
        () =>
          new ServiceAccount(testStack(), 'x', {
            namespace: namespaceNamed('a'),
            name: 'x',
            tokenSecret: bad,
          }),
      ).prop,
    ).toMatch(/^tokenSecret/);
  });
});
