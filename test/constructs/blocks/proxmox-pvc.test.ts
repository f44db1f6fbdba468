import { describe, expect, it } from 'vitest';
import { ENCRYPTED_STORAGE_CLASS, EncryptedPvc } from '../../../constructs/blocks/encrypted-pvc';
import { ProxmoxPvc, type ProxmoxPvcProps, ProxmoxStorage } from '../../../constructs/blocks/proxmox-pvc';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, moves, resource, resolveNames, synth, testStack } from '../../support/synth';

const base: ProxmoxPvcProps = { name: 'x-data', namespace: 'x', storageClass: ProxmoxStorage.LVM };
const build = (props: Partial<ProxmoxPvcProps>) => () =>
  new ProxmoxPvc(testStack(), 'data', { ...base, ...props });

describe('ProxmoxPvc', () => {
  it('plain LVM with the resizer: annotations and the request ignored', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'ntfy', { tier: Tier.AUX });
    new ProxmoxPvc(s, 'data_proxmox', {
      name: 'ntfy-data-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      autoresize: { storageLimit: '5Gi', increase: '100%' },
      legacyAddress: 'kubernetes_persistent_volume_claim.data',
    });
    const json = synth(s);
    expect(resolveNames(json, resource(json, 'kubernetes_persistent_volume_claim', 'data_proxmox'))).toEqual({
      wait_until_bound: false,
      metadata: {
        name: 'ntfy-data-proxmox',
        namespace: 'ntfy',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '100%',
          'resize.topolvm.io/storage_limit': '5Gi',
        },
      },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'proxmox-lvm',
        resources: { requests: { storage: '1Gi' } },
      },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
    expect(moves(json).get('kubernetes_persistent_volume_claim.data')).toBe(
      'kubernetes_persistent_volume_claim.data_proxmox',
    );
  });

  it('without the resizer: no annotations and no lifecycle (a fixed-size volume)', () => {
    const s = testStack();
    new ProxmoxPvc(s, 'data', { ...base, storageClass: ProxmoxStorage.LVM_ENCRYPTED, storage: '2Gi' });
    const pvc = resource(synth(s), 'kubernetes_persistent_volume_claim', 'data');
    expect(pvc.metadata).toEqual({ name: 'x-data', namespace: 'x' });
    expect(pvc.spec.storage_class_name).toBe(ENCRYPTED_STORAGE_CLASS);
    expect(pvc.spec.resources).toEqual({ requests: { storage: '2Gi' } });
    expect(pvc.lifecycle).toBeUndefined();
  });

  it('waitUntilBound: true leaves wait_until_bound to the provider default, as a tree PVC without it', () => {
    const s = testStack();
    new ProxmoxPvc(s, 'data', { ...base, waitUntilBound: true });
    expect(resource(synth(s), 'kubernetes_persistent_volume_claim', 'data').wait_until_bound).toBeUndefined();
  });

  it('refuses a limit below the size, a bad percentage, a bad class or name', () => {
    expect(expectConfigError(build({ storage: '5Gi', autoresize: { storageLimit: '1Gi' } })).prop).toBe(
      'autoresize.storageLimit',
    );
    expect(expectConfigError(build({ autoresize: { storageLimit: '5Gi', increase: '100' } })).prop).toBe(
      'autoresize.increase',
    );
    expect(expectConfigError(build({ storageClass: 'nfs-truenas' as ProxmoxStorage })).prop).toBe(
      'storageClass',
    );
    expect(expectConfigError(build({ name: 'Bad_Name' })).prop).toBe('name');
  });

  it('takes the TieredNamespace itself (a reference) and refuses unknown keys, nested ones too', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new ProxmoxPvc(s, 'data', { ...base, namespace: ns });
    expect(resource(synth(s), 'kubernetes_persistent_volume_claim', 'data').metadata.namespace).toBe(
      '${kubernetes_namespace.app.metadata[0].name}',
    );
    expect(expectConfigError(build({ storageclass: 'x' } as never)).message).toContain(
      'did you mean "storageClass"?',
    );
    expect(expectConfigError(build({ autoresize: { storageLimit: '5Gi', limit: '1' } as never })).prop).toBe(
      'autoresize.limit',
    );
  });

  it('EncryptedPvc is its preset: the same PVC as ProxmoxPvc with the encrypted class and the resizer', () => {
    const render = (make: (s: ReturnType<typeof testStack>, ns: TieredNamespace) => ProxmoxPvc) => {
      const s = testStack();
      const pvc = make(s, new TieredNamespace(s, 'app', { tier: Tier.AUX }));
      expect(pvc).toBeInstanceOf(ProxmoxPvc);
      return resource(synth(s), 'kubernetes_persistent_volume_claim', 'data');
    };
    const preset = render(
      (s, ns) =>
        new EncryptedPvc(s, 'data', { name: 'app-data-encrypted', namespace: ns, storageLimit: '5Gi' }),
    );
    const general = render(
      (s, ns) =>
        new ProxmoxPvc(s, 'data', {
          name: 'app-data-encrypted',
          namespace: ns,
          storageClass: ProxmoxStorage.LVM_ENCRYPTED,
          autoresize: { storageLimit: '5Gi' },
        }),
    );
    expect(JSON.stringify(preset)).toBe(JSON.stringify(general));
  });
});
