import { describe, expect, it } from 'vitest';
import { StorageClass, type StorageClassProps } from '../../../constructs/blocks/storage-class';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('StorageClass', () => {
  it('the default class with every behaviour written; name is a reference', () => {
    const s = testStack();
    const sc = new StorageClass(s, 'local_path', {
      name: 'local-path',
      provisioner: 'rancher.io/local-path',
      isDefault: true,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    });
    expect(resource(synth(s), 'kubernetes_storage_class_v1', 'local_path')).toEqual({
      metadata: {
        name: 'local-path',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      storage_provisioner: 'rancher.io/local-path',
      reclaim_policy: 'Delete',
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: false,
    });
    expect(sc.name).toMatch(/^\$\{TfToken/);
  });

  it('unset behaviours stay provider defaults (not written); parameters; addressName', () => {
    const s = testStack();
    new StorageClass(s, 'sc', {
      name: 'fast',
      provisioner: 'csi.example.org',
      parameters: { type: 'ssd' },
      addressName: 'fast_class',
    });
    expect(resource(synth(s), 'kubernetes_storage_class_v1', 'fast_class')).toEqual({
      metadata: { name: 'fast' },
      storage_provisioner: 'csi.example.org',
      parameters: { type: 'ssd' },
    });
  });

  it('refuses a bad provisioner, policy, binding mode, parameter, unknown key', () => {
    const build = (props: Partial<StorageClassProps>) => () =>
      new StorageClass(testStack(), 'sc', { name: 'x', provisioner: 'rancher.io/local-path', ...props });
    expect(expectConfigError(build({ provisioner: 'Not A Provisioner' })).prop).toBe('provisioner');
    expect(expectConfigError(build({ reclaimPolicy: 'Recycle' as never })).prop).toBe('reclaimPolicy');
    expect(expectConfigError(build({ volumeBindingMode: 'Later' as never })).prop).toBe('volumeBindingMode');
    expect(expectConfigError(build({ parameters: { a: 1 as never } })).prop).toBe('parameters.a');
    expect(expectConfigError(build({ isdefault: true } as never)).message).toContain(
      'did you mean "isDefault"?',
    );
  });
});
