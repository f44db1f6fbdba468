import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { Construct } from 'constructs';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { addressName, movedFrom, named } from '../../../lib/terraform/addresses';
import { buildApp, checkRegistry } from '../../../lib/synth/app';
import { defineStack } from '../../../lib/synth/stack';
import { expectConfigError, synth, testStack } from '../../support/synth';

const cm = (scope: Construct, name: string) => named(scope, ConfigMap, name, { metadata: { name } });

describe('addresses', () => {
  it('named() fixes the Terraform name exactly', () => {
    const s = testStack();
    cm(s, 'chatterbox_config');
    expect(Object.keys(synth(s).resource?.kubernetes_config_map ?? {})).toEqual(['chatterbox_config']);
  });

  it('addressName joins construct ids below the stack, sanitised', () => {
    const s = testStack();
    const site = new Construct(s, 'blog');
    const inner = new Construct(site, 'net.diag');
    expect(addressName(site)).toBe('blog');
    expect(addressName(inner, 'buffering')).toBe('blog_net_diag_buffering');
    expect(addressName(new Construct(s, '9lives'))).toBe('_9lives');
  });

  it('named() refuses names Terraform cannot address', () => {
    const err = expectConfigError(() => cm(testStack('names'), 'has space'));
    expect(err.message).toBe(
      'names: invalid terraform name = "has space"; allowed: letters, digits, "_" and "-", starting with a letter or "_"',
    );
  });

  it('movedFrom emits moved blocks (also from for_each keys), without shelling out to terraform', () => {
    const s = testStack();
    const r = cm(s, 'offpeak_window_up');
    movedFrom(r, 'kubernetes_cron_job_v1.offpeak["chatterbox-window-up"]');
    const r2 = cm(s, 'pv');
    movedFrom(r2, 'module.nfs_models.kubernetes_persistent_volume.this');
    expect(synth(s).moved).toEqual([
      {
        from: 'kubernetes_cron_job_v1.offpeak["chatterbox-window-up"]',
        to: 'kubernetes_config_map.offpeak_window_up',
      },
      { from: 'module.nfs_models.kubernetes_persistent_volume.this', to: 'kubernetes_config_map.pv' },
    ]);
  });

  it('a malformed moved-from address is refused', () => {
    const s = testStack('mv');
    const err = expectConfigError(() => movedFrom(cm(s, 'x'), 'module ingress'));
    expect(err.message).toContain('mv/x: invalid moved from = "module ingress"');
  });

  it('synth fails when two resources share an address or a moved block comes from a declared address', () => {
    const s = testStack('dupes');
    named(s, ConfigMap, 'same', { metadata: { name: 'a' } }, 'one');
    named(s, ConfigMap, 'same', { metadata: { name: 'b' } }, 'two');
    expect(() => synth(s)).toThrow(
      /address kubernetes_config_map.same is declared twice: dupes\/one and dupes\/two/,
    );

    const s2 = testStack('dupes2');
    const a = cm(s2, 'a');
    cm(s2, 'b');
    movedFrom(a, 'kubernetes_config_map.b');
    expect(() => synth(s2)).toThrow(
      /invalid moved from = "kubernetes_config_map.b"; allowed: an address the stack no longer declares: kubernetes_config_map.b is still declared by dupes2\/b/,
    );
  });
});

describe('stack registry', () => {
  const def = (name: string, after?: string[]) =>
    defineStack({ name, description: name, after, build: () => undefined });

  it('declaring tier0 against the root list is an error naming the stack', () => {
    expect(() => defineStack({ name: 'tts', description: 'x', tier0: true, build: () => undefined })).toThrow(
      'stack tts: invalid tier0 = true; allowed: false (tier-0 stacks are exactly infra, platform, cnpg, vault, dbaas, external-secrets, as in the root terragrunt.hcl)',
    );
    expect(defineStack({ name: 'vault', description: 'x', tier0: true, build: () => undefined }).name).toBe(
      'vault',
    );
  });

  it('names must be unique and dependencies must be real stacks', () => {
    expect(() => checkRegistry([def('tts'), def('tts')])).toThrow(
      'stack registry: invalid name = "tts"; allowed: each stack name once',
    );
    expect(() => checkRegistry([def('tts', ['platfrom'])])).toThrow('stack tts: invalid after = "platfrom"');
    expect(() => checkRegistry([def('tts', ['platform', 'vault']), def('nixfleet', ['tts'])])).not.toThrow();
  });

  it('buildApp builds only the named stacks, and wires ordering between stacks present', () => {
    const { stacks } = buildApp([def('a-new'), def('b-new', ['a-new', 'vault'])], {
      outdir: os.tmpdir(),
    });
    expect(stacks.map((s) => s.stackName)).toEqual(['a-new', 'b-new']);
    expect(stacks[1].dependencies.map((d) => d.node.id)).toEqual(['a-new']);
    const only = buildApp([def('a-new'), def('b-new')], {
      only: ['b-new'],
      outdir: os.tmpdir(),
    });
    expect(only.stacks.map((s) => s.stackName)).toEqual(['b-new']);
    expect(() => buildApp([def('a-new')], { only: ['nope'], outdir: os.tmpdir() })).toThrow(
      'synth: invalid stack = "nope"; allowed: one of: a-new',
    );
  });
});
