import { describe, expect, it } from 'vitest';
import {
  ENCRYPTED_STORAGE_CLASS,
  EncryptedPvc,
  type EncryptedPvcProps,
  PLAIN_STORAGE_CLASS,
} from '../../../constructs/blocks/encrypted-pvc';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import {
  expectConfigError,
  moves,
  resource,
  resolveNames,
  synth,
  testStack,
  namespaceNamed,
} from '../../support/synth';

const build = (props: Partial<EncryptedPvcProps>) => () =>
  new EncryptedPvc(testStack(), 'data_encrypted', {
    name: 'x-data-encrypted',
    namespace: namespaceNamed('x'),
    ...props,
  });

describe('EncryptedPvc', () => {
  it('the tree convention: encrypted class, no wait for bind, topolvm annotations, requests ignored', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'forgejo', { tier: Tier.EDGE });
    const pvc = new EncryptedPvc(s, 'data_encrypted', {
      name: 'forgejo-data-encrypted',
      namespace: ns,
      storage: '30Gi',
      storageLimit: '50Gi',
      legacyAddress: 'kubernetes_persistent_volume_claim.data',
    });
    const json = synth(s);
    expect(
      resolveNames(json, resource(json, 'kubernetes_persistent_volume_claim', 'data_encrypted')),
    ).toEqual({
      wait_until_bound: false,
      metadata: {
        name: 'forgejo-data-encrypted',
        namespace: 'forgejo',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '50%',
          'resize.topolvm.io/storage_limit': '50Gi',
        },
      },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: ENCRYPTED_STORAGE_CLASS,
        resources: { requests: { storage: '30Gi' } },
      },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
    expect(ENCRYPTED_STORAGE_CLASS).toBe('proxmox-lvm-encrypted');
    // A reference, so pods mounting it come after the PVC.
    expect(pvc.claimName).toMatch(/TfToken/);
    expect(moves(json).get('kubernetes_persistent_volume_claim.data')).toBe(
      'kubernetes_persistent_volume_claim.data_encrypted',
    );
  });

  it('defaults: 1Gi growing to 10Gi, 10% threshold, 50% steps; custom resize annotations', () => {
    const s = testStack();
    new EncryptedPvc(s, 'archives', {
      name: 'a-encrypted',
      namespace: namespaceNamed('a'),
      resizeIncrease: '100%',
      resizeThreshold: '20%',
    });
    const pvc = resource(synth(s), 'kubernetes_persistent_volume_claim', 'archives');
    expect(pvc.spec.resources.requests.storage).toBe('1Gi');
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '20%',
      'resize.topolvm.io/increase': '100%',
      'resize.topolvm.io/storage_limit': '10Gi',
    });
    const d = testStack();
    new EncryptedPvc(d, 'data', { name: 'd-encrypted', namespace: namespaceNamed('d') });
    expect(resource(synth(d), 'kubernetes_persistent_volume_claim', 'data').metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '50%',
      'resize.topolvm.io/storage_limit': '10Gi',
    });
  });

  it('guards: limit below the size, bad percentages, bad sizes and names', () => {
    const e = expectConfigError(build({ storage: '20Gi', storageLimit: '10Gi' }));
    expect(e.message).toBe(
      'test-stack/data_encrypted: invalid storageLimit = "10Gi"; allowed: a size no smaller than storage (20Gi): the resizer only grows volumes',
    );
    expect(expectConfigError(build({ resizeThreshold: '10' })).message).toBe(
      'test-stack/data_encrypted: invalid resizeThreshold = "10"; allowed: a percentage such as "10%"',
    );
    expect(expectConfigError(build({ resizeIncrease: '0%' })).prop).toBe('resizeIncrease');
    expect(expectConfigError(build({ storage: '1TB' })).prop).toBe('storage');
    expect(expectConfigError(build({ name: 'Data' })).prop).toBe('name');
    expect(expectConfigError(build({ legacyAddress: 'not an address' })).prop).toBe('moved from');
  });

  it('storageClassName: the plain proxmox-lvm class (freshrss data_proxmox), nothing else', () => {
    const s = testStack();
    new EncryptedPvc(s, 'data_proxmox', {
      name: 'x-data',
      namespace: namespaceNamed('x'),
      storageClassName: PLAIN_STORAGE_CLASS,
    });
    expect(
      resource(synth(s), 'kubernetes_persistent_volume_claim', 'data_proxmox').spec.storage_class_name,
    ).toBe('proxmox-lvm');
    expect(expectConfigError(build({ storageClassName: 'nfs' as never })).prop).toBe('storageClassName');
  });
});
